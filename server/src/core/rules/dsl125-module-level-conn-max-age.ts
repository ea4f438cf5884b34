/** DSL125: CONN_MAX_AGE assigned at module level, where Django never reads it. */
import { CONN_MAX_AGE, DATABASES, DEFAULT_ALIAS } from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { TextEdit, Value } from '../types';
import { defineRule, type RuleContext } from './framework';
import { appendItem } from '../edits/literal';
import { assignmentOf, deleteStatement } from '../edits/statements';
import { quoteOf } from '../edits/syntax';
import { settingEntries } from '../queries/session-storage';
import { settingDict } from '../queries/entries';

/** Python source of a plain literal CONN_MAX_AGE (`60`, `0`, `None`), the only values the fix moves. */
const PLAIN_LITERAL_RE = /^(None|\d[\d_]*)$/;

/**
 * True when `text` reads `name` as a variable: an occurrence that is not inside quotes, not an attribute,
 * not in a comment, and not an assignment target or keyword argument (`NAME = …`, `NAME=…`).
 */
function readsName(text: string, name: string): boolean {
  const re = new RegExp(`(^|[^'"\\w.])${name}\\b(?!\\s*=(?!=))`);
  return text.split('\n').some((line) => re.test(line.replace(/#.*$/, '')));
}

/** The fix: delete the module-level line and, unless the default entry already has the key, move the value there. */
function moveFix(
  ctx: RuleContext,
  value: Value,
  alreadyInDefault: boolean,
): { title: string; edits: TextEdit[]; applicability: 'safe' | 'unsafe' } | undefined {
  const statement = assignmentOf(ctx, CONN_MAX_AGE, value);
  const remove = statement ? deleteStatement(ctx, statement) : undefined;
  if (!statement || !remove) return undefined;
  // Nothing changes at run time when the entry already sets it: the line was dead.
  if (alreadyInDefault)
    return { title: 'Remove the ignored module-level CONN_MAX_AGE', edits: [remove], applicability: 'safe' };
  const databases = settingDict(ctx, DATABASES);
  const target = settingEntries(ctx, DATABASES).find((e) => e.alias === DEFAULT_ALIAS);
  const vs = value.span;
  const text = vs ? ctx.text(vs.file) : undefined;
  const source = vs && text !== undefined ? text.slice(vs.from, vs.to) : undefined;
  if (!databases || !target || !vs || source === undefined || !PLAIN_LITERAL_RE.test(source))
    return undefined;
  if (
    databases.setting.origin.kind !== 'file' ||
    databases.setting.origin.span.file !== vs.file ||
    target.entry.span?.file !== vs.file
  )
    return undefined;
  const lastKey = target.entry.entries[target.entry.entries.length - 1]?.key;
  const q = quoteOf(ctx, lastKey?.span);
  const insert = appendItem(ctx, target.entry, `${q}${CONN_MAX_AGE}${q}: ${source}`);
  if (!insert) return undefined;
  return {
    title: `Move CONN_MAX_AGE into DATABASES['${DEFAULT_ALIAS}']`,
    edits: [remove, ...insert],
    applicability: 'unsafe',
  };
}

export default defineRule({
  code: 'DSL125',
  name: 'module-level-conn-max-age',
  title: 'CONN_MAX_AGE at module level is ignored',
  severity: { production: 'warning', development: 'warning' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "`CONN_MAX_AGE = n` is assigned at module level. Django only reads CONN_MAX_AGE inside a DATABASES entry; there is no global setting of that name. A module-level variable that the settings files read — to build an entry (`'CONN_MAX_AGE': CONN_MAX_AGE`) or pass it on (`dj_database_url.config(conn_max_age=CONN_MAX_AGE)`) — is a helper, not a mistake, and is not reported.",
    why: 'Django fills each DATABASES entry with `CONN_MAX_AGE = 0` unless the entry sets it (DJ52 db/utils.py ConnectionHandler.configure_settings), so a module-level value is silently ignored and every request opens and closes its own database connection — with database sessions, one connection per request. `manage.py check` does not notice.',
    example:
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}\nCONN_MAX_AGE = 60",
    useInstead:
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'CONN_MAX_AGE': 60}}",
    fixSafety:
      "When DATABASES['default'] already sets CONN_MAX_AGE, the fix only deletes the dead line: safe. Otherwise it moves a plain literal into DATABASES['default'] when that is a dict literal in the same file: unsafe, because persistent connections then really start (each worker thread keeps a connection open, which counts against the database's connection limit and meets its idle timeout).",
  },
  check(ctx) {
    const assignments = ctx.project.events.filter(
      (e) => e.name === CONN_MAX_AGE && e.kind === 'assign' && e.path.length === 0,
    );
    if (assignments.length === 0) return;
    const effective = ctx.effective(CONN_MAX_AGE);
    const value = effective && effective.origin.kind === 'file' ? effective.value : undefined;

    // A module-level name the files read (`'CONN_MAX_AGE': CONN_MAX_AGE`, `dj_database_url.config(conn_max_age=CONN_MAX_AGE)`)
    // is a helper variable, not a misplaced setting.
    if (ctx.project.files.some((f) => readsName(ctx.text(f.path) ?? '', CONN_MAX_AGE))) return;
    const entries = settingEntries(ctx, DATABASES);
    const defaultEntry = entries.find((e) => e.alias === DEFAULT_ALIAS);
    const alreadyInDefault = defaultEntry?.itemOf(CONN_MAX_AGE) !== undefined;

    for (const ev of assignments) {
      const isEffective =
        value !== undefined &&
        value.span !== undefined &&
        ev.span.file === value.span.file &&
        ev.span.from <= value.span.from &&
        value.span.to <= ev.span.to;
      const fix =
        isEffective && value && possibilities(value).length === 1
          ? moveFix(ctx, value, alreadyInDefault)
          : undefined;
      const consequence = alreadyInDefault
        ? `DATABASES['${DEFAULT_ALIAS}'] already sets it, so this line is dead`
        : `the DATABASES entries keep the default 0, so every request opens a new database connection; move it into DATABASES['${DEFAULT_ALIAS}']`;
      ctx.report({
        at: ev.span,
        message: `Module-level CONN_MAX_AGE is ignored: Django reads it only inside a DATABASES entry; ${consequence}.`,
        settings: [CONN_MAX_AGE, DATABASES],
        fix,
      });
    }
  },
});
