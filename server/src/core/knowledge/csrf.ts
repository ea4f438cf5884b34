/** CSRF settings facts (DSL504, DSL506) and the middleware Horizon always lists. */
import { SESSION_MIDDLEWARE } from './names';

/** Setting that moves the CSRF token into the session: no CSRF cookie, so security.W016 does not apply. */
export const CSRF_USE_SESSIONS = 'CSRF_USE_SESSIONS';
/** Django's global_settings default of CSRF_USE_SESSIONS (not in DJANGO_DEFAULTS, which other rules own). */
export const CSRF_USE_SESSIONS_DEFAULT = false;
/** The middleware whose presence makes security.W016 look at CSRF_COOKIE_SECURE (DJ52 checks/security/csrf.py). */
export const CSRF_VIEW_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';

/**
 * Middleware Horizon's own settings.py lists on every branch from Stein on, besides the ones recorded in the
 * release table (which lists only what session rules need, so it is a partial list): Horizon's MIDDLEWARE
 * tuple has CsrfViewMiddleware next to SessionMiddleware.
 */
export const HORIZON_DEFAULT_MIDDLEWARE_ALSO: readonly string[] = [SESSION_MIDDLEWARE, CSRF_VIEW_MIDDLEWARE];

/** What Django 4.0+ requires inside every CSRF_TRUSTED_ORIGINS entry (4_0.E001 tests `"://" not in origin`). */
export const URL_SCHEME_SEPARATOR = '://';
/**
 * Scheme the DSL506 fix adds: before Django 4.0 a scheme-less entry was only compared with the Referer of
 * HTTPS requests, so `https://` keeps what the entry used to do.
 */
export const CSRF_ORIGIN_DEFAULT_SCHEME = 'https://';
/** Pre-4.0 subdomain form (`.example.com`); Django 4.0+ writes it `https://*.example.com`. */
export const CSRF_ORIGIN_OLD_SUBDOMAIN_PREFIX = '.';
export const CSRF_ORIGIN_WILDCARD = '*';
