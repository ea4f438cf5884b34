/** DSL001: the file does not parse; it is reported at the first error and the rest is still analysed where possible. */
import assert from 'node:assert/strict';
import { expectFindings, lint, onlyFinding } from '../../helpers/rule-harness';

const CODE = ['DSL001'];

describe('DSL001 syntax-error', () => {
  it('fires once, as an error in every profile, at the first syntax error', () => {
    const files = {
      'local_settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nDEBUG = (  #! DSL001\nCACHES = {'default': {}}\n",
    };
    expectFindings(files, CODE);
    for (const profile of ['production', 'development'] as const) {
      const f = onlyFinding('DSL001', files, { profile });
      assert.equal(f.severity, 'error');
      assert.match(
        f.message,
        /^Syntax error.*: this file is not valid Python; later settings may be analysed incompletely\.$/,
      );
    }
    // As CPython reports it: at the bracket left open, not at the line where the parser stumbles.
    assert.match(onlyFinding('DSL001', files).message, /^Syntax error \('\(' was never closed\)/);
  });

  it('names the reason when the parser gives one, and still analyses the statements before the error', () => {
    const files = {
      'local_settings.py':
        "SESSION_ENGINE = 'django.core.cache.backends.db.DatabaseCache'\nx = 'unterminated  #! DSL001\n",
    };
    const a = expectFindings(files, CODE);
    assert.ok(
      a.findings.some((f) => f.code === 'DSL101'),
      'the assignment before the error is still judged',
    );
  });

  it('reports each broken file of a project on its own', () => {
    expectFindings(
      {
        'local_settings.py': 'DEBUG = [1,, 2]  #! DSL001\n',
        'local_settings.d/_10_site.py': 'def f(:  #! DSL001\n',
      },
      CODE,
    );
  });

  it('does not fire on valid Python, including syntax newer parsers added', () => {
    expectFindings(
      {
        'local_settings.py':
          "import os\nmatch os.environ.get('X'):\n    case 'a':\n        DEBUG = True\n    case _:\n        DEBUG = False\nSECRET = f\"{os.environ.get('S', '')!r:>{10}}\"\nif (n := 3) > 2:\n    pass\n",
      },
      CODE,
    );
    assert.equal(lint({ 'local_settings.py': '' }).findings.filter((f) => f.code === 'DSL001').length, 0);
  });
});
