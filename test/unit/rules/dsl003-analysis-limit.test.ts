/** DSL003: a file over the size limit or nested deeper than the limits is analysed only up to the limit, and says which. */
import assert from 'node:assert/strict';
import { expectFindings, lint, onlyFinding } from '../../helpers/rule-harness';

const CODE = ['DSL003'];

describe('DSL003 analysis-limit', () => {
  it('fires on brackets nested deeper than CPython allows, naming the limit and its line', () => {
    const deep = `X = ${'['.repeat(250)}${']'.repeat(250)}`;
    const files = { 'local_settings.py': `DEBUG = False\n${deep}\n` };
    const f = onlyFinding('DSL003', files);
    assert.equal(f.severity, 'information');
    assert.match(
      f.message,
      /^Analysis limit reached \(brackets nested deeper than 200, CPython's limit \(line 2\)\); the rest of this file is not analysed\.$/,
    );
  });

  it('fires on a file larger than the size limit, at the statement it cuts, and analyses what comes before', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.core.cache.backends.db.DatabaseCache'\nPAD = '${'x'.repeat(2_000_100)}'\nDEBUG = True\n`,
    };
    const f = onlyFinding('DSL003', files);
    assert.match(f.message, /file is larger than 2000000 characters/);
    assert.equal(lint(files).lineOf(f.span), 2);
    // The engine before the limit is still judged.
    onlyFinding('DSL101', files);
  });

  it('in a file larger than the size limit, still finds brackets nested too deep before the cut, and only there', () => {
    const deep = `X = ${'['.repeat(250)}${']'.repeat(250)}\n`;
    const pad = `PAD = '${'x'.repeat(2_000_100)}'\n`;
    const before = onlyFinding('DSL003', { 'local_settings.py': `DEBUG = False\n${deep}${pad}` });
    assert.match(before.message, /brackets nested deeper than 200, CPython's limit \(line 2\)/);
    const after = onlyFinding('DSL003', { 'local_settings.py': `DEBUG = False\n${pad}${deep}` });
    assert.match(after.message, /file is larger than 2000000 characters/);
  });

  it('leaves every finding of the project without a fix: what the limit cut off cannot judge one', () => {
    const head =
      "DEBUG = False\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n" +
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n";
    // Without a limit, DSL104's fix is verified and offered.
    assert.ok(onlyFinding('DSL104', { 'local_settings.py': head }).fix);
    for (const tail of [`PAD = '${'x'.repeat(2_000_100)}'\n`, `X = ${'['.repeat(250)}${']'.repeat(250)}\n`]) {
      const a = lint({ 'local_settings.py': head + tail });
      assert.ok(a.findings.some((f) => f.code === 'DSL003'));
      assert.ok(a.findings.some((f) => f.code === 'DSL104'));
      assert.deepEqual(
        a.findings.filter((f) => f.fix).map((f) => f.code),
        [],
      );
    }
  });

  it('does not fire on ordinary files, nor on nesting within the limits', () => {
    expectFindings({ 'local_settings.py': `X = ${'['.repeat(50)}${']'.repeat(50)}\nDEBUG = False\n` }, CODE);
  });
});
