/** DSL507: SESSION_COOKIE_AGE is a string (or None/container), so Django's time.time() + SESSION_COOKIE_AGE raises TypeError when it saves a session. */
import { NUMERIC_SETTINGS, SESSION_COOKIE_AGE } from '../knowledge';
import { describe } from '../evaluate/values';
import type { Value } from '../types';
import { integerText } from './dsl405-session-timeout-not-int';
import { defineRule, ifUnsetSuffix, judgeAll, rawEnvironmentStrings } from './framework';
import { reportAt, setSettingEdit } from './setting-helpers';

/** Values a float cannot be added to in Python 3 (ints, floats and bools add fine). */
function breaksAddition(v: Value): boolean {
  return (
    v.kind === 'str' || v.kind === 'none' || v.kind === 'list' || v.kind === 'tuple' || v.kind === 'dict'
  );
}

export default defineRule({
  code: 'DSL507',
  name: 'session-cookie-age-not-number',
  title: 'SESSION_COOKIE_AGE must be a number',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: 'SESSION_COOKIE_AGE is a string (`"1209600"`), `None` or a container instead of a number of seconds; also an environment lookup without a cast, whatever its default, since it is a str whenever the variable is set.',
    why: "Django adds SESSION_COOKIE_AGE to the current time when it sets the session cookie (`SessionMiddleware`: `expires_time = time.time() + max_age`) and when a backend computes the session's expiry, so every response that saves a session — the login itself — fails with `TypeError: unsupported operand type(s) for +: 'float' and 'str'` (verified on Django 3.2: a str or None fails, ints and floats work). `manage.py check` does not look at this setting.",
    example:
      'SESSION_COOKIE_AGE = "1209600"\n# or: SESSION_COOKIE_AGE = os.environ.get("SESSION_COOKIE_AGE", 1209600)  # a str whenever the variable is set',
    useInstead:
      'SESSION_COOKIE_AGE = 1209600\n# or: SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 1209600))',
    fixSafety:
      'Safe: writes the number the string holds (`"1209600"` → `1209600`); the meaning is unchanged and sessions can be saved again. An environment lookup without a cast is wrapped in `int(...)`. No fix when the string is not a whole number.',
  },
  check(ctx) {
    const setting = ctx.effective(SESSION_COOKIE_AGE);
    // A lookup without a cast is a str whenever its variable is set, whatever its default.
    const raw = rawEnvironmentStrings(setting?.value);
    if (setting && raw.length > 0) {
      const cast = NUMERIC_SETTINGS[SESSION_COOKIE_AGE]?.cast ?? 'int';
      for (const r of raw) {
        const text = r.span ? ctx.text(r.span.file)?.slice(r.span.from, r.span.to) : undefined;
        const edit = r.span && text ? { ...r.span, newText: `${cast}(${text})` } : undefined;
        ctx.report({
          at: reportAt(ctx, setting, r, [SESSION_COOKIE_AGE]),
          message: `SESSION_COOKIE_AGE is read from the environment variable ${r.envVar} without a cast: whenever ${r.envVar} is set it is a str, and Django's time.time() + SESSION_COOKIE_AGE raises TypeError on every response that saves a session. Wrap the lookup in ${cast}(...).`,
          settings: [SESSION_COOKIE_AGE],
          fix: edit ? { title: `Wrap in ${cast}(...)`, edits: [edit], applicability: 'safe' } : undefined,
        });
      }
      return;
    }
    const judged = judgeAll(setting?.value, (k) =>
      k.kind === 'unknown' || k.kind === 'oneOf' ? undefined : k,
    );
    // Unknown values never produce findings: only when every possibility breaks the addition.
    if (!setting || !judged || !judged.every((j) => breaksAddition(j.value))) return;
    for (const j of judged) {
      const digits = j.value.kind === 'str' ? integerText(j.value.value) : undefined;
      const edit =
        digits !== undefined && judged.length === 1
          ? setSettingEdit(ctx, setting, [j], { python: digits })
          : undefined;
      ctx.report({
        at: reportAt(ctx, setting, j.source, [SESSION_COOKIE_AGE]),
        message: `SESSION_COOKIE_AGE is ${j.value.kind === 'str' ? 'the string ' : ''}${describe(j.value)}${ifUnsetSuffix(j)}, not a number of seconds: Django's time.time() + SESSION_COOKIE_AGE raises TypeError on every response that saves a session, so nobody can log in.${digits !== undefined ? ` Write ${digits}.` : ''}`,
        settings: [SESSION_COOKIE_AGE],
        fix: edit ? { title: `Use ${digits}`, edits: [edit], applicability: 'safe' } : undefined,
      });
    }
  },
});
