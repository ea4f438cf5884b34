/**
 * Acceptance: every code block of the seed document (test/fixtures/seed/) gives at least the codes rules.md
 * expects, pasted alone into a Horizon local_settings.py with target Django 4.2; once fixed with
 * `--fix --unsafe-fixes` it has no error left, the fixed text is valid Python, and a second fix changes nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertPythonParses, describeFindings, fixAllText, lint } from '../helpers/rule-harness';

const SEED_DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'seed');
const OPTS = { horizonRelease: '2024.2', djangoVersion: '4.2', profile: 'production' as const };

const EXPECTED: Record<string, string[]> = {
  'locmem.py': ['DSL104'],
  'memcached.py': ['DSL108', 'DSL123'],
  'redis.py': ['DSL109', 'DSL110'],
  'database.py': ['DSL301', 'DSL123', 'DSL124'],
  'cached-db.py': ['DSL105'],
  'cookies.py': ['DSL401', 'DSL121'],
};

describe('seed document blocks', () => {
  for (const [file, codes] of Object.entries(EXPECTED)) {
    const text = readFileSync(path.join(SEED_DIR, file), 'utf8');
    it(`${file} gives ${codes.join(', ')}`, () => {
      const a = lint({ 'local_settings.py': text }, OPTS);
      const got = new Set(a.findings.map((f) => f.code));
      for (const c of codes) assert.ok(got.has(c), `${c} missing for ${file}:\n${describeFindings(a)}`);
    });
    it(`${file} has no error after --fix --unsafe-fixes, and a second fix changes nothing`, () => {
      const fixed = fixAllText({ 'local_settings.py': text }, { ...OPTS, unsafe: true });
      const out = fixed['local_settings.py'] as string;
      assertPythonParses(out, file);
      const after = lint({ 'local_settings.py': out }, OPTS);
      const errors = after.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => f.code),
        [],
        `${file} after fixing:\n${out}\n${describeFindings(after)}`,
      );
      const again = fixAllText({ 'local_settings.py': out }, { ...OPTS, unsafe: true });
      assert.equal(again['local_settings.py'], out, 'a second fix changed the text');
    });
  }
  it('the DSL108 memcached finding is an error on Django 4.2 (removed in 4.1)', () => {
    const a = lint({ 'local_settings.py': readFileSync(path.join(SEED_DIR, 'memcached.py'), 'utf8') }, OPTS);
    assert.equal(a.findings.find((f) => f.code === 'DSL108')?.severity, 'error');
  });
});
