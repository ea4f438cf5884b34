/** DSL111: django-redis-style uppercase OPTIONS on Django's built-in RedisCache, which hands them to redis-py as keyword arguments. */
import {
  CACHES,
  CACHE_KEY_BACKEND,
  CACHE_KEY_OPTIONS,
  DJANGO_REDIS,
  DJANGO_REDIS_BUILTIN,
  DJANGO_REDIS_LOCATION_SEPARATORS_RE,
  findCacheBackend,
} from '../knowledge';
import { keyString, possibilities } from '../evaluate/values';
import { defineRule } from './framework';
import { backendIsOneOf, cacheEntries, locationOf } from '../queries/session-storage';
import { aliasLabel } from '../queries/entries';
import { literalEdit, locationPossibilities } from './cache-aliases';

const DJANGO_REDIS_OPTION_NAMES = new Set(
  findCacheBackend(DJANGO_REDIS)?.optionsKeys.map((k) => k.name) ?? [],
);

// redis-py's connection and pool keyword arguments are all lower-case Python identifiers, so any key with an
// upper-case letter is a TypeError when the first connection is made (verified run).
const HAS_UPPERCASE = /[A-Z]/;

export default defineRule({
  code: 'DSL111',
  name: 'django-redis-options-on-builtin-redis',
  title: "django-redis OPTIONS on Django's built-in RedisCache",
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "BACKEND is Django's own `django.core.cache.backends.redis.RedisCache` and OPTIONS contains upper-case keys such as `CLIENT_CLASS`, `PASSWORD`, `SOCKET_TIMEOUT`, `IGNORE_EXCEPTIONS` or `CONNECTION_POOL_KWARGS`. Those are django-redis options; Django's backend passes every OPTIONS key to redis-py as a keyword argument.",
    why: "redis-py does not know these names, so the first cache access raises `TypeError: Connection.__init__() got an unexpected keyword argument 'CLIENT_CLASS'` (verified by running Django 5.2); with cache sessions every login fails. `manage.py check` does not notice. The mix-up comes from copying django-redis examples while choosing Django's built-in backend (Django ≥ 4.0).",
    example:
      "CACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n    'LOCATION': 'redis://127.0.0.1:6379/1',\n    'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'},\n}}",
    useInstead:
      "# Django's backend: no CLIENT_CLASS; redis-py keywords are lower-case, a password goes in the URL\nCACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n    'LOCATION': 'redis://:password@127.0.0.1:6379/1',\n}}\n# or keep the options and use django-redis (pip install django-redis)\nCACHES = {'default': {\n    'BACKEND': 'django_redis.cache.RedisCache',\n    'LOCATION': 'redis://127.0.0.1:6379/1',\n    'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'},\n}}",
    fixSafety:
      "Unsafe: switches BACKEND to `django_redis.cache.RedisCache`, which needs the django-redis package. Offered only when every OPTIONS key is a documented django-redis option (so nothing that worked is silently dropped) and LOCATION has no ';' (django-redis splits servers on ',' only). Translating the options for Django's backend instead (password into the URL, dropping CLIENT_CLASS) needs a human.",
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const backend = backendIsOneOf(entry, [DJANGO_REDIS_BUILTIN]);
      if (!backend) continue;
      const options = entry.field(CACHE_KEY_OPTIONS);
      const opts = options ? possibilities(options) : [];
      const dict = opts.length === 1 ? opts[0] : undefined;
      if (dict?.kind !== 'dict') continue;
      const keys = dict.entries.flatMap((e) => {
        const k = keyString(e);
        return k === undefined ? [] : [{ key: k, entry: e }];
      });
      const upper = keys.filter((k) => HAS_UPPERCASE.test(k.key));
      const first = upper[0];
      if (!first) continue;
      // The switch keeps behaviour only when django-redis reads every key and the servers split the same way.
      const allDjangoRedis = !dict.open && keys.every((k) => DJANGO_REDIS_OPTION_NAMES.has(k.key));
      const servers = locationPossibilities(locationOf(entry), DJANGO_REDIS_LOCATION_SEPARATORS_RE);
      const sameSplit =
        servers !== undefined && servers.every((items) => items.every((i) => !i.text.includes(';')));
      const judged = backend.judged.length === 1 ? backend.judged[0] : undefined;
      const edit =
        allDjangoRedis && sameSplit && judged && !judged.ifUnset
          ? literalEdit(ctx, judged.source, DJANGO_REDIS)
          : undefined;
      const names = upper.map((k) => `'${k.key}'`).join(', ');
      ctx.report({
        at: first.entry.keySpan ?? first.entry.key,
        message: `${aliasLabel(entry)} uses Django's RedisCache, but ${CACHE_KEY_OPTIONS} ${names} ${upper.length === 1 ? 'is a django-redis option' : 'are django-redis options'}: Django passes ${upper.length === 1 ? 'it' : 'them'} to redis-py, which raises TypeError on the first cache use. Use ${CACHE_KEY_BACKEND} '${DJANGO_REDIS}', or lower-case redis-py options (a password belongs in the URL).`,
        settings: [CACHES],
        fix: edit
          ? {
              title: `Switch ${CACHE_KEY_BACKEND} to '${DJANGO_REDIS}' (needs django-redis)`,
              edits: [edit],
              applicability: 'unsafe',
            }
          : undefined,
      });
    }
  },
});
