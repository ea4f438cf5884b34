/** node/config.ts: parsing the configuration file (tables, lines of keys and sub-tables, did-you-mean, TOML errors), finding the nearest file, and matching exclude / per-file-ignores globs. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  ConfigFinder,
  isExcluded,
  isIgnoredInFile,
  lineOf,
  parseConfig,
  suggestKey,
} from '../../server/src/node/config';

describe('configuration file: parsing', () => {
  it('reads [tool.django-session-lint] (quoted or not) and skips a pyproject.toml without it', () => {
    assert.equal(
      parseConfig('/p/pyproject.toml', '[project]\nname = "x"\n[tool.ruff]\nselect = ["E"]\n'),
      undefined,
    );
    const quoted = parseConfig('/p/pyproject.toml', '[tool."django-session-lint"]\nselect = ["DSL1"]\n');
    assert.deepEqual(quoted?.values, { select: ['DSL1'] });
    assert.deepEqual(quoted?.lines, { select: 2 });
    assert.deepEqual(quoted?.problems, []);
  });

  it('gives the line of a key in a sub-table or an inline table', () => {
    const text = [
      '[tool.django-session-lint]', // 1
      'exclude = ["build"]', // 2
      '', // 3
      '[tool.django-session-lint.per-file-ignores]', // 4
      '"dev/*.py" = ["DSL5"]', // 5
      '"old.py" = ["nope"]', // 6
    ].join('\n');
    const c = parseConfig('/p/pyproject.toml', text);
    assert.equal(c?.lines['per-file-ignores'], 4);
    assert.deepEqual(
      c?.problems.map((p) => [p.line, p.message]),
      [
        [
          6,
          `invalid value for 'per-file-ignores."old.py"[0]' in [tool.django-session-lint]: expected a code like DSL104 or a prefix like DSL1 (got 'nope')`,
        ],
      ],
    );
    assert.deepEqual(c?.values.exclude, ['build'], 'the valid keys are kept');
    assert.equal(
      lineOf('a = 1\n"per-file-ignores" = { "x" = ["DSL1"] }\n', '', ['per-file-ignores', 'x']),
      2,
    );
  });

  it('suggests the key meant, and lists the keys when nothing is close', () => {
    assert.equal(suggestKey('selct'), 'select');
    assert.equal(suggestKey('django_version'), 'django-version');
    assert.equal(suggestKey('failon'), 'fail-on');
    assert.equal(suggestKey('cache'), undefined);
    const c = parseConfig('/p/.django-session-lint.toml', 'cache = 1\n');
    assert.match(
      c?.problems[0]?.message ?? '',
      /^unknown key 'cache' in \.django-session-lint\.toml \(known keys: select, ignore, /,
    );
  });

  it('reports invalid TOML with its line and a table of the wrong type, never throwing', () => {
    const bad = parseConfig('/p/.django-session-lint.toml', 'select = ["DSL1"]\n\nprofile = \n');
    assert.equal(bad?.problems[0]?.line, 3);
    assert.match(bad?.problems[0]?.message ?? '', /^invalid TOML: /);
    const notTable = parseConfig('/p/pyproject.toml', '[tool]\n"django-session-lint" = 3\n');
    assert.equal(notTable?.problems[0]?.message, '[tool.django-session-lint] must be a table');
    // A pyproject.toml that is not TOML and does not mention the tool is not ours to judge.
    assert.equal(parseConfig('/p/pyproject.toml', '[project\n'), undefined);
    const deep = `select = ${'['.repeat(5000)}`;
    assert.ok(parseConfig('/p/.django-session-lint.toml', deep)?.problems.length);
  });
});

describe('configuration file: finding and matching', () => {
  const files: Record<string, string> = {
    '/r/pyproject.toml': '[tool.django-session-lint]\nprofile = "production"\n',
    '/r/a/pyproject.toml': '[project]\nname = "a"\n',
    '/r/b/pyproject.toml': '[tool.django-session-lint]\nprofile = "development"\n',
    '/r/b/.django-session-lint.toml': 'profile = "auto"\n',
  };
  const reads: string[] = [];
  const finder = new ConfigFinder((f) => {
    reads.push(f);
    return files[f];
  });

  it('walks up to the nearest file; the standalone file wins in one directory; answers are cached', () => {
    assert.equal(finder.forFile('/r/a/x/settings.py')?.file, '/r/pyproject.toml');
    assert.equal(finder.forFile('/r/b/settings.py')?.file, '/r/b/.django-session-lint.toml');
    assert.equal(finder.forFile('/elsewhere/settings.py'), undefined);
    const count = reads.length;
    finder.forFile('/r/a/x/other.py');
    assert.equal(reads.length, count, 'cached');
    finder.clear();
    finder.forFile('/r/a/x/other.py');
    assert.ok(reads.length > count, 'read again after clear()');
  });

  it('matches exclude and per-file-ignores globs relative to the file, by path or by name', () => {
    const c = parseConfig(
      '/r/pyproject.toml',
      '[tool.django-session-lint]\nexclude = ["build", "deploy/old/**", "*.j2"]\n[tool.django-session-lint.per-file-ignores]\n"dev/*.py" = ["DSL5", "DSL104"]\n',
    );
    assert.ok(c);
    assert.equal(isExcluded(c, '/r/build/settings.py'), true);
    assert.equal(isExcluded(c, '/r/x/build/y/settings.py'), true, 'a name without / at any depth');
    assert.equal(isExcluded(c, '/r/deploy/old/a/settings.py'), true);
    assert.equal(isExcluded(c, '/r/deploy/new/settings.py'), false);
    assert.equal(isExcluded(c, '/r/t/local_settings.py.j2'), true);
    assert.equal(isExcluded(c, path.join('/other', 'build', 'settings.py')), false, 'outside the directory');
    assert.equal(isIgnoredInFile(c, '/r/dev/settings.py', 'DSL501'), true);
    assert.equal(isIgnoredInFile(c, '/r/dev/settings.py', 'DSL104'), true);
    assert.equal(isIgnoredInFile(c, '/r/dev/settings.py', 'DSL105'), false);
    assert.equal(isIgnoredInFile(c, '/r/prod/settings.py', 'DSL501'), false);
  });

  it('refuses empty globs in the schema and never throws on odd ones', () => {
    const empty = parseConfig('/r/.django-session-lint.toml', 'exclude = [""]\n');
    assert.match(empty?.problems[0]?.message ?? '', /^invalid value for 'exclude\[0\]' .*expected a glob/);
    for (const glob of ['[', '{a,', '!(x', '\\\\', '***']) {
      const c = parseConfig('/r/.django-session-lint.toml', `exclude = [${JSON.stringify(glob)}]\n`);
      assert.doesNotThrow(() => isExcluded(c, '/r/a/settings.py'), glob);
    }
  });
});
