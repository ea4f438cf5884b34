/** DSL401: a Horizon project stores sessions in signed cookies, which Keystone v3 tokens outgrow. */
import { CACHES, ENGINE_CACHE, ENGINE_SIGNED_COOKIES, pyStr, SESSION_ENGINE } from '../knowledge';
import type { EffectiveSetting } from '../layers/project';
import type { TextEdit } from '../types';
import { MEMCACHED_CACHES_TEXT } from './dsl104-locmem-session-cache';
import { choiceLabel, memcachedCachesText, memcachedChoice } from './memcached-choice';
import { defineRule, ifUnsetSuffix, type Judged, type Report, type RuleContext } from './framework';
import { appendTakesEffect, appendToPrimary, reportAt, setSettingEdit, whoSet } from './setting-helpers';
import { engineIsOneOf } from '../queries/session-storage';

export default defineRule({
  code: 'DSL401',
  name: 'horizon-cookie-sessions',
  title: 'Cookie sessions in Horizon production',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  horizonOnly: true,
  fix: 'unsafe',
  docs: {
    what: "A Horizon project whose effective SESSION_ENGINE is `django.contrib.sessions.backends.signed_cookies` — set in local_settings.py or a snippet, or Horizon's own default before Stein (15.0.0). In the development profile it is only information: Horizon itself suggests cookie sessions for `tox -e runserver`.",
    why: 'Horizon keeps the Keystone token (and, with Keystone v3, the service catalog) in the session. In a cookie that easily passes the ~4 KB browser limit, after which the browser drops the cookie and users are logged out at once (Horizon bug #1736021, the reason Stein moved the default to cache sessions; Horizon logs "cookie size" errors, bug #1214197). A cookie session also cannot be revoked at logout: a copied cookie stays valid until it expires.',
    example: "SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'",
    useInstead: `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = ${MEMCACHED_CACHES_TEXT}`,
    fixSafety:
      'Unsafe: switches SESSION_ENGINE to the cache engine and, when no local file sets CACHES, adds a memcached CACHES block on 127.0.0.1:11211 — the memcached backend whose client library is installed where the settings run when that is known (as DSL104 does it), else PyMemcacheCache, naming the package to install in the title. Sessions then live in memcached, which must run on the host; everybody is logged out once.',
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_SIGNED_COOKIES]);
    if (!engine) return;
    const judged = engine.judged[0];
    const setting = engine.setting;
    ctx.report({
      at: reportAt(ctx, setting, judged?.source, [SESSION_ENGINE]),
      message: `Horizon sessions are stored in signed cookies (${whoSet(ctx, setting.origin)})${ifUnsetSuffix(judged)}: the Keystone token and catalog often exceed the 4 KB cookie limit, which logs users out, and a stolen cookie stays valid after logout; use cache sessions on memcached or Redis.`,
      settings: [SESSION_ENGINE],
      fix: cacheSessionsFix(ctx, setting, engine.judged),
    });
  },
});

/** Switch to cache sessions; add a memcached CACHES when no local file sets one (Horizon's or Django's default would apply). */
function cacheSessionsFix(
  ctx: RuleContext,
  setting: EffectiveSetting,
  judged: readonly Judged<string>[],
): Report['fix'] {
  const cachesSetLocally = ctx.project.events.some(
    (e) => e.name === CACHES && (e.role === 'local_settings' || e.role === 'local_settings.d'),
  );
  // The memcached backend whose client library is installed where the settings run (as DSL104's fix).
  const choice = cachesSetLocally ? undefined : memcachedChoice(ctx);
  if (!cachesSetLocally && !choice) return undefined;
  const caches = choice ? `CACHES = ${memcachedCachesText(choice)}\n` : '';
  const edits: TextEdit[] = [];
  if (appendTakesEffect(ctx, setting)) {
    // One appended block, so the file gets one separating newline at most.
    const append = appendToPrimary(ctx, `${SESSION_ENGINE} = ${pyStr(ENGINE_CACHE)}\n${caches}`);
    if (append) edits.push(append);
  } else {
    const engineEdit = setSettingEdit(ctx, setting, judged, { string: ENGINE_CACHE });
    const append = caches ? appendToPrimary(ctx, caches) : undefined;
    if (engineEdit && (append || !caches)) edits.push(engineEdit, ...(append ? [append] : []));
  }
  return edits.length > 0
    ? {
        title: choice
          ? `Store sessions in memcached (cache engine, ${choiceLabel(choice)})${choice.installedNote}`
          : 'Store sessions in memcached (cache engine)',
        edits,
        applicability: 'unsafe',
      }
    : undefined;
}
