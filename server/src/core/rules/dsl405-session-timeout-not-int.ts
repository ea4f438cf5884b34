/** DSL405: Horizon's SESSION_TIMEOUT is a string (or None/container), so min(SESSION_TIMEOUT, token lifetime) raises TypeError at login. */
import { NUMERIC_SETTINGS, SESSION_TIMEOUT } from '../knowledge';
import { describe } from '../evaluate/values';
import type { Value } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll, rawEnvironmentStrings } from './framework';
import { reportAt, setSettingEdit } from './setting-helpers';

/** Integer text Python's int() would also read from the string (`'3600'`, `' 3600 '`, `'3600.0'`, `'3.6e3'`), or undefined. */
export function integerText(s: string): string | undefined {
  const t = s.trim().replace(/_/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= 0 ? String(n) : undefined;
}

/** Values whose comparison with an int raises TypeError in Python 3 (numbers and bools compare fine). */
function breaksMin(v: Value): boolean {
  return (
    v.kind === 'str' || v.kind === 'none' || v.kind === 'list' || v.kind === 'tuple' || v.kind === 'dict'
  );
}

export default defineRule({
  code: 'DSL405',
  name: 'session-timeout-not-int',
  title: 'SESSION_TIMEOUT must be an integer',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  horizonOnly: true,
  fix: 'safe',
  docs: {
    what: 'Horizon\'s SESSION_TIMEOUT is a string (`"3600"`, `"3600.0"`), `None` or a container instead of a number of seconds. Horizon\'s settings guide prints the default as `"3600"` in quotes, which invites this. Floats are accepted (Python compares them with ints). Also an environment lookup without a cast, whatever its default: it is a str whenever the variable is set.',
    why: "At login openstack_auth computes `min(SESSION_TIMEOUT, token_remaining_seconds)`; in Python 3 comparing a str (or None) with an int raises TypeError, so every login fails with an error page (openstack_auth/backend.py; verified: `min('3600', 5)` → TypeError). With SESSION_REFRESH the same happens on every request.",
    example:
      'SESSION_TIMEOUT = "3600"\n# or: SESSION_TIMEOUT = os.environ.get("SESSION_TIMEOUT", 3600)  # a str whenever the variable is set',
    useInstead:
      'SESSION_TIMEOUT = 3600\n# or: SESSION_TIMEOUT = int(os.environ.get("SESSION_TIMEOUT", 3600))',
    fixSafety:
      'Safe: writes the number the string holds (`"3600"` → `3600`, `"3600.0"` → `3600`); the value\'s meaning is unchanged and logins stop failing. An environment lookup without a cast (`os.environ.get("X", 3600)`, decouple `config("X")`) is a str whenever the variable is set: the fix wraps it in `int(...)`. No fix when the string is not a whole number.',
  },
  check(ctx) {
    const setting = ctx.effective(SESSION_TIMEOUT);
    // A lookup without a cast is a str whenever its variable is set, whatever its default.
    const raw = rawEnvironmentStrings(setting?.value);
    if (setting && raw.length > 0) {
      const cast = NUMERIC_SETTINGS[SESSION_TIMEOUT]?.cast ?? 'int';
      for (const r of raw) {
        const text = r.span ? ctx.text(r.span.file)?.slice(r.span.from, r.span.to) : undefined;
        const edit = r.span && text ? { ...r.span, newText: `${cast}(${text})` } : undefined;
        ctx.report({
          at: reportAt(ctx, setting, r, [SESSION_TIMEOUT]),
          message: `SESSION_TIMEOUT is read from the environment variable ${r.envVar} without a cast: whenever ${r.envVar} is set it is a str, and Horizon's min(SESSION_TIMEOUT, token lifetime) raises TypeError at login, so nobody can log in. Wrap the lookup in ${cast}(...).`,
          settings: [SESSION_TIMEOUT],
          fix: edit ? { title: `Wrap in ${cast}(...)`, edits: [edit], applicability: 'safe' } : undefined,
        });
      }
      return;
    }
    const judged = judgeAll(setting?.value, (k) =>
      k.kind === 'unknown' || k.kind === 'oneOf' ? undefined : k,
    );
    // Unknown values are never judged: only when every possibility breaks the comparison.
    if (!setting || !judged || !judged.every((j) => breaksMin(j.value))) return;
    for (const j of judged) {
      const digits = j.value.kind === 'str' ? integerText(j.value.value) : undefined;
      const edit =
        digits !== undefined && judged.length === 1
          ? setSettingEdit(ctx, setting, [j], { python: digits })
          : undefined;
      ctx.report({
        at: reportAt(ctx, setting, j.source, [SESSION_TIMEOUT]),
        message: `SESSION_TIMEOUT is ${j.value.kind === 'str' ? 'the string ' : ''}${describe(j.value)}${ifUnsetSuffix(j)}, not an integer: Horizon computes min(SESSION_TIMEOUT, token lifetime) at login, which raises TypeError, so nobody can log in.${digits !== undefined ? ` Write ${digits}.` : ''}`,
        settings: [SESSION_TIMEOUT],
        fix: edit ? { title: `Use ${digits}`, edits: [edit], applicability: 'safe' } : undefined,
      });
    }
  },
});
