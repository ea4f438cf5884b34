/** DSL303: db/cached_db sessions while DATABASES is empty or never set (Horizon never defines it). */
import {
  DATABASES,
  DB_KEY_ENGINE,
  DB_KEY_HOST,
  DB_KEY_NAME,
  DB_KEY_OPTIONS,
  DB_KEY_PASSWORD,
  DB_KEY_PORT,
  DB_KEY_USER,
  DB_MYSQL,
  DEFAULT_ALIAS,
  MIDDLEWARE,
  MYSQL_CHARSET_OPTION,
  MYSQL_DEFAULT_PORT,
  MYSQL_RECOMMENDED_CHARSET,
  OS_MODULE,
  SESSION_ENGINE,
  SESSION_MIDDLEWARE,
  SNIPPET_DB_HOST,
  SNIPPET_DB_NAME_DJANGO,
  SNIPPET_DB_NAME_HORIZON,
  databaseEnvVar,
  findSessionEngine,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { TextEdit } from '../types';
import { defineRule, replaceValue, type RuleContext } from './framework';
import { lineEndOf } from '../edits/lines';
import { assignmentOf, osImport } from '../edits/statements';
import { sessionEngine, sessionStorage } from '../queries/session-storage';

/** A MySQL DATABASES literal reading everything site-specific from the environment (no secret, no guess that sticks). */
export function databasesSnippet(databaseName: string): string {
  const env = (key: 'NAME' | 'USER' | 'HOST' | 'PORT' | 'PASSWORD', dflt?: string): string => {
    const variable = databaseEnvVar(DEFAULT_ALIAS, key);
    return dflt === undefined
      ? `${OS_MODULE}.environ['${variable}']`
      : `${OS_MODULE}.environ.get('${variable}', '${dflt}')`;
  };
  return `{
    '${DEFAULT_ALIAS}': {
        '${DB_KEY_ENGINE}': '${DB_MYSQL}',
        '${DB_KEY_NAME}': ${env(DB_KEY_NAME, databaseName)},
        '${DB_KEY_USER}': ${env(DB_KEY_USER, databaseName)},
        '${DB_KEY_PASSWORD}': ${env(DB_KEY_PASSWORD)},
        '${DB_KEY_HOST}': ${env(DB_KEY_HOST, SNIPPET_DB_HOST)},
        '${DB_KEY_PORT}': ${env(DB_KEY_PORT, MYSQL_DEFAULT_PORT)},
        '${DB_KEY_OPTIONS}': {'${MYSQL_CHARSET_OPTION}': '${MYSQL_RECOMMENDED_CHARSET}'},
    },
}`;
}

/** Horizon's guide names its database `dash`; a plain project gets a neutral name. */
function databaseName(ctx: RuleContext): string {
  return ctx.isHorizon ? SNIPPET_DB_NAME_HORIZON : SNIPPET_DB_NAME_DJANGO;
}

function snippetFix(
  ctx: RuleContext,
  engineSource: Parameters<typeof assignmentOf>[2],
): TextEdit[] | undefined {
  const databases = sessionStorage(ctx).databasesSetting;
  const snippet = databasesSnippet(databaseName(ctx));
  // An explicit `DATABASES = {}` is replaced in place; otherwise the block goes right after SESSION_ENGINE.
  if (databases?.origin.kind === 'file' && databases.value.kind === 'dict' && databases.value.span) {
    const replace = replaceValue(databases.value, snippet);
    const imp = osImport(ctx, databases.value.span.file, databases.value.span.from);
    if (!replace || !imp) return undefined;
    return imp.edit ? [imp.edit, replace] : [replace];
  }
  if (databases?.origin.kind !== 'default') return undefined;
  const statement = assignmentOf(ctx, SESSION_ENGINE, engineSource);
  const text = statement ? ctx.text(statement.file) : undefined;
  if (!statement || text === undefined) return undefined;
  const at = lineEndOf(text, statement.to);
  const imp = osImport(ctx, statement.file, statement.from);
  if (!imp) return undefined;
  const insert: TextEdit = { file: statement.file, from: at, to: at, newText: `\n${DATABASES} = ${snippet}` };
  return imp.edit ? [imp.edit, insert] : [insert];
}

export default defineRule({
  code: 'DSL303',
  name: 'database-sessions-without-database',
  title: 'Database sessions but no database',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "SESSION_ENGINE is `db` or `cached_db` but the effective DATABASES is empty — never set (Horizon's settings never define DATABASES) or set to `{}`. Silent when an unresolved `from … import *` may define DATABASES, and, for Django's implicit default engine, unless SessionMiddleware is listed.",
    why: "With DATABASES empty Django uses its dummy backend, and every request that loads or saves a session fails with `ImproperlyConfigured: settings.DATABASES is improperly configured. Please supply the ENGINE value.` (reproduced on Django 5.2). Horizon's guide switches SESSION_ENGINE to `db` and shows the DATABASES block separately, so it is easy to copy one without the other.",
    example: "SESSION_ENGINE = 'django.contrib.sessions.backends.db'",
    useInstead: `import os\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = ${databasesSnippet(SNIPPET_DB_NAME_HORIZON)}`,
    fixSafety:
      'Unsafe: the fix inserts a MySQL DATABASES block that reads the database name, user, host and port from DJANGO_DB_* environment variables (with visible defaults) and the password from DJANGO_DB_PASSWORD, adding `import os` when needed. It needs mysqlclient, a database server, `manage.py migrate`, and the variables set.',
  },
  check(ctx) {
    const engines = sessionEngine(ctx);
    if (!engines || !engines.judged.every((j) => findSessionEngine(j.value)?.needsDatabase === true)) return;
    const databases = sessionStorage(ctx).databasesSetting;
    if (!databases) return;
    const empty = possibilities(databases.value).every(
      (v) => v.kind === 'dict' && !v.open && v.entries.length === 0,
    );
    if (!empty) return;
    // Django's own default engine counts only where sessions are in use; a fragment without them is not judged.
    if (engines.setting.origin.kind === 'default') {
      const middleware = ctx.effective(MIDDLEWARE)?.value;
      const listed =
        middleware !== undefined &&
        possibilities(middleware).every(
          (v) =>
            (v.kind === 'list' || v.kind === 'tuple') &&
            v.items.some((i) => i.kind === 'str' && i.value === SESSION_MIDDLEWARE),
        );
      if (!listed) return;
    }
    const eng = engines.judged[0];
    if (!eng) return;
    const shortName = findSessionEngine(eng.value)?.shortName ?? eng.value;
    const why =
      databases.origin.kind === 'default'
        ? ctx.isHorizon
          ? 'DATABASES is never set (Horizon does not define it)'
          : 'DATABASES is never set'
        : 'DATABASES is empty';
    const edits = engines.judged.length === 1 && !eng.ifUnset ? snippetFix(ctx, eng.source) : undefined;
    ctx.report({
      at:
        engines.setting.origin.kind === 'file' && eng.source.span
          ? eng.source
          : databases.origin.kind === 'file'
            ? databases
            : engines.setting,
      message: `SESSION_ENGINE '${shortName}' stores sessions in the database, but ${why}: every request that uses the session fails with ImproperlyConfigured ("settings.DATABASES is improperly configured"). Add a DATABASES '${DEFAULT_ALIAS}' entry, or use the cache engine.`,
      settings: [SESSION_ENGINE, DATABASES],
      fix: edits
        ? {
            title: 'Add a MySQL DATABASES block (values from the environment)',
            edits,
            applicability: 'unsafe',
          }
        : undefined,
    });
  },
});
