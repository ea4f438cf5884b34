/** One settings text with a secret planted in every placement the masker must cover, for the CLI and LSP secret tests. */

/** The planted secrets; `p9` is shorter than the masker's bare-word minimum, so it is masked only where quoted. */
export const PLANTED = [
  'PLANTEDsk1111',
  'PLANTEDdb2222',
  'PLANTED3333',
  'PLANTEDopt4444',
  'PLANTED5555',
  'PLANTED6666',
  'PLANTED7777',
  'PLANTED8888',
  'p9',
];

export const PLANTED_SETTINGS = `import os
SECRET_KEY = 'PLANTEDsk1111-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'PASSWORD': 'PLANTEDdb2222'}}
CACHES = {
    'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'user:PLANTED3333@redis.internal:6379:1',
                'OPTIONS': {'password': 'PLANTEDopt4444'}},
    'other': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://:PLANTED5555@h:6379/0'},
    'short': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'u:p9@h2:6379'},
}
EMAIL_HOST_PASSWORD = os.environ.get('EMAIL_PW', 'PLANTED6666')
MY_DB = os.environ.get('DB_PASSWORD', 'PLANTED7777')
HORIZON_CONFIG = {'password_autocomplete': 'False'}
SESSION_COOKIE_SECURE = HORIZON_CONFIG['password_autocomplete']
`;
