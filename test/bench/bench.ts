/** Benchmarks: CLI start-up (./startup.ts), then the language server: generated 10,000-line settings files, 50 incremental keystrokes over stdio, latency from each keystroke to the publishDiagnostics of its version (debounce included), hover latency and memory. Prints a table; asserts nothing about time. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePython } from '../../server/src/core/python/parse';
import { LspClient } from '../lsp/lsp-client';
import { benchStartup } from './startup';

const LINES = 10_000;
const KEYSTROKES = 50;
const HOVERS = 20;
const TARGET_P50_MS = 50;

export interface GenerateOptions {
  /** How often a section holds an `if DEBUG:` and a `try:` block. */
  readonly blockEvery?: number;
  /**
   * `spaced`: as people write settings, titled sections separated by blank lines. `compact`: the same
   * statements without blank or comment-only lines. @lezer/python 1.1.19 reports a syntax error in valid
   * Python after some 600 top-level blank or comment lines (`'\\nX = 1\\n'.repeat(700)` fails at line 1174),
   * and broken text is re-parsed in full on every keystroke (so the result stays a full parse's); the compact
   * file shows the cost once that is fixed.
   */
  readonly layout?: 'spaced' | 'compact';
}

/**
 * A settings module the size of the largest real ones, in the shapes real ones use: titled sections of plain
 * assignments, multi-line dicts and lists, environment lookups, and now and then an `if`/`try` block.
 */
export function generateSettings(lines: number, options: GenerateOptions = {}): string {
  const blockEvery = options.blockEvery ?? 5;
  const spaced = (options.layout ?? 'spaced') === 'spaced';
  const out: string[] = [
    '"""Generated settings for the language server benchmark."""',
    'import os',
    'DEBUG = False',
    "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    'CACHES = {',
    "    'default': {",
    "        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',",
    '    },',
    '}',
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app', 'HOST': os.environ.get('DB_HOST', 'db.internal')}}",
  ];
  for (let i = 1; out.length < lines; i++) {
    const title = `# ----- Section ${i}: feature flags and limits -----`;
    const first = `FEATURE_${i}_ENABLED = ${i % 2 === 0 ? 'True' : 'False'}`;
    if (spaced) out.push('', title, '', first);
    else out.push(`${first}  ${title}`);
    out.push(`FEATURE_${i}_NAME = 'feature-${i}'`);
    out.push(`FEATURE_${i}_TIMEOUT = ${i * 10}`);
    out.push(`FEATURE_${i}_URL = os.environ.get('FEATURE_${i}_URL', 'https://feature-${i}.example.org/')`);
    out.push(`FEATURE_${i}_HOSTS = ['a-${i}.example.org', 'b-${i}.example.org']`);
    out.push(`FEATURE_${i}_OPTIONS = {`);
    out.push(`    'name': 'feature-${i}',`);
    out.push(`    'retries': ${i % 7},`);
    out.push(`    'limits': [${i}, ${i * 2}, ${i * 3}],`);
    out.push(`    'backend': {'kind': 'http', 'verify': True},`);
    out.push('}');
    if (i % blockEvery === 0) {
      out.push('if DEBUG:', `    FEATURE_${i}_TIMEOUT = 0`, `    FEATURE_${i}_OPTIONS['retries'] = 0`);
      if (spaced) out.push('');
      out.push(
        'try:',
        `    FEATURE_${i}_EXTRA = os.environ['FEATURE_${i}_EXTRA']`,
        'except KeyError:',
        `    FEATURE_${i}_EXTRA = None`,
      );
    }
  }
  // Whole sections only: cutting one would leave a dict or a block open.
  return out.join('\n') + '\n';
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** Resident and peak memory of a process in MB (Linux /proc), or undefined elsewhere. */
function memoryOf(pid: number | undefined): { rss: number; peak: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

interface Scenario {
  readonly name: string;
  readonly text: string;
}

interface Result {
  readonly scenario: Scenario;
  readonly firstMs: number;
  readonly keystrokes: number[];
  readonly hovers: number[];
  readonly memory: { rss: number; peak: number } | undefined;
}

/** Opens the file, then types into a string literal in its middle, waiting for each version's diagnostics. */
async function run(scenario: Scenario): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-bench-'));
  const file = path.join(dir, 'settings.py');
  fs.writeFileSync(file, scenario.text);
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
    const lines = scenario.text.split('\n');
    const line = lines.findIndex((l, i) => i >= lines.length / 2 && /^FEATURE_\d+_NAME = '/.test(l));
    const character = (lines[line] ?? '').length - 1;
    const keystrokes: number[] = [];
    for (let k = 0; k < KEYSTROKES; k++) {
      const at = { line, character: character + k };
      const start = performance.now();
      const version = client.change(uri, [
        { range: { start: at, end: at }, text: String.fromCharCode(97 + (k % 26)) },
      ]);
      await client.waitForVersion(uri, version);
      keystrokes.push(performance.now() - start);
    }
    const hovers: number[] = [];
    const engineLine = lines.findIndex((l) => l.startsWith('SESSION_ENGINE'));
    for (let k = 0; k < HOVERS; k++) {
      const start = performance.now();
      await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: engineLine, character: 20 },
      });
      hovers.push(performance.now() - start);
    }
    return { scenario, firstMs, keystrokes, hovers, memory: memoryOf(client.child.pid) };
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function stats(values: readonly number[]): [string, string, string] {
  const sorted = [...values].sort((a, b) => a - b);
  return [
    percentile(sorted, 50).toFixed(1),
    percentile(sorted, 95).toFixed(1),
    (sorted[sorted.length - 1] ?? NaN).toFixed(1),
  ];
}

