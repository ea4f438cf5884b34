# Modelled on the snippet Debian's openstack-dashboard package installs: it replaces whatever CACHES
# local_settings.py configured with a local-memory cache. Horizon runs this file after local_settings.py.
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
