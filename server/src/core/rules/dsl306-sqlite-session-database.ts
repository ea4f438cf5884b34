/** DSL306: database sessions on SQLite in production. */
import {
  DATABASES,
  DB_KEY_ENGINE,
  DB_SQLITE3,
  DEFAULT_ALIAS,
  SESSION_ENGINE,
  findSessionEngine,
} from '../knowledge';
import type { RelatedLocation } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings } from './framework';
import { sessionEngine, settingEntries } from '../queries/session-storage';
import { entryPath } from '../queries/entries';

export default defineRule({
  code: 'DSL306',
  name: 'sqlite-session-database',
  title: 'SQLite for session storage in production',
  severity: { production: 'warning', development: 'off' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: "SESSION_ENGINE is `db` or `cached_db` and DATABASES['default'] uses `django.db.backends.sqlite3` (production profile only).",
    why: 'SQLite allows one writer at a time. Django\'s docs: "SQLite is meant to be a lightweight database, and thus can\'t support a high level of concurrency", which shows up as "database is locked" errors (docs: ref/databases, "Database is locked errors"). Every login writes a session row, and Horizon saves the session on every authenticated request (SESSION_REFRESH), so several workers soon wait on each other. The file also lives on one host only.',
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': '/var/lib/dash/sessions.db'}}",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'HOST': 'db.internal',\n                         'OPTIONS': {'charset': 'utf8mb4'}}}\n# or cache sessions over memcached/Redis",
    fixSafety:
      'No fix: moving sessions to another database or to a cache needs a server that only you can provide.',
  },
  check(ctx) {
    const engines = sessionEngine(ctx);
    if (!engines || !engines.judged.every((j) => findSessionEngine(j.value)?.needsDatabase === true)) return;
    const db = settingEntries(ctx, DATABASES).find((e) => e.alias === DEFAULT_ALIAS);
    if (!db) return;
    const judged = knownStrings(db.field(DB_KEY_ENGINE));
    const j = judged?.[0];
    if (!judged || !j || !judged.every((x) => x.value.trim() === DB_SQLITE3)) return;
    const related: RelatedLocation[] =
      engines.setting.origin.kind === 'file'
        ? [{ span: engines.setting.origin.span, message: 'SESSION_ENGINE set here' }]
        : [];
    const horizon = ctx.isHorizon ? ' (Horizon saves the session on every authenticated request)' : '';
    ctx.report({
      at: j.source.span ? j.source : db.setting,
      message: `Sessions are stored in SQLite (${entryPath(DATABASES, DEFAULT_ALIAS, DB_KEY_ENGINE)})${ifUnsetSuffix(j)}: it allows one writer at a time, so concurrent logins and session saves${horizon} fail with "database is locked"; use MySQL/PostgreSQL or cache sessions.`,
      settings: [SESSION_ENGINE, DATABASES],
      related,
    });
  },
});
