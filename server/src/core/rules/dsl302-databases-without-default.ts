/** DSL302: DATABASES has aliases but none called 'default'. */
import { DATABASES, DEFAULT_ALIAS } from '../knowledge';
import { dictLookup, keyString } from '../evaluate/values';
import { defineRule, replaceString } from './framework';
import { settingDict } from '../queries/entries';

export default defineRule({
  code: 'DSL302',
  name: 'databases-without-default',
  title: "DATABASES has entries but no 'default'",
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "DATABASES is a non-empty dict without a `'default'` alias (and nothing else, such as a `**spread`, could add one).",
    why: "Django requires a 'default' database whenever DATABASES is not empty: ConnectionHandler raises `ImproperlyConfigured(\"You must define a 'default' database.\")` (DJ52 db/utils.py), so the first database access — including every `db`/`cached_db` session — fails. The session engines always use the default database.",
    example: "DATABASES = {'horizon': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}",
    useInstead: "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}",
    fixSafety:
      "Unsafe: with a single alias the fix renames it to 'default', which breaks code or routers that refer to the old alias name. No fix when there are several aliases: which one is the default is your decision.",
  },
  check(ctx) {
    const found = settingDict(ctx, DATABASES);
    if (!found || found.dict.open || found.dict.entries.length === 0) return;
    if (dictLookup(found.dict, { kind: 'str', value: DEFAULT_ALIAS }).found !== false) return;
    const aliases = found.dict.entries.map(keyString);
    if (aliases.some((a) => a === undefined)) return;
    const only = found.dict.entries.length === 1 ? found.dict.entries[0] : undefined;
    const edit = only ? replaceString(ctx, only.key, DEFAULT_ALIAS) : undefined;
    ctx.report({
      at: found.dict.span ? found.dict : found.setting,
      message: `DATABASES defines ${aliases.map((a) => `'${a ?? ''}'`).join(', ')} but no '${DEFAULT_ALIAS}' alias: Django raises ImproperlyConfigured ("You must define a '${DEFAULT_ALIAS}' database") on the first database access, and database sessions always use '${DEFAULT_ALIAS}'.`,
      settings: [DATABASES],
      fix: edit
        ? {
            title: `Rename '${aliases[0] ?? ''}' to '${DEFAULT_ALIAS}'`,
            edits: [edit],
            applicability: 'unsafe',
          }
        : undefined,
    });
  },
});
