/** Unit tests of command-line parsing: defaults, comma lists, implied flags, and usage errors; plus the version constant against package.json. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCliArgs, UsageError, type Command } from '../../server/src/cli/args';
import { TOOL_NAME, TOOL_VERSION } from '../../server/src/node/version';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { REPO_ROOT } from './cli-harness';

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  assert.fail(`no usage error for ${argv.join(' ')}`);
}

describe('cli: argument parsing', () => {
  it('has defaults for everything but the paths', () => {
    const c: Command = parseCliArgs(['.']);
    assert.deepEqual(c, {
      command: 'lint',
      paths: ['.'],
      format: 'text',
      failOn: 'error',
      fix: false,
      diff: false,
      stats: false,
      noColor: false,
      quiet: false,
      debug: false,
      showProjects: false,
      horizonSettings: undefined,
      options: DEFAULT_OPTIONS,
      given: [],
      showSettings: undefined,
      stdinFilename: undefined,
      addNoqa: false,
      threads: undefined,
    });
  });

  it('lists the flags given that a configuration file can also set, so they override it', () => {
    const c = parseCliArgs(['.', '--profile', 'auto', '--fail-on=error', '--select', 'DSL1', '--stats']);
    assert.equal(c.command, 'lint');
    assert.deepEqual(c.command === 'lint' ? [...c.given].sort() : [], ['--fail-on', '--profile', '--select']);
  });

  it('reads every option', () => {
    const c = parseCliArgs([
      'a',
      'b',
      '--format=json',
      '--profile',
      'development',
      '--django-version',
      '4.2',
      '--horizon-release',
      '2024.1',
      '--horizon-settings',
      'hz/settings.py',
      '--select',
      'dsl1, DSL401',
      '--select',
      'DSL5',
      '--ignore',
      'DSL104,',
      '--fix',
      '--unsafe-fixes',
      '--fail-on',
      'warning',
      '--stats',
      '--no-color',
      '-q',
      '--debug',
    ]);
    assert.equal(c.command, 'lint');
    if (c.command !== 'lint') return;
    assert.deepEqual(c.paths, ['a', 'b']);
    assert.deepEqual(
      [c.format, c.failOn, c.fix, c.diff, c.stats, c.noColor, c.quiet, c.debug, c.horizonSettings],
      ['json', 'warning', true, false, true, true, true, true, 'hz/settings.py'],
    );
    assert.deepEqual(c.options, {
      profile: 'development',
      djangoVersion: '4.2',
      horizonRelease: '2024.1',
      select: ['DSL1', 'DSL401', 'DSL5'],
      ignore: ['DSL104'],
      severity: {},
      unsafeFixes: true,
      // Editor-only; the CLI leaves them at their defaults.
      inlineValues: 'codeLens',
      inlineDefaults: true,
    });
  });

  it('--show-projects prints text or JSON, not SARIF', () => {
    const c = parseCliArgs(['--show-projects', '--format', 'json', '.']);
    assert.ok(c.command === 'lint' && c.showProjects);
    assert.throws(
      () => parseCliArgs(['--show-projects', '--format', 'sarif', '.']),
      /text or JSON, not sarif/,
    );
  });

  it('--diff implies --fix', () => {
    const c = parseCliArgs(['--diff', '.']);
    assert.ok(c.command === 'lint' && c.fix && c.diff);
  });

  it('help, version and explain need no paths', () => {
    assert.deepEqual(parseCliArgs(['--help']), { command: 'help' });
    assert.deepEqual(parseCliArgs(['-V']), { command: 'version' });
    assert.deepEqual(parseCliArgs(['--explain', 'dsl104']), {
      command: 'explain',
      code: 'DSL104',
      format: 'text',
    });
    assert.deepEqual(parseCliArgs(['rule', 'DSL101', '--format', 'json']), {
      command: 'explain',
      code: 'DSL101',
      format: 'json',
    });
    // A directory called `rule` is still a path when no code follows.
    assert.deepEqual(parseCliArgs(['rule']).command, 'lint');
  });

  it('rejects bad values with one readable line', () => {
    assert.equal(
      usageError(['--profile', 'prod', '.']),
      '--profile: invalid option: expected one of "production"|"development"|"auto" (got \'prod\')',
    );
    assert.equal(
      usageError(['--ignore', 'DSL1,X', '.']),
      "--ignore: expected a code like DSL104 or a prefix like DSL1 (got 'X')",
    );
    assert.equal(usageError(['--nope']), "unknown option '--nope'");
    assert.equal(usageError(['-x']), "unknown option '-x'");
    assert.equal(usageError(['--horizon-settings=', '.']), '--horizon-settings: expected a path');
  });
});

describe('cli: version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    assert.deepEqual([TOOL_NAME, TOOL_VERSION], [pkg.name, pkg.version]);
  });

  it('bin/django-session-lint.js runs the bundle', () => {
    const bin = fs.readFileSync(path.join(REPO_ROOT, 'bin/django-session-lint.js'), 'utf8');
    assert.match(bin, /^#!\/usr\/bin\/env node\n/);
    assert.match(bin, /require\('\.\.\/dist\/cli\.js'\)/);
    assert.ok(
      (fs.statSync(path.join(REPO_ROOT, 'bin/django-session-lint.js')).mode & 0o111) !== 0,
      'executable',
    );
  });
});
