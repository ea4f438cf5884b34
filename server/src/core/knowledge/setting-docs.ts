/** One-paragraph hover docs for the settings the linter knows (Django and Horizon-only) as validated data; no defaults logic (see django-defaults, horizon-releases). */
import { z } from 'zod';

import { HORIZON_ONLY_SETTINGS } from './horizon-releases';
import * as N from './names';
import { validateData } from './schema';

export const SettingDocSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  summary: z.string().min(10),
  owner: z.enum(['django', 'horizon', 'django-redis', 'legacy']),
  docsUrl: z.url(),
});
export type SettingDoc = z.infer<typeof SettingDocSchema>;

const DJANGO_SETTINGS_DOCS = 'https://docs.djangoproject.com/en/stable/ref/settings/';
const django = (name: string, summary: string): SettingDoc => ({
  name,
  summary,
  owner: 'django',
  docsUrl: `${DJANGO_SETTINGS_DOCS}#std-setting-${name}`,
});

export const SETTING_DOCS: readonly SettingDoc[] = validateData(
  z.array(SettingDocSchema),
  [
    django(
      N.SESSION_ENGINE,
      'Module that stores session data: db (default), cached_db, cache, file or signed_cookies.',
    ),
    django(
      N.SESSION_CACHE_ALIAS,
      "CACHES alias used by the cache and cached_db session engines (default 'default').",
    ),
    django(
      N.SESSION_SERIALIZER,
      'Class that serializes session data (default JSONSerializer; PickleSerializer was removed in Django 5.0).',
    ),
    django(
      N.SESSION_FILE_PATH,
      'Directory for the file session engine; None means the system temp directory.',
    ),
    django(N.SESSION_COOKIE_NAME, "Name of the session cookie (default 'sessionid')."),
    django(N.SESSION_COOKIE_AGE, 'Session cookie lifetime in seconds (default 1209600, two weeks).'),
    django(N.SESSION_COOKIE_DOMAIN, 'Domain of the session cookie (default None: the current host only).'),
    django(N.SESSION_COOKIE_PATH, "Path of the session cookie (default '/')."),
    django(
      N.SESSION_COOKIE_SECURE,
      'Send the session cookie over HTTPS only (default False; Horizon default False).',
    ),
    django(N.SESSION_COOKIE_HTTPONLY, 'Hide the session cookie from JavaScript (default True).'),
    django(
      N.SESSION_COOKIE_SAMESITE,
      "SameSite flag of the session cookie: 'Lax' (default), 'Strict', 'None', or False to omit it.",
    ),
    django(N.SESSION_SAVE_EVERY_REQUEST, 'Save the session on every request (default False).'),
    django(
      N.SESSION_EXPIRE_AT_BROWSER_CLOSE,
      'Use a browser-session cookie (default False; Horizon sets True, but its own expiry makes the cookie persistent after login).',
    ),
    django(N.CACHES, "Cache aliases; must contain 'default'. Django's default is a per-process LocMemCache."),
    django(
      N.DATABASES,
      "Database aliases; a non-empty dict must contain 'default'. Django's default {} means no database.",
    ),
    django(
      N.SECRET_KEY,
      'Key that signs sessions, cookies and tokens; at least 50 characters with 5 distinct ones, kept secret.',
    ),
    django(
      N.SECRET_KEY_FALLBACKS,
      'Old secret keys still accepted when verifying signatures (Django ≥ 4.1), for key rotation.',
    ),
    django(N.CSRF_COOKIE_SECURE, 'Send the CSRF cookie over HTTPS only (default False).'),
    django(
      N.CSRF_TRUSTED_ORIGINS,
      'Origins trusted for unsafe requests; from Django 4.0 each needs a scheme (https://…).',
    ),
    django(N.INSTALLED_APPS, "Installed applications; database sessions need 'django.contrib.sessions'."),
    django(N.MIDDLEWARE, 'Middleware classes; SessionMiddleware enables sessions.'),
    django(N.STATIC_ROOT, 'Directory collectstatic writes to; must not contain a FileBasedCache LOCATION.'),
    django(N.MEDIA_ROOT, 'Directory for user uploads; must not contain a FileBasedCache LOCATION.'),
    django(N.STATICFILES_DIRS, 'Extra static file directories; must not contain a FileBasedCache LOCATION.'),
    django(N.DEBUG, 'Debug mode; never True in production.'),
    django(N.ALLOWED_HOSTS, 'Host names this site serves; required when DEBUG is False.'),
    {
      name: N.CACHE_BACKEND,
      summary:
        "Pre-Django-1.3 URI cache setting ('memcached://…', 'locmem://'); ignored by every supported Django. Use CACHES.",
      owner: 'legacy',
      docsUrl: 'https://docs.djangoproject.com/en/stable/topics/cache/',
    },
    {
      name: N.CONN_MAX_AGE,
      summary:
        'A key of each DATABASES entry (persistent connection lifetime); as a module-level setting Django ignores it.',
      owner: 'legacy',
      docsUrl: `${DJANGO_SETTINGS_DOCS}#conn-max-age`,
    },
    {
      name: N.DJANGO_REDIS_IGNORE_EXCEPTIONS,
      summary: 'django-redis: treat Redis connection errors as cache misses for every django-redis cache.',
      owner: 'django-redis',
      docsUrl: 'https://github.com/jazzband/django-redis#memcached-exceptions-behavior',
    },
    {
      name: N.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS,
      summary: 'django-redis: log the exceptions IGNORE_EXCEPTIONS swallows.',
      owner: 'django-redis',
      docsUrl: 'https://github.com/jazzband/django-redis#memcached-exceptions-behavior',
    },
    {
      name: N.DJANGO_REDIS_LOGGER,
      summary: 'django-redis: logger name for ignored exceptions.',
      owner: 'django-redis',
      docsUrl: 'https://github.com/jazzband/django-redis#memcached-exceptions-behavior',
    },
    {
      name: N.DJANGO_REDIS_CONNECTION_FACTORY,
      summary: 'django-redis: default connection factory class for every django-redis cache.',
      owner: 'django-redis',
      docsUrl: 'https://github.com/jazzband/django-redis#readme',
    },
    ...HORIZON_ONLY_SETTINGS.map((s) => ({
      name: s.name,
      summary: `${s.description} Horizon-only (since ${s.sinceText}).`,
      owner: 'horizon' as const,
      docsUrl: s.docsUrl,
    })),
  ],
  'setting docs',
);

const BY_NAME = new Map(SETTING_DOCS.map((d) => [d.name, d] as const));

/** Hover doc for a setting name, or undefined for settings the linter does not know. */
export function findSettingDoc(name: string): SettingDoc | undefined {
  return BY_NAME.get(name);
}
