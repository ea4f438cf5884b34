/** DSL123: a value copied from documentation (`my_memcached_host`, `DASH_DBPASS`, `CHANGEME` …) left in place. */
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_LOCATION,
  DATABASES,
  DB_PLACEHOLDER_KEYS,
  DB_SECRET_KEYS,
  SECRET_KEY,
  cacheFamily,
  isPlaceholder,
  maskSecret,
  placeholderInLocation,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { Value } from '../types';
import { defineRule, ifUnsetSuffix, knownString, knownStrings, type Judged } from './framework';
import { settingEntries } from '../queries/session-storage';
import { entryPath } from '../queries/entries';

/** Every possibility is a known string and `test` finds something in each; the first finding, else undefined. */
function allHave<T>(
  v: Value | undefined,
  test: (s: string) => T | undefined,
): { judged: Judged<string>; found: T } | undefined {
  const judged = knownStrings(v);
  if (!judged) return undefined;
  let first: { judged: Judged<string>; found: T } | undefined;
  for (const j of judged) {
    const found = test(j.value);
    if (found === undefined) return undefined;
    first ??= { judged: j, found };
  }
  return first;
}

/** The items of a LOCATION: each list/tuple item, or the value itself. */
function locationItems(v: Value | undefined): Value[] {
  if (!v) return [];
  const opts = possibilities(v);
  const only = opts.length === 1 ? opts[0] : undefined;
  if ((only?.kind === 'list' || only?.kind === 'tuple') && !only.open) return [...only.items];
  return [v];
}

export default defineRule({
  code: 'DSL123',
  name: 'documentation-placeholder',
  title: 'Placeholder left from documentation',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: 'A memcached/Redis LOCATION host (or the password in a LOCATION URL), a DATABASES NAME/USER/PASSWORD/HOST or SECRET_KEY still holds a value from an install guide or example: `my_memcached_host`, `DASH_DBPASS`, `CHANGEME`, `password`, `your-secret-key`, `<password>` and similar. Reserved example domains (`db.example.org`) are not reported: documentation and tests use them for real hosts. Values read from the environment are judged by their visible default ("if X is unset").',
    why: "Horizon's session-storage guide uses `my_memcached_host` and `DASH_DBPASS` as stand-ins. Left in place, a placeholder host cannot be resolved, so every request that touches the session fails; a placeholder password either fails to connect or, worse, was really set on the database and is published in the guide; a placeholder SECRET_KEY lets anyone who read the same guide forge signed session data and cookies.",
    example:
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n                      'LOCATION': 'my_memcached_host:11211'}}\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'USER': 'dash',\n                         'PASSWORD': 'DASH_DBPASS', 'HOST': 'localhost'}}",
    useInstead:
      "import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n                      'LOCATION': '10.0.0.11:11211'}}\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'USER': 'dash',\n                         'PASSWORD': os.environ['DJANGO_DB_PASSWORD'], 'HOST': 'db.internal'}}",
    fixSafety:
      'No fix: only you know the real host or secret, and guessing one would hide the problem. Secrets are shown masked.',
    djangoCheck:
      'security.W009 (only with `check --deploy`) flags a SECRET_KEY shorter than 50 characters, which most placeholders are; it says nothing about hosts or database fields.',
  },
  check(ctx) {
    for (const cache of settingEntries(ctx, CACHES)) {
      const backend = knownString(cache.field(CACHE_KEY_BACKEND));
      const family = backend ? cacheFamily(backend.value) : undefined;
      // Only network caches have a host in LOCATION; locmem/file/db LOCATIONs are names, paths and tables.
      if (family !== 'memcached' && family !== 'redis') continue;
      const server = family === 'redis' ? 'Redis server' : 'memcached server';
      for (const item of locationItems(cache.field(CACHE_KEY_LOCATION))) {
        // Reserved example domains (example.org …) are what documentation and tests use for real hosts; only known placeholders count.
        const hit = allHave(item, (s) => {
          const found = placeholderInLocation(s);
          return found && (found.part === 'password' || isPlaceholder(found.value)) ? found : undefined;
        });
        if (!hit) continue;
        const { judged, found } = hit;
        const shown = found.part === 'password' ? maskSecret(found.value) : found.value;
        const what = found.part === 'password' ? 'password' : 'host';
        const consequence =
          found.part === 'password'
            ? `the ${server} either rejects it or really uses a password published in a guide`
            : `it names no real ${server}, so every request that uses the cache (and the sessions in it) fails`;
        ctx.report({
          at: judged.source.span ? judged.source : cache.setting,
          message: `${entryPath(CACHES, cache.alias, CACHE_KEY_LOCATION)} ${what} '${shown}' is a placeholder from the documentation${ifUnsetSuffix(judged)}: ${consequence}; put in the real value.`,
          settings: [CACHES],
        });
      }
    }

    for (const db of settingEntries(ctx, DATABASES)) {
      for (const key of DB_PLACEHOLDER_KEYS) {
        const hit = allHave(db.field(key), (s) => (isPlaceholder(s) ? s : undefined));
        if (!hit) continue;
        const secret = DB_SECRET_KEYS.includes(key);
        const shown = secret ? maskSecret(hit.found) : hit.found;
        const consequence = secret
          ? 'either the connection fails, or the database user really has a password published in a guide'
          : 'Django cannot connect to the database it was meant to, so database sessions fail';
        ctx.report({
          at: hit.judged.source.span ? hit.judged.source : db.setting,
          message: `${entryPath(DATABASES, db.alias, key)} is the placeholder '${shown}' from the documentation${ifUnsetSuffix(hit.judged)}: ${consequence}; put in the real value${secret ? ', read from the environment' : ''}.`,
          settings: [DATABASES],
        });
      }
    }

    const secretKey = ctx.effective(SECRET_KEY);
    const hit = allHave(secretKey?.value, (s) => (isPlaceholder(s) ? s : undefined));
    if (secretKey && hit) {
      ctx.report({
        at: hit.judged.source.span ? hit.judged.source : secretKey,
        message: `${SECRET_KEY} is the placeholder '${maskSecret(hit.found)}' from the documentation${ifUnsetSuffix(hit.judged)}: it signs session data and cookies, so anyone who read the same guide can forge them; generate a random key and keep it out of the file.`,
        settings: [SECRET_KEY],
      });
    }
  },
});
