/**
 * A debugging aid for request latency (issue #12), off unless the environment variable DJANGO_SESSION_LINT_TRACE
 * names a file (`%p` in it: the process id). It records every synchronous stretch of the server longer than
 * 0.5 ms or with marks (one event-loop callback, from async_hooks' before to after: `{t, d, m}`, start and
 * duration in ms of performance.now(), the marks set in it: analysis steps, requests read (`in <method>`),
 * handled (`req <what>`) and answered (`out <id or method>`), gaps between an analysis's pause points), and
 * every garbage collection (`{gc, d, kind}`: 1 scavenge, 4 mark-compact, 8 incremental marking), written as
 * JSON lines to that file when the server exits. Tracing itself costs ~20% CPU (async_hooks' promise hooks).
 * `node tools/trace-report.mjs <file>` reads it; node's `--enable-source-maps` gives the gaps' stacks source
 * positions (`BENCH_NODE_ARGS=--enable-source-maps` for the bench's server).
 */
import { createHook } from 'node:async_hooks';
import * as fs from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.DJANGO_SESSION_LINT_TRACE?.replace('%p', String(process.pid));
const out: string[] = [];
let marks: string[] | undefined;
/** Whether DJANGO_SESSION_LINT_TRACE is set. */
export const tracing = file !== undefined;

/** Notes what the current stretch does (no-op unless tracing). */
export function traceMark(label: string): void {
  if (marks) marks.push(`${performance.now().toFixed(2)} ${label}`);
}

/** When the current stretch began or last passed a checkpoint. */
let lastCheckpoint = 0;

/**
 * A point where an analysis may pause (its time slice is checked): when the work since the last one (or since
 * the stretch began) took more than CHECKPOINT_GAP_MS, notes how long and where it ended (the stack), which
 * tells what runs too long between two points where a request could be answered.
 */
export function traceCheckpoint(): void {
  if (!marks) return;
  const now = performance.now();
  if (now - lastCheckpoint > CHECKPOINT_GAP_MS) {
    const stack = (new Error().stack ?? '').split('\n').slice(2, 7);
    traceMark(
      `gap ${(now - lastCheckpoint).toFixed(1)} ${stack.map((l) => l.trim().replace(/^at /, '')).join(' < ')}`,
    );
  }
  lastCheckpoint = now;
}
const CHECKPOINT_GAP_MS = 4;

if (file) {
  let depth = 0;
  let start = 0;
  createHook({
    before() {
      if (depth++ > 0) return;
      start = performance.now();
      lastCheckpoint = start;
      marks = [];
    },
    after() {
      if (--depth > 0) return;
      const d = performance.now() - start;
      if (d > 0.5 || (marks && marks.length > 0))
        out.push(JSON.stringify({ t: +start.toFixed(2), d: +d.toFixed(2), m: marks }));
      marks = [];
    },
  }).enable();
  marks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      out.push(
        JSON.stringify({
          gc: +e.startTime.toFixed(2),
          d: +e.duration.toFixed(2),
          kind: (e as { detail?: { kind?: number } }).detail?.kind,
        }),
      );
  }).observe({ entryTypes: ['gc'] });
  process.stdin.prependListener('data', (chunk: Buffer) => {
    for (const m of chunk.toString('latin1').matchAll(/"method":"([^"]+)"/g)) traceMark(`in ${m[1]}`);
  });
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
    const m = /"method":"([^"]+)"/.exec(s) ?? /"id":(\d+)/.exec(s);
    if (m) traceMark(`out ${m[1]}`);
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.on('exit', () => fs.writeFileSync(file, out.join('\n') + '\n'));
}
