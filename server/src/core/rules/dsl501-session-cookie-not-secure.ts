/** DSL501: SESSION_COOKIE_SECURE is not True, so the session cookie also travels over plain HTTP (Django's security.W010–W012). */
import { SESSION_COOKIE_SECURE } from '../knowledge';
import { defineRule } from './framework';
import { reportUnlessTrue, sessionsInUse } from './setting-helpers';

export default defineRule({
  code: 'DSL501',
  name: 'session-cookie-not-secure',
  title: 'Session cookie not Secure',
  severity: { production: 'warning', development: 'off' },
  versionDependent: false,
  fix: 'unsafe',
  security: { severity: '7.5', cwe: 614 },
  docs: {
    what: "The effective SESSION_COOKIE_SECURE is not `True` while sessions are in use (`django.contrib.sessions` in INSTALLED_APPS or SessionMiddleware in MIDDLEWARE). Both Django's and Horizon's default are `False`, so a production Horizon that never sets it is flagged. Like Django's check it tests `is True`: `1` or `'True'` do not count.",
    why: "Without the Secure flag the browser also sends the session cookie over plain HTTP (a redirect, a mixed-content request), where anyone on the path can copy it and take over the logged-in session — for Horizon, the user's cloud credentials until the Keystone token expires. Horizon's `local_settings.py.example` asks to set it (and CSRF_COOKIE_SECURE, DSL504) when served over HTTPS.",
    example:
      "# local_settings.py, nothing about cookies: Horizon's default SESSION_COOKIE_SECURE = False applies\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    useInstead: 'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True',
    fixSafety:
      'Unsafe: sets `True` (replacing the literal, or appending `SESSION_COOKIE_SECURE = True` to local_settings.py / settings.py when the value is a default). A site still served over plain HTTP can no longer log anyone in, so apply it only when HTTPS is in place. DSL504 offers the same for CSRF_COOKIE_SECURE.',
    djangoCheck:
      'security.W010 / W011 / W012 (`check --deploy`), same condition: sessions app or SessionMiddleware, and the value `is not True`.',
  },
  check(ctx) {
    // Django's check only speaks when sessions are in use; staying silent where that is uncertain keeps the two tools in agreement.
    if (!sessionsInUse(ctx)) return;
    reportUnlessTrue(ctx, SESSION_COOKIE_SECURE, {
      breaks:
        'browsers also send the session cookie over plain HTTP, where it can be stolen to take over a logged-in session; set it to True when the site is served over HTTPS.',
      fix: 'unsafe',
    });
  },
});
