/** DSL101: SESSION_ENGINE names a cache class or a session backend module that does not exist. */
import {
  CACHE_BACKEND_PREFIX,
  SESSION_ENGINE,
  SESSION_ENGINE_PREFIX,
  isSessionEngine,
  nearestSessionEngine,
} from '../knowledge';
import { defineRule, ifUnsetSuffix, knownStrings, replaceString } from './framework';

export default defineRule({
  code: 'DSL101',
  name: 'invalid-session-engine',
  title: 'Invalid SESSION_ENGINE',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: 'SESSION_ENGINE must be the *module* of a session backend: one of `django.contrib.sessions.backends.db`, `cached_db`, `cache`, `file` or `signed_cookies` (or a third-party module). This rule flags cache backend classes (`django.core.cache.backends.…`) and names under `django.contrib.sessions.backends.` that do not exist, such as `…backends.redis` or the class path `…backends.cache.SessionStore`.',
    why: "Django imports SESSION_ENGINE on the first request that touches the session and fails with ModuleNotFoundError, so every login breaks; `manage.py check` does not notice. Horizon's own from-source guide has shipped `SESSION_ENGINE = 'django.core.cache.backends.db.DatabaseCache'` since 2012.",
    example: "SESSION_ENGINE = 'django.core.cache.backends.db.DatabaseCache'",
    useInstead: "SESSION_ENGINE = 'django.contrib.sessions.backends.db'",
    fixSafety:
      'Safe when the value is a class path inside the intended module (`…backends.cache.SessionStore` → `…backends.cache`). Unsafe when the fix has to pick an engine (`DatabaseCache` → `db`, `…backends.redis` → `cache`), because that decides where sessions are stored.',
  },
  check(ctx) {
    const setting = ctx.effective(SESSION_ENGINE);
    for (const j of knownStrings(setting?.value) ?? []) {
      const value = j.value.trim();
      const isCacheClass = value.startsWith(CACHE_BACKEND_PREFIX);
      const badSessionModule = value.startsWith(SESSION_ENGINE_PREFIX) && !isSessionEngine(value);
      if (!isCacheClass && !badSessionModule) continue;
      const nearest = nearestSessionEngine(value);
      const what = isCacheClass
        ? 'a cache backend class, not a session engine module'
        : 'not a session engine Django has';
      const fixTitle = nearest ? `Use '${nearest}'` : undefined;
      const edit = nearest && !j.ifUnset ? replaceString(ctx, j.source, nearest) : undefined;
      const safe = nearest !== undefined && value.startsWith(nearest + '.');
      ctx.report({
        at: j.source.span ? j.source : setting,
        message: `SESSION_ENGINE '${value}' is ${what}${ifUnsetSuffix(j)}; Django fails with ModuleNotFoundError on the first request that uses the session.${nearest ? ` Did you mean '${nearest}'?` : ''}`,
        settings: [SESSION_ENGINE],
        fix:
          fixTitle && edit
            ? { title: fixTitle, edits: [edit], applicability: safe ? 'safe' : 'unsafe' }
            : undefined,
      });
    }
  },
});
