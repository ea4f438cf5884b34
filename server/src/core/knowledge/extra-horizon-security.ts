/** Django/Horizon names and facts used only by DSL401–DSL406 and DSL501–DSL506 (cookie, CSRF, override checks); constants only, no logic. */
import { CACHES, DATABASES, SESSION_MIDDLEWARE, type SIMULTANEOUS_SESSIONS_VALUES } from './names';

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

/** DSL404 watches every SESSION_* setting (Django's and Horizon's) … */
export const SESSION_SETTING_PREFIX = 'SESSION_';
/** … and these, whose override by a snippet silently changes where sessions live. */
export const SNIPPET_OVERRIDE_WATCHED: readonly string[] = [CACHES, DATABASES];

/** The value of SIMULTANEOUS_SESSIONS that Horizon acts on; every other value behaves as `allow` (§2.3). */
export const SIMULTANEOUS_SESSIONS_ALLOW: (typeof SIMULTANEOUS_SESSIONS_VALUES)[number] = 'allow';
export const SIMULTANEOUS_SESSIONS_DISCONNECT: (typeof SIMULTANEOUS_SESSIONS_VALUES)[number] = 'disconnect';

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
