/**
 * `npm run bench`: the performance targets of the project, measured side by side in one run on generated inputs
 * and printed as a table and as JSON with the machine it ran on. Asserts nothing (speed is not a test): each
 * row says whether its target is met. The machine may be shared, so figures are medians of repeated runs and
 * targets are ratios of things measured in the same run where possible.
 *
 * Sections (`node out/test/bench/bench.js [section…]` runs some; BENCH_ONLY=startup works too): each is a
 * function returning rows (SECTIONS) or printing its own report (REPORTS, run first); add yours there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parser } from '@lezer/python';
import { analyze } from '../../server/src/core/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { MAX_FILE_CHARS, parsePython } from '../../server/src/core/python/parse';
import { LspClient, REPO_ROOT } from '../lsp/lsp-client';
import { generateSettings, writeHorizonFleet } from './generate';
import { benchStartup } from './startup';
import { TYPING_SCENARIOS } from './typing';

export { generateSettings };

/** One measured figure. `target` is an upper bound; `pass` is set when there is one. */
export interface Row {
  readonly section: string;
  readonly measure: string;
  readonly value: number;
  readonly unit: 'ms' | 'MB' | 'x' | 'count';
  readonly target?: number | undefined;
  readonly pass?: boolean | undefined;
  readonly note?: string | undefined;
}

function row(
  section: string,
  measure: string,
  value: number,
  unit: Row['unit'],
  target?: number,
  note?: string,
): Row {
  return {
    section,
    measure,
    value,
    unit,
    target,
    pass: target === undefined ? undefined : value <= target,
    note,
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

/**
 * Resident and peak memory of a process in MB (Linux /proc), or undefined elsewhere; `file` is the part backed by
 * files (the node binary and libraries: code and read-only data), `anon` the rest (V8's heap, malloc, stacks).
 */
function memoryOf(
  pid: number | undefined,
): { rss: number; peak: number; file: number; anon: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return {
      rss: kb('VmRSS') / 1024,
      peak: kb('VmHWM') / 1024,
      file: kb('RssFile') / 1024,
      anon: (kb('RssAnon') + kb('RssShmem')) / 1024,
    };
  } catch {
    return undefined;
  }
}

function cpuNote(ms: number): string {
  return `CPU ${ms.toFixed(1)} ms`;
}

/** The same ratio from CPU times (the machine may be shared: wall time includes waiting for a core). */
function ratioNote(x: number): string {
  return `CPU-time ratio ${x.toFixed(2)}x`;
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc), or undefined elsewhere. */
function cpuOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;
const TIME = '/usr/bin/time';

interface Timed {
  readonly stdout: string;
  readonly status: number | null;
  readonly wall: number;
  readonly cpu: number | undefined;
}

/** Runs node with `args`: stdout, wall time, and CPU time (user + system) when /usr/bin/time is there. */
function runNode(args: readonly string[]): Timed {
  return runTimed(process.execPath, args);
}

function runTimed(program: string, args: readonly string[], cwd?: string): Timed {
  const out = path.join(os.tmpdir(), `dsl-bench-time-${process.pid}`);
  const timed = fs.existsSync(TIME);
  const [cmd, argv] = timed ? [TIME, ['-f', '%U %S', '-o', out, program, ...args]] : [program, [...args]];
  const t = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, cwd });
  const wall = performance.now() - t;
  let cpu: number | undefined;
  if (timed) {
    const [user, system] =
      fs.readFileSync(out, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    cpu = user !== undefined && system !== undefined ? (user + system) * 1000 : undefined;
    fs.rmSync(out, { force: true });
  }
  return { stdout: r.stdout, status: r.status, wall, cpu };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-bench-'));
}

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);

// ------------------------------------------------------------------------------------------ analysis

/**
 * CPython's `ast.parse` of a file, timed inside Python (interpreter start excluded): median of `repeats` runs,
 * or undefined when python3 is missing.
 */
