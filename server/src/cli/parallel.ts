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
  type FixUse,
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
  readonly fixes: FixUse;
}

export interface ParallelRun {
  readonly jobs: readonly ProjectJob[];
  /** Threads in all, the main thread included (≥ 2). */
  readonly threads: number;
  readonly cwd: string;
  readonly named: ReadonlySet<string>;
  readonly json: boolean;
  /** What the report does with fixes (project-job.ts FixUse). */
  readonly fixes: FixUse;
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
  const analysis = new ParallelAnalysis(run);
  analysis.startWorkers();
  await analysis.analyseHere();
  await analysis.settled();
  await analysis.present();
  analysis.stopWorkers();
  return analysis.result();
}

/** A worker thread as the main thread sees it. */
interface Helper {
  readonly worker: Worker;
  /** Jobs given to it and not reported analysed (or, while presenting, not presented). */
  readonly assigned: Set<number>;
  /** Jobs it analysed (and keeps). */
  readonly holds: number[];
  alive: boolean;
}

/** The main thread's side of a parallel run: hands out chunks of jobs, analyses some itself, collects outcomes. */
class ParallelAnalysis {
  private readonly jobs: readonly ProjectJob[];
  private readonly chunkSize: number;
  /** The first job no thread was given yet. */
  private next = 0;
  /** The main thread's analyses, by job. */
  private readonly local = new Map<number, Analysis>();
  /** The secrets of each project a worker analysed (and keeps), by job. */
  private readonly secrets = new Map<number, readonly string[]>();
  private readonly outcomes = new Map<number, ProjectOutcome>();
  private readonly workerTimings: Timings = { parseMs: 0, evaluateMs: 0, rulesMs: 0 };
  private readonly helpers: Helper[] = [];
  /** Called whenever a worker's state changed (`settled` waits for it). */
  private changed: () => void = () => undefined;

  constructor(private readonly run: ParallelRun) {
    this.jobs = run.jobs;
    this.chunkSize = Math.max(1, Math.min(16, Math.ceil(run.jobs.length / (run.threads * 8))));
  }

  /** Starts the worker threads (as many as start, up to `run.threads - 1`), each with its first chunk. */
  startWorkers(): void {
    const run = this.run;
    const setup: WorkerSetup = {
      dslCliWorker: true,
      cwd: run.cwd,
      named: [...run.named],
      json: run.json,
      fixes: run.fixes,
    };
    for (let w = 1; w < run.threads; w++) {
      let worker: Worker;
      try {
        worker = new Worker(__filename, { workerData: setup });
      } catch {
        break;
      }
      const h: Helper = { worker, assigned: new Set(), holds: [], alive: true };
      this.helpers.push(h);
      worker.on('message', (m: FromWorker) => this.onMessage(h, m));
      worker.on('error', () => this.lose(h));
      // Its first chunk waits in its port while it starts, so it has work the moment it is ready.
      this.giveChunk(h);
      worker.on('exit', () => {
        if (h.assigned.size > 0) this.lose(h);
      });
    }
  }

  /** The main thread takes chunks too, and lets the workers' messages in between projects. */
  async analyseHere(): Promise<void> {
    const { jobs } = this;
    while (this.next < jobs.length) {
      const from = this.next;
      this.next = Math.min(jobs.length, this.next + this.chunkSize);
      for (let i = from; i < this.next; i++) {
        this.local.set(i, this.run.analyzeHere(jobs[i] as ProjectJob));
        this.progress();
        await turn();
      }
    }
  }

  /** Resolves once no live worker has work outstanding. */
  async settled(): Promise<void> {
    while (this.helpers.some((h) => h.alive && h.assigned.size > 0))
      await new Promise<void>((resolve) => (this.changed = resolve));
  }

  /** Once every project is analysed: each thread masks its own projects with one redactor of every secret. */
  async present(): Promise<void> {
    const redactor = new Redactor();
    for (const a of this.local.values()) redactor.addAnalysis(a);
    for (const list of this.secrets.values()) for (const s of list) redactor.add(s);
    const known = redactor.known;
    for (const h of this.helpers) {
      if (!h.alive || h.holds.length === 0) continue;
      for (const i of h.holds) h.assigned.add(i);
      h.worker.postMessage({ t: 'present', secrets: known } satisfies ToWorker);
    }
    const json = this.run.json;
    for (const [i, a] of this.local) this.outcomes.set(i, projectOutcome(a, redactor, json));
    await this.settled();
    // Projects of a worker lost while presenting were analysed here meanwhile.
    for (const [i, a] of this.local)
      if (!this.outcomes.has(i)) this.outcomes.set(i, projectOutcome(a, redactor, json));
  }

  /** Ends every worker thread (each has presented its projects, or was lost). */
  stopWorkers(): void {
    for (const h of this.helpers) {
      h.alive = false;
      void h.worker.terminate();
    }
  }

  /** The outcomes in job order, and the workers' timings. */
  result(): ParallelResult {
    return {
      outcomes: this.jobs.map((_, i) => {
        const o = this.outcomes.get(i);
        if (o === undefined) throw new Error(`project ${i} was not analysed`);
        return o;
      }),
      workerTimings: this.workerTimings,
    };
  }

  private onMessage(h: Helper, m: FromWorker): void {
    if (!h.alive) return;
    switch (m.t) {
      case 'analysed':
        this.workerAnalysed(h, m.results);
        break;
      case 'presented':
        for (const o of m.outcomes) {
          h.assigned.delete(o.index);
          this.outcomes.set(o.index, o.outcome);
        }
        break;
      case 'failed':
        this.lose(h);
        break;
    }
    this.changed();
  }

  /** A worker analysed (and keeps) these projects: it gets its next chunk. */
  private workerAnalysed(h: Helper, results: Extract<FromWorker, { t: 'analysed' }>['results']): void {
    for (const r of results) {
      h.assigned.delete(r.index);
      h.holds.push(r.index);
      this.secrets.set(r.index, r.secrets);
      this.workerTimings.parseMs += r.timings.parseMs;
      this.workerTimings.evaluateMs += r.timings.evaluateMs;
      this.workerTimings.rulesMs += r.timings.rulesMs;
    }
    this.progress();
    this.giveChunk(h);
  }

  /** The next chunk of jobs to a worker, with their layers' text as the main thread read it. */
  private giveChunk(h: Helper): void {
    const { jobs } = this;
    if (this.next >= jobs.length || !h.alive) return;
    const items = [];
    for (const end = Math.min(jobs.length, this.next + this.chunkSize); this.next < end; this.next++) {
      const job = jobs[this.next] as ProjectJob;
      const texts: [string, string][] = [];
      for (const l of job.input.layers) {
        const text = this.run.text(l.path);
        if (text !== undefined) texts.push([l.path, text]);
      }
      items.push({ index: this.next, job, texts });
      h.assigned.add(this.next);
    }
    h.worker.postMessage({ t: 'chunk', items } satisfies ToWorker);
  }

  /** A worker failed or exited with work: its projects (those it kept too) are analysed here instead. */
  private lose(h: Helper): void {
    if (!h.alive) return;
    h.alive = false;
    for (const i of [...h.assigned, ...h.holds]) {
      this.secrets.delete(i);
      this.local.set(i, this.run.analyzeHere(this.jobs[i] as ProjectJob));
    }
    h.assigned.clear();
    h.holds.length = 0;
    void h.worker.terminate();
    this.changed();
  }

  private progress(): void {
    this.run.progress(this.local.size + this.secrets.size);
  }
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
          const a = analyzeForReport(job, (f) => reader.read(f), cache, setup.cwd, named, setup.fixes);
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