async function main(): Promise<void> {
  // CLI start-up first (npm run bench; BENCH_ONLY=startup for this part alone).
  process.stdout.write(benchStartup() + '\n');
  if (process.env.BENCH_ONLY === 'startup') return;
  const scenarios: Scenario[] = [
    { name: 'spaced (as people write settings)', text: generateSettings(LINES) },
    { name: 'compact (no blank or comment lines)', text: generateSettings(LINES, { layout: 'compact' }) },
  ];
  const results: Result[] = [];
  for (const s of scenarios) results.push(await run(s));
  const widths = [58, 9, 9, 9];
  const out = [
    `django-session-lint language server benchmark (node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`,
    `settings.py of ${LINES}+ lines (whole sections); ${KEYSTROKES} incremental keystrokes into a string literal mid-file, each awaited; debounce included`,
    '',
    row(['measure', 'p50 ms', 'p95 ms', 'max ms'], widths),
  ];
  for (const r of results) {
    out.push(row([`${r.scenario.name}: keystroke → publishDiagnostics`, ...stats(r.keystrokes)], widths));
    out.push(row([`${r.scenario.name}: hover`, ...stats(r.hovers)], widths));
    out.push(row([`${r.scenario.name}: open → first diagnostics`, r.firstMs.toFixed(1), '', ''], widths));
  }
  out.push('');
  for (const r of results) {
    const parsed = parsePython('settings.py', r.scenario.text);
    const error = parsed.syntaxError
      ? `parser reports a syntax error at line ${parsed.lines.positionAt(parsed.syntaxError.from).line + 1} (full re-parse per keystroke)`
      : 'parses cleanly (incremental parsing)';
    out.push(
      `${r.scenario.name}: ${error}; ${r.scenario.text.length} characters; server memory ${r.memory ? `${r.memory.rss.toFixed(0)} MB resident, ${r.memory.peak.toFixed(0)} MB peak` : 'not available on this platform'}`,
    );
  }
  const p50 = Number(stats(results[0]?.keystrokes ?? [])[0]);
  out.push(`target: keystroke p50 < ${TARGET_P50_MS} ms: ${p50 < TARGET_P50_MS ? 'met' : 'NOT met'}`);
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module)
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
