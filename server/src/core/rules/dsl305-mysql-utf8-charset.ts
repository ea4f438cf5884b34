/** DSL305: a MySQL connection charset of utf8/utf8mb3, the deprecated 3-byte encoding. */
import {
  DATABASES,
  DB_KEY_ENGINE,
  DB_KEY_OPTIONS,
  DB_MYSQL,
  MYSQL_CHARSET_OPTION,
  MYSQL_RECOMMENDED_CHARSET,
  MYSQL_UTF8MB4_DEFAULT_SINCE,
  isDeprecatedMysqlCharset,
} from '../knowledge';
import { isAtLeastMinor } from '../knowledge/versions';
import { possibilities } from '../evaluate/values';
import { defineRule, ifUnsetSuffix, knownStrings, replaceString } from './framework';
import { settingEntries } from '../queries/session-storage';
import { entryPath, lookupEverywhere } from '../queries/entries';

export default defineRule({
  code: 'DSL305',
  name: 'mysql-utf8-charset',
  title: 'Deprecated MySQL charset alias',
  severity: { production: 'information', development: 'off' },
  versionDependent: true,
  fix: 'safe',
  docs: {
    what: "A DATABASES entry with ENGINE `django.db.backends.mysql` sets `OPTIONS['charset']` to `utf8` or `utf8mb3`. Typical after moving the session-storage guide's `'default-character-set': 'utf8'` into OPTIONS unchanged (DSL301).",
    why: "In MySQL `utf8` is an alias of the deprecated 3-byte `utf8mb3`, which cannot store 4-byte characters such as emoji or some CJK ideographs; writing them fails or truncates (MySQL reference manual). Django itself connects with utf8mb4 by default from 5.2 (django/django PR #18689), so on Django 5.2+ an explicit utf8 is a downgrade; before 5.2 it is Django's own default, still deprecated on the MySQL side.",
    example:
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash',\n                         'OPTIONS': {'charset': 'utf8'}}}",
    useInstead:
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash',\n                         'OPTIONS': {'charset': 'utf8mb4'}}}",
    fixSafety:
      'Safe: only the connection character set changes, to a superset of utf8mb3; the tables keep their own character set and no data moves. It is what Django 5.2 uses when OPTIONS sets no charset.',
  },
  check(ctx) {
    for (const db of settingEntries(ctx, DATABASES)) {
      const engines = knownStrings(db.field(DB_KEY_ENGINE));
      if (!engines || !engines.every((j) => j.value.trim() === DB_MYSQL)) continue;
      const options = db.field(DB_KEY_OPTIONS);
      const opts = options ? possibilities(options) : [];
      const dict = opts.length === 1 && opts[0]?.kind === 'dict' ? opts[0] : undefined;
      if (!dict) continue;
      const charsets = knownStrings(lookupEverywhere(dict, MYSQL_CHARSET_OPTION));
      const j = charsets?.[0];
      if (!charsets || !j || !charsets.every((c) => isDeprecatedMysqlCharset(c.value))) continue;
      const newer = ctx.django !== undefined && isAtLeastMinor(ctx.django, MYSQL_UTF8MB4_DEFAULT_SINCE);
      const verdict = newer
        ? `it overrides Django ${MYSQL_UTF8MB4_DEFAULT_SINCE}'s ${MYSQL_RECOMMENDED_CHARSET} default with MySQL's deprecated 3-byte utf8mb3`
        : `in MySQL it is the deprecated 3-byte utf8mb3`;
      const edit =
        charsets.length === 1 && !j.ifUnset
          ? replaceString(ctx, j.source, MYSQL_RECOMMENDED_CHARSET)
          : undefined;
      ctx.report({
        at: j.source.span ? j.source : db.setting,
        message: `${entryPath(DATABASES, db.alias, DB_KEY_OPTIONS, MYSQL_CHARSET_OPTION)} is '${j.value}'${ifUnsetSuffix(j)}: ${verdict}, so emoji and other 4-byte characters cannot be stored; use '${MYSQL_RECOMMENDED_CHARSET}'.`,
        settings: [DATABASES],
        fix: edit
          ? { title: `Use '${MYSQL_RECOMMENDED_CHARSET}'`, edits: [edit], applicability: 'safe' }
          : undefined,
      });
    }
  },
});
