/**
 * Worker threads for CLI runs over many projects (a fleet's configurations). The main thread analyses too; worker
 * threads take chunks of projects as they become free, keep their analyses, and report each project's secrets.
 * Once every project is analysed, each thread masks its own projects with a redactor that knows every project's
 * secrets (as the serial run's one redactor does) and hands back plain data (`ProjectOutcome`), which the run
 * merges in project order: the report is byte for byte the serial run's. A worker that fails or cannot start
 * leaves its projects to the main thread. Worker threads run this same file (the bundle dist/cli-run.js, or
 * out/…/parallel.js under tsc): loaded in a worker started here, it serves instead of exporting.
 */
import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { Analysis } from '../core/analyze';
import { ParseCache } from '../core/layers/project';
import {
  analyzeForReport,
  DiskReader,
  projectOutcome,
  type ProjectJob,
  type ProjectOutcome,
} from './project-job';
import { Redactor } from '../core/secrets';

/** Layer text per analysis thread below which another thread does not pay for its start (~0.1 s). */
export const CHARS_PER_THREAD = 200_000;
/** Threads used without --threads, at most (main thread included). */
export const MAX_AUTO_THREADS = 4;

/**
 * How many threads (main included) to analyse `projects` projects of `chars` characters with. Each thread pays
 * its own start and JIT warm-up (measured: ~0.5 s of CPU for a cold run's ~1.2 s), so a worker pays only with
 * enough text for it and a core nobody else is using: without --threads, no more threads than the cores the
 * load average leaves idle (`make -l`'s idea), each with at least CHARS_PER_THREAD of text.
 */
export function threadCount(
  requested: number | undefined,
  projects: number,
  chars: number,
  machine: { cores: number; load: number } = currentMachine(),
): number {
  if (projects < 2) return 1;
  if (requested !== undefined) return Math.max(1, Math.min(requested, projects));
  const idle = Math.round(machine.cores - machine.load);
  return Math.max(1, Math.min(idle, MAX_AUTO_THREADS, projects, Math.floor(chars / CHARS_PER_THREAD)));
}

function currentMachine(): { cores: number; load: number } {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { cores, load: os.loadavg()[0] ?? 0 };
}

interface Timings {
  parseMs: number;
  evaluateMs: number;
  rulesMs: number;
}

/** Main thread → worker. */
type ToWorker =
  | {
      readonly t: 'chunk';
      readonly items: readonly { index: number; job: ProjectJob; texts: [string, string][] }[];
    }
  | { readonly t: 'present'; readonly secrets: readonly string[] };

/** Worker → main thread. */
type FromWorker =
  | {
      readonly t: 'analysed';
      readonly results: readonly { index: number; secrets: string[]; timings: Timings }[];
    }
  | { readonly t: 'presented'; readonly outcomes: readonly { index: number; outcome: ProjectOutcome }[] }
  | { readonly t: 'failed'; readonly message: string };

interface WorkerSetup {
  readonly dslCliWorker: true;
  readonly cwd: string;
  readonly named: readonly string[];
  readonly json: boolean;
}

export interface ParallelRun {
  readonly jobs: readonly ProjectJob[];
  /** Threads in all, the main thread included (≥ 2). */
  readonly threads: number;
  readonly cwd: string;
  readonly named: ReadonlySet<string>;
  readonly json: boolean;
  /** A layer's text as the main thread read it (workers read other files, such as imported modules, themselves). */
  readonly text: (file: string) => string | undefined;
  /** Analyses a project on the main thread (its timings are the caller's to count). */
  readonly analyzeHere: (job: ProjectJob) => Analysis;
  readonly progress: (done: number) => void;
}

