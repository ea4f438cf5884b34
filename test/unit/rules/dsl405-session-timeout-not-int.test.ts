/** DSL405: Horizon's SESSION_TIMEOUT must be a number, not a string. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';
import { integerText } from '../../../server/src/core/rules/numeric-setting';

const CODE = ['DSL405'];

describe('DSL405 session-timeout-not-int', () => {
  describe('fires', () => {
    it('on "3600" as an error, with a safe fix that unquotes it', () => {
      const files = { 'local_settings.py': 'SESSION_TIMEOUT = "3600"  #! DSL405\nSESSION_REFRESH = True\n' };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL405');
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /the string '3600', not an integer: .*TypeError, so nobody can log in\. Write 3600\./,
      );
      assert.equal(f?.fix?.applicability, 'safe');
      assert.deepEqual(checkFix(files, f!), {
        'local_settings.py': 'SESSION_TIMEOUT = 3600  #! DSL405\nSESSION_REFRESH = True\n',
      });
      assert.deepEqual(fixAllText(files, { select: CODE }), {
        'local_settings.py': 'SESSION_TIMEOUT = 3600  #! DSL405\nSESSION_REFRESH = True\n',
      });
    });

    it('on a float string, fixed to the whole number; also in development and in a snippet', () => {
      const files = {
        'local_settings.py': '',
        'local_settings.d/_9998_site.py': "SESSION_TIMEOUT = '1800.0'  #! DSL405\n",
      };
      const f = expectFindings(files, CODE, { profile: 'development' }).findings.find(
        (x) => x.code === 'DSL405',
      );
      assert.equal(f?.severity, 'error');
      assert.equal(
        checkFix(files, f!, { profile: 'development' })['local_settings.d/_9998_site.py'],
        'SESSION_TIMEOUT = 1800  #! DSL405\n',
      );
    });

    it('on text that is not a number, and on None, without a fix', () => {
      const a = expectFindings({ 'local_settings.py': "SESSION_TIMEOUT = 'one hour'  #! DSL405\n" }, CODE);
      assert.equal(a.findings.find((x) => x.code === 'DSL405')?.fix, undefined);
      const b = expectFindings({ 'local_settings.py': 'SESSION_TIMEOUT = None  #! DSL405\n' }, CODE);
      assert.match(
        b.findings.find((x) => x.code === 'DSL405')?.message ?? '',
        /SESSION_TIMEOUT is None, not an integer/,
      );
    });

    it('on an environment lookup without a cast, whatever its default: it is a str whenever set', () => {
      for (const [lookup, fixed] of [
        ["os.environ.get('SESSION_TIMEOUT', '1800')", "int(os.environ.get('SESSION_TIMEOUT', '1800'))"],
        ["os.environ.get('SESSION_TIMEOUT', 3600)", "int(os.environ.get('SESSION_TIMEOUT', 3600))"],
        ["os.getenv('SESSION_TIMEOUT', 3600)", "int(os.getenv('SESSION_TIMEOUT', 3600))"],
        ["os.environ['SESSION_TIMEOUT']", "int(os.environ['SESSION_TIMEOUT'])"],
      ] as const) {
        const files = { 'local_settings.py': `import os\nSESSION_TIMEOUT = ${lookup}  #! DSL405\n` };
        const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL405');
        assert.match(
          f?.message ?? '',
          /environment variable SESSION_TIMEOUT without a cast: whenever SESSION_TIMEOUT is set it is a str/,
        );
        assert.equal(f?.fix?.title, 'Wrap in int(...)');
        assert.deepEqual(checkFix(files, f!), {
          'local_settings.py': `import os\nSESSION_TIMEOUT = ${fixed}  #! DSL405\n`,
        });
      }
      const decouple = {
        'local_settings.py':
          "from decouple import config\nSESSION_TIMEOUT = config('SESSION_TIMEOUT', default=3600)  #! DSL405\n",
      };
      expectFindings(decouple, CODE);
    });

    it('on str(...) of a lookup: still a str whenever the variable is set', () => {
      const files = {
        'local_settings.py':
          "import os\nSESSION_TIMEOUT = str(os.environ.get('SESSION_TIMEOUT', '1800'))  #! DSL405\n",
      };
      const f = expectFindings(files, CODE).findings.find((x) => x.code === 'DSL405');
      assert.match(f?.message ?? '', /whenever SESSION_TIMEOUT is set it is a str/);
    });
  });

  describe('stays silent', () => {
    it('on ints and floats (Python compares them with ints)', () => {
      expectFindings({ 'local_settings.py': 'SESSION_TIMEOUT = 3600\n' }, CODE);
      expectFindings({ 'local_settings.py': 'SESSION_TIMEOUT = 1800.5\n' }, CODE);
    });

    it("on Horizon's default and on unknown values", () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE);
      expectFindings(
        {
          'local_settings.py':
            "import os\nSESSION_TIMEOUT = int(os.environ.get('SESSION_TIMEOUT', '1800'))\n",
        },
        CODE,
      );
      for (const cast of [
        "from decouple import config\nSESSION_TIMEOUT = config('SESSION_TIMEOUT', default=3600, cast=int)",
        "import environ\nenv = environ.Env()\nSESSION_TIMEOUT = env.int('SESSION_TIMEOUT', default=3600)",
        "import environ\nenv = environ.Env(SESSION_TIMEOUT=(int, 3600))\nSESSION_TIMEOUT = env('SESSION_TIMEOUT')",
      ])
        expectFindings({ 'local_settings.py': `${cast}\n` }, CODE);
    });

    it('when only one branch of an undecidable condition is a string', () => {
      expectFindings(
        {
          'local_settings.py':
            "import os\nSESSION_TIMEOUT = 3600\nif os.environ.get('X'):\n    SESSION_TIMEOUT = '60'\n",
        },
        CODE,
      );
    });

    it('in a plain Django project', () => {
      assert.equal(
        lint({ 'settings.py': 'SESSION_TIMEOUT = "3600"\n' }).findings.filter((f) => f.code === 'DSL405')
          .length,
        0,
      );
    });
  });

  it('reads integer text as Python int(float(...)) would, and refuses the rest', () => {
    assert.equal(integerText(' 3600 '), '3600');
    assert.equal(integerText('3.6e3'), '3600');
    assert.equal(integerText('1_800'), '1800');
    assert.equal(integerText('1.5'), undefined);
    assert.equal(integerText('-60'), undefined);
    assert.equal(integerText('1e400'), undefined);
    assert.equal(integerText('abc'), undefined);
  });
});
