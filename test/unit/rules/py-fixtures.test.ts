/**
 * Rule tests as plain Python files: every `test/fixtures/rules/<code>/*.py` is one settings file, linted alone;
 * the findings of <code> must be exactly the lines marked with a trailing `#! <CODE>` comment (as in the
 * rule harness), and every fix offered must give valid Python that removes its finding. An optional first
 * line `# lint: kind=django profile=development django=4.2` sets the project kind (default horizon: the file
 * is local_settings.py; django: settings.py), the profile and the target Django version.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotatedKeys, expectFindings, type LintOptions } from '../../helpers/rule-harness';
import { REPO_ROOT } from '../../tools/generate-rule-docs';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');

/** The options a `# lint: key=value …` first line asks for. */
export function fixtureOptions(text: string): { file: string; options: LintOptions } {
  const header = /^# lint:(.*)$/m.exec(text.split('\n', 1)[0] ?? '');
  const options: LintOptions = {};
  for (const pair of (header?.[1] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (key === 'kind' && (value === 'django' || value === 'horizon')) options.kind = value;
    else if (key === 'profile' && (value === 'production' || value === 'development'))
      options.profile = value;
    else if (key === 'django' && value) options.versionFiles = { 'requirements.txt': `Django==${value}\n` };
    else throw new Error(`unknown fixture option '${pair}'`);
  }
  return { file: options.kind === 'django' ? 'settings.py' : 'local_settings.py', options };
}

const dirs = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).sort() : [];

describe('rule fixtures (test/fixtures/rules/<code>/*.py)', () => {
  it('are named after rule codes and hold at least one fixture that expects a finding', () => {
    assert.ok(dirs.length > 0, 'no fixture directories');
    for (const dir of dirs) {
      assert.match(dir, /^dsl\d{3}$/, `fixture directory ${dir} is not a rule code`);
      const texts = fs
        .readdirSync(path.join(FIXTURES, dir))
        .filter((n) => n.endsWith('.py'))
        .map((n) => fs.readFileSync(path.join(FIXTURES, dir, n), 'utf8'));
      assert.ok(
        texts.some((t) => annotatedKeys({ f: t }).length > 0),
        `${dir}: no fixture marks a finding with #! ${dir.toUpperCase()}`,
      );
    }
  });

  it('reads the header line', () => {
    assert.deepEqual(fixtureOptions('# lint: kind=django django=4.2\nX = 1\n'), {
      file: 'settings.py',
      options: { kind: 'django', versionFiles: { 'requirements.txt': 'Django==4.2\n' } },
    });
    assert.deepEqual(fixtureOptions('X = 1\n'), { file: 'local_settings.py', options: {} });
    assert.throws(() => fixtureOptions('# lint: colour=red\n'), /unknown fixture option 'colour=red'/);
  });

  for (const dir of dirs) {
    const code = dir.toUpperCase();
    for (const name of fs
      .readdirSync(path.join(FIXTURES, dir))
      .filter((n) => n.endsWith('.py'))
      .sort()) {
      it(`${code} ${name}`, () => {
        const text = fs.readFileSync(path.join(FIXTURES, dir, name), 'utf8');
        const { file, options } = fixtureOptions(text);
        expectFindings({ [file]: text }, [code], options);
      });
    }
  }
});
