# Test oracle only: prints the session/cache settings Python itself ends up with (real Django, or Horizon's layers exec'd in order).
"""Usage (run with Debian's /usr/bin/python3, which has python3-django):

  effective_settings.py django
      Loads Debian's real Horizon through Django (DJANGO_SETTINGS_MODULE=openstack_dashboard.settings).

  effective_settings.py horizon --local-dir DIR
      Runs Debian's real Horizon settings.py (openstack-dashboard 23.0.0) with a copy of DIR as its
      `local` directory: the reference the `layers` emulation is checked against.

  effective_settings.py horizon --local-dir DIR --session save|load [--session-key KEY]
      Same, then starts Django with those settings (settings.configure + django.setup(), as the WSGI
      application does) and saves a new session through SESSION_ENGINE (`save`, printing its key) or
      loads the session KEY and prints its data (`load`): two processes agree only on a shared store.

  effective_settings.py project --project-dir DIR --settings-module M
      Loads a plain Django project through real Django (DJANGO_SETTINGS_MODULE=M, DIR first on sys.path,
      run from DIR), with whatever it imports: django-environ, python-decouple, dj-database-url from
      Debian's packages.

  effective_settings.py layers --local-dir DIR --release R
      Emulates Horizon's settings load order for a fixture project whose local_settings.py (and
      local_settings.d/) live in DIR: Django's global_settings, Horizon's defaults for release R
      (written out below from the history of Horizon's openstack_dashboard/settings.py, independently
      of the analyser's own table in server/src/core/knowledge/horizon-releases.ts),
      `from local.local_settings import *`, then every local_settings.d/**/*.py exec()'d in the
      settings namespace in os.walk + sorted(filenames) order.

Prints one JSON object on stdout: SESSION_ENGINE, SESSION_CACHE_ALIAS, SESSION_SERIALIZER,
CACHES {alias: {BACKEND, LOCATION}}, DATABASES {alias: {ENGINE}} (a missing key is null), plus
what was loaded. This executes the settings files given to it: it is a test harness, never product code.
"""

import argparse
import copy
import importlib
import importlib.util
import json
import os
import sys
import traceback
import types

sys.dont_write_bytecode = True  # never leave __pycache__ in the fixture tree

DEBIAN_HORIZON_SHARE = '/usr/share/openstack-dashboard'
DEBIAN_DIST_PACKAGES = '/usr/lib/python3/dist-packages'

ENGINE_CACHE = 'django.contrib.sessions.backends.cache'
ENGINE_SIGNED_COOKIES = 'django.contrib.sessions.backends.signed_cookies'
PICKLE = 'django.contrib.sessions.serializers.PickleSerializer'
HORIZON_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer'
MEMCACHED_CACHE = 'django.core.cache.backends.memcached.MemcachedCache'
PYMEMCACHE_CACHE = 'django.core.cache.backends.memcached.PyMemcacheCache'


def _memcached(backend):
    return {'default': {'BACKEND': backend, 'LOCATION': '127.0.0.1:11211'}}


# What Horizon's openstack_dashboard/settings.py sets for these names, per release range.
# Keys are (first version, row); a release maps to the last row whose first version it reaches.
HORIZON_ROWS = [
    ((0, 0, 0), {'SESSION_ENGINE': ENGINE_SIGNED_COOKIES, 'SESSION_SERIALIZER': PICKLE}),  # <= Rocky: no CACHES
    ((15, 0, 0), {'SESSION_ENGINE': ENGINE_CACHE, 'CACHES': _memcached(MEMCACHED_CACHE), 'SESSION_SERIALIZER': PICKLE}),
    ((23, 4, 0), {'SESSION_ENGINE': ENGINE_CACHE, 'CACHES': _memcached(PYMEMCACHE_CACHE), 'SESSION_SERIALIZER': PICKLE}),
    ((25, 6, 0), {'SESSION_ENGINE': ENGINE_CACHE, 'CACHES': _memcached(PYMEMCACHE_CACHE),
                  'SESSION_SERIALIZER': HORIZON_SERIALIZER}),
]

# Release series (the names deployers use) to the first Horizon version of that series.
SERIES_FIRST_VERSION = {
    'zed': (22, 2, 0),
    '2023.1': (23, 0, 0),  # Debian 12 ships 23.0.0 and matches this row
    '2023.2': (23, 3, 0),
    '2024.1': (23, 4, 0),
    '2024.2': (24, 0, 0),
    '2025.1': (25, 0, 0),
    '2025.2': (25, 4, 0),
    '2026.1': (25, 6, 0),
    'master': (26, 0, 0),
}


def horizon_defaults(release):
    if release in SERIES_FIRST_VERSION:
        version = SERIES_FIRST_VERSION[release]
    else:
        try:
            version = tuple(int(p) for p in release.split('.')[:3])
        except ValueError:
            raise SystemExit('effective_settings.py: unknown Horizon release %r' % release)
        if len(version) < 2 or version[0] >= 2000:
            raise SystemExit('effective_settings.py: unknown Horizon release series %r' % release)
    row = [r for first, r in HORIZON_ROWS if version >= first][-1]
    return copy.deepcopy(row)


