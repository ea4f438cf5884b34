/** .pre-commit-hooks.yaml with the real pre-commit (Debian's package): `pre-commit try-repo` on a clean clone of this repository's HEAD installs the hook as users get it (npm install, npm pack → prepack build, npm install -g) and runs it on a project's broken, then fixed, local_settings.py. */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
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
  // The first run installs the hook: npm install of this repository's devDependencies (from the npm cache or
  // registry) and an esbuild build, a minute or two on a loaded machine.
  this.timeout(900000);
  let dir: string;
  let clone: string;
  let project: string;

  function git(args: string[], cwd: string): void {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  }

  function tryRepo(): SpawnSyncReturns<string> {
    return spawnSync(
      'pre-commit',
      ['try-repo', clone, 'django-session-lint', '--all-files', '--color', 'never'],
      {
        cwd: project,
        encoding: 'utf8',
        env: cleanNpmEnv({ PRE_COMMIT_HOME: path.join(dir, 'pre-commit-home'), NO_COLOR: '1' }),
      },
    );
  }

  before(() => {
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'pre-commit is not installed (scripts/ensure-test-deps.mjs installs it)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-pre-commit-'));
    // A clean clone of the committed HEAD: what `rev:` in a user's .pre-commit-config.yaml points at (try-repo on
    // a working tree with changes would hook a shadow commit of them instead).
    clone = path.join(dir, 'django-session-lint');
    git(['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone], dir);
    project = path.join(dir, 'project');
    fs.mkdirSync(project);
    git(['init', '--quiet'], project);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails on a broken local_settings.py and names the rule', () => {
    fs.writeFileSync(path.join(project, 'local_settings.py'), BROKEN);
    fs.writeFileSync(path.join(project, 'README.txt'), 'not a settings file\n');
    git(['add', '.'], project);
    const r = tryRepo();
    const output = r.stdout + r.stderr;
    assert.equal(r.status, 1, output);
    assert.match(output, /django-session-lint\.+Failed/);
    assert.match(output, /local_settings\.py:1:18: DSL101 /);
    assert.doesNotMatch(output, /README\.txt/);
  });

  it('passes once the file is fixed', () => {
    fs.writeFileSync(path.join(project, 'local_settings.py'), FIXED);
    git(['add', '.'], project);
    const r = tryRepo();
    const output = r.stdout + r.stderr;
    assert.equal(r.status, 0, output);
    assert.match(output, /django-session-lint\.+Passed/);
  });
});
