/**
 * Acceptance: correct production configurations, written the way operators write them, give no error or
 * warning (hints and infos about tradeoffs are allowed).
 */
import assert from 'node:assert/strict';
import { describeFindings, lint, type Files, type LintOptions } from '../helpers/rule-harness';

const SECURE = 'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n';

const CORRECT: [string, Files, LintOptions][] = [
  [
    'Horizon + memcached cluster (kolla/OSA style)',
    {
      'local_settings.py':
        "import os\nfrom horizon.utils import secret_key\nDEBUG = False\nSECRET_KEY = secret_key.generate_or_read_from_file('/var/lib/openstack-dashboard/secret_key')\n" +
        SECURE +
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],\n        'OPTIONS': {'ignore_exc': True},\n    },\n}\n",
    },
    { horizonRelease: '2024.2', djangoVersion: '4.2' },
  ],
  [
    'Horizon + Django built-in Redis with env host',
    {
      'local_settings.py':
        'import os\nDEBUG = False\n' +
        SECURE +
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': f\"redis://{os.environ.get('REDIS_HOST', '10.0.0.5')}:6379/1\"}}\n",
    },
    { horizonRelease: '2025.1', djangoVersion: '4.2' },
  ],
  [
    'Horizon + django-redis',
    {
      'local_settings.py':
        'DEBUG = False\n' +
        SECURE +
        "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://10.0.0.5:6379/1', 'OPTIONS': {'CLIENT_CLASS': 'django_redis.client.DefaultClient'}}}\n",
    },
    { horizonRelease: '2024.2', djangoVersion: '4.2' },
  ],
  [
    'Horizon 2026.1 + database sessions on MySQL, password from the environment',
    {
      'local_settings.py':
        'import os\nDEBUG = False\n' +
        SECURE +
        "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n        'NAME': 'dash',\n        'USER': 'dash',\n        'PASSWORD': os.environ['DASH_DB_PASSWORD'],\n        'HOST': 'db.example.org',\n        'PORT': '3306',\n        'OPTIONS': {'charset': 'utf8mb4'},\n    }\n}\n",
    },
    { horizonRelease: '2026.1', djangoVersion: '5.2' },
  ],
  [
    'Horizon + cached_db over memcached',
    {
      'local_settings.py':
        'import os\nDEBUG = False\n' +
        SECURE +
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc.example.org:11211', 'OPTIONS': {'ignore_exc': True}}}\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'dash', 'USER': 'dash', 'PASSWORD': os.environ.get('DB_PASSWORD'), 'HOST': 'pg.example.org'}}\n",
    },
    { horizonRelease: '2024.2', djangoVersion: '4.2' },
  ],
  [
    'plain Django project with Redis sessions',
    {
      'settings.py':
        "import os\nDEBUG = False\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nINSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions']\nMIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware', 'django.middleware.csrf.CsrfViewMiddleware']\n" +
        SECURE +
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://redis.internal:6379/0'}}\nCSRF_TRUSTED_ORIGINS = ['https://app.example.org']\n",
    },
    { djangoVersion: '5.2' },
  ],
];

describe('correct production configurations', () => {
  for (const [title, files, opts] of CORRECT) {
    it(`${title}: no error or warning`, () => {
      const a = lint(files, { profile: 'production', ...opts });
      const bad = a.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.deepEqual(
        bad.map((f) => f.code),
        [],
        describeFindings(a),
      );
    });
  }
});
