/** DSL504: CSRF_COOKIE_SECURE is not True while CsrfViewMiddleware sets a CSRF cookie (Django's security.W016). */
import {
  CSRF_COOKIE_SECURE,
  CSRF_USE_SESSIONS,
  CSRF_USE_SESSIONS_DEFAULT,
  CSRF_VIEW_MIDDLEWARE,
  MIDDLEWARE,
} from '../knowledge';
import { truthy } from '../evaluate/values';
import { defineRule } from './framework';
import { listSettingContains, reportUnlessTrue } from './setting-helpers';

export default defineRule({
  code: 'DSL504',
  name: 'csrf-cookie-not-secure',
  title: 'CSRF cookie not Secure',
  severity: { production: 'warning', development: 'off' },
  versionDependent: false,
  fix: 'unsafe',
  security: { severity: '5.3', cwe: 614 },
  docs: {
    what: "The effective CSRF_COOKIE_SECURE is not `True` while CsrfViewMiddleware is in MIDDLEWARE and CSRF_USE_SESSIONS is off (so a CSRF cookie is actually set). Django's and Horizon's default is `False`; Horizon's MIDDLEWARE has CsrfViewMiddleware.",
    why: "Without the Secure flag the CSRF cookie is also sent over plain HTTP, where a network attacker can read it or plant their own value and so forge POSTs (for Horizon: create, delete or reconfigure cloud resources as the logged-in user). Horizon's `local_settings.py.example` pairs it with SESSION_COOKIE_SECURE (DSL501) for HTTPS deployments.",
    example:
      "# settings.py with CsrfViewMiddleware and no CSRF_COOKIE_SECURE: Django's default False applies\nMIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']",
    useInstead: 'CSRF_COOKIE_SECURE = True',
    fixSafety:
      'Unsafe: sets `True` (replacing the literal, or appending `CSRF_COOKIE_SECURE = True` to local_settings.py / settings.py when the value is a default). Over plain HTTP the browser then drops the cookie and every form POST fails CSRF validation, so apply it only when HTTPS is in place.',
    djangoCheck:
      'security.W016 (`check --deploy`), same condition: CsrfViewMiddleware in MIDDLEWARE, CSRF_USE_SESSIONS off, and the value `is not True`.',
  },
  check(ctx) {
    if (!listSettingContains(ctx, MIDDLEWARE, CSRF_VIEW_MIDDLEWARE)) return;
    // With CSRF_USE_SESSIONS the token lives in the session and there is no CSRF cookie to protect.
    const useSessions = ctx.effective(CSRF_USE_SESSIONS);
    if (useSessions ? truthy(useSessions.value) !== false : CSRF_USE_SESSIONS_DEFAULT) return;
    reportUnlessTrue(ctx, CSRF_COOKIE_SECURE, {
      breaks:
        'browsers also send the CSRF cookie over plain HTTP, where an attacker can read or plant it and forge form posts; set it to True when the site is served over HTTPS.',
      fix: 'unsafe',
    });
  },
});
