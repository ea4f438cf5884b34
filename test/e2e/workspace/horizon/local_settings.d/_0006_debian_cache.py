# Modelled on the snippet Debian's openstack-dashboard package installs: Horizon executes it after
# local_settings.py, so it replaces the memcached CACHES configured there with a local-memory cache.
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
