/** .pre-commit-hooks.yaml with the real pre-commit (Debian's package): `pre-commit try-repo` on a clean clone of this repository's HEAD installs the hook as users get it (npm install, npm pack → prepack build, npm install -g) and runs it on a project with a broken and one with the fixed local_settings.py (concurrently: each try-repo installs afresh). */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanNpmEnv } from '../helpers/npm-env';
import { REPO_ROOT } from './helpers/paths';

const BROKEN = "SESSION_ENGINE = 'django.contrib.sessions.backends.cach'\n";
const FIXED = [
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
  'CACHES = {',
  "    'default': {",
  "        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',",
  "        'LOCATION': 'memcached.internal:11211',",
  "        'OPTIONS': {'ignore_exc': True},",
  '    },',
  '}',
  '',
].join('\n');

describe('pre-commit hook (real pre-commit try-repo)', function () {
  // Each try-repo installs the hook in a fresh temporary store: npm install of this repository's
  // devDependencies (from the npm cache or registry) and an esbuild build, a minute or more on a loaded machine.
  // So the broken and the fixed project are checked by two try-repo runs at the same time.
  this.timeout(900000);
  let dir: string;
  let clone: string;
  const results = new Map<'broken' | 'fixed', Run>();

  function git(args: string[], cwd: string): void {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  }

  /** A git project with this local_settings.py (and a file the hook must leave alone), staged. */
  function project(name: string, settings: string): string {
    const root = path.join(dir, name);
    fs.mkdirSync(root);
    git(['init', '--quiet'], root);
    fs.writeFileSync(path.join(root, 'local_settings.py'), settings);
    fs.writeFileSync(path.join(root, 'README.txt'), 'not a settings file\n');
    git(['add', '.'], root);
    return root;
  }

  function tryRepo(cwd: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        'pre-commit',
        ['try-repo', clone, 'django-session-lint', '--all-files', '--color', 'never'],
        { cwd, env: cleanNpmEnv({ NO_COLOR: '1' }), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, output }));
    });
  }

  before(async () => {
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'pre-commit is not installed (scripts/ensure-test-deps.mjs installs it)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-pre-commit-'));
    // A clean clone of the committed HEAD: what `rev:` in a user's .pre-commit-config.yaml points at (try-repo on
    // a working tree with changes would hook a shadow commit of them instead).
    clone = path.join(dir, 'django-session-lint');
    git(['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone], dir);
    const [broken, fixed] = await Promise.all([
      tryRepo(project('broken', BROKEN)),
      tryRepo(project('fixed', FIXED)),
    ]);
    results.set('broken', broken);
    results.set('fixed', fixed);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails on a broken local_settings.py and names the rule', () => {
    const r = results.get('broken');
    assert.ok(r);
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /django-session-lint\.+Failed/);
    assert.match(r.output, /local_settings\.py:1:18: DSL101 /);
    assert.doesNotMatch(r.output, /README\.txt/);
  });

  it('passes once the file is fixed', () => {
    const r = results.get('fixed');
    assert.ok(r);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /django-session-lint\.+Passed/);
  });
});

interface Run {
  readonly status: number | null;
  readonly output: string;
}
