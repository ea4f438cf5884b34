/** `--show-projects` / `--debug` list the projects found and their layers in load order; kolla's directory and per-host overrides are analysed as the deployment loads them. */
import assert from 'node:assert/strict';
import { assertBundle, makeProject, removeProject, runCli } from './cli-harness';

const KOLLA_CONFIG = JSON.stringify({
  command: 'uwsgi /etc/horizon/horizon-uwsgi.ini',
  config_files: [
    {
      source: '/var/lib/kolla/config_files/_9998-kolla-settings.py',
      dest: '/etc/openstack-dashboard/local_settings.d/_9998-kolla-settings.py',
    },
    {
      source: '/var/lib/kolla/config_files/_9999-custom-settings.py',
      dest: '/etc/openstack-dashboard/local_settings.d/_9999-custom-settings.py',
    },
  ],
});

const KOLLA_9998 = `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': ['192.0.2.11:11211', '192.0.2.12:11211'],
        'OPTIONS': {'ignore_exc': True},
    }
}
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SECURE = True
`;

describe('cli: --show-projects and --debug', () => {
  let dir = '';
  before(assertBundle);
  afterEach(() => removeProject(dir));

  it("prints kolla's /etc/kolla/horizon as one project over Horizon's defaults, in load order", () => {
    dir = makeProject({
      'etc/kolla/horizon/config.json': KOLLA_CONFIG,
      'etc/kolla/horizon/_9998-kolla-settings.py': KOLLA_9998,
      'etc/kolla/horizon/_9999-custom-settings.py': '# operator overrides\n',
    });
    const r = runCli(['--show-projects', '--horizon-release', '2025.1', 'etc'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'etc/kolla/horizon (horizon, Horizon 2025.1): 4 layers in load order',
        '  1. django-defaults   Django global_settings',
        '  2. horizon-defaults  Horizon 2025.1 defaults (built in)',
        '  3. local_settings.d  etc/kolla/horizon/_9998-kolla-settings.py',
        '  4. local_settings.d  etc/kolla/horizon/_9999-custom-settings.py',
        '',
      ].join('\n'),
    );
  });

  it('gives the same in JSON, with the modules a layer imports', () => {
    dir = makeProject({
      'mysite/settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n",
      'mysite/local_settings.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '192.0.2.5:11211', 'OPTIONS': {'ignore_exc': True}}}\n",
    });
    const r = runCli(['--show-projects', '--format', 'json', '.'], dir);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { projects: unknown[]; errors: unknown[] };
    assert.deepEqual(doc.projects, [
      {
        root: 'mysite',
        kind: 'django',
        horizonRelease: null,
        layers: [
          { path: null, role: 'django-defaults', description: 'Django global_settings' },
          { path: 'mysite/settings.py', role: 'settings' },
        ],
        imported: [{ path: 'mysite/local_settings.py', by: 'settings' }],
      },
    ]);
    assert.deepEqual(doc.errors, []);
  });

  it('--debug prints the projects on stderr and the report on stdout', () => {
    dir = makeProject({
      'etc/kolla/horizon/config.json': KOLLA_CONFIG,
      'etc/kolla/horizon/_9998-kolla-settings.py': KOLLA_9998,
    });
    const r = runCli(['--debug', '--format', 'json', 'etc/kolla/horizon'], dir);
    assert.match(r.stderr, /^etc\/kolla\/horizon \(horizon, Horizon [^)]+\): 3 layers in load order$/m);
    assert.equal((JSON.parse(r.stdout) as { projects: unknown[] }).projects.length, 1);
  });

  it("finds nothing wrong in kolla's correct rendering, and fixes nothing in _9999-custom-settings.py", () => {
    dir = makeProject({
      'etc/kolla/horizon/config.json': KOLLA_CONFIG,
      'etc/kolla/horizon/_9998-kolla-settings.py':
        KOLLA_9998 + "SECRET_KEY = open('/etc/horizon/.secret_key').read()\n",
      'etc/kolla/horizon/_9999-custom-settings.py': '# operator overrides\n',
    });
    const r = runCli(
      ['--format', 'json', '--fix', '--unsafe-fixes', '--fail-on', 'information', 'etc/kolla/horizon'],
      dir,
    );
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; path: string }[] };
    assert.deepEqual(
      doc.diagnostics.map((d) => `${d.code} ${d.path}`),
      [],
    );
    assert.equal(r.status, 0, r.stderr);
  });

  it("reports no DSL104 on a local_settings.py whose importer's cache is memcached", () => {
    dir = makeProject({
      'mysite/settings.py':
        "SECRET_KEY = open('/etc/mysite/secret').read()\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '192.0.2.5:11211', 'OPTIONS': {'ignore_exc': True}}}\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n",
      // Alone, this file would run cache sessions on Django's default LocMemCache (DSL104).
      'mysite/local_settings.py':
        "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
    });
    const r = runCli(['--format', 'json', '--select', 'DSL1', 'mysite'], dir);
    const doc = JSON.parse(r.stdout) as { projects: { root: string }[]; diagnostics: { code: string }[] };
    assert.deepEqual(
      doc.projects.map((p) => p.root),
      ['mysite'],
    );
    assert.deepEqual(
      doc.diagnostics.map((d) => d.code),
      [],
    );
  });
});
