# Horizon local settings as Debian and Ubuntu lay them out: the operator configured memcached here, but the
# package's local_settings.d/_0006_debian_cache.py runs after this file and puts sessions back into a
# per-process local-memory cache.
import os

from horizon.utils import secret_key

DEBUG = False

ALLOWED_HOSTS = ['dashboard.example.org']

LOCAL_PATH = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = secret_key.generate_or_read_from_file(os.path.join(LOCAL_PATH, '.secret_key_store'))

SESSION_ENGINE = 'django.contrib.sessions.backends.cache'

CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],
        'OPTIONS': {'ignore_exc': True},
    },
}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

OPENSTACK_HOST = '10.0.0.10'
OPENSTACK_KEYSTONE_URL = 'http://%s/identity/v3' % OPENSTACK_HOST
