/** DSL504: CSRF_COOKIE_SECURE not True, under the same conditions as Django's security.W016. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL504'];
const CSRF_MW = "MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\n";

describe('DSL504 csrf-cookie-not-secure', () => {
  describe('fires', () => {
    it("in Horizon on Django's default (Horizon's MIDDLEWARE has CsrfViewMiddleware); unsafe fix appends the setting", () => {
      const files = { 'local_settings.py': 'DEBUG = False  #! DSL504\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL504');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /^CSRF_COOKIE_SECURE is False \(Django's default\): browsers also send the CSRF cookie over plain HTTP/,
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': 'DEBUG = False  #! DSL504\nCSRF_COOKIE_SECURE = True\n',
      });
    });

    it('in Horizon after a snippet grew MIDDLEWARE', () => {
      expectFindings(
        {
          'local_settings.py': 'DEBUG = False  #! DSL504\n',
          'local_settings.d/_50_mw.py': "MIDDLEWARE += ['myapp.middleware.Audit']\n",
        },
        CODE,
      );
    });

    it('in Django with CsrfViewMiddleware, replacing an explicit False', () => {
      const files = { 'settings.py': `${CSRF_MW}CSRF_COOKIE_SECURE = False  #! DSL504\n` };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL504');
      assert.deepEqual(checkFix(files, f!), {
        'settings.py': `${CSRF_MW}CSRF_COOKIE_SECURE = True  #! DSL504\n`,
      });
    });
  });

  describe('stays silent', () => {
    it('with CSRF_USE_SESSIONS (no CSRF cookie), or when it is unknown', () => {
      expectFindings({ 'settings.py': `${CSRF_MW}CSRF_USE_SESSIONS = True\n` }, CODE);
      expectFindings({ 'settings.py': `import os\n${CSRF_MW}CSRF_USE_SESSIONS = os.environ['X']\n` }, CODE);
    });

    it('without CsrfViewMiddleware, or when MIDDLEWARE is unknown', () => {
      expectFindings(
        { 'settings.py': "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\n" },
        CODE,
      );
      expectFindings(
        { 'settings.py': 'from base import MIDDLEWARE_LIST\nMIDDLEWARE = MIDDLEWARE_LIST\n' },
        CODE,
      );
    });

    it('on Horizon releases whose MIDDLEWARE is not recorded (pre-Stein)', () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE, { horizonRelease: '14.0.0' });
    });

    it('on True, and in the development profile', () => {
      expectFindings({ 'local_settings.py': 'CSRF_COOKIE_SECURE = True\n' }, CODE);
      assert.equal(
        lint({ 'local_settings.py': 'DEBUG = False\n' }, { profile: 'development' }).findings.filter(
          (f) => f.code === 'DSL504',
        ).length,
        0,
      );
    });
  });
});
