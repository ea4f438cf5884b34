/** DSL402: signed-cookie sessions with Keystone multidomain support, which makes Horizon drop the domain token. */
import { ENGINE_SIGNED_COOKIES, OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT, SESSION_ENGINE } from '../knowledge';
import { truthy } from '../evaluate/values';
import type { RelatedLocation } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll } from './framework';
import { reportAt, userWritten, whoSet } from './setting-helpers';
import { engineIsOneOf } from '../queries/session-storage';

export default defineRule({
  code: 'DSL402',
  name: 'cookie-sessions-multidomain',
  title: 'Cookie sessions + multidomain',
  severity: { production: 'warning', development: 'warning' },
  versionDependent: false,
  horizonOnly: true,
  fix: 'none',
  docs: {
    what: 'A Horizon project with `OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True` whose sessions are signed cookies (SESSION_ENGINE `…backends.signed_cookies`).',
    why: 'With cookie sessions Horizon does not store the domain-scoped token at login and logs "…This disables the ability to perform identity operations due to cookie size constraints" (openstack_auth/backend.py): domain admins cannot manage users, groups or projects from the dashboard. This happens in development too.',
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\nOPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'  # with a shared memcached/Redis CACHES\nOPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True",
    fixSafety:
      "No fix of its own: moving sessions off cookies is DSL401's (unsafe) fix, and turning multidomain off would change the login form.",
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_SIGNED_COOKIES]);
    if (!engine) return;
    const multidomain = ctx.effective(OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT);
    const judged = judgeAll(multidomain?.value, (k) => truthy(k));
    // Unknown values are never judged: only when multidomain is on in every case the analyser can see.
    if (!multidomain || !judged || !judged.every((j) => j.value)) return;
    const first = judged[0];
    const related: RelatedLocation[] = [];
    if (engine.setting.origin.kind === 'file')
      related.push({
        span: engine.setting.origin.span,
        message: 'SESSION_ENGINE set to signed_cookies here',
      });
    ctx.report({
      at: reportAt(ctx, multidomain, first?.source, [OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT, SESSION_ENGINE]),
      message: `OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT is on${ifUnsetSuffix(first)} but sessions are signed cookies (SESSION_ENGINE ${userWritten(ctx, engine.setting) ? whoSet(ctx, engine.setting.origin) : `is ${whoSet(ctx, engine.setting.origin)}`}): Horizon does not keep the domain token in a cookie, so identity operations (users, groups, projects) are disabled; use cache or database sessions.`,
      settings: [OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT, SESSION_ENGINE],
      related,
    });
  },
});
