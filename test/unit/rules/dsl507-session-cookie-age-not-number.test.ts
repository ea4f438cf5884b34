/** DSL507: SESSION_COOKIE_AGE must be a number of seconds, not a string, None or a container. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint, onlyFinding } from '../../helpers/rule-harness';

const CODE = ['DSL507'];

describe('DSL507 session-cookie-age-not-number', () => {
  describe('fires', () => {
    it('on a quoted number in a Django project, as an error with a safe fix that unquotes it', () => {
      const files = { 'settings.py': "SESSION_COOKIE_AGE = '1209600'  #! DSL507\n" };
      const f = onlyFinding('DSL507', files, { kind: 'django' });
      expectFindings(files, CODE, { kind: 'django' });
      assert.equal(f.severity, 'error');
      assert.match(
        f.message,
        /^SESSION_COOKIE_AGE is the string '1209600', not a number of seconds: .*TypeError .*\. Write 1209600\.$/,
      );
      assert.equal(f.fix?.applicability, 'safe');
      assert.equal(
        checkFix(files, f, { kind: 'django' })['settings.py'],
        'SESSION_COOKIE_AGE = 1209600  #! DSL507\n',
      );
      assert.deepEqual(fixAllText(files, { kind: 'django', select: CODE }), {
        'settings.py': 'SESSION_COOKIE_AGE = 1209600  #! DSL507\n',
      });
    });

    it('on None and on text that is not a number, without a fix, in development too', () => {
      const none = onlyFinding(
        'DSL507',
        { 'local_settings.py': 'SESSION_COOKIE_AGE = None\n' },
        { profile: 'development' },
      );
      assert.equal(none.severity, 'error');
      assert.match(none.message, /SESSION_COOKIE_AGE is None, not a number of seconds/);
      const words = expectFindings(
        { 'local_settings.py': "SESSION_COOKIE_AGE = 'two weeks'  #! DSL507\n" },
        CODE,
      );
      assert.equal(words.findings.find((x) => x.code === 'DSL507')?.fix, undefined);
    });

    it('on an environment lookup without a cast, whatever its default, with a fix that wraps it in int()', () => {
      const files = {
        'local_settings.py':
          "import os\nSESSION_COOKIE_AGE = os.environ.get('COOKIE_AGE', 3600)  #! DSL507\n",
      };
      const f = onlyFinding('DSL507', files);
      expectFindings(files, CODE);
      assert.match(f.message, /environment variable COOKIE_AGE without a cast/);
      assert.equal(
        checkFix(files, f)['local_settings.py'],
        "import os\nSESSION_COOKIE_AGE = int(os.environ.get('COOKIE_AGE', 3600))  #! DSL507\n",
      );
    });
  });

  describe('does not fire', () => {
    it('on ints, floats, expressions, casts, unknown values and the default', () => {
      for (const value of [
        '1209600',
        '60 * 60 * 24 * 14',
        '3600.5',
        "int(os.environ.get('COOKIE_AGE', '3600'))",
        "os.environ['COOKIE_AGE'] if False else 3600",
        'compute_age()',
      ]) {
        expectFindings({ 'local_settings.py': `import os\nSESSION_COOKIE_AGE = ${value}\n` }, CODE);
      }
      assert.equal(lint({ 'local_settings.py': '' }).findings.filter((f) => f.code === 'DSL507').length, 0);
    });

    it('when only some possibilities are strings (an undecided branch)', () => {
      expectFindings(
        {
          'local_settings.py':
            "from site_config import enabled\nif enabled():\n    SESSION_COOKIE_AGE = '3600'\nelse:\n    SESSION_COOKIE_AGE = 3600\n",
        },
        CODE,
      );
    });
  });
});
