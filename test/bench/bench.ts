/** Language server benchmark: a generated 10,000-line settings file, 50 incremental keystrokes over stdio, latency from each keystroke to the publishDiagnostics of its version (debounce included), hover latency and memory. Prints a table; asserts nothing about time. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../lsp/lsp-client';

const LINES = 10_000;
const KEYSTROKES = 50;
const HOVERS = 20;
const TARGET_P50_MS = 50;

/** A settings module the size of the largest real ones, in the shapes real ones use (dicts, env lookups, branches). */
export function generateSettings(lines: number): string {
  const out: string[] = [
    '"""Generated settings for the language server benchmark."""',
    'import os',
    '',
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
    out.push(`# Feature ${i}`);
    out.push(`FEATURE_${i} = {`);
    out.push(`    'name': 'feature-${i}',`);
    out.push(`    'enabled': ${i % 2 === 0 ? 'True' : 'False'},`);
    out.push(`    'limits': [${i}, ${i * 2}, ${i * 3}],`);
    out.push('}');
    out.push(`FEATURE_${i}_URL = os.environ.get('FEATURE_${i}_URL', 'https://feature-${i}.example.org/')`);
    out.push('if DEBUG:');
    out.push(`    FEATURE_${i}['enabled'] = True`);
    out.push('');
  }
  return out.slice(0, lines).join('\n') + '\n';
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
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-bench-'));
  const file = path.join(dir, 'settings.py');
  const text = generateSettings(LINES);
  fs.writeFileSync(file, text);
  const client = await LspClient.start({ root: dir, settings: { djangoVersion: '4.2' } });
  try {
    const t0 = performance.now();
    const uri = client.open(file);
    await client.waitForVersion(uri, 1);
    const firstMs = performance.now() - t0;

    // Type into the middle of the file, one character at a time, waiting for each version's diagnostics.
    const line = Math.floor(LINES / 2);
    const lineText = text.split('\n')[line] ?? '';
    const latencies: number[] = [];
    for (let k = 0; k < KEYSTROKES; k++) {
      const character = lineText.length + k;
      const start = performance.now();
      const version = client.change(uri, [{ range: { start: { line, character }, end: { line, character } }, text: k === 0 ? '  #' : 'x' }]);
      await client.waitForVersion(uri, version);
      latencies.push(performance.now() - start);
    }
    const hovers: number[] = [];
    for (let k = 0; k < HOVERS; k++) {
      const start = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 20 } });
      hovers.push(performance.now() - start);
    }
    const memory = memoryOf(client.child.pid);
    const sorted = [...latencies].sort((a, b) => a - b);
    const sortedHovers = [...hovers].sort((a, b) => a - b);
    const f = (n: number): string => n.toFixed(1);
    const widths = [44, 10, 10, 10];
    const lines = [
      `django-session-lint language server benchmark (node ${process.version}, ${os.cpus().length} CPUs)`,
      `file: ${LINES} lines, ${text.length} characters; ${KEYSTROKES} incremental keystrokes at line ${line + 1}`,
      '',
      row(['measure', 'p50 ms', 'p95 ms', 'max ms'], widths),
      row(['keystroke → publishDiagnostics (that version)', f(percentile(sorted, 50)), f(percentile(sorted, 95)), f(sorted[sorted.length - 1] ?? NaN)], widths),
      row(['hover (reuses the last analysis)', f(percentile(sortedHovers, 50)), f(percentile(sortedHovers, 95)), f(sortedHovers[sortedHovers.length - 1] ?? NaN)], widths),
      row(['open → first publishDiagnostics', f(firstMs), '', ''], widths),
      '',
      memory ? `server memory: ${memory.rss.toFixed(0)} MB resident, ${memory.peak.toFixed(0)} MB peak` : 'server memory: not available on this platform',
      `target: keystroke p50 < ${TARGET_P50_MS} ms (debounce included): ${percentile(sorted, 50) < TARGET_P50_MS ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
