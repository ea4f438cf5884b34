/** The npm package as users get it: `npm pack`, then `npm install -g` of the tarball and `npx --package` of it, offline with an empty cache (the package has no runtime dependencies), run on the example. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanNpmEnv } from '../helpers/npm-env';
import { REPO_ROOT } from './helpers/paths';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'horizon');

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe('npm package (npm pack → install -g / npx, offline)', function () {
  this.timeout(180000);
  let dir: string;
  let tarball: string;
  let packed: PackResult;
  /** An empty npm cache and --offline: nothing can come from a registry. */
  let offline: string[];

  function npm(args: string[], cwd = dir): SpawnSyncReturns<string> {
    return spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanNpmEnv() });
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-npm-package-'));
    offline = ['--offline', '--cache', path.join(dir, 'empty-cache'), '--no-audit', '--no-fund'];
    // prepack builds dist/ (esbuild) before packing, as for `npm publish` and pre-commit's `npm pack`.
    const r = npm(['pack', '--json', '--pack-destination', dir], REPO_ROOT);
    assert.equal(r.status, 0, r.stderr);
    packed = (JSON.parse(r.stdout) as PackResult[])[0] as PackResult;
    tarball = path.join(dir, packed.filename);
    assert.ok(fs.existsSync(tarball), tarball);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the bundles, bins, snippets, docs, licence and README (.npmignore), and the manifest main; no sources, tests or maps', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const needed of [
      'LICENSE',
      'README.md',
      'bin/django-session-lint.js',
      'bin/django-session-lint-server.js',
      'dist/cli.js',
      'dist/cli-run.js',
      'dist/server.js',
      'dist/server-start.js',
      'dist/client.js',
      'docs/rules.md',
      'package.json',
      'snippets/session-storage.json',
    ])
      assert.ok(files.includes(needed), `${needed} is not packed (files: ${files.join(', ')})`);
    for (const f of files)
      assert.doesNotMatch(
        f,
        /\.ts$|\.map$|\.vsix$|^(server|client|common|test|out|node_modules|scripts|tools|examples)\/|^docs\/images\//,
        f,
      );
  });

  it('declares no runtime dependencies (everything is bundled)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies'])
      assert.equal(manifest[key], undefined, key);
  });

  it('npm install -g ./tarball (offline, empty cache) gives a django-session-lint that lints the example', () => {
    const prefix = path.join(dir, 'global');
    const install = npm(['install', '-g', '--prefix', prefix, ...offline, tarball]);
    assert.equal(install.status, 0, install.stderr);
    const bin = path.join(prefix, 'bin', 'django-session-lint');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), `django-session-lint ${packageVersion()}`);
    const lint = spawnSync(bin, ['--no-color', '--fail-on', 'warning', EXAMPLE], {
      encoding: 'utf8',
      cwd: dir,
    });
    assert.equal(lint.status, 1, lint.stderr);
    assert.match(lint.stdout, /DSL104/);
    assert.match(lint.stdout, /DSL404/);
    assert.equal(lint.stderr, '');
    const explain = spawnSync(bin, ['--explain', 'DSL104'], { encoding: 'utf8' });
    assert.equal(explain.status, 0, explain.stderr);
    assert.match(explain.stdout, /^# locmem-session-cache \(DSL104\)/);
  });

  it('the installed django-session-lint-server answers an LSP initialize over stdio', async () => {
    const prefix = path.join(dir, 'global');
    const bin = path.join(prefix, 'bin', 'django-session-lint-server');
    assert.ok(fs.existsSync(bin), 'install -g ran first');
    const child = spawn(bin, ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { processId: null, rootUri: null, capabilities: {} },
      });
      const reply = new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (/"capabilities"/.test(out) && /"id":1/.test(out)) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
      });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const text = await reply;
      assert.match(text, /"textDocumentSync"/);
      assert.match(text, /"name":"django-session-lint"/);
    } finally {
      child.kill();
    }
  });

  it('npx --package ./tarball django-session-lint (offline, empty cache) lints the example', () => {
    const r = spawnSync(
      'npx',
      ['--yes', ...offline, '--package', tarball, 'django-session-lint', '--no-color', EXAMPLE],
      { cwd: dir, encoding: 'utf8', env: cleanNpmEnv() },
    );
    assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /DSL104/);
  });
});

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}
