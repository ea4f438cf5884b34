/** DSL502: SESSION_COOKIE_HTTPONLY not True, under the same conditions as Django's security.W013–W015. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODE = ['DSL502'];

describe('DSL502 session-cookie-not-httponly', () => {
  describe('fires', () => {
    it('on False in local_settings.py, with a safe fix to True', () => {
      const files = { 'local_settings.py': 'SESSION_COOKIE_HTTPONLY = False  #! DSL502\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL502');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /^SESSION_COOKIE_HTTPONLY is False \(set in local_settings\.py:1\): any script in the page can read the session cookie/,
      );
      assert.equal(f?.fix?.applicability, 'safe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': 'SESSION_COOKIE_HTTPONLY = True  #! DSL502\n',
      });
      assert.deepEqual(fixAllText(files, { select: CODE }), {
        'local_settings.py': 'SESSION_COOKIE_HTTPONLY = True  #! DSL502\n',
      });
    });

    it('as information in development, and on None in a plain Django project with SessionMiddleware', () => {
      assert.equal(
        lint(
          { 'local_settings.py': 'SESSION_COOKIE_HTTPONLY = 0\n' },
          { profile: 'development' },
        ).findings.find((f) => f.code === 'DSL502')?.severity,
        'information',
      );
      expectFindings(
        {
          'settings.py':
            "MIDDLEWARE = ('django.contrib.sessions.middleware.SessionMiddleware',)\nSESSION_COOKIE_HTTPONLY = None  #! DSL502\n",
        },
        CODE,
      );
    });
  });

  describe('stays silent', () => {
    it("on Django's and Horizon's default True", () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE);
      expectFindings({ 'settings.py': "INSTALLED_APPS = ['django.contrib.sessions']\n" }, CODE);
    });

    it('on unknown values', () => {
      expectFindings(
        { 'local_settings.py': "import os\nSESSION_COOKIE_HTTPONLY = os.environ['HTTPONLY']\n" },
        CODE,
      );
    });

    it('without the sessions app or middleware', () => {
      expectFindings({ 'settings.py': 'SESSION_COOKIE_HTTPONLY = False\n' }, CODE);
    });
  });
});
