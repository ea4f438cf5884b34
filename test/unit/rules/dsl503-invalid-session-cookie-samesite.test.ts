/** DSL503: SESSION_COOKIE_SAMESITE strings Django rejects at response time. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings } from '../../helpers/rule-harness';

const CODE = ['DSL503'];

describe('DSL503 invalid-session-cookie-samesite', () => {
  describe('fires', () => {
    it("on an unknown word as an error; the safe fix writes Django's default 'Lax'", () => {
      const files = { 'settings.py': "SESSION_COOKIE_SAMESITE = 'Relaxed'  #! DSL503\n" };
      const f = expectFindings(files, CODE, { profile: 'development' }).findings.find(
        (x) => x.code === 'DSL503',
      );
      assert.equal(f?.severity, 'error');
      assert.equal(
        f?.message,
        "SESSION_COOKIE_SAMESITE 'Relaxed' is not 'Lax', 'Strict' or 'None': Django raises ValueError when it sets the session cookie, so logins fail with HTTP 500.",
      );
      assert.equal(f?.fix?.applicability, 'safe');
      assert.deepEqual(checkFix(files, f!), {
        'settings.py': "SESSION_COOKIE_SAMESITE = 'Lax'  #! DSL503\n",
      });
    });

    it('on stray spaces, fixed safely to the valid spelling', () => {
      const files = { 'local_settings.py': 'SESSION_COOKIE_SAMESITE = " strict"  #! DSL503\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL503');
      assert.match(f?.message ?? '', /Did you mean 'Strict'\?/);
      assert.equal(f?.fix?.applicability, 'safe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': 'SESSION_COOKIE_SAMESITE = "Strict"  #! DSL503\n',
      });
    });

    it('on a misspelling, with an unsafe guess', () => {
      const files = { 'settings.py': "SESSION_COOKIE_SAMESITE = 'Stict'  #! DSL503\n" };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL503');
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.deepEqual(checkFix(files, f!), {
        'settings.py': "SESSION_COOKIE_SAMESITE = 'Strict'  #! DSL503\n",
      });
    });

    it('on an environment default, saying so, without a fix', () => {
      const f = expectFindings(
        {
          'settings.py':
            "import os\nSESSION_COOKIE_SAMESITE = os.environ.get('SAMESITE', 'yes')  #! DSL503\n",
        },
        CODE,
      ).findings.find((x) => x.code === 'DSL503');
      assert.match(f?.message ?? '', /'yes' \(if SAMESITE is unset\)/);
      assert.equal(f?.fix, undefined);
    });
  });

  describe('stays silent', () => {
    it('on valid values in any case, and on values that leave the flag out', () => {
      for (const v of ["'Lax'", "'strict'", "'NONE'", 'None', 'False', "''"])
        expectFindings({ 'settings.py': `SESSION_COOKIE_SAMESITE = ${v}\n` }, CODE);
    });

    it('on unknown values, and when another branch is valid', () => {
      expectFindings(
        { 'settings.py': "import os\nSESSION_COOKIE_SAMESITE = os.environ['SAMESITE']\n" },
        CODE,
      );
      expectFindings(
        {
          'settings.py':
            "import os\nSESSION_COOKIE_SAMESITE = 'Lax'\nif os.environ.get('X'):\n    SESSION_COOKIE_SAMESITE = 'bogus'\n",
        },
        CODE,
      );
    });
  });
});
