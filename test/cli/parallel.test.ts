/** Worker threads (server/src/cli/parallel.ts): the report is the serial run's, byte for byte; the thread count; the progress line on a real terminal. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CHARS_PER_THREAD, MAX_AUTO_THREADS, threadCount } from '../../server/src/cli/parallel';
import { PROGRESS_AFTER_ENV } from '../../server/src/cli/progress';
import { run, type CliIo } from '../../server/src/cli/run';
import { horizonLocalSettings } from '../bench/generate';
import { assertBundle, CLI_BUNDLE, makeProject, removeProject, runCli } from './cli-harness';

/** Secrets of one deployment that another deployment's report would show (the run masks them everywhere). */
const SECRETS = ['fleet-db-password-0123456789', 'other-db-password-9876543210'];

/**
 * Horizon deployments with findings, fixes, secrets and configuration-file filtering. The first project (which
 * a worker analyses) holds one secret and shows the other; the last but one (the main thread's, as a rule)
 * the other way round.
 */
export function fleetFiles(deployments: number): Record<string, string> {
  const files: Record<string, string> = {
    // A configuration file for some deployments: its per-file ignores apply in workers too.
    'group-b/.django-session-lint.toml': "[per-file-ignores]\n'**/local_settings.d/*.py' = ['DSL113']\n",
  };
  const swapped = deployments - 2;
  for (let n = 0; n < deployments; n++) {
    const dir = `group-${n % 3 === 0 ? 'a' : 'b'}/deployment-${String(n).padStart(2, '0')}`;
    let text = horizonLocalSettings(n);
    const [own, shown] = n === 0 ? SECRETS : n === swapped ? [...SECRETS].reverse() : [];
    if (own !== undefined)
      text += `DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': '${own}'}}\n`;
    if (n % 4 === 1) text += "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
    if (n % 5 === 2)
      text += "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n";
    files[`${dir}/local_settings.py`] = text;
    files[`${dir}/local_settings.d/_10_cache.py`] =
      (shown !== undefined ? `CACHES['default']['LOCATION'] = '${shown}'\n` : '') +
      'SESSION_COOKIE_SECURE = False\n';
  }
  return files;
}

async function runIn(
  dir: string,
  args: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: dir,
    isTTY: false,
    env: {},
  };
  const code = await run(args, io);
  return { code, out, err };
}

describe('cli: worker threads', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = makeProject(fleetFiles(16));
  });
  after(() => removeProject(dir));

  for (const [format, threadCounts] of [
    ['json', ['2', '3']],
    ['text', ['2']],
    ['sarif', ['2']],
  ] as const) {
    it(`--format ${format}: the report on ${threadCounts.join(' and ')} threads is the serial one, byte for byte`, async () => {
      const args = ['--format', format, '--no-color', '--fail-on', 'warning', 'group-a', 'group-b'];
      const serial = await runIn(dir, [...args, '--threads', '1']);
      assert.ok(serial.out.length > 1000, serial.err);
      assert.ok(serial.code === 1, `findings expected: ${serial.err}`);
      for (const threads of threadCounts) {
        const parallel = await runIn(dir, [...args, '--threads', threads]);
        assert.equal(parallel.code, serial.code);
        assert.equal(parallel.err, serial.err);
        assert.equal(parallel.out, serial.out, `--threads ${threads}`);
      }
      // One deployment's secret is masked where another deployment (on another thread) shows it.
      for (const secret of SECRETS) assert.doesNotMatch(serial.out, new RegExp(secret));
    });
  }

  it('the masking there comes from another project (alone, each deployment shows the other secret)', async () => {
    for (const [project, secret] of [
      ['group-a/deployment-00', SECRETS[1]],
      ['group-b/deployment-14', SECRETS[0]],
    ] as const) {
      const alone = await runIn(dir, ['--format', 'json', project]);
      assert.match(alone.out, new RegExp(secret ?? '-'), project);
    }
  });

  it('the bundle (dist/cli-run.js as the worker) gives the serial report too', () => {
    assertBundle();
    const args = ['--format', 'json', 'group-a', 'group-b'];
    const serial = runCli([...args, '--threads', '1'], dir);
    const parallel = runCli([...args, '--threads', '2'], dir);
    assert.equal(parallel.stderr, serial.stderr);
    assert.equal(parallel.status, serial.status);
    assert.equal(parallel.stdout, serial.stdout);
    assert.ok(serial.stdout.includes('"projects"'));
  });

  it('--threads must be a whole number from 1 to 64', async () => {
    for (const bad of ['0', '65', 'two', '1.5', '']) {
      const r = await runIn(dir, ['--threads', bad, 'group-a']);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /--threads: expected a whole number from 1 to 64/);
    }
  });
});