export interface ParallelResult {
  /** One per job, in job order. */
  readonly outcomes: readonly ProjectOutcome[];
  /** Timings of the projects the workers analysed. */
  readonly workerTimings: Timings;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Analyses `run.jobs` on the main thread and `run.threads - 1` worker threads; outcomes in job order. */
export async function analyzeInParallel(run: ParallelRun): Promise<ParallelResult> {
  const { jobs } = run;
  const chunkSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (run.threads * 8))));
  let next = 0;
  const local = new Map<number, Analysis>();
  const secrets = new Map<number, readonly string[]>();
  const outcomes = new Map<number, ProjectOutcome>();
  const workerTimings: Timings = { parseMs: 0, evaluateMs: 0, rulesMs: 0 };
  let changed: () => void = () => undefined;
  const progress = (): void => run.progress(local.size + secrets.size);

  interface Helper {
    readonly worker: Worker;
    /** Jobs given to it and not reported analysed (or, while presenting, not presented). */
    readonly assigned: Set<number>;
    /** Jobs it analysed (and keeps). */
    readonly holds: number[];
    alive: boolean;
  }
  const helpers: Helper[] = [];
  const setup: WorkerSetup = { dslCliWorker: true, cwd: run.cwd, named: [...run.named], json: run.json };

  const giveChunk = (h: Helper): void => {
    if (next >= jobs.length || !h.alive) return;
    const items = [];
    for (const end = Math.min(jobs.length, next + chunkSize); next < end; next++) {
      const job = jobs[next] as ProjectJob;
      const texts: [string, string][] = [];
      for (const l of job.input.layers) {
        const text = run.text(l.path);
        if (text !== undefined) texts.push([l.path, text]);
      }
      items.push({ index: next, job, texts });
      h.assigned.add(next);
    }
    h.worker.postMessage({ t: 'chunk', items } satisfies ToWorker);
  };
  const lose = (h: Helper): void => {
    // Its projects (those it kept too) are analysed here instead.
    if (!h.alive) return;
    h.alive = false;
    for (const i of [...h.assigned, ...h.holds]) {
      secrets.delete(i);
      local.set(i, run.analyzeHere(jobs[i] as ProjectJob));
    }
    h.assigned.clear();
    h.holds.length = 0;
    void h.worker.terminate();
    changed();
  };

  for (let w = 1; w < run.threads; w++) {
    let worker: Worker;
    try {
      worker = new Worker(__filename, { workerData: setup });
    } catch {
      break;
    }
    const h: Helper = { worker, assigned: new Set(), holds: [], alive: true };
    helpers.push(h);
    worker.on('message', (m: FromWorker) => {
      if (!h.alive) return;
      switch (m.t) {
        case 'analysed':
          for (const r of m.results) {
            h.assigned.delete(r.index);
            h.holds.push(r.index);
            secrets.set(r.index, r.secrets);
            workerTimings.parseMs += r.timings.parseMs;
            workerTimings.evaluateMs += r.timings.evaluateMs;
            workerTimings.rulesMs += r.timings.rulesMs;
          }
          progress();
          giveChunk(h);
          break;
        case 'presented':
          for (const o of m.outcomes) {
            h.assigned.delete(o.index);
            outcomes.set(o.index, o.outcome);
          }
          break;
        case 'failed':
          lose(h);
          break;
      }
      changed();
    });
    worker.on('error', () => lose(h));
    // Its first chunk waits in its port while it starts, so it has work the moment it is ready.
    giveChunk(h);
    worker.on('exit', () => {
      if (h.assigned.size > 0) lose(h);
    });
  }

  /** Resolves once no live worker has work outstanding. */
  const settled = async (): Promise<void> => {
    while (helpers.some((h) => h.alive && h.assigned.size > 0))
      await new Promise<void>((resolve) => (changed = resolve));
  };

  // The main thread takes chunks too, and lets the workers' messages in between projects.
  while (next < jobs.length) {
    const from = next;
    next = Math.min(jobs.length, next + chunkSize);
    for (let i = from; i < next; i++) {
      local.set(i, run.analyzeHere(jobs[i] as ProjectJob));
      progress();
      await turn();
    }
  }
  await settled();

  // Every project is analysed: one redactor with every secret, on every thread.
  const redactor = new Redactor();
  for (const a of local.values()) redactor.addAnalysis(a);
  for (const list of secrets.values()) for (const s of list) redactor.add(s);
  const known = redactor.known;
  for (const h of helpers) {
    if (!h.alive || h.holds.length === 0) continue;
    for (const i of h.holds) h.assigned.add(i);
    h.worker.postMessage({ t: 'present', secrets: known } satisfies ToWorker);
  }
  for (const [i, a] of local) outcomes.set(i, projectOutcome(a, redactor, run.json));
  await settled();
  // Projects of a worker lost while presenting were analysed here meanwhile.
  for (const [i, a] of local) if (!outcomes.has(i)) outcomes.set(i, projectOutcome(a, redactor, run.json));
  for (const h of helpers) {
    h.alive = false;
    void h.worker.terminate();
  }
  return {
    outcomes: jobs.map((_, i) => {
      const o = outcomes.get(i);
      if (o === undefined) throw new Error(`project ${i} was not analysed`);
      return o;
    }),
    workerTimings,
  };
}

/** The worker side: analyses the chunks it is given and keeps the analyses until it is asked to present them. */
function serve(port: MessagePort, setup: WorkerSetup): void {
  const reader = new DiskReader(setup.cwd);
  const cache = new ParseCache();
  const named = new Set(setup.named);
  const held = new Map<number, Analysis>();
  const send = (m: FromWorker): void => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.t === 'chunk') {
        const results = m.items.map(({ index, job, texts }) => {
          for (const [file, text] of texts) reader.provide(file, text);
          const a = analyzeForReport(job, (f) => reader.read(f), cache, setup.cwd, named);
          held.set(index, a);
          const own = new Redactor();
          own.addAnalysis(a);
          return { index, secrets: own.known, timings: { ...a.timings } };
        });
        send({ t: 'analysed', results });
      } else {
        const redactor = new Redactor();
        for (const s of m.secrets) redactor.add(s);
        const outcomes = [...held].map(([index, a]) => ({
          index,
          outcome: projectOutcome(a, redactor, setup.json),
        }));
        send({ t: 'presented', outcomes });
        port.close();
      }
    } catch (e) {
      send({ t: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  });
}

const setup = workerData as Partial<WorkerSetup> | undefined;
if (!isMainThread && parentPort && setup?.dslCliWorker === true) serve(parentPort, setup as WorkerSetup);