def describe(getter):
    """The compared names, read through getter(name, default)."""
    caches = getter('CACHES', None)
    databases = getter('DATABASES', None)

    def entries(value, keys):
        if not isinstance(value, dict):
            return repr(value)
        return {alias: ({k: entry.get(k) for k in keys} if isinstance(entry, dict) else repr(entry))
                for alias, entry in value.items()}

    return {
        'SESSION_ENGINE': getter('SESSION_ENGINE', None),
        'SESSION_CACHE_ALIAS': getter('SESSION_CACHE_ALIAS', None),
        'SESSION_SERIALIZER': getter('SESSION_SERIALIZER', None),
        'CACHES': entries(caches, ('BACKEND', 'LOCATION')),
        'DATABASES': entries(databases, ('ENGINE',)),
    }


def run_django():
    os.environ['DJANGO_SETTINGS_MODULE'] = 'openstack_dashboard.settings'
    for path in (DEBIAN_DIST_PACKAGES, DEBIAN_HORIZON_SHARE):
        if path not in sys.path:
            sys.path.insert(0, path)
    from django.conf import settings  # noqa: E402 (needs DJANGO_SETTINGS_MODULE first)
    settings.SESSION_ENGINE  # loads the whole settings module now, inside our stdout redirection
    module = sys.modules.get('openstack_dashboard.settings')
    result = describe(lambda name, default: getattr(settings, name, default))
    result['mode'] = 'django'
    result['settingsFile'] = getattr(module, '__file__', None)
    return result


def run_project(project_dir, settings_module):
    """A plain Django project loaded the way manage.py loads it (settings read from the real files)."""
    os.chdir(project_dir)
    sys.path.insert(0, project_dir)
    os.environ['DJANGO_SETTINGS_MODULE'] = settings_module
    from django.conf import settings
    settings.SESSION_ENGINE  # loads the settings module now, inside our stdout redirection
    result = describe(lambda name, default: getattr(settings, name, default))
    result['mode'] = 'project'
    result['settingsFile'] = getattr(sys.modules.get(settings_module), '__file__', None)
    return result


def session_round_trip(ns, op, key):
    """Starts Django on the settings namespace `ns` and saves (op 'save') or loads (op 'load') one session."""
    import django
    from django.conf import settings
    settings.configure(**{name: value for name, value in ns.items() if name.isupper()})
    django.setup()
    from importlib import import_module
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if op == 'save':
        store = store_class()
        store['checked_by'] = 'django-session-lint'
        store.save()
        return {'sessionKey': store.session_key, 'sessionEngine': settings.SESSION_ENGINE}
    store = store_class(session_key=key)
    return {'sessionData': dict(store.items()), 'sessionEngine': settings.SESSION_ENGINE}


def run_horizon(local_dir, session=None, session_key=None):
    """Debian's settings.py, executed from a scratch ROOT_PATH whose local/ is a copy of local_dir."""
    import shutil
    import tempfile
    real_root = os.path.join(DEBIAN_DIST_PACKAGES, 'openstack_dashboard')
    scratch = tempfile.mkdtemp(prefix='dsl-horizon-')
    try:
        root = os.path.join(scratch, 'openstack_dashboard')
        os.mkdir(root)
        for entry in os.listdir(real_root):
            if entry not in ('local', '__pycache__'):
                os.symlink(os.path.join(real_root, entry), os.path.join(root, entry))
        # A copy, so Horizon's side effects (e.g. .secret_key_store) never land in the fixture tree.
        local_copy = os.path.join(root, 'local')
        shutil.copytree(local_dir, local_copy, symlinks=True)
        sys.path.append(local_copy)  # same sibling-import rule as the layers mode
        os.environ['DJANGO_SETTINGS_MODULE'] = 'openstack_dashboard.settings'
        if DEBIAN_DIST_PACKAGES not in sys.path:
            sys.path.append(DEBIAN_DIST_PACKAGES)
        importlib.import_module('openstack_dashboard')
        import logging
        problems = []

        class Collect(logging.Handler):
            def emit(self, record):
                problems.append(record.getMessage() + (
                    '\n' + ''.join(traceback.format_exception(*record.exc_info)) if record.exc_info else ''))

        logging.getLogger('openstack_dashboard.settings').addHandler(Collect(logging.WARNING))
        spec = importlib.util.spec_from_file_location('openstack_dashboard.settings',
                                                      os.path.join(root, 'settings.py'))
        module = importlib.util.module_from_spec(spec)
        sys.modules['openstack_dashboard.settings'] = module
        spec.loader.exec_module(module)
        ns = vars(module)
        from django.conf import global_settings  # what Django's Settings falls back to
        result = describe(lambda name, default: ns.get(name, getattr(global_settings, name, default)))
        result['mode'] = 'horizon'
        result['localSettingsError'] = next((p for p in problems if p.startswith('No local_settings')), None)
        result['snippetErrors'] = [p for p in problems if p.startswith('Can not exec settings snippet')]
        result['settingsFile'] = os.path.realpath(os.path.join(real_root, 'settings.py'))
        if session:
            result.update(session_round_trip(ns, session, session_key))
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def make_local_package(local_dir):
    """The `local` package Horizon imports local_settings from, pointed at local_dir."""
    init = os.path.join(local_dir, '__init__.py')
    if os.path.exists(init):
        spec = importlib.util.spec_from_file_location('local', init, submodule_search_locations=[local_dir])
        package = importlib.util.module_from_spec(spec)
        sys.modules['local'] = package
        spec.loader.exec_module(package)
    else:
        package = types.ModuleType('local')
        package.__path__ = [local_dir]
        package.__package__ = 'local'
        sys.modules['local'] = package
    return package