describe('cli: how many threads', () => {
  const idle2 = { cores: 2, load: 0 };
  it('one for a single project or little text, whatever the machine', () => {
    assert.equal(threadCount(undefined, 1, 10 * CHARS_PER_THREAD, { cores: 8, load: 0 }), 1);
    assert.equal(threadCount(undefined, 50, CHARS_PER_THREAD, { cores: 8, load: 0 }), 1);
  });
  it('one per idle core, at most MAX_AUTO_THREADS, each with enough text', () => {
    assert.equal(threadCount(undefined, 100, 800_000, idle2), 2);
    assert.equal(threadCount(undefined, 100, 3 * CHARS_PER_THREAD, { cores: 16, load: 0 }), 3);
    assert.equal(
      threadCount(undefined, 1000, 100 * CHARS_PER_THREAD, { cores: 16, load: 0 }),
      MAX_AUTO_THREADS,
    );
    assert.equal(threadCount(undefined, 3, 100 * CHARS_PER_THREAD, { cores: 16, load: 0 }), 3);
  });
  it('none besides the main thread on a busy machine', () => {
    assert.equal(threadCount(undefined, 100, 800_000, { cores: 2, load: 0.9 }), 1);
    assert.equal(threadCount(undefined, 100, 800_000, { cores: 2, load: 14 }), 1);
    assert.equal(threadCount(undefined, 100, 800_000, { cores: 4, load: 2.2 }), 2);
  });
  it('--threads decides, up to the number of projects', () => {
    assert.equal(threadCount(2, 100, 10, { cores: 2, load: 14 }), 2);
    assert.equal(threadCount(8, 3, 10, idle2), 3);
    assert.equal(threadCount(8, 1, 10, idle2), 1);
  });
});

describe('cli: progress line on a terminal', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = makeProject(fleetFiles(12));
  });
  after(() => removeProject(dir));

  const ESC = '\x1b';

  /** Runs the bundle under a pseudo-terminal (util-linux `script`); returns what the terminal received. */
  function onTerminal(args: readonly string[], env: Record<string, string>): string {
    const command = [process.execPath, CLI_BUNDLE, ...args]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const r = spawnSync('script', ['-qefc', command, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 100_000,
    });
    if (r.error) throw new Error(`util-linux script is needed for the terminal test: ${r.error.message}`);
    return r.stdout;
  }

  for (const threads of ['1', '2']) {
    it(`--threads ${threads}: shown on stderr when it is a terminal, rewritten in place and cleared before the report`, () => {
      assertBundle();
      const tty = onTerminal(['--format', 'json', '--threads', threads, '.'], { [PROGRESS_AFTER_ENV]: '0' });
      const lines = [...tty.matchAll(new RegExp(`\r${ESC}\\[Kanalysing projects: (\\d+)/12`, 'g'))];
      assert.ok(lines.length >= 1, JSON.stringify(tty.slice(0, 300)));
      const cleared = tty.lastIndexOf(`\r${ESC}[K{`);
      assert.ok(cleared > (lines.at(-1)?.index ?? Infinity), 'the line is cleared before the report starts');
    });
  }

  it('never on a pipe, and not on a terminal when the run takes less than the delay', () => {
    assertBundle();
    const piped = runCli(['--format', 'json', '--threads', '2', '.'], dir, { [PROGRESS_AFTER_ENV]: '0' });
    assert.doesNotMatch(piped.stderr, /analysing/);
    const tty = onTerminal(['--format', 'json', '--threads', '2', '.'], { [PROGRESS_AFTER_ENV]: '600000' });
    assert.doesNotMatch(tty, /analysing/);
    assert.match(tty, /"projects"/);
  });
});
