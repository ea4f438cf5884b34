/** Django's global_settings defaults for every setting the rules read as validated PyData; no Horizon values here. */
import { z } from 'zod';

import {
  ALLOWED_HOSTS,
  CACHES,
  CSRF_COOKIE_SECURE,
  CSRF_TRUSTED_ORIGINS,
  DATABASES,
  DEBUG,
  DEFAULT_ALIAS,
  ENGINE_DB,
  INSTALLED_APPS,
  JSON_SERIALIZER,
  LOCMEM,
  MEDIA_ROOT,
  MIDDLEWARE,
  SECRET_KEY,
  SECRET_KEY_FALLBACKS,
  SESSION_CACHE_ALIAS,
  SESSION_COOKIE_AGE,
  SESSION_COOKIE_DOMAIN,
  SESSION_COOKIE_HTTPONLY,
  SESSION_COOKIE_NAME,
  SESSION_COOKIE_PATH,
  SESSION_COOKIE_SAMESITE,
  SESSION_COOKIE_SECURE,
  SESSION_ENGINE,
  SESSION_EXPIRE_AT_BROWSER_CLOSE,
  SESSION_FILE_PATH,
  SESSION_SAVE_EVERY_REQUEST,
  SESSION_SERIALIZER,
  STATICFILES_DIRS,
  STATIC_ROOT,
} from './names';
import { PyDataSchema, type PyData } from './py-data';
import { MinorVersionSchema, validateData } from './schema';
import { compareMinor, version, type Version } from './versions';

export type { PyData } from './py-data';

/**
 * Django's defaults (`django/conf/global_settings.py`; DJ32 and DJ52 agree on all of these). A setting that
 * is not a key here is not a module-level Django setting at all (e.g. CONN_MAX_AGE, CACHE_BACKEND).
 */
export const DJANGO_DEFAULTS: Readonly<Record<string, PyData>> = validateData(
  z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), PyDataSchema),
  {
    [SESSION_ENGINE]: ENGINE_DB,
    [SESSION_CACHE_ALIAS]: DEFAULT_ALIAS,
    [SESSION_SERIALIZER]: JSON_SERIALIZER,
    [SESSION_FILE_PATH]: null,
    [SESSION_COOKIE_NAME]: 'sessionid',
    [SESSION_COOKIE_AGE]: 1209600,
    [SESSION_COOKIE_DOMAIN]: null,
    [SESSION_COOKIE_PATH]: '/',
    [SESSION_COOKIE_SECURE]: false,
    [SESSION_COOKIE_HTTPONLY]: true,
    [SESSION_COOKIE_SAMESITE]: 'Lax',
    [SESSION_SAVE_EVERY_REQUEST]: false,
    [SESSION_EXPIRE_AT_BROWSER_CLOSE]: false,
    [CACHES]: { [DEFAULT_ALIAS]: { BACKEND: LOCMEM } },
    // `{}` makes Django use the dummy engine: every query raises ImproperlyConfigured.
    [DATABASES]: {},
    [SECRET_KEY]: '',
    [SECRET_KEY_FALLBACKS]: [],
    [CSRF_COOKIE_SECURE]: false,
    [CSRF_TRUSTED_ORIGINS]: [],
    [INSTALLED_APPS]: [],
    [MIDDLEWARE]: [],
    [STATIC_ROOT]: null,
    [MEDIA_ROOT]: '',
    [STATICFILES_DIRS]: [],
    [DEBUG]: false,
    [ALLOWED_HOSTS]: [],
  },
  'Django defaults',
);

/** Settings that only exist from a given Django minor (before it, the default does not apply). */
export const DJANGO_SETTING_ADDED: Readonly<Record<string, string>> = validateData(
  z.record(z.string(), MinorVersionSchema),
  { [SECRET_KEY_FALLBACKS]: '4.1' },
  'Django settings added',
);

/**
 * Django's default for `name` on `django` (undefined version = newest behaviour), or undefined when the
 * setting is not a Django setting there.
 */
export function djangoDefault(name: string, django?: Version): PyData | undefined {
  if (!Object.prototype.hasOwnProperty.call(DJANGO_DEFAULTS, name)) return undefined;
  const added = DJANGO_SETTING_ADDED[name];
  if (added !== undefined && django !== undefined && compareMinor(django, version(added)) < 0)
    return undefined;
  return DJANGO_DEFAULTS[name];
}

/** Version-dependent Django facts the rules key on (minors; the source of each is given next to it). */
export const DJANGO_FACTS = validateData(
  z.strictObject({
    /** PickleSerializer deprecated. */
    pickleSerializerDeprecated: MinorVersionSchema,
    /** PickleSerializer gone (absent in DJ52). */
    pickleSerializerRemoved: MinorVersionSchema,
    /** CSRF_TRUSTED_ORIGINS entries need a scheme (4_0.E001). */
    csrfTrustedOriginsSchemeRequired: MinorVersionSchema,
    /** SECRET_KEY_FALLBACKS introduced. */
    secretKeyFallbacksAdded: MinorVersionSchema,
  }),
  {
    pickleSerializerDeprecated: '4.1',
    pickleSerializerRemoved: '5.0',
    csrfTrustedOriginsSchemeRequired: '4.0',
    secretKeyFallbacksAdded: '4.1',
  },
  'Django facts',
);
