/** DSL401: signed-cookie sessions in a Horizon project. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL401'];
const COOKIES = 'django.contrib.sessions.backends.signed_cookies';
const MEMCACHED_BLOCK = `CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '127.0.0.1:11211',
        'OPTIONS': {'ignore_exc': True},
    },
}
`;

function findings(files: Record<string, string>, opts = {}) {
  return lint(files, opts).findings.filter((f) => f.code === 'DSL401');
}

describe('DSL401 horizon-cookie-sessions', () => {
  describe('fires', () => {
    it('on signed_cookies in local_settings.py; the unsafe fix switches to cache sessions on memcached', () => {
      const files = { 'local_settings.py': `DEBUG = False\nSESSION_ENGINE = '${COOKIES}'  #! DSL401\n` };
      const a = expectFindings(files, CODE);
      const f = a.findings.find((x) => x.code === 'DSL401');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /signed cookies \(set in local_settings\.py:2\): .*4 KB cookie limit.*logs users out/,
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': `DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL401\n${MEMCACHED_BLOCK}`,
      });
    });

    it('leaves CACHES alone when a local file already sets it', () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = "${COOKIES}"  #! DSL401\n`,
        'local_settings.d/_10_cache.py':
          "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://10.0.0.5:6379/1'}}\n",
      };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL401');
      assert.deepEqual(
        checkFix(files, f!)['local_settings.py'],
        'SESSION_ENGINE = "django.contrib.sessions.backends.cache"  #! DSL401\n',
      );
    });

    it("is information in the development profile (Horizon's runserver advice)", () => {
      const [f] = findings(
        { 'local_settings.py': `SESSION_ENGINE = '${COOKIES}'\n` },
        { profile: 'development' },
      );
      assert.equal(f?.severity, 'information');
    });

    it("on Horizon's own pre-Stein default, naming it, with a fix appended to local_settings.py", () => {
      const files = { 'local_settings.py': "DEBUG = False  #! DSL401\nSECRET_KEY = 'x'" };
      const a = expectFindings(files, CODE, { horizonRelease: '14.0.0' });
      const f = a.findings.find((x) => x.code === 'DSL401');
      assert.match(f?.message ?? '', /signed cookies \(Horizon's default\)/);
      assert.deepEqual(checkFix(files, f!, { horizonRelease: '14.0.0' }), {
        'local_settings.py': `DEBUG = False  #! DSL401\nSECRET_KEY = 'x'\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n${MEMCACHED_BLOCK}`,
      });
    });

    it('on a visible environment default, saying so, without a fix', () => {
      const files = {
        'local_settings.py': `import os\nSESSION_ENGINE = os.environ.get('SESSION_ENGINE', '${COOKIES}')  #! DSL401\n`,
      };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL401');
      assert.match(f?.message ?? '', /\(if SESSION_ENGINE is unset\)/);
      assert.equal(f?.fix, undefined);
    });
  });

  describe('stays silent', () => {
    it('in a plain Django project', () => {
      expectFindings({ 'settings.py': `SESSION_ENGINE = '${COOKIES}'\n` }, CODE);
    });

    it('on an unknown engine', () => {
      expectFindings(
        { 'local_settings.py': "import os\nSESSION_ENGINE = os.environ['SESSION_ENGINE']\n" },
        CODE,
      );
    });

    it('when only one branch of an undecidable condition uses cookies', () => {
      const text = `import os\nif os.environ.get('DEV'):\n    SESSION_ENGINE = '${COOKIES}'\nelse:\n    SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n`;
      expectFindings({ 'local_settings.py': text }, CODE);
    });

    it("on Horizon's default cache sessions", () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE);
    });
  });
});
