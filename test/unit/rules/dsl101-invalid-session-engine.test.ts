/** DSL101: SESSION_ENGINE names a cache class or a session backend module Django does not have. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint, onlyFinding } from '../../helpers/rule-harness';

const CODE = ['DSL101'];
/** A database for the sessions, so that the fix to the db engine adds no new finding and is offered. */
const DATABASES =
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'dash', 'HOST': 'db.example.org'}}\n";

describe('DSL101 invalid-session-engine', () => {
  describe('fires', () => {
    it("on a cache backend class (Horizon's from-source guide), as an error with an unsafe fix to the db engine", () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = 'django.core.cache.backends.db.DatabaseCache'  #! DSL101\n${DATABASES}`,
      };
      const f = onlyFinding('DSL101', files);
      expectFindings(files, CODE);
      assert.equal(f.severity, 'error');
      assert.match(f.message, /a cache backend class, not a session engine module/);
      assert.match(f.message, /Did you mean 'django\.contrib\.sessions\.backends\.db'\?/);
      assert.equal(f.fix?.applicability, 'unsafe');
      assert.equal(
        checkFix(files, f)['local_settings.py'],
        `SESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL101\n${DATABASES}`,
      );
    });

    it('on the class path inside the intended module, with a safe fix to the module', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db.SessionStore'  #! DSL101\n${DATABASES}`,
      };
      const f = onlyFinding('DSL101', files, { kind: 'django' });
      expectFindings(files, CODE, { kind: 'django' });
      assert.match(f.message, /not a session engine Django has/);
      assert.equal(f.fix?.applicability, 'safe');
      assert.equal(
        checkFix(files, f, { kind: 'django' })['settings.py'],
        `SESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL101\n${DATABASES}`,
      );
    });

    it('on a backend module Django never shipped (…backends.redis), in development too', () => {
      const f = onlyFinding(
        'DSL101',
        { 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.redis'\n" },
        { profile: 'development' },
      );
      assert.equal(f.severity, 'error');
      assert.match(f.message, /Did you mean 'django\.contrib\.sessions\.backends\.cache'\?/);
    });

    it('on the default of an environment lookup, saying so, without a fix', () => {
      const files = {
        'local_settings.py':
          "import os\nSESSION_ENGINE = os.environ.get('ENGINE', 'django.core.cache.backends.locmem.LocMemCache')  #! DSL101\n",
      };
      const f = onlyFinding('DSL101', files);
      expectFindings(files, CODE);
      assert.match(f.message, /\(if ENGINE is unset\)/);
      assert.equal(f.fix, undefined);
    });
  });

  describe('does not fire', () => {
    it('on every engine Django ships, on a third-party engine, or on an unknown value', () => {
      for (const engine of ['db', 'cached_db', 'cache', 'file', 'signed_cookies']) {
        expectFindings(
          { 'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.${engine}'\n` },
          CODE,
        );
      }
      expectFindings({ 'local_settings.py': "SESSION_ENGINE = 'redis_sessions.session'\n" }, CODE);
      expectFindings({ 'local_settings.py': "import os\nSESSION_ENGINE = os.environ['ENGINE']\n" }, CODE);
    });

    it("on Horizon's and Django's defaults", () => {
      assert.deepEqual(
        lint({ 'local_settings.py': '' }).findings.filter((f) => f.code === 'DSL101'),
        [],
      );
      assert.deepEqual(
        lint({ 'settings.py': 'DEBUG = False\n' }, { kind: 'django' }).findings.filter(
          (f) => f.code === 'DSL101',
        ),
        [],
      );
    });
  });
});