function cpythonParseMs(file: string, repeats: number): { wall: number; cpu: number } | undefined {
  const script =
    'import ast,sys,time,json\n' +
    'src=open(sys.argv[1],encoding="utf-8").read()\n' +
    'out=[]\n' +
    'for _ in range(int(sys.argv[2])):\n' +
    '    t=time.perf_counter(); c=time.process_time(); ast.parse(src)\n' +
    '    out.append([(time.perf_counter()-t)*1000, (time.process_time()-c)*1000])\n' +
    'print(json.dumps(out))\n';
  const r = spawnSync('python3', ['-c', script, file, String(repeats)], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const runs = JSON.parse(r.stdout) as [number, number][];
  return { wall: median(runs.map((x) => x[0])), cpu: median(runs.map((x) => x[1])) };
}

interface AnalysisTimes {
  readonly plain: number;
  readonly segmented: number;
  readonly parse: number;
  readonly evaluate: number;
  readonly rules: number;
  readonly total: number;
  /** CPU time (user + system) of the plain parse and of the whole analysis: immune to a busy machine. */
  readonly plainCpu: number;
  readonly totalCpu: number;
  /** CPU time of parsePython (the segmented parse). */
  readonly segmentedCpu: number;
}

function cpuMs(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

/** One run of each measure on `text`, in the same order every time (so they share the machine's state). */
function measureOnce(text: string): AnalysisTimes {
  let t = performance.now();
  let c = process.cpuUsage();
  parser.parse(
    text.length > MAX_FILE_CHARS ? text.slice(0, text.lastIndexOf('\n', MAX_FILE_CHARS) + 1) : text,
  );
  const plain = performance.now() - t;
  const plainCpu = cpuMs(c);
  t = performance.now();
  c = process.cpuUsage();
  parsePython('settings.py', text);
  const segmented = performance.now() - t;
  const segmentedCpu = cpuMs(c);
  const file = '/bench/settings.py';
  t = performance.now();
  c = process.cpuUsage();
  const a = analyze({
    project: {
      root: '/bench',
      kind: 'django',
      layers: [{ path: file, role: 'settings' }],
      readFile: (f) => (f === file ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
  });
  const total = performance.now() - t;
  const totalCpu = cpuMs(c);
  return { plain, segmented, ...mapTimings(a.timings), total, plainCpu, totalCpu, segmentedCpu };
}

function mapTimings(t: { parseMs: number; evaluateMs: number; rulesMs: number }) {
  return { parse: t.parseMs, evaluate: t.evaluateMs, rules: t.rulesMs };
}

function medians(runs: readonly AnalysisTimes[]): AnalysisTimes {
  const m = (k: keyof AnalysisTimes): number => median(runs.map((r) => r[k]));
  return {
    plain: m('plain'),
    segmented: m('segmented'),
    parse: m('parse'),
    evaluate: m('evaluate'),
    rules: m('rules'),
    total: m('total'),
    plainCpu: m('plainCpu'),
    totalCpu: m('totalCpu'),
    segmentedCpu: m('segmentedCpu'),
  };
}

/** `--stats` of the CLI on one file in a fresh process (what a CI run sees: nothing warmed up). */
function cliStats(file: string): {
  parseMs: number;
  evaluateMs: number;
  rulesMs: number;
  totalMs: number;
  wall: number;
  cpu: number;
} {
  const r = runNode([CLI, '--format', 'json', '--stats', '--django-version', '4.2', file]);
  const stats = (
    JSON.parse(r.stdout) as {
      stats: { parseMs: number; evaluateMs: number; rulesMs: number; totalMs: number };
    }
  ).stats;
  return { ...stats, wall: r.wall, cpu: r.cpu ?? NaN };
}

/**
 * One @lezer/python parse of a file in a fresh node process (ms, timed inside it): the CLI's fresh-process rows
 * compared with the parser they are built on under the same conditions (nothing optimised yet).
 */
function freshPlainParseMs(file: string): number {
  const script =
    `const { parser } = require(${JSON.stringify(require.resolve('@lezer/python'))});` +
    `const text = require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8');` +
    'const t = performance.now(); parser.parse(text); console.log(performance.now() - t);';
  return Number(runNode(['-e', script]).stdout.trim());
}

/** CPU time of analysing `n` subscript assignments into one dict (issues #9/#11: each must be O(1)). */
function subscriptCpuMs(n: number, chain: boolean): number {
  const lines = ['D = {}', "CACHES = {'default': {'BACKEND': 'x', 'OPTIONS': {}}}"];
  for (let i = 0; i < n; i++)
    lines.push(chain ? `CACHES['default']['OPTIONS']['o${i}'] = ${i}` : `D['k${i}'] = ${i}`);
  const text = lines.join('\n') + '\n';
  const file = '/bench/settings.py';
  const c = process.cpuUsage();
  analyze({
    project: {
      root: '/bench',
      kind: 'django',
      layers: [{ path: file, role: 'settings' }],
      readFile: (f) => (f === file ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
  });
  return cpuMs(c);
}

function subscriptGrowthRows(S: string): Row[] {
  const rows: Row[] = [];
  for (const chain of [false, true]) {
    const what = chain ? "CACHES['default']['OPTIONS'][k] = v" : "D['k'] = v";
    subscriptCpuMs(500, chain); // warm-up
    const t = [2000, 8000, 32000].map((n) => median([0, 1, 2].map(() => subscriptCpuMs(n, chain))));
    const [t2, t8, t32] = t as [number, number, number];
    rows.push(
      row(
        S,
        `${what} ×2,000 / ×8,000 / ×32,000: analysis CPU`,
        t32,
        'ms',
        undefined,
        `CPU ${t2.toFixed(0)} / ${t8.toFixed(0)} / ${t32.toFixed(0)} ms`,
      ),
    );
    rows.push(
      row(
        S,
        `growth ${what} ×32,000 vs ×8,000: CPU per assignment ×4`,
        t32 / t8,
        'x',
        5,
        `4x the assignments took ${(t32 / t8).toFixed(2)}x the CPU time (×8,000 vs ×2,000: ${(t8 / t2).toFixed(2)}x)`,
      ),
    );
  }
  return rows;
}

async function analysisSection(): Promise<Row[]> {
  const S = 'analysis';
  const rows: Row[] = [];
  const dir = tempDir();
  try {
    const text10k = generateSettings(10_000);
    const text100k = generateSettings(100_000);
    const file10k = path.join(dir, 'settings.py');
    const file100k = path.join(dir, 'settings100k.py');
    fs.writeFileSync(file10k, text10k);
    measureOnce(text10k); // warm-up: the JIT, lazily built tables
    const runs10k: AnalysisTimes[] = [];
    for (let i = 0; i < REPEATS; i++) runs10k.push(measureOnce(text10k));
    const m = medians(runs10k);
    const py10k = cpythonParseMs(file10k, REPEATS);
    const kb = (text10k.length / 1000).toFixed(0);
    const what = `10k lines (${kb} KB)`;
    rows.push(row(S, `${what}: @lezer/python plain parse`, m.plain, 'ms', undefined, cpuNote(m.plainCpu)));
    rows.push(
      row(S, `${what}: parsePython (segmented)`, m.segmented, 'ms', undefined, cpuNote(m.segmentedCpu)),
    );
    rows.push(row(S, `${what}: analyze: parse`, m.parse, 'ms'));
    rows.push(row(S, `${what}: analyze: evaluate`, m.evaluate, 'ms'));
    rows.push(row(S, `${what}: analyze: rules`, m.rules, 'ms'));
    rows.push(row(S, `${what}: analyze: total`, m.total, 'ms', undefined, cpuNote(m.totalCpu)));
    if (py10k !== undefined)
      rows.push(
        row(S, `${what}: CPython ast.parse (inside python)`, py10k.wall, 'ms', undefined, cpuNote(py10k.cpu)),
      );
    rows.push(
      row(
        S,
        'segmented parse / plain parse',
        m.segmented / m.plain,
        'x',
        1.2,
        ratioNote(m.segmentedCpu / m.plainCpu),
      ),
    );
    rows.push(
      row(S, 'analysis total / plain parse', m.total / m.plain, 'x', 1.5, ratioNote(m.totalCpu / m.plainCpu)),
    );
    if (py10k !== undefined)
      rows.push(
        row(
          S,
          'analysis total / CPython ast.parse',
          m.total / py10k.wall,
          'x',
          1.0,
          ratioNote(m.totalCpu / py10k.cpu),
        ),
      );

    const cli = [cliStats(file10k), cliStats(file10k), cliStats(file10k)];
    const cm = (k: keyof (typeof cli)[number]): number => median(cli.map((c) => c[k]));
    const freshPlain = median([1, 2, 3].map(() => freshPlainParseMs(file10k)));
    rows.push(row(S, `${what}: CLI --stats parse (fresh process)`, cm('parseMs'), 'ms'));
    rows.push(row(S, `${what}: CLI --stats evaluate (fresh process)`, cm('evaluateMs'), 'ms'));
    rows.push(row(S, `${what}: CLI --stats rules (fresh process)`, cm('rulesMs'), 'ms'));
    rows.push(row(S, `${what}: CLI --stats total (fresh process)`, cm('totalMs'), 'ms'));
    rows.push(
      row(S, `${what}: CLI wall (node start included)`, cm('wall'), 'ms', undefined, cpuNote(cm('cpu'))),
    );
    rows.push(row(S, `${what}: @lezer/python plain parse (fresh process)`, freshPlain, 'ms'));
    rows.push(
      row(
        S,
        'CLI --stats total / plain parse, both in a fresh process',
        cm('totalMs') / freshPlain,
        'x',
        1.5,
      ),
    );
    if (py10k !== undefined)
      rows.push(row(S, 'CLI --stats total / CPython ast.parse', cm('totalMs') / py10k.wall, 'x', 1.0));

    const runs100k: AnalysisTimes[] = [];
    const reps100k = Math.max(1, Math.min(3, REPEATS));
    measureOnce(text100k);
    for (let i = 0; i < reps100k; i++) runs100k.push(measureOnce(text100k));
    const m100k = medians(runs100k);
    // Files over MAX_FILE_CHARS are analysed up to the limit (DSL003), so growth is per analysed character.
    const analysed =
      text100k.length > MAX_FILE_CHARS ? text100k.lastIndexOf('\n', MAX_FILE_CHARS) + 1 : text100k.length;
    fs.writeFileSync(file100k, text100k.slice(0, analysed));
    const py100k = cpythonParseMs(file100k, reps100k);
    const scale = analysed / text10k.length;
    const what100k = `100k lines (${(text100k.length / 1000).toFixed(0)} KB, ${(analysed / 1000).toFixed(0)} KB analysed)`;
    rows.push(row(S, `${what100k}: plain parse of the analysed part`, m100k.plain, 'ms'));
    rows.push(row(S, `${what100k}: analyze: total`, m100k.total, 'ms'));
    if (py100k !== undefined)
      rows.push(row(S, `${what100k}: CPython ast.parse of the analysed part`, py100k.wall, 'ms'));
    rows.push(
      row(
        S,
        `growth 100k vs 10k: analysis total per analysed character ×10`,
        (m100k.total / scale / m.total) * 10,
        'x',
        11,
        `${scale.toFixed(2)}x the characters took ${(m100k.total / m.total).toFixed(2)}x the time; ${ratioNote((m100k.totalCpu / scale / m.totalCpu) * 10)}`,
      ),
    );
    rows.push(
      row(
        S,
        `growth 100k vs 10k: plain parse per character ×10`,
        (m100k.plain / scale / m.plain) * 10,
        'x',
        11,
      ),
    );
    rows.push(...subscriptGrowthRows(S));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// ------------------------------------------------------------------------------------------ CLI fleet

/**
 * The CLI over a fleet (100 Horizon deployments × 10 files): by default (threads chosen from the cores the load
 * average leaves idle), on one thread and on two, the three runs interleaved so load changes hit each alike.
 */
async function cliFleetSection(): Promise<Row[]> {
  const S = 'cli';
  const dir = tempDir();
  try {
    writeHorizonFleet(dir, 100, 10);
    const variants = [
      ['default', []],
      ['--threads 1', ['--threads', '1']],
      ['--threads 2', ['--threads', '2']],
    ] as const;
    const walls = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    const cpus = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    let files = 0;
    for (let i = 0; i < Math.max(1, Math.min(REPEATS, 5)); i++) {
      for (const [name, flags] of variants) {
        const r = runNode([CLI, '--format', 'json', '--stats', ...flags, dir]);
        walls.get(name)?.push(r.wall);
        cpus.get(name)?.push(r.cpu ?? NaN);
        files = (JSON.parse(r.stdout) as { stats?: { files?: number } }).stats?.files ?? 0;
      }
    }
    const wall = (name: string): number => median(walls.get(name) ?? []);
    const cpu = (name: string): number => median(cpus.get(name) ?? []);
    const note = (name: string): string => `CPU ${cpu(name).toFixed(0)} ms (user + system, all threads)`;
    return [
      row(S, `fleet of 100 Horizon deployments × 10 files: files analysed`, files, 'count'),
      row(
        S,
        'fleet of 1,000 files: CLI wall (node start included)',
        wall('default'),
        'ms',
        1500,
        `${note('default')}; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
      ),
      row(
        S,
        'fleet of 1,000 files: CLI wall --threads 1',
        wall('--threads 1'),
        'ms',
        undefined,
        note('--threads 1'),
      ),
      row(
        S,
        'fleet of 1,000 files: CLI wall --threads 2',
        wall('--threads 2'),
        'ms',
        undefined,
        note('--threads 2'),
      ),
      row(
        S,
        'fleet: wall --threads 2 / --threads 1',
        wall('--threads 2') / wall('--threads 1'),
        'x',
        undefined,
        ratioNote(cpu('--threads 2') / cpu('--threads 1')),
      ),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------ Debian's Horizon

const DEBIAN_MANAGE = '/usr/share/openstack-dashboard/manage.py';
const DEBIAN_ETC = '/etc/openstack-dashboard';

/** Django's own `manage.py check --deploy` on Debian's installed Horizon against the CLI on the same install. */
async function debianSection(): Promise<Row[]> {
  const S = 'debian';
  if (!fs.existsSync(DEBIAN_MANAGE) || !fs.existsSync('/usr/bin/python3') || !fs.existsSync(DEBIAN_ETC))
    return [
      {
        section: S,
        measure: 'Debian Horizon: not installed (apt-get install openstack-dashboard python3-django)',
        value: NaN,
        unit: 'ms',
      },
    ];
  const runs = Math.max(1, Math.min(REPEATS, 3));
  const django: Timed[] = [];
  const cli: Timed[] = [];
  for (let i = 0; i < runs; i++) {
    django.push(runTimed('/usr/bin/python3', ['-I', DEBIAN_MANAGE, 'check', '--deploy'], os.tmpdir()));
    cli.push(runNode([CLI, '--format', 'json', DEBIAN_ETC]));
  }
  const m = (xs: Timed[], k: 'wall' | 'cpu'): number => median(xs.map((x) => x[k] ?? NaN));
  const ok = django.every((d) => d.status === 0);
  return [
    row(
      S,
      `Django manage.py check --deploy${ok ? '' : ' (failed)'}: wall`,
      m(django, 'wall'),
      'ms',
      undefined,
      cpuNote(m(django, 'cpu')),
    ),
    row(S, `CLI on ${DEBIAN_ETC}: wall`, m(cli, 'wall'), 'ms', undefined, cpuNote(m(cli, 'cpu'))),
    row(
      S,
      'CLI / manage.py check --deploy',
      m(cli, 'wall') / m(django, 'wall'),
      'x',
      undefined,
      ratioNote(m(cli, 'cpu') / m(django, 'cpu')),
    ),
  ];
}

// ------------------------------------------------------------------------------------------ language server

const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 100);
const QUERIES = 50;

/** The 10k-line file: open, keystrokes awaited one by one (debounce included), hover and completion. */
async function lspLargeFile(S: string): Promise<Row[]> {
  const dir = tempDir();
  const file = path.join(dir, 'settings.py');
  const text = generateSettings(10_000);
  fs.writeFileSync(file, text);
  const client = await LspClient.start({
    root: dir,
    settings: { djangoVersion: '4.2' },
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
  });
  try {
    const t0 = performance.now();
    const uri = client.open(file);
    await client.waitForVersion(uri, 1);
    const firstMs = performance.now() - t0;
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i >= lines.length / 2 && /^FEATURE_\d+_NAME = '/.test(l));
    const character = (lines[line] ?? '').length - 1;
    const keystrokes: number[] = [];
    const cpuBefore = cpuOf(client.child.pid);
    for (let k = 0; k < KEYSTROKES; k++) {
      const at = { line, character: character + k };
      const start = performance.now();
      const version = client.change(uri, [
        { range: { start: at, end: at }, text: String.fromCharCode(97 + (k % 26)) },
      ]);
      await client.waitForVersion(uri, version);
      keystrokes.push(performance.now() - start);
    }
    const cpuAfter = cpuOf(client.child.pid);
    const cpuEach =
      cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / KEYSTROKES : undefined;
    const engineLine = lines.findIndex((l) => l.startsWith('SESSION_ENGINE'));
    const hovers: number[] = [];
    const completions: number[] = [];
    for (let k = 0; k < QUERIES; k++) {
      let start = performance.now();
      await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: engineLine, character: 20 },
      });
      hovers.push(performance.now() - start);
      start = performance.now();
      await client.connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: { line: engineLine, character: 20 },
      });
      completions.push(performance.now() - start);
    }
    const mem = memoryOf(client.child.pid);
    // Last, so that the rows above (hover, RSS) measure the server as before these rows were added.
    const everywhere = await typeEverywhere(S, client, uri);
    const rows = [
      row(S, '10k-line file: open → first diagnostics', firstMs, 'ms'),
      row(
        S,
        `10k-line file: keystroke → diagnostics p50 (${KEYSTROKES} keystrokes)`,
        percentile(keystrokes, 50),
        'ms',
        16,
        cpuEach === undefined ? undefined : `server CPU ${cpuEach.toFixed(1)} ms a keystroke (mean)`,
      ),
      row(S, '10k-line file: keystroke → diagnostics p99', percentile(keystrokes, 99), 'ms', 50),
      ...everywhere,
      row(S, `10k-line file: hover p99 (${QUERIES})`, percentile(hovers, 99), 'ms', 10),
      row(S, `10k-line file: completion p99 (${QUERIES})`, percentile(completions, 99), 'ms', 10),
    ];
    if (mem)
      rows.push(
        row(S, '10k-line file: server RSS', mem.rss, 'MB', undefined, `peak ${mem.peak.toFixed(0)} MB`),
      );
    return rows;
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Keystrokes elsewhere in the same open file, each awaited (debounce included) as above: TYPING_SCENARIOS
 * (./typing.ts; BENCH_TYPING=top,import,… runs some), each at least KEYSTROKES keystrokes in whole rounds.
 */
async function typeEverywhere(S: string, client: LspClient, uri: string): Promise<Row[]> {
  const only = process.env.BENCH_TYPING?.split(',').filter(Boolean);
  const rows: Row[] = [];
  for (const scenario of TYPING_SCENARIOS) {
    if (only && !only.includes(scenario.name)) continue;
    const waits: number[] = [];
    const cpu0 = cpuOf(client.child.pid);
    for (let round = 0; waits.length < KEYSTROKES; round++) {
      const before = client.text(uri);
      for (const changes of scenario.round(before.split('\n'), round)) {
        const start = performance.now();
        const version = client.change(uri, changes);
        await client.waitForVersion(uri, version);
        waits.push(performance.now() - start);
      }
      if (client.text(uri) !== before) throw new Error(`bench: a round of ${scenario.name} changed the text`);
    }
    const cpu1 = cpuOf(client.child.pid);
    const cpuNote =
      cpu0 === undefined || cpu1 === undefined
        ? undefined
        : `server CPU ${((cpu1 - cpu0) / waits.length).toFixed(1)} ms a keystroke (mean)`;
    const m = `10k-line file, typing ${scenario.name}: keystroke → diagnostics`;
    rows.push(
      row(
        S,
        `${m} p50 (${waits.length} keystrokes: ${scenario.what})`,
        percentile(waits, 50),
        'ms',
        16,
        cpuNote,
      ),
      row(S, `${m} p99`, percentile(waits, 99), 'ms', 50, `max ${Math.max(...waits).toFixed(1)} ms`),
    );
  }
  return rows;
}

const INLINE_KEYSTROKES = Number(process.env.BENCH_INLINE_SAMPLES ?? 100);
/** Hover, completion, definition and references (also timed, with the 10k-line file, in lsp-typing). */
const INLINE_OTHERS = Math.min(50, INLINE_KEYSTROKES);
const INLINE_REPEATS = 100;
/** While typing: a keystroke every TYPING_INTERVAL_MS (a fast typist), the request at a spread of offsets in it. */
const TYPING_INTERVAL_MS = 120;
const DEBIAN_SNIPPET = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
SECRET_KEY = 'generated-by-the-package-0123456789abcdef'
`;

type InlineRequest =
  | 'codeLens'
  | 'inlayHint'
  | 'hover'
  | 'completion'
  | 'definition'
  | 'references'
  /** A CodeLens request sent right after a workspace/diagnostic pull (VS Code pulls every few seconds). */
  | 'codeLens while pulling'
  /**
   * Sent while you type, as an editor does (on its own timer, not on seeing diagnostics): a keystroke every
   * TYPING_INTERVAL_MS, the request at a spread of moments after it (before, during and after its analysis).
   */
  | 'codeLens while typing'
  | 'inlayHint while typing';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * CPU time of a process's main thread (the JavaScript thread) in ms, from /proc/<pid>/schedstat (nanoseconds;
 * undefined elsewhere). Read before a request and after its answer, it tells how long the server ran other work
 * (an analysis phase, a collection) while the client waited, whatever else the machine runs: wall time on a
 * shared machine also counts waiting for a core.
 */
function mainThreadCpuOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * The editor's requests on a 10k-line Horizon local_settings.py that a Debian snippet overrides, over JSON-RPC
 * as a client waits for them: CodeLens, inlay hints, hover, completion, Go to Definition and Find All
 * References, each timed as the first request after a keystroke's analysis (one keystroke per sample, so every
 * sample is a first), while typing (sent at any moment, an analysis under way or not), and repeated on an
 * unchanged text. Target: CodeLens/inlay hints p99 ≤ 10 ms (they read the last complete analysis; the server
 * answers between the phases of one under way). Notes give the server's CPU time (the machine may be shared:
 * wall time includes waiting for a core) — a keystroke's analysis for the typing rows, a request for the
 * repeated ones. BENCH_NODE_ARGS naming another build's server.js runs that server instead (before/after).
 */
async function lspInline(S: string): Promise<Row[]> {
  const rows: Row[] = [];
  const runs: [mode: 'codeLens' | 'inlayHint', requests: InlineRequest[]][] = [
    [
      'codeLens',
      [
        'codeLens',
        'codeLens while typing',
        'codeLens while pulling',
        'hover',
        'completion',
        'definition',
        'references',
      ],
    ],
    ['inlayHint', ['inlayHint', 'inlayHint while typing']],
  ];
  for (const [mode, requests] of runs) {
    const dir = tempDir();
    const file = path.join(dir, 'local_settings.py');
    const text = generateSettings(10_000);
    fs.writeFileSync(file, text);
    fs.mkdirSync(path.join(dir, 'local_settings.d'));
    fs.writeFileSync(path.join(dir, 'local_settings.d', '_0006_debian_cache.py'), DEBIAN_SNIPPET);
    const client = await LspClient.start({
      root: dir,
      settings: { djangoVersion: '4.2', horizonRelease: '2024.1', inlineValues: mode },
      nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
    });
    try {
      const uri = client.open(file);
      await client.waitForVersion(uri, 1);
      const lines = text.split('\n');
      const lineOf = (re: RegExp): number => lines.findIndex((l) => re.test(l));
      const engineLine = lineOf(/^SESSION_ENGINE = /);
      const cachesLine = lineOf(/^CACHES = /);
      const textDocument = { uri };
      const inlayParams = (): object => ({
        textDocument,
        range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
      });
      const params: Record<InlineRequest, () => object> = {
        codeLens: () => ({ textDocument }),
        'codeLens while pulling': () => ({ textDocument }),
        'codeLens while typing': () => ({ textDocument }),
        inlayHint: inlayParams,
        'inlayHint while typing': inlayParams,
        // On the name SESSION_ENGINE (hover card with the effective value) and inside its string (engines).
        hover: () => ({ textDocument, position: { line: engineLine, character: 3 } }),
        completion: () => ({ textDocument, position: { line: engineLine, character: 20 } }),
        definition: () => ({ textDocument, position: { line: cachesLine, character: 2 } }),
        references: () => ({
          textDocument,
          position: { line: cachesLine, character: 2 },
          context: { includeDeclaration: true },
        }),
      };
      /** Main-thread CPU the server spent while the last request waited (see mainThreadCpuOf). */
      let busy: number | undefined;
      const request = async (kind: InlineRequest): Promise<number> => {
        // The pull goes first, as when VS Code's periodic pull reaches the server just before the lens request.
        const pull =
          kind === 'codeLens while pulling'
            ? client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] })
            : undefined;
        const method = kind.split(' ')[0] as string;
        const cpu0 = mainThreadCpuOf(client.child.pid);
        const start = performance.now();
        const r: unknown = await client.connection.sendRequest(`textDocument/${method}`, params[kind]());
        const ms = performance.now() - start;
        const cpu1 = mainThreadCpuOf(client.child.pid);
        busy = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
        // An empty answer would time nothing: every request must find what it is asked about.
        if (r === null || (Array.isArray(r) && r.length === 0))
          throw new Error(`bench: textDocument/${kind} answered nothing`);
        await pull;
        return ms;
      };
      // Keystrokes go into a FEATURE_n_NAME string in the second half of the file.
      const line = lines.findIndex((l, i) => i >= lines.length / 2 && /^FEATURE_\d+_NAME = '/.test(l));
      let character = (lines[line] ?? '').length - 1;
      const keystroke = (): number => {
        const at = { line, character: character++ };
        return client.change(uri, [{ range: { start: at, end: at }, text: 'x' }]);
      };
      const cpu = (): number | undefined => cpuOf(client.child.pid);
      const perEach = (before: number | undefined, n: number): number | undefined => {
        const after = cpu();
        return before === undefined || after === undefined ? undefined : (after - before) / n;
      };
      const only = process.env.BENCH_INLINE_REQUESTS?.split(',');
      for (const kind of requests) {
        if (only && !only.includes(kind)) continue;
        const m = `10k-line local_settings.py: ${kind}`;
        const inline = kind.startsWith('codeLens') || kind.startsWith('inlayHint');
        const samples = inline ? INLINE_KEYSTROKES : INLINE_OTHERS;
        const target = inline ? 10 : undefined;
        if (kind.endsWith('while typing')) {
          const waits: number[] = [];
          const busyWaits: number[] = [];
          const cpu0 = cpu();
          let version = 0;
          for (let k = 0; k < samples; k++) {
            const t0 = performance.now();
            version = keystroke();
            await sleep((k * 37) % TYPING_INTERVAL_MS);
            waits.push(await request(kind));
            if (busy !== undefined) busyWaits.push(busy);
            await sleep(TYPING_INTERVAL_MS - (performance.now() - t0));
          }
          await client.waitForVersion(uri, version);
          const cpuEach = perEach(cpu0, samples);
          rows.push(
            row(S, `${m} p50`, percentile(waits, 50), 'ms'),
            row(
              S,
              `${m} p99 (${samples}, a keystroke every ${TYPING_INTERVAL_MS} ms)`,
              percentile(waits, 99),
              'ms',
              target,
              cpuEach === undefined ? undefined : `server CPU ${cpuEach.toFixed(1)} ms a keystroke`,
            ),
          );
          if (busyWaits.length > 0)
            rows.push(
              row(
                S,
                `${m}: server main-thread CPU while the client waited p99`,
                percentile(busyWaits, 99),
                'ms',
                target,
                `p50 ${percentile(busyWaits, 50).toFixed(1)} ms; other work it ran before answering, whatever the load`,
              ),
            );
          continue;
        }
        const first: number[] = [];
        for (let k = 0; k < samples; k++) {
          const version = keystroke();
          await client.waitForVersion(uri, version);
          first.push(await request(kind));
        }
        const repeated: number[] = [];
        const cpu0 = cpu();
        for (let k = 0; k < INLINE_REPEATS; k++) repeated.push(await request(kind));
        const cpuEach = perEach(cpu0, INLINE_REPEATS);
        rows.push(
          row(S, `${m} first after each analysis p50`, percentile(first, 50), 'ms'),
          row(S, `${m} first after each analysis p99 (${samples})`, percentile(first, 99), 'ms', target),
          row(S, `${m} repeated p50`, percentile(repeated, 50), 'ms'),
          row(
            S,
            `${m} repeated p99 (${INLINE_REPEATS})`,
            percentile(repeated, 99),
            'ms',
            target,
            cpuEach === undefined ? undefined : `server CPU ${cpuEach.toFixed(2)} ms a request`,
          ),
        );
      }
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

const OPEN_FILES = 100;
const EDITS = Number(process.env.BENCH_EDITS ?? 10_000);
const EDIT_ROUNDS = 10;
/** How long the 100-file bench waits after the edits before measuring the idle server (ms). */
const IDLE_WAIT_MS = 4000;

const HEAP_PROBE = path.join(__dirname, 'heap-probe.js');

/** Live heap of a server started with the heap probe: a full GC in it, then its figures (MB), or undefined. */
async function liveHeapOf(pid: number | undefined, file: string): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  fs.rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { heapUsed: number }).heapUsed / 1024 / 1024;
    } catch {
      // Not written yet.
    }
  }
  return undefined;
}

/**
 * The V8 heap of a server started with the heap probe as it is now, without collecting (MB): in use (live and
 * garbage not yet collected) and committed; undefined without the probe.
 */
async function heapNowOf(
  pid: number | undefined,
  file: string,
): Promise<{ used: number; committed: number } | undefined> {
  if (pid === undefined) return undefined;
  const now = `${file}.now`;
  fs.rmSync(now, { force: true });
  process.kill(pid, 'SIGWINCH');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      const h = JSON.parse(fs.readFileSync(now, 'utf8')) as { used: number; committed: number };
      return { used: h.used / 2 ** 20, committed: h.committed / 2 ** 20 };
    } catch {
      // Not written yet.
    }
  }
  return undefined;
}

/** What resident memory is made of (MB), for the rows' notes: files, V8's heap committed (in use), the rest. */
function residentParts(
  m: { file: number; anon: number },
  heap: { used: number; committed: number } | undefined,
): string {
  const parts = [`files (node binary, libraries) ${m.file.toFixed(1)}`];
  if (heap) {
    parts.push(`V8 heap committed ${heap.committed.toFixed(1)} (in use ${heap.used.toFixed(1)})`);
    parts.push(`other anonymous (malloc, stacks) ${(m.anon - heap.committed).toFixed(1)}`);
  } else parts.push(`anonymous ${m.anon.toFixed(1)}`);
  return parts.join(', ');
}

/** 100 deployments' local_settings.py opened at once, then EDITS keystrokes spread over them in rounds. */
async function lspManyFiles(S: string): Promise<Row[]> {
  const dir = tempDir();
  const files = writeHorizonFleet(dir, OPEN_FILES, 1);
  // BENCH_HEAP_PROBE=0 leaves the probe out (BENCH_NODE_ARGS naming another build's server.js to compare with:
  // a server without the probe would die of the signal).
  const probe = process.env.BENCH_HEAP_PROBE === '0' ? undefined : path.join(dir, 'heap-probe.json');
  if (probe) process.env['DSL_HEAP_PROBE_FILE'] = probe;
  const nodeArgs = [
    ...(probe ? ['-r', HEAP_PROBE] : []),
    ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  // The measured start is an editor's every start but the first after installing: the first compiles the server's
  // bundle and writes its V8 code cache (node/code-cache.ts; that start holds ~4 MB more for its lifetime), so a
  // start with the same node arguments comes first. The cold start's figure is printed beside (no target).
  // A code cache of this section's own, so that its first start is the cold one whatever ran before.
  const cacheHome = process.env['XDG_CACHE_HOME'];
  process.env['XDG_CACHE_HOME'] = path.join(dir, 'cache');
  const cold = await LspClient.start({ root: dir, settings: {}, nodeArgs });
  let coldRss: number | undefined;
  try {
    for (const uri of files.map((f) => cold.open(f))) await cold.waitForVersion(uri, 1);
    coldRss = memoryOf(cold.child.pid)?.rss;
  } finally {
    await cold.stop();
  }
  const client = await LspClient.start({ root: dir, settings: {}, nodeArgs });
  if (cacheHome === undefined) delete process.env['XDG_CACHE_HOME'];
  else process.env['XDG_CACHE_HOME'] = cacheHome;
  delete process.env['DSL_HEAP_PROBE_FILE'];
  try {
    const cpu0 = cpuOf(client.child.pid);
    const t0 = performance.now();
    const uris = files.map((f) => client.open(f));
    for (const uri of uris) await client.waitForVersion(uri, 1);
    const openMs = performance.now() - t0;
    const cpu1 = cpuOf(client.child.pid);
    const afterOpen = memoryOf(client.child.pid);
    const heapAfterOpen = probe ? await heapNowOf(client.child.pid, probe) : undefined;
    const liveAfterOpen = probe ? await liveHeapOf(client.child.pid, probe) : undefined;
    // Keystrokes go into the OPENSTACK_HOST string of each file; every round ends when each file's last version
    // is diagnosed (the debounce coalesces a file's keystrokes of one round).
    const perRound = Math.max(1, Math.round(EDITS / EDIT_ROUNDS / uris.length));
    let edits = 0;
    for (let round = 0; round < EDIT_ROUNDS; round++) {
      const last = new Map<string, number>();
      for (const uri of uris) {
        const lines = client.text(uri).split('\n');
        const line = lines.findIndex((l) => l.startsWith('OPENSTACK_HOST = '));
        const character = (lines[line] ?? '').length - 1;
        for (let k = 0; k < perRound; k++) {
          const at = { line, character };
          last.set(uri, client.change(uri, [{ range: { start: at, end: at }, text: String(k % 10) }]));
          edits++;
        }
      }
      for (const [uri, version] of last) await client.waitForVersion(uri, version);
    }
    const afterEdits = memoryOf(client.child.pid);
    // Read right after the RSS above (a signal handler: the heap as it is, nothing collected).
    const heapAfterEdits = probe ? await heapNowOf(client.child.pid, probe) : undefined;
    // Then idle, as after typing stops: the server collects what the edits left (lsp/heap.ts, 2 s after the
    // last analysis) and the pages go back to the system.
    await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
    const idle = memoryOf(client.child.pid);
    const heapIdle = probe ? await heapNowOf(client.child.pid, probe) : undefined;
    const liveAfterEdits = probe ? await liveHeapOf(client.child.pid, probe) : undefined;
    const rows = [
      row(
        S,
        `${OPEN_FILES} files (150-line local_settings.py each): open → all diagnosed`,
        openMs,
        'ms',
        1000,
        cpu0 !== undefined && cpu1 !== undefined ? `server CPU ${(cpu1 - cpu0).toFixed(0)} ms` : undefined,
      ),
    ];
    if (afterOpen && afterEdits) {
      rows.push(
        row(
          S,
          `${OPEN_FILES} files open: server RSS`,
          afterOpen.rss,
          'MB',
          80,
          residentParts(afterOpen, heapAfterOpen),
        ),
      );
      if (coldRss !== undefined)
        rows.push(
          row(
            S,
            `${OPEN_FILES} files open, the first start after installing (compiles the bundle): server RSS`,
            coldRss,
            'MB',
            undefined,
            'writes the V8 code cache that the starts measured above load',
          ),
        );
      rows.push(
        row(
          S,
          `${OPEN_FILES} files open, after ${edits} edits: server RSS`,
          afterEdits.rss,
          'MB',
          80,
          `peak ${afterEdits.peak.toFixed(0)} MB; ${residentParts(afterEdits, heapAfterEdits)}`,
        ),
      );
    }
    if (idle)
      rows.push(
        row(
          S,
          `${OPEN_FILES} files open, after ${edits} edits and ${IDLE_WAIT_MS / 1000} s idle: server RSS`,
          idle.rss,
          'MB',
          80,
          residentParts(idle, heapIdle),
        ),
      );
    if (liveAfterOpen !== undefined && liveAfterEdits !== undefined) {
      // RSS counts the node binary and the bundle's code (~70 MB for an idle server) and the heap V8 keeps
      // committed; the live heap after a full GC is what the server's state holds. Flat = no cache grows.
      rows.push(row(S, `${OPEN_FILES} files open: server live heap after a full GC`, liveAfterOpen, 'MB'));
      rows.push(
        row(
          S,
          `${OPEN_FILES} files open, after ${edits} edits: server live heap after a full GC`,
          liveAfterEdits,
          'MB',
          undefined,
          `${(liveAfterEdits / liveAfterOpen).toFixed(2)}x the heap after open`,
        ),
      );
    }
    return rows;
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------ report

/** Every section, in the order they run. Add yours here (a function returning rows). */
/** Sections that print their own table and JSON: CLI start-up against `node -e 0` (./startup.ts). */
const REPORTS: Record<string, () => string> = {
  startup: () => benchStartup(),
};

const SECTIONS: Record<string, () => Promise<Row[]>> = {
  analysis: analysisSection,
  cli: cliFleetSection,
  debian: debianSection,
  'lsp-typing': () => lspLargeFile('lsp'),
  'lsp-open': () => lspManyFiles('lsp'),
  'lsp-inline': () => lspInline('lsp'),
};

interface Machine {
  readonly node: string;
  readonly platform: string;
  readonly cpu: string | undefined;
  readonly cpus: number;
  readonly memoryMB: number;
  readonly loadAverage: number[];
  readonly python: string | undefined;
  readonly date: string;
}

function machine(): Machine {
  const cpus = os.cpus();
  let python: string | undefined;
  try {
    python = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    python = undefined;
  }
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model,
    cpus: cpus.length,
    memoryMB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    python,
    date: new Date().toISOString(),
  };
}

function formatValue(r: Row): string {
  if (r.unit === 'x') return `${r.value.toFixed(2)}x`;
  if (r.unit === 'count') return String(r.value);
  return `${r.value.toFixed(1)} ${r.unit}`;
}

function table(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.section,
    r.measure,
    formatValue(r),
    r.target === undefined ? '' : `≤ ${r.unit === 'x' ? `${r.target}x` : `${r.target} ${r.unit}`}`,
    r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
    r.note ?? '',
  ]);
  const head = ['section', 'measure', 'value', 'target', '', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => (i === 2 ? x.padStart(widths[i] ?? 0) : x.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const wanted = [
    ...process.argv.slice(2).filter((a) => !a.startsWith('-')),
    ...(process.env.BENCH_ONLY?.split(',').filter(Boolean) ?? []),
  ];
  const known = [...Object.keys(REPORTS), ...Object.keys(SECTIONS)];
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length > 0)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  for (const [name, report] of Object.entries(REPORTS)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    process.stdout.write(report() + '\n');
  }
  if (wanted.length > 0 && !wanted.some((w) => w in SECTIONS)) return;
  const before = machine();
  const rows: Row[] = [];
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    rows.push(...(await section()));
  }
  const host = { ...before, loadAverageAfter: os.loadavg().map((l) => Number(l.toFixed(2))) };
  const failed = rows.filter((r) => r.pass === false).length;
  const met = rows.filter((r) => r.pass === true).length;
  process.stdout.write(
    [
      `django-session-lint benchmark — node ${process.version}, ${host.cpus} × ${host.cpu ?? 'unknown CPU'}, load ${JSON.stringify(host.loadAverage)} → ${JSON.stringify(host.loadAverageAfter)}`,
      `medians of ${REPEATS} runs where repeated; targets met: ${met}, not met: ${failed}`,
      '',
      table(rows),
      '',
      JSON.stringify({ machine: host, rows }, null, 2),
      '',
    ].join('\n'),
  );
}

if (require.main === module)
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
