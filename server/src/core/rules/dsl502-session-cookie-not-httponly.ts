/** DSL502: SESSION_COOKIE_HTTPONLY is not True, so page scripts can read the session cookie (Django's security.W013–W015). */
import { SESSION_COOKIE_HTTPONLY } from '../knowledge';
import { defineRule } from './framework';
import { reportUnlessTrue, sessionsInUse } from './setting-helpers';

export default defineRule({
  code: 'DSL502',
  name: 'session-cookie-not-httponly',
  title: 'Session cookie not HttpOnly',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  fix: 'safe',
  security: { severity: '5.3', cwe: 1004 },
  docs: {
    what: "The effective SESSION_COOKIE_HTTPONLY is not `True` while sessions are in use (`django.contrib.sessions` in INSTALLED_APPS or SessionMiddleware in MIDDLEWARE). Django and Horizon both default to `True`, so this only fires on an explicit `False` (or another value that is not `True`, as Django's check tests `is True`).",
    why: 'Without HttpOnly any script running in the page — an XSS hole in a dashboard plugin, a compromised static file — can read the session cookie and send it elsewhere, taking over the session. With signed_cookies sessions the cookie is the whole session. Django: there are few good reasons to turn it off (docs: settings, SESSION_COOKIE_HTTPONLY).',
    example: 'SESSION_COOKIE_HTTPONLY = False',
    useInstead: 'SESSION_COOKIE_HTTPONLY = True',
    fixSafety:
      'Safe: sets the literal to `True`, the Django and Horizon default; only JavaScript that reads the session cookie itself is affected, and Django and Horizon have none.',
    djangoCheck:
      'security.W013 / W014 / W015 (`check --deploy`), same condition: sessions app or SessionMiddleware, and the value `is not True`.',
  },
  check(ctx) {
    if (!sessionsInUse(ctx)) return;
    reportUnlessTrue(ctx, SESSION_COOKIE_HTTPONLY, {
      breaks:
        'any script in the page can read the session cookie, so one XSS hole hands over the session; set it to True.',
      fix: 'safe',
    });
  },
});
