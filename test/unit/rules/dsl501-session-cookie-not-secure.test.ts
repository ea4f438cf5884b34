/** DSL501: SESSION_COOKIE_SECURE not True, under the same conditions as Django's security.W010–W012. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODE = ['DSL501'];
const APPS = "INSTALLED_APPS = ['django.contrib.sessions']\n";

function only(files: Record<string, string>, opts = {}) {
  return lint(files, opts).findings.filter((f) => f.code === 'DSL501');
}

describe('DSL501 session-cookie-not-secure', () => {
  describe('fires', () => {
    it("on Horizon's default False, at the top of local_settings.py; the unsafe fix appends the setting", () => {
      const files = { 'local_settings.py': 'DEBUG = False  #! DSL501\nTIME_ZONE = "UTC"' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL501');
      assert.equal(f?.severity, 'warning');
      assert.equal(
        f?.message,
        "SESSION_COOKIE_SECURE is False (Horizon's default): browsers also send the session cookie over plain HTTP, where it can be stolen to take over a logged-in session; set it to True when the site is served over HTTPS.",
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      const fixed = {
        'local_settings.py': 'DEBUG = False  #! DSL501\nTIME_ZONE = "UTC"\nSESSION_COOKIE_SECURE = True\n',
      };
      assert.deepEqual(checkFix(files, f!), fixed);
      // Unsafe: not applied by a plain --fix; applied once (and only once) with --unsafe-fixes.
      assert.deepEqual(fixAllText(files, { select: CODE }), files);
      assert.deepEqual(fixAllText(files, { select: CODE, unsafe: true }), fixed);
      assert.deepEqual(fixAllText(fixed, { select: CODE, unsafe: true }), fixed);
    });

    it('on an explicit False, replacing the literal', () => {
      const files = { 'local_settings.py': 'SESSION_COOKIE_SECURE = False  #! DSL501\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL501');
      assert.match(f?.message ?? '', /is False \(set in local_settings\.py:1\)/);
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': 'SESSION_COOKIE_SECURE = True  #! DSL501\n',
      });
    });

    it('on 1, because Django tests `is True`', () => {
      expectFindings({ 'settings.py': `${APPS}SESSION_COOKIE_SECURE = 1  #! DSL501\n` }, CODE);
    });

    it("in a plain Django project with the sessions app and Django's default, at the top of settings.py", () => {
      const files = {
        'settings.py': "INSTALLED_APPS = ['django.contrib.sessions']  #! DSL501\nDEBUG = False\n",
      };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL501');
      assert.match(f?.message ?? '', /\(Django's default\)/);
      assert.equal(
        checkFix(files, f!)['settings.py'],
        `INSTALLED_APPS = ['django.contrib.sessions']  #! DSL501\nDEBUG = False\nSESSION_COOKIE_SECURE = True\n`,
      );
    });

    it('with only SessionMiddleware (W011)', () => {
      expectFindings(
        {
          'settings.py':
            "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\nSESSION_COOKIE_SECURE = False  #! DSL501\n",
        },
        CODE,
      );
    });

    it("when Horizon's real settings.py sets False: the fix goes into local_settings.py", () => {
      const files = {
        'openstack_dashboard/settings.py':
          "INSTALLED_APPS = ['django.contrib.sessions']\nSESSION_COOKIE_SECURE = False\nfrom local.local_settings import *\n",
        'local_settings.py': 'DEBUG = False  #! DSL501\n',
      };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL501');
      assert.match(f?.message ?? '', /set by Horizon's settings\.py \(openstack_dashboard\/settings\.py:2\)/);
      const fixed = checkFix(files, f!);
      assert.equal(fixed['local_settings.py'], 'DEBUG = False  #! DSL501\nSESSION_COOKIE_SECURE = True\n');
      assert.equal(fixed['openstack_dashboard/settings.py'], files['openstack_dashboard/settings.py']);
    });

    it('on a visible environment default False, saying so, without a fix', () => {
      const f = expectFindings(
        {
          'local_settings.py':
            "import os\nSESSION_COOKIE_SECURE = os.environ.get('SECURE', False)  #! DSL501\n",
        },
        CODE,
      ).findings.find((x) => x.code === 'DSL501');
      assert.match(f?.message ?? '', /\(if SECURE is unset\)/);
      assert.equal(f?.fix, undefined);
    });
  });

  describe('stays silent', () => {
    it('on True', () => {
      expectFindings({ 'local_settings.py': 'SESSION_COOKIE_SECURE = True\n' }, CODE);
    });

    it('on unknown values and on a visible default True', () => {
      expectFindings(
        { 'local_settings.py': "import os\nSESSION_COOKIE_SECURE = os.environ['SECURE'] == 'yes'\n" },
        CODE,
      );
      expectFindings(
        { 'local_settings.py': "import os\nSESSION_COOKIE_SECURE = os.environ.get('SECURE', True)\n" },
        CODE,
      );
    });

    it('in the development profile', () => {
      assert.equal(
        only({ 'local_settings.py': 'SESSION_COOKIE_SECURE = False\n' }, { profile: 'development' }).length,
        0,
      );
    });

    it('when sessions are not in use, or INSTALLED_APPS/MIDDLEWARE are unknown (Django could disagree)', () => {
      expectFindings({ 'settings.py': 'DEBUG = False\n' }, CODE);
      expectFindings({ 'settings.py': "INSTALLED_APPS = ['django.contrib.auth']\nMIDDLEWARE = []\n" }, CODE);
      expectFindings({ 'settings.py': 'from myapps import get_apps\nINSTALLED_APPS = get_apps()\n' }, CODE);
    });
  });
});
