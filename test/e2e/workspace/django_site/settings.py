# A plain Django project's settings: sessions in memcached, cookies over HTTPS only.
import os

DEBUG = False
SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
ALLOWED_HOSTS = ['www.example.org']

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
]

MIDDLEWARE = [
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
]

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
