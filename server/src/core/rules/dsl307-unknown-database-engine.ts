/** DSL307: ENGINE names a module under django.db.backends that does not exist (e.g. the removed postgresql_psycopg2). */
import {
  DATABASES,
  DB_DUMMY,
  DB_ENGINE_PREFIX,
  DB_KEY_ENGINE,
  VALID_DATABASE_ENGINE_PATHS,
  closestMatch,
  findDatabaseEngine,
} from '../knowledge';
import { compareMinor, formatMinor, version } from '../knowledge/versions';
import type { FixApplicability } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, replaceString, type RuleContext } from './framework';
import { settingEntries } from '../queries/session-storage';
import { entryPath } from '../queries/entries';

/** Why the ENGINE fails, and the engine it was meant to be with how sure that is; undefined when it is valid. */
function diagnose(
  ctx: RuleContext,
  value: string,
): { why: string; nearest?: string; applicability?: FixApplicability } | undefined {
  const v = value.trim();
  if (!v.startsWith(DB_ENGINE_PREFIX) || VALID_DATABASE_ENGINE_PATHS.includes(v)) return undefined;
  const record = findDatabaseEngine(v);
  if (record?.djangoRemoved !== undefined) {
    // Still there on an older target Django.
    if (ctx.django && compareMinor(ctx.django, version(record.djangoRemoved)) < 0) return undefined;
    return {
      why: `was removed in Django ${record.djangoRemoved}`,
      nearest: record.replacement,
      applicability: 'safe',
    };
  }
  const candidates = VALID_DATABASE_ENGINE_PATHS.filter((p) => p !== DB_DUMMY);
  // `…mysql.base` or `…postgresql.base.DatabaseWrapper`: Django appends `.base` itself.
  const parent = candidates.find((p) => v.startsWith(p + '.'));
  if (parent)
    return {
      why: `is not a backend module (Django imports '<ENGINE>.base' itself)`,
      nearest: parent,
      applicability: 'safe',
    };
  const tail = v.slice(DB_ENGINE_PREFIX.length);
  const close = closestMatch(
    tail,
    candidates.map((p) => p.slice(DB_ENGINE_PREFIX.length)),
  );
  return {
    why: 'is not a database backend Django has',
    nearest: close ? DB_ENGINE_PREFIX + close : undefined,
    applicability: 'unsafe',
  };
}

export default defineRule({
  code: 'DSL307',
  name: 'unknown-database-engine',
  title: 'Unknown/removed database ENGINE',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'safe',
  docs: {
    what: "A DATABASES entry's ENGINE starts with `django.db.backends.` but is none of `postgresql`, `mysql`, `sqlite3`, `oracle`, `dummy`: for example `postgresql_psycopg2` (removed in Django 3.0), `postgres`, `sqlite`, or a path into the module such as `…mysql.base`. Third-party engines outside `django.db.backends.` are not judged.",
    why: "Django imports `<ENGINE>.base` when the connection is first used and raises `ImproperlyConfigured: '…' isn't an available database backend or couldn't be imported`, so every request that touches the database — including database sessions — fails. `postgresql_psycopg2` is absent from Django 3.2 and 5.2 (`django/db/backends/` listing), yet still common in old guides.",
    example: "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2', 'NAME': 'dash'}}",
    useInstead: "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'dash'}}",
    fixSafety:
      'Safe for the removed alias (`postgresql_psycopg2` → `postgresql`, the same backend under its current name, still using psycopg2 when psycopg 3 is absent) and for a path into a backend module (`…mysql.base` → `…mysql`). A guess from spelling (`postgres` → `postgresql`) is unsafe: it picks a database product and its driver package.',
  },
  check(ctx) {
    for (const db of settingEntries(ctx, DATABASES)) {
      const judged = knownStrings(db.field(DB_KEY_ENGINE));
      if (!judged) continue;
      const verdicts = judged.map((j) => ({ j, d: diagnose(ctx, j.value) }));
      if (!verdicts.every((x) => x.d !== undefined)) continue;
      const first = verdicts[0];
      if (!first?.d) continue;
      const { j, d } = first;
      const edit =
        d.nearest && judged.length === 1 && !j.ifUnset ? replaceString(ctx, j.source, d.nearest) : undefined;
      const target = ctx.django ? ` on Django ${formatMinor(ctx.django)}` : '';
      ctx.report({
        at: j.source.span ? j.source : db.setting,
        message: `${entryPath(DATABASES, db.alias, DB_KEY_ENGINE)} '${j.value.trim()}' ${d.why}${ifUnsetSuffix(j)}: Django raises ImproperlyConfigured ("isn't an available database backend") on the first database access${target}, so database sessions fail.${d.nearest ? ` Use '${d.nearest}'.` : ''}`,
        settings: [DATABASES],
        fix:
          edit && d.nearest
            ? { title: `Use '${d.nearest}'`, edits: [edit], applicability: d.applicability ?? 'unsafe' }
            : undefined,
      });
    }
  },
});