def make_settings_namespace(release):
    """openstack_dashboard.settings as local_settings.py and the snippets see it."""
    from django.conf import global_settings
    module = types.ModuleType('openstack_dashboard.settings')
    ns = module.__dict__
    for name in dir(global_settings):
        if name.isupper():
            ns[name] = copy.deepcopy(getattr(global_settings, name))
    ns.update(horizon_defaults(release))
    # Names settings.py itself defines or imports, which snippets exec'd in its namespace can use.
    import glob
    import logging
    ns.update({'os': os, 'sys': sys, 'glob': glob, 'logging': logging, 'DEBUG': False, 'HORIZON_CONFIG': {}})
    try:
        from django.utils.translation import gettext_lazy
        ns['_'] = gettext_lazy
    except ImportError:
        pass
    # `from openstack_dashboard.settings import HORIZON_CONFIG` in local_settings.py (Debian does this) must see
    # this half-built namespace, as it does under Horizon.
    if importlib.util.find_spec('openstack_dashboard') is None:
        parent = types.ModuleType('openstack_dashboard')
        parent.__path__ = []
        sys.modules['openstack_dashboard'] = parent
    sys.modules['openstack_dashboard.settings'] = module
    return ns


def star_names(module):
    names = getattr(module, '__all__', None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith('_')]
    return list(names)


def snippet_paths(snippet_dir):
    """Horizon's order: os.walk top-down, sorted(filenames) per directory, names ending in .py."""
    paths = []
    if not os.path.exists(snippet_dir):
        return paths
    for dirpath, dirnames, filenames in os.walk(snippet_dir):
        # Horizon leaves sub-directories in file-system order; sorting keeps this oracle deterministic
        # (fixtures use at most one sub-directory per level, where both orders agree).
        dirnames.sort()
        for filename in sorted(filenames):
            if filename.endswith('.py'):
                paths.append(os.path.join(dirpath, filename))
    return paths


def run_layers(local_dir, release):
    local_dir = os.path.abspath(local_dir)
    if local_dir not in sys.path:
        sys.path.append(local_dir)  # absolute imports of sibling modules
    ns = make_settings_namespace(release)
    make_local_package(local_dir)
    result_extra = {'mode': 'layers', 'release': release, 'localSettingsError': None, 'snippets': [],
                    'snippetErrors': []}
    try:
        local_settings = importlib.import_module('local.local_settings')
        for name in star_names(local_settings):
            ns[name] = getattr(local_settings, name)
        result_extra['localSettings'] = local_settings.__file__
    except ImportError:
        # Horizon: `except ImportError: _LOG.warning("No local_settings file found.")`
        result_extra['localSettingsError'] = traceback.format_exc(limit=3)
    for path in snippet_paths(os.path.join(local_dir, 'local_settings.d')):
        result_extra['snippets'].append(os.path.relpath(path, local_dir))
        try:
            with open(path) as f:
                code = compile(f.read(), path, 'exec')
            exec(code, ns)  # as settings.py's module-level exec(f.read()) does
        except Exception:
            # Horizon: _LOG.exception("Can not exec settings snippet %s", filename), then goes on.
            result_extra['snippetErrors'].append(traceback.format_exc(limit=3))
    result = describe(lambda name, default: ns.get(name, default))
    result.update(result_extra)
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='mode', required=True)
    sub.add_parser('django')
    horizon = sub.add_parser('horizon')
    horizon.add_argument('--local-dir', required=True)
    horizon.add_argument('--session', choices=('save', 'load'))
    horizon.add_argument('--session-key')
    project = sub.add_parser('project')
    project.add_argument('--project-dir', required=True)
    project.add_argument('--settings-module', required=True)
    layers = sub.add_parser('layers')
    layers.add_argument('--local-dir', required=True)
    layers.add_argument('--release', required=True)
    args = parser.parse_args(argv)

    stdout = sys.stdout
    sys.stdout = sys.stderr  # anything the settings print must not corrupt the JSON
    try:
        if args.mode == 'django':
            result = run_django()
        elif args.mode == 'project':
            result = run_project(os.path.abspath(args.project_dir), args.settings_module)
        elif args.mode == 'horizon':
            result = run_horizon(os.path.abspath(args.local_dir), args.session, args.session_key)
        else:
            result = run_layers(args.local_dir, args.release)
    finally:
        sys.stdout = stdout
    json.dump(result, stdout, indent=1, sort_keys=True, default=repr)
    stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
