/** DSL121: signed cookies + pickle, the Horizon ≤ 2025.2 default serializer, fixes per project kind. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint, type Files, type LintOptions } from '../../helpers/rule-harness';

const CODE = ['DSL121'];
const COOKIES = 'django.contrib.sessions.backends.signed_cookies';
const PICKLE = 'django.contrib.sessions.serializers.PickleSerializer';

function finding(files: Files, opts: LintOptions) {
  const found = lint(files, opts).findings.filter((f) => f.code === 'DSL121');
  assert.equal(found.length, 1, `expected one DSL121, got ${found.length}`);
  return found[0]!;
}

describe('DSL121 signed-cookies-pickle', () => {
  describe("Horizon ≤ 2025.2 (pickle is Horizon's default)", () => {
    // The seed's Cookies section, pasted alone into local_settings.py.
    const seed = { 'local_settings.py': `SESSION_ENGINE = '${COOKIES}'  #! DSL121\n` };
    it('fires on the seed Cookies block on Horizon 2024.2 (Django 4.2): error in production', () => {
      expectFindings(seed, CODE, { horizonRelease: '2024.2', djangoVersion: '4.2' });
      const f = finding(seed, { horizonRelease: '2024.2', djangoVersion: '4.2' });
      assert.equal(f.severity, 'error');
      assert.match(f.message, /Horizon 2024\.2's default serializer/);
      assert.match(f.message, /SECRET_KEY/);
    });
    it('is a warning in the development profile', () => {
      assert.equal(finding(seed, { horizonRelease: '2024.2', profile: 'development' }).severity, 'warning');
    });
    it('fires on Horizon 2023.1 (Django 3.2) and 2025.2 too', () => {
      expectFindings(seed, CODE, { horizonRelease: '2023.1' });
      expectFindings(seed, CODE, { horizonRelease: '2025.2' });
    });
    it('moves sessions to the cache engine (unsafe) instead of dropping pickle', () => {
      const f = finding(seed, { horizonRelease: '2024.2' });
      assert.equal(f.fix?.applicability, 'unsafe');
      const out = checkFix(seed, f, { horizonRelease: '2024.2' });
      assert.equal(
        out['local_settings.py'],
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL121\n",
      );
    });
    it('stays silent when the user already switched to JSON (that is DSL122)', () => {
      expectFindings(
        {
          'local_settings.py': `SESSION_ENGINE = '${COOKIES}'\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'\n`,
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
    it('stays silent on an unknown engine and on an engine that is cookies only in one branch', () => {
      expectFindings({ 'local_settings.py': "import os\nSESSION_ENGINE = os.environ['ENGINE']\n" }, CODE, {
        horizonRelease: '2024.2',
      });
      const branchy = `import os\nif os.environ.get('DEV'):\n    SESSION_ENGINE = '${COOKIES}'\nelse:\n    SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n`;
      expectFindings({ 'local_settings.py': branchy }, CODE, { horizonRelease: '2024.2' });
    });
    it('judges an engine default, says so, and offers no fix', () => {
      const files = {
        'local_settings.py': `import os\nSESSION_ENGINE = os.environ.get('ENGINE', '${COOKIES}')  #! DSL121\n`,
      };
      expectFindings(files, CODE, { horizonRelease: '2024.2' });
      const f = finding(files, { horizonRelease: '2024.2' });
      assert.match(f.message, /\(if ENGINE is unset\)/);
      assert.equal(f.fix, undefined);
    });
    it('is silent when a later snippet moves sessions back to the cache', () => {
      expectFindings(
        {
          'local_settings.py': `SESSION_ENGINE = '${COOKIES}'\n`,
          'local_settings.d/_50_sessions.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
  });

  describe('Horizon 2026.1 (HorizonSerializer by default)', () => {
    it('is silent for cookie sessions with the default serializer', () => {
      expectFindings({ 'local_settings.py': `SESSION_ENGINE = '${COOKIES}'\n` }, CODE, {
        horizonRelease: '2026.1',
      });
    });
    it('fires on an explicit pickle and offers HorizonSerializer', () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = '${COOKIES}'  #! DSL121\nSESSION_SERIALIZER = '${PICKLE}'\n`,
      };
      expectFindings(files, CODE, { horizonRelease: '2026.1' });
      const out = checkFix(files, finding(files, { horizonRelease: '2026.1' }), { horizonRelease: '2026.1' });
      assert.equal(
        out['local_settings.py'],
        `SESSION_ENGINE = '${COOKIES}'  #! DSL121\nSESSION_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer'\n`,
      );
    });
  });

  describe('plain Django', () => {
    const files = {
      'settings.py': `SESSION_ENGINE = '${COOKIES}'  #! DSL121\nSESSION_SERIALIZER = '${PICKLE}'\n`,
    };
    it('fires on Django 3.2, 4.1, 4.2 and with an unknown version', () => {
      for (const djangoVersion of ['3.2', '4.1', '4.2', '']) expectFindings(files, CODE, { djangoVersion });
    });
    it('is silent on Django 5.0, where pickle cannot even be imported (DSL120 reports that)', () => {
      expectFindings(
        { 'settings.py': `SESSION_ENGINE = '${COOKIES}'\nSESSION_SERIALIZER = '${PICKLE}'\n` },
        CODE,
        { djangoVersion: '5.0' },
      );
    });
    it('offers JSONSerializer', () => {
      const out = checkFix(files, finding(files, { djangoVersion: '4.2' }), { djangoVersion: '4.2' });
      assert.equal(
        out['settings.py'],
        `SESSION_ENGINE = '${COOKIES}'  #! DSL121\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'\n`,
      );
    });
    it("is silent with Django's default JSONSerializer", () => {
      expectFindings({ 'settings.py': `SESSION_ENGINE = '${COOKIES}'\n` }, CODE, { djangoVersion: '4.2' });
    });
  });
});
