/** DSL304: database sessions with a literal INSTALLED_APPS lacking django.contrib.sessions. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL304'];
const DB = "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n";

describe('DSL304 sessions-app-missing', () => {
  it('is an error and appends the app to a multi-line list (safe)', () => {
    const files = {
      'settings.py': `${DB}INSTALLED_APPS = [  #! DSL304
    'django.contrib.auth',
    'django.contrib.contenttypes',
]
`,
    };
    expectFindings(files, CODE);
    const f = lint(files).findings.find((x) => x.code === 'DSL304');
    assert.ok(f);
    assert.equal(f.severity, 'error');
    assert.equal(f.fix?.applicability, 'safe');
    assert.equal(
      checkFix(files, f)['settings.py'],
      `${DB}INSTALLED_APPS = [  #! DSL304
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
]
`,
    );
  });

  it('appends to a one-line tuple and to an empty list', () => {
    const tuple = {
      'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nINSTALLED_APPS = ("django.contrib.auth",)  #! DSL304\n`,
    };
    expectFindings(tuple, CODE);
    const f = lint(tuple).findings.find((x) => x.code === 'DSL304');
    assert.ok(f);
    assert.equal(
      checkFix(tuple, f)['settings.py'],
      `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\nINSTALLED_APPS = ("django.contrib.auth", "django.contrib.sessions")  #! DSL304\n`,
    );
    const empty = { 'settings.py': `${DB}INSTALLED_APPS = []  #! DSL304\n` };
    const g = lint(empty).findings.find((x) => x.code === 'DSL304');
    assert.ok(g);
    assert.equal(
      checkFix(empty, g)['settings.py'],
      `${DB}INSTALLED_APPS = ['django.contrib.sessions']  #! DSL304\n`,
    );
  });

  it('fires in a Horizon local_settings.py that replaces INSTALLED_APPS', () => {
    expectFindings(
      { 'local_settings.py': `${DB}INSTALLED_APPS = ['openstack_dashboard']  #! DSL304\n` },
      CODE,
      { horizonRelease: '2024.2' },
    );
  });

  describe('must stay silent', () => {
    it('on stock Horizon (its own INSTALLED_APPS has the app)', () => {
      for (const horizonRelease of ['2023.1', '2024.2', '2026.1'])
        expectFindings({ 'local_settings.py': DB }, CODE, { horizonRelease });
    });
    it('when the app or its AppConfig is listed', () => {
      expectFindings({ 'settings.py': `${DB}INSTALLED_APPS = ['django.contrib.sessions']\n` }, CODE);
      expectFindings(
        { 'settings.py': `${DB}INSTALLED_APPS = ['django.contrib.sessions.apps.SessionsConfig']\n` },
        CODE,
      );
    });
    it('when INSTALLED_APPS has unknown parts, or is never set', () => {
      expectFindings({ 'settings.py': `${DB}INSTALLED_APPS = ['django.contrib.auth'] + EXTRA_APPS\n` }, CODE);
      expectFindings(
        { 'settings.py': `import os\n${DB}INSTALLED_APPS = ['django.contrib.auth', os.environ['APP']]\n` },
        CODE,
      );
      expectFindings({ 'settings.py': DB }, CODE);
    });
    it('for cache sessions', () => {
      expectFindings(
        { 'settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nINSTALLED_APPS = []\n" },
        CODE,
      );
    });
    it('when a later snippet adds the app', () => {
      expectFindings(
        {
          'local_settings.py': `${DB}INSTALLED_APPS = ['openstack_dashboard']\n`,
          'local_settings.d/_10.py': "INSTALLED_APPS = INSTALLED_APPS + ['django.contrib.sessions']\n",
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
  });
});
