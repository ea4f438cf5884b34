/**
 * --fix never replaces a file the user could not write, never changes its owner, group or mode, and never
 * splits a hard link (issue #9). The refusals run as a real unprivileged user (setpriv, util-linux) when the
 * tests run as root, as they do in CI; the decision itself is also tested directly.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomically, writeDecision, type WriteFacts } from '../../server/src/cli/write-fixes';
import { assertBundle, CLASS_PATH_ENGINE, CLI_BUNDLE, runCli } from './cli-harness';

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A world-writable temporary directory (as /tmp itself), holding local_settings.py with a safe fix. */
function sharedDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-write-')));
  fs.chmodSync(dir, 0o777);
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
}

/**
 * The CLI bundle copied where `nobody` can read it: the checkout itself may sit in a 0700 directory (mktemp -d
 * makes those), which `nobody` cannot enter.
 */
function bundleForNobody(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-cli-')));
  const dist = path.join(dir, 'dist');
  fs.cpSync(path.dirname(CLI_BUNDLE), dist, { recursive: true });
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(dist, 0o755);
  for (const f of fs.readdirSync(dist)) fs.chmodSync(path.join(dist, f), 0o644);
  return path.join(dist, path.basename(CLI_BUNDLE));
}

let nobodyCli: string | undefined;

/** Runs the CLI as `nobody` through setpriv. */
function runAsNobody(
  args: readonly string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  nobodyCli ??= bundleForNobody();
  const r = spawnSync(
    'setpriv',
    [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, nobodyCli, ...args],
    { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } },
  );
  if (r.error) throw new Error(`setpriv (util-linux) is needed: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base: WriteFacts = {
  isFile: true,
  nlink: 1,
  uid: 1000,
  gid: 1000,
  mode: 0o100644,
  writable: true,
  userUid: 1000,
};

describe('cli --fix: who may write what', () => {
  before(assertBundle);
  after(() => {
    if (nobodyCli) fs.rmSync(path.dirname(path.dirname(nobodyCli)), { recursive: true, force: true });
  });

  it('decides from the file itself, not from its directory', () => {
    assert.deepEqual(writeDecision(base), { ok: true });
    assert.deepEqual(writeDecision({ ...base, userUid: 0, uid: 0 }), { ok: true });
    const readOnly = writeDecision({ ...base, mode: 0o100444, writable: false });
    assert.equal(readOnly.ok, false);
    assert.match(!readOnly.ok ? readOnly.reason : '', /not writable by you \(owner uid 1000, mode 0444\)/);
    const others = writeDecision({ ...base, uid: 0, gid: 0, mode: 0o100666 });
    assert.match(!others.ok ? others.reason : '', /owned by uid 0: a rewritten file would belong to you/);
    const linked = writeDecision({ ...base, nlink: 2 });
    assert.match(!linked.ok ? linked.reason : '', /2 hard links/);
    assert.equal(writeDecision({ ...base, isFile: false }).ok, false);
  });

  it('runs as root here, so the refusals below run as a real unprivileged user', () => {
    // The suite is meant to run as root (CI, containers); as another user the root-owned case cannot be set up.
    assert.equal(isRoot, true, 'these tests set up root-owned files: run them as root');
  });

  it("refuses a root-owned 0644 file in a world-writable directory, and leaves it root's", () => {
    const dir = sharedDir();
    try {
      const file = path.join(dir, 'local_settings.py');
      fs.writeFileSync(file, CLASS_PATH_ENGINE, { mode: 0o644 });
      const r = runAsNobody(['--fix', 'local_settings.py'], dir);
      assert.match(
        r.stderr,
        /local_settings\.py: not writable by you \(owner uid 0, mode 0644\), left unchanged/,
      );
      assert.equal(r.status, 2);
      const st = fs.statSync(file);
      assert.equal(st.uid, 0);
      assert.equal(st.mode & 0o7777, 0o644);
      assert.equal(fs.readFileSync(file, 'utf8'), CLASS_PATH_ENGINE);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['.git', 'local_settings.py']); // no temp file left
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses the user's own 0444 file", () => {
    const dir = sharedDir();
    try {
      const file = path.join(dir, 'local_settings.py');
      fs.writeFileSync(file, CLASS_PATH_ENGINE);
      fs.chownSync(file, NOBODY, NOBODY);
      fs.chmodSync(file, 0o444);
      const r = runAsNobody(['--fix', 'local_settings.py'], dir);
      assert.match(r.stderr, /not writable by you \(owner uid 65534, mode 0444\)/);
      assert.equal(r.status, 2);
      assert.equal(fs.statSync(file).mode & 0o7777, 0o444);
      assert.equal(fs.readFileSync(file, 'utf8'), CLASS_PATH_ENGINE);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fixes the user’s own writable file, keeping its mode', () => {
    const dir = sharedDir();
    try {
      const file = path.join(dir, 'local_settings.py');
      fs.writeFileSync(file, CLASS_PATH_ENGINE);
      fs.chownSync(file, NOBODY, NOBODY);
      fs.chmodSync(file, 0o640);
      const r = runAsNobody(['--fix', 'local_settings.py'], dir);
      assert.equal(r.status, 0, r.stderr);
      const st = fs.statSync(file);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [NOBODY, NOBODY, 0o640]);
      assert.notEqual(fs.readFileSync(file, 'utf8'), CLASS_PATH_ENGINE);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a hard-linked file: both names keep the same text', () => {
    const dir = sharedDir();
    try {
      const file = path.join(dir, 'local_settings.py');
      fs.writeFileSync(file, CLASS_PATH_ENGINE);
      fs.linkSync(file, path.join(dir, 'other-name.py'));
      const r = runCli(['--fix', 'local_settings.py'], dir);
      assert.match(r.stderr, /has 2 hard links/);
      assert.equal(r.status, 2);
      assert.equal(fs.statSync(file).nlink, 2);
      assert.equal(fs.readFileSync(path.join(dir, 'other-name.py'), 'utf8'), CLASS_PATH_ENGINE);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('as root, keeps owner, group and mode of a file it replaces', () => {
    const dir = sharedDir();
    try {
      const file = path.join(dir, 'local_settings.py');
      fs.writeFileSync(file, 'A = 1\n');
      fs.chownSync(file, NOBODY, 4242);
      fs.chmodSync(file, 0o640);
      writeAtomically(file, 'A = 2\n');
      const st = fs.statSync(file);
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [NOBODY, 4242, 0o640]);
      assert.equal(fs.readFileSync(file, 'utf8'), 'A = 2\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
