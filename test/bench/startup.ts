/** CLI start-up benchmark (`npm run bench`): the built CLI against a bare `node -e 0`, interleaved repeated runs (like hyperfine), medians and ratios; prints a table and a JSON record with the machine. Asserts nothing. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Largest allowed ratio of its median to the baseline's (the targets), if any. */
  readonly target?: number;
}

export interface StartupResult {
  readonly name: string;
  readonly command: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly p90Ms: number;
  readonly ratio: number;
  readonly target?: number;
  readonly met?: boolean;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function timeOnce(c: Command, cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { cwd, stdio: 'ignore', env: { ...process.env, ...c.env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${c.name}: exit ${r.status}`);
  return ms;
}

function fileSize(rel: string): number | undefined {
  try {
    return fs.statSync(path.join(REPO_ROOT, rel)).size;
  } catch {
    return undefined;
  }
}

/** Runs every command `runs` times, round-robin (so load changes hit all alike), after `warmup` rounds. */
export function benchStartup(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 30), warmup = 3): string {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-bench-startup-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'settings.py'),
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
    );
    const commands: Command[] = [
      { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
      { name: 'django-session-lint --version', args: [cli, '--version'], target: 1.5 },
      { name: 'django-session-lint settings.py (one line)', args: [cli, 'settings.py'], target: 2 },
      {
        name: 'same, compile cache off (a first run)',
        args: [cli, 'settings.py'],
        env: { NODE_DISABLE_COMPILE_CACHE: '1' },
      },
    ];
    const times = commands.map((): number[] => []);
    for (let round = 0; round < warmup + runs; round++)
      commands.forEach((c, i) => {
        const ms = timeOnce(c, dir);
        if (round >= warmup) times[i]?.push(ms);
      });
    const sorted = times.map((t) => [...t].sort((a, b) => a - b));
    const base = median(sorted[0] ?? []);
    const results: StartupResult[] = commands.map((c, i) => {
      const s = sorted[i] ?? [];
      const med = median(s);
      const ratio = med / base;
      return {
        name: c.name,
        command: ['node', ...c.args.map((a) => (a === cli ? 'dist/cli.js' : a))].join(' '),
        medianMs: Number(med.toFixed(1)),
        minMs: Number((s[0] ?? NaN).toFixed(1)),
        p90Ms: Number((s[Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)] ?? NaN).toFixed(1)),
        ratio: Number(ratio.toFixed(2)),
        ...(c.target !== undefined ? { target: c.target, met: ratio <= c.target } : {}),
      };
    });
    const cpus = os.cpus();
    const record = {
      benchmark: 'cli-startup',
      machine: {
        node: process.version,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        cpus: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
        memoryMB: Math.round(os.totalmem() / 2 ** 20),
        loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
        nodeCompileCache:
          typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function',
      },
      runs,
      warmup,
      bundleBytes: Object.fromEntries(
        ['dist/cli.js', 'dist/cli-run.js', 'dist/server.js', 'dist/client.js'].map((f) => [f, fileSize(f)]),
      ),
      results,
    };
    const widths = [44, 10, 8, 8, 7, 14];
    const row = (cells: readonly string[]): string =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
    const lines = [
      `CLI start-up (${runs} interleaved runs each after ${warmup} warm-up rounds; node ${process.version}, ${cpus.length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`,
      '',
      row(['command', 'median ms', 'min ms', 'p90 ms', 'ratio', 'target']),
      ...results.map((r) =>
        row([
          r.name,
          r.medianMs.toFixed(1),
          r.minMs.toFixed(1),
          r.p90Ms.toFixed(1),
          `${r.ratio.toFixed(2)}x`,
          r.target === undefined ? '' : `≤ ${r.target}x ${r.met ? 'met' : 'NOT met'}`,
        ]),
      ),
      '',
      JSON.stringify(record),
      '',
    ];
    return lines.join('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
