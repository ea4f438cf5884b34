/** End-to-end tests of exit codes (--fail-on matrix, usage errors, missing paths), --explain / rule, --version and --help. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  assertBundle,
  CLASS_PATH_ENGINE,
  CLI_BUNDLE,
  LOCMEM_SETTINGS,
  makeProject,
  removeProject,
  runCli,
} from './cli-harness';

describe('cli: exit codes', () => {
  let dir = '';
  before(() => {
    assertBundle();
    dir = makeProject({
      'error/settings.py': CLASS_PATH_ENGINE,
      'warning/settings.py': LOCMEM_SETTINGS,
      'clean/settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
    });
  });
  after(() => removeProject(dir));

  // [project, extra args, fail-on → expected exit code]
  const matrix: [string, string[], Record<string, number>][] = [
    ['error', ['--select', 'DSL101'], { error: 1, warning: 1, information: 1, never: 0 }],
    ['warning', ['--select', 'DSL104'], { error: 0, warning: 1, information: 1, never: 0 }],
    [
      'warning',
      ['--select', 'DSL104', '--profile', 'development'],
      { error: 0, warning: 0, information: 1, never: 0 },
    ],
    ['clean', ['--select', 'DSL101,DSL104'], { error: 0, warning: 0, information: 0, never: 0 }],
  ];
  for (const [name, extra, expected] of matrix) {
    for (const [failOn, code] of Object.entries(expected)) {
      it(`${name} ${extra.join(' ')} --fail-on ${failOn} → ${code}`, () => {
        const r = runCli([`${name}/settings.py`, ...extra, '--fail-on', failOn, '--quiet'], dir);
        assert.equal(r.status, code, r.stdout + r.stderr);
      });
    }
  }

  it('defaults to --fail-on error', () => {
    assert.equal(runCli(['error/settings.py', '--select', 'DSL101'], dir).status, 1);
    assert.equal(runCli(['warning/settings.py', '--select', 'DSL104'], dir).status, 0);
  });

  const usage: [string[], string][] = [
    [['--bogus', 'clean'], "django-session-lint: error: unknown option '--bogus' (see --help)\n"],
    [
      ['--django-version', '4', 'clean'],
      'django-session-lint: error: --django-version: expected a Django version like "4.2" (got \'4\')\n',
    ],
    [
      ['--django-version', 'latest', 'clean'],
      'django-session-lint: error: --django-version: expected a Django version like "4.2" (got \'latest\')\n',
    ],
    [
      ['--horizon-release', 'zedd', 'clean'],
      'django-session-lint: error: --horizon-release: expected a Horizon release like "2024.1", "23.4.0" or "zed" (got \'zedd\')\n',
    ],
    [
      ['--format', 'xml', 'clean'],
      "django-session-lint: error: --format: expected one of text, json, sarif, github, gitlab (got 'xml')\n",
    ],
    [
      ['--fail-on', 'hint', 'clean'],
      "django-session-lint: error: --fail-on: expected one of error, warning, information, never (got 'hint')\n",
    ],
    [
      ['--select', 'E501', 'clean'],
      "django-session-lint: error: --select: expected a code like DSL104 or a prefix like DSL1 (got 'E501')\n",
    ],
    [['--format'], 'django-session-lint: error: --format needs a value (see --help)\n'],
    [['--fix=yes', 'clean'], 'django-session-lint: error: --fix does not take a value (see --help)\n'],
    [
      ['--diff', '--format', 'sarif', 'clean'],
      'django-session-lint: error: --diff prints a unified diff and cannot be combined with --format sarif (see --help)\n',
    ],
    [[], 'django-session-lint: error: no paths given; for example: django-session-lint . (see --help)\n'],
  ];
  for (const [args, stderr] of usage) {
    it(`exits 2 with one line for: ${args.join(' ') || '(no arguments)'}`, () => {
      const r = runCli(args, dir);
      assert.deepEqual([r.status, r.stdout, r.stderr], [2, '', stderr]);
    });
  }

  it('exits 2 with one line for a missing path, and prints nothing else', () => {
    const r = runCli(['no/such/settings.py'], dir);
    assert.deepEqual(
      [r.status, r.stdout, r.stderr],
      [2, '', 'django-session-lint: error: no/such/settings.py: no such file or directory\n'],
    );
  });

  it('still reports the paths that exist, and exits 2, when one path is missing', () => {
    const r = runCli(['missing', 'error/settings.py', '--select', 'DSL101', '--quiet'], dir);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'django-session-lint: error: missing: no such file or directory\n');
    assert.match(r.stdout, /^error\/settings\.py:2:18: DSL101 /);
  });

  it('warns about --select codes no rule has, without failing', () => {
    const r = runCli(['clean/settings.py', '--select', 'DSL999', '--quiet'], dir);
    assert.deepEqual(
      [r.status, r.stderr],
      [0, 'django-session-lint: warning: --select DSL999 matches no rule\n'],
    );
  });

  it('reports an internal error as one line, with the stack trace only under --debug', () => {
    // A working directory removed under the process is something no code path expects.
    const gone = path.join(dir, 'gone');
    const script = (flag: string): string =>
      `mkdir "${gone}" && cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${CLI_BUNDLE}" . ${flag}`;
    const plain = spawnSync('sh', ['-c', script('')], { encoding: 'utf8' });
    assert.equal(plain.status, 2);
    assert.equal(plain.stdout, '');
    assert.match(
      plain.stderr,
      /^django-session-lint: error: internal error: .+ \(run with --debug for the stack trace\)\n$/,
    );
    const debug = spawnSync('sh', ['-c', script('--debug')], { encoding: 'utf8' });
    assert.equal(debug.status, 2);
    const lines = debug.stderr.split('\n');
    assert.match(lines[0] ?? '', /^django-session-lint: error: internal error: [^(]+$/);
    assert.match(lines[2] ?? '', /^\s+at /, 'the stack follows');
    assert.equal(fs.existsSync(gone), false);
  });

  it('exits 2 when the paths named hold no settings files (a CI job must not pass on an empty run)', () => {
    const empty = makeProject({ 'README.md': 'nothing here\n' });
    try {
      const r = runCli(['.'], empty);
      assert.equal(r.status, 2);
      assert.equal(r.stderr, 'django-session-lint: error: no Django settings files found in .\n');
      assert.equal(r.stdout, ''); // nothing was analysed: no report
    } finally {
      removeProject(empty);
    }
  });
});

describe('cli: --explain, rule, --version, --help', () => {
  before(assertBundle);

  it('--explain DSL104 prints the rule documentation like `ruff rule`', () => {
    const r = runCli(['--explain', 'DSL104'], process.cwd());
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 7), [
      '# locmem-session-cache (DSL104)',
      '',
      'Sessions stored in per-process LocMemCache',
      '',
      'Severity: warning (production), information (development).',
      '',
      'Fix: unsafe (applied by --fix only with --unsafe-fixes).',
    ]);
    const headings = lines.filter((l) => l.startsWith('## '));
    assert.deepEqual(headings, [
      '## What it does',
      '## Why is this bad?',
      '## Example',
      '## Use instead',
      '## Fix safety',
    ]);
    assert.match(
      r.stdout,
      /```python\nSESSION_ENGINE = 'django\.contrib\.sessions\.backends\.cache'\nCACHES = \{'default': \{'BACKEND': 'django\.core\.cache\.backends\.locmem\.LocMemCache'\}\}\n```/,
    );
    assert.match(r.stdout, /\nDocumentation: https:\/\/\S+#dsl104\n$/);
  });

  it('`rule dsl104` is the same as --explain, and JSON is available', () => {
    const a = runCli(['--explain', 'DSL104'], process.cwd());
    const b = runCli(['rule', 'dsl104'], process.cwd());
    assert.equal(b.stdout, a.stdout);
    const json = JSON.parse(runCli(['rule', 'DSL104', '--format', 'json'], process.cwd()).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual([json['code'], json['name'], json['fix']], ['DSL104', 'locmem-session-cache', 'unsafe']);
  });

  it('exits 2 for an unknown code', () => {
    for (const args of [
      ['--explain', 'DSL999'],
      ['rule', 'DSL999'],
      ['--explain', 'E501'],
    ]) {
      const r = runCli(args, process.cwd());
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        /^django-session-lint: error: unknown rule code '[^']+' \(codes look like DSL104\)\n$/,
      );
    }
  });

  it('--version and --help', () => {
    assert.deepEqual(runCli(['--version'], process.cwd()).stdout, 'django-session-lint 0.1.0\n');
    const help = runCli(['--help'], process.cwd());
    assert.equal(help.status, 0);
    for (const flag of [
      '--format',
      '--profile',
      '--django-version',
      '--horizon-release',
      '--horizon-settings',
      '--select',
      '--ignore',
      '--fix',
      '--unsafe-fixes',
      '--diff',
      '--fail-on',
      '--stats',
      '--explain',
      '--no-color',
      '--quiet',
      '--debug',
      '--version',
      '--help',
    ]) {
      assert.ok(help.stdout.includes(flag), `help mentions ${flag}`);
    }
  });
});
