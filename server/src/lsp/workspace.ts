/** The server's state: open documents, one state per project (layers, settings, version files, last analysis), debounced re-analysis of every project a changed file feeds, and publishing. The analysis itself is the core's. */
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { VersionFileFinder } from '../node/version-files';
import { analyzeInPhases, runToEnd, type Analysis, type AnalysisPhase } from '../core/analyze';
import { diagnosticsForFile } from '../core/features/diagnostics';
import { ParseCache } from '../core/layers/project';
import { redactorInSteps } from '../core/secrets';
import type { VersionFile } from '../core/versions';
import { ConfigFiles } from './config-file';
import { DEFAULT_SETTINGS, type ServerSettings, type SettingsSource } from './configuration';
import { fileProblemDiagnostic, toLspDiagnostics, type FixGuard } from './diagnostics';
import { FileStore, textHash, uriToPath } from './files';
import { traceCheckpoint, traceMark, tracing } from './trace';
import { findProjectForFile, isSettingsFile, type FileProblem, type LspProject } from './project-for-file';

/**
 * Coalesces the didChange notifications a client sends in one burst (they arrive together, read in the same
 * event-loop turn): an analysis starts DEBOUNCE_TURNS immediates after a change, which is after every message
 * read with it is handled (vscode-jsonrpc handles one message per immediate and queues the next one while
 * handling it, so a change handled next cancels the pending start and queues its own). It was a 2 ms timer, which
 * every keystroke waited for (2-3 ms of the 16 ms budget, issue #11); human keystrokes are 100 ms or more apart,
 * and changes that come while an analysis runs are coalesced anyway: one more analysis follows it.
 */
const DEBOUNCE_TURNS = 2;

/**
 * Small projects whose last analysis the server keeps although nothing uses them (see `parkIdle`): those most
 * recently analysed or asked about. Enough for the files an editor shows side by side (CodeLens and inlay hints
 * are asked for the visible ones after every analysis, which keeps them among these).
 */
export const KEPT_ANALYSES = 8;

/**
 * Settings text of a project (characters, every file it read) up to which its analysis may be parked: analysing
 * it again from scratch takes a few milliseconds, within a hover's budget (issue #11: <= 10 ms). Larger projects
 * keep theirs (and what their incremental re-analysis resumes from). The long-file threshold of checkpoints
 * (core/evaluate/checkpoints.ts) is 20,000 characters too: a parked project loses none.
 */
export const PARK_MAX_CHARS = 20_000;

export interface ProjectState {
  /** Replaced when discovery finds the same layers again (what it could not use may have changed). */
  project: LspProject;
  settings: ServerSettings | undefined;
  settingsLoad: Promise<void> | undefined;
  versionFiles: readonly VersionFile[];
  analysis: Analysis | undefined;
  /** The last analysis whose diagnostics were published (see `announce`). */
  announced: Analysis | undefined;
  /** Every file the last analysis depended on (its model's `dependencies`; kept while it is parked). */
  dependencies: readonly string[];
  /** Settings text the last analysis read (characters, every file of its model). */
  chars: number;
  /**
   * The last analysis was dropped to save memory while nothing used the project (`parkIdle`): the texts it read
   * are unchanged since, and a request that needs it analyses them again at once (`restore`), publishing only
   * what differs.
   */
  parked: boolean;
  /** The analysis installed last restored a parked one: its diagnostics go out only where they differ. */
  restored: boolean;
  /** Versions of the open documents the last analysis read. */
  analysedVersions: Map<string, number>;
  /** A pending start of an analysis (see DEBOUNCE_TURNS). */
  timer: NodeJS.Immediate | undefined;
  /** The analysis under way, paused between its phases while requests are answered (see `run`). */
  running: RunningAnalysis | undefined;
  /** Texts changed while an analysis was under way: another one starts when it is done. */
  again: boolean;
  /** Called when the next analysis of this project is done (or the project is dropped). */
  settledWaiters: (() => void)[];
  /** Open files whose diagnostics come from this project's analysis. */
  readonly members: Set<string>;
  /** File problems already written to the log (each once while it lasts). */
  loggedProblems: Set<string>;
}

interface RunningAnalysis {
  readonly steps: Generator<AnalysisPhase, Analysis, void>;
  /** Versions of the open documents it reads. */
  readonly versions: Map<string, number>;
  /** It analyses the unchanged texts of a parked project again (`restore`). */
  readonly restore: boolean;
  /** When it may run until before pausing (see `Slice`). */
  readonly slice: Slice;
  /**
   * The analysis, once its steps are done (its masker is then built, in slices too): a request that finishes
   * the analysis meanwhile takes it from here, since the spent generator would answer undefined.
   */
  done?: Analysis;
  /**
   * Whether its layers are parsed (the 'parsed' phase passed). One still parsing texts an edit has changed since
   * is dropped for a new one (`run`), which takes up the segments it parsed (`ParseCache.getInSteps`).
   */
  parsed: boolean;
  /** The building of its masker, once its steps are done (`redactorInSteps`), shared by `buildMasker` and `drain`. */
  masker?: Generator<void, unknown, void>;
}

/**
 * How long an analysis runs before it lets the event loop answer what arrived (CodeLens, inlay hints, links read
 * the last complete analysis): a request waits at most about this long plus one step (a top-level statement, a
 * rule, a layer's parse), not a whole phase.
 */
export const SLICE_MS = 3;

/**
 * How long a request that needs the current text (hover, definition, code actions: `analysisFor` with flush)
 * runs the analysis under way at once before it gives up and is answered from the last complete analysis (as
 * stale: hover then answers nothing). A keystroke's analysis of the 10k-line benchmark file takes ~10-30 ms; the
 * first analysis of an error-dense 60,000-line file takes seconds, which no request is to wait for, nor the
 * edits and requests behind it (issue #11).
 */
export const FLUSH_BUDGET_MS = 50;

/** The time slice of one analysis: it runs until `due` says its slice is spent, then pauses (see SLICE_MS). */
class Slice {
  private start = performance.now();
  /** Until when the rest runs at once (a request needs it, `drain`): no pause is asked for before then. */
  drainUntil: number | undefined;
  constructor(private readonly ms: number) {}
  readonly due = (): boolean => {
    if (tracing) traceCheckpoint();
    if (this.drainUntil !== undefined) return performance.now() >= this.drainUntil;
    return performance.now() - this.start >= this.ms;
  };
  /** A new slice after a pause. */
  restart(): void {
    this.start = performance.now();
  }
}

/**
 * Lets the event loop read and answer what arrived before the next phase of an analysis runs. Input is read in
 * the poll phase that follows, vscode-jsonrpc handles one message per immediate and writes a response in a
 * further immediate; immediates run in the order queued, so resuming after a few of them lets a request that
 * was waiting be read, handled and answered first (two messages that came together included).
 */
const PAUSE_TURNS = 4;

async function pause(slice?: Slice): Promise<void> {
  for (let i = 0; i < PAUSE_TURNS; i++) await new Promise((resolve) => setImmediate(resolve));
  slice?.restart();
}

/** The next step of an analysis, noting when its layers are parsed. */
function nextStep(running: RunningAnalysis): IteratorResult<AnalysisPhase, Analysis> {
  const step = running.steps.next();
  if (step.done || step.value === 'parsed') running.parsed = true;
  return step;
}

/**
 * Runs an analysis's steps and then its masker's at once until they are done (the analysis) or `deadline`
 * passed (undefined: it stops at the first point it may pause after that, and goes on from there in time
 * slices; steps done meanwhile are kept in `running.done`).
 */
function drain(running: RunningAnalysis, deadline: number): Analysis | undefined {
  running.slice.drainUntil = deadline;
  try {
    while (!running.done) {
      const step = nextStep(running);
      if (step.done) running.done = step.value;
      else if (performance.now() >= deadline) return undefined;
    }
    const analysis = running.done;
    running.masker ??= redactorInSteps(analysis, running.slice.due);
    for (;;) {
      try {
        if (running.masker.next().done) return analysis;
      } catch {
        return analysis; // as `buildMasker`: the masker is made again on demand
      }
      if (performance.now() >= deadline) return undefined;
    }
  } finally {
    running.slice.drainUntil = undefined;
  }
}

/**
 * Whether to pause at a point where an analysis may: always between its phases (parsed, evaluated, checked),
 * inside one only when its slice is spent (it pauses there only when asked, `AnalyzeRequest.pause`).
 */
function pauseAt(phase: AnalysisPhase, slice: Slice): boolean {
  return phase !== 'step' || slice.due();
}

interface OpenDoc {
  readonly path: string;
  /** Key of the project whose analysis this document shows, once known. */
  owner: string | undefined;
  /** Settings files own a project; other modules show what the projects importing them find. */
  settingsLike: boolean;
}

export interface AnalysisView {
  readonly state: ProjectState;
  readonly analysis: Analysis;
  /** True when the analysis saw the document's current version (offsets are valid). */
  readonly fresh: boolean;
}

export class Workspace {
  readonly files = new FileStore();
  /** The nearest configuration file of each project (read as the CLI reads it). */
  private readonly configs: ConfigFiles;
  readonly cache = new ParseCache();
  private readonly projects = new Map<string, ProjectState>();
  /** Projects in the order they were last analysed or asked about, least recently first (`parkIdle`). */
  private readonly recent = new Set<ProjectState>();
  private readonly docs = new Map<string, OpenDoc>();
  /** The diagnostics last published for each open file (by path), with its version (`sendDiagnostics`). */
  private readonly sent = new Map<string, { version: number | undefined; diagnostics: Diagnostic[] }>();
  /**
   * Projects whose analysis waits for another project's to finish (see `run`), in the order they asked.
   */
  private readonly waiting = new Set<ProjectState>();
  /** Openings under way (project discovery for the file), for ready(). */
  private readonly opening = new Map<string, Promise<void>>();
  private finder: VersionFileFinder;
  /**
   * Called after every analysis of a project, right after its diagnostics are written (the next event-loop turn):
   * what requests will read is made here (CodeLens, inlay hints), before a client that asks on seeing the
   * diagnostics is read. Not before publishing: making them (~0.4 ms p50 for the 10k-line file) delayed every
   * keystroke's diagnostics (issue #11).
   */
  readonly prepared: ((state: ProjectState) => void)[] = [];
  /** Called after every analysis of a project (features that show it ask the client to refresh). */
  readonly analysed: ((state: ProjectState) => void)[] = [];
  /** Called at every pause of an analysis, before the event loop runs (main.ts: the heap's young-generation check). */
  readonly paused: (() => void)[] = [];
  /** Called when watched files changed on disk or the configuration changed (workspace diagnostics recompute). */
  readonly invalidated: ((why: 'files' | 'structure' | 'configuration') => void)[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly settingsSource: SettingsSource,
    private readonly workspaceRoot: string,
    /** The analyses' time slice (SLICE_MS; 0 in tests pauses at every point an analysis may). */
    private readonly sliceMs = SLICE_MS,
    /** How long a request runs an analysis under way at once (FLUSH_BUDGET_MS). */
    private readonly flushBudgetMs = FLUSH_BUDGET_MS,
  ) {
    this.finder = new VersionFileFinder(workspaceRoot);
    this.configs = new ConfigFiles(connection, this.files);
  }

  /** `pause`, telling the `paused` listeners first. */
  private async pause(slice?: Slice): Promise<void> {
    for (const listener of this.paused) listener();
    await pause(slice);
  }

  // ------------------------------------------------------------------ document lifecycle

  async open(doc: TextDocument): Promise<void> {
    const file = uriToPath(doc.uri);
    if (!file) return;
    const opening = this.doOpen(file, doc);
    this.opening.set(file, opening);
    try {
      await opening;
    } finally {
      if (this.opening.get(file) === opening) this.opening.delete(file);
    }
  }

  /**
   * Resolves once the file's opening is done (its project found) and that project's settings are read: a command
   * run right after opening a file (Check connection, Show effective configuration, Fix all) then finds its
   * project instead of answering that the file has none.
   */
  async ready(uri: string): Promise<void> {
    const file = uriToPath(uri);
    if (!file) return;
    // A failed opening was logged by its handler; the command then answers as for a file without project.
    await this.opening.get(file)?.catch(() => undefined);
    const entry = this.docs.get(file);
    const state = entry?.owner ? this.projects.get(entry.owner) : undefined;
    if (state && !state.settings) await state.settingsLoad;
  }

  private async doOpen(file: string, doc: TextDocument): Promise<void> {
    this.files.setOpen(file, doc);
    const entry: OpenDoc = {
      path: file,
      owner: undefined,
      settingsLike: isSettingsFile(file, doc.getText()),
    };
    this.docs.set(file, entry);
    // Projects that import this file now read the editor's text.
    this.changed(file);
    if (!entry.settingsLike) return this.attachToDependents(entry);
    const known = [...this.projects.values()].some((s) => s.project.layers.some((l) => l.path === file));
    await this.assign(entry);
    // A settings file no project has yet (a snippet just created) may be a new layer of open projects; clients
    // that cannot watch files would otherwise never tell.
    if (!known) await this.rediscover(entry);
  }

  change(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    if (!file || !this.docs.has(file)) return;
    this.changed(file);
  }

  save(uri: string): void {
    const file = uriToPath(uri);
    if (!file) return;
    this.files.forget(file);
    this.changed(file);
  }

  close(uri: string): void {
    const file = uriToPath(uri);
    if (!file) return;
    const entry = this.docs.get(file);
    this.docs.delete(file);
    this.files.closeOpen(file);
    this.clearDiagnostics(file, uri);
    if (entry?.owner) this.leave(entry.owner, file);
    // Dependents now read the file from disk again.
    this.changed(file);
  }

  /** Watched files changed on disk: forget their texts, find projects again when files appeared or went. */
  async filesChanged(
    changes: readonly { path: string; structural: boolean; versionFile: boolean }[],
  ): Promise<void> {
    for (const c of changes) this.files.forget(c.path);
    // A configuration file changed: every project reads it again (its settings are merged with the editor's).
    if (this.configs.changed(changes.map((c) => c.path))) this.configurationChanged();
    if (changes.some((c) => c.versionFile)) {
      this.finder = new VersionFileFinder(this.workspaceRoot);
      for (const state of this.projects.values()) {
        state.versionFiles = this.versionFilesFor(state.project);
        this.schedule(state);
      }
    }
    if (changes.some((c) => c.structural)) await this.rediscover();
    for (const c of changes) this.changed(c.path);
    this.notifyInvalidated(changes.some((c) => c.structural || c.versionFile) ? 'structure' : 'files');
  }

  private notifyInvalidated(why: 'files' | 'structure' | 'configuration'): void {
    for (const listener of this.invalidated) {
      try {
        listener(why);
      } catch (e) {
        this.log('invalidation listener failed', e);
      }
    }
  }

  /** didChangeConfiguration: pull every project's settings again and re-analyse. */
  configurationChanged(): void {
    this.notifyInvalidated('configuration');
    for (const state of this.projects.values()) {
      state.settingsLoad = this.loadSettings(state);
      void state.settingsLoad.then(() => this.schedule(state));
    }
  }

  // ------------------------------------------------------------------ queries for the feature handlers

  /**
   * The last analysis for an open file. With `flush`, a pending (debounced) analysis runs now rather than being
   * waited for (hover needs offsets of the current text); without it, a stale analysis is returned as is.
   */
  analysisFor(uri: string, flush = true): AnalysisView | undefined {
    const file = uriToPath(uri);
    const entry = file ? this.docs.get(file) : undefined;
    const state = entry?.owner ? this.projects.get(entry.owner) : undefined;
    if (!file || !state) return undefined;
    if (state.parked) this.restore(state);
    else if (flush && state.settings) this.finishNow(state);
    this.used(state);
    if (!state.analysis) return undefined;
    const doc = this.files.openDocument(file);
    return {
      state,
      analysis: state.analysis,
      fresh: doc !== undefined && state.analysedVersions.get(file) === doc.version,
    };
  }

  /**
   * For a command (effective configuration, connection check, fix all, the storage switch): once the file's
   * opening is done (`ready`), `analysisFor` with flush, and when the analysis under way is not done within its
   * budget (FLUSH_BUDGET_MS), waits for it (the event loop answers other requests and edits meanwhile) rather than
   * answering from an older analysis or none.
   */
  async analysisForCommand(uri: string): Promise<AnalysisView | undefined> {
    await this.ready(uri);
    const view = this.analysisFor(uri);
    const file = uriToPath(uri);
    const key = file ? this.docs.get(file)?.owner : undefined;
    if (view?.fresh || !key) return view;
    await this.settled(key);
    return this.analysisFor(uri, false) ?? view;
  }

  /**
   * Analyses a project with some texts replaced (fix-all rounds); uses the shared parse cache. `verifyFixes`:
   * see AnalyzeRequest; diagnostics skip it (keystroke latency) and code actions verify the fix asked for.
   */
  analyzeWith(state: ProjectState, overlay: ReadonlyMap<string, string>, verifyFixes = true): Analysis {
    return runToEnd(this.analyzeInPhases(state, overlay, verifyFixes));
  }

  /** `analyzeWith`, pausing after each phase (the configuration file's filter applied at the end). */
  private *analyzeInPhases(
    state: ProjectState,
    overlay: ReadonlyMap<string, string>,
    verifyFixes: boolean,
    slice?: Slice,
  ): Generator<AnalysisPhase, Analysis, void> {
    const p = state.project;
    const raw = yield* analyzeInPhases({
      project: {
        root: p.root,
        kind: p.kind,
        layers: p.layers,
        readFile: (f) => overlay.get(f) ?? this.files.read(f),
      },
      options: (state.settings ?? DEFAULT_SETTINGS).options,
      versionFiles: state.versionFiles,
      horizonVersionHint: p.horizonVersionHint,
      installedModules: p.installedModules,
      cache: this.cache,
      verifyFixes,
      pause: slice?.due,
      previous: state.analysis,
    });
    return this.configs.filter(raw, p);
  }

  /**
   * Analyses a project that may have no open document (workspace diagnostics): its settings pulled for its
   * first layer, its version files; open documents still override the disk.
   */
  async analyzeProject(project: LspProject): Promise<{ analysis: Analysis; settings: ServerSettings }> {
    const scope = this.files.uriOf(project.layers[0]?.path ?? project.root);
    const editor = await this.settingsSource.settingsFor(scope).catch(() => DEFAULT_SETTINGS);
    const settings = this.configs.settingsFor(project, editor);
    const slice = new Slice(this.sliceMs);
    const steps = analyzeInPhases({
      project: {
        root: project.root,
        kind: project.kind,
        layers: project.layers,
        readFile: (f) => this.files.read(f),
      },
      options: settings.options,
      versionFiles: this.versionFilesFor(project),
      horizonVersionHint: project.horizonVersionHint,
      installedModules: project.installedModules,
      cache: this.cache,
      // Diagnostics only: a fix is verified when a code action asks for it.
      verifyFixes: false,
      pause: slice.due,
    });
    // Requests that arrive meanwhile (CodeLens, hover) are answered between the phases and time slices.
    let step = steps.next();
    while (!step.done) {
      if (pauseAt(step.value, slice)) await this.pause(slice);
      step = steps.next();
    }
    return { analysis: this.configs.filter(step.value, project), settings };
  }

  /**
   * Resolves when the project the editor shows under `key` has no analysis pending or under way (at once when
   * it has none, or when no such project is open): workspace diagnostics wait for it rather than analyse the
   * same texts a second time.
   */
  settled(key: string): Promise<void> {
    const state = this.projects.get(key);
    if (!state || !this.pending(state)) return Promise.resolve();
    return new Promise((resolve) => state.settledWaiters.push(resolve));
  }

  /**
   * The last analysis of a project the editor shows, when it is current (none pending, every open file it reads
   * at the version it saw): workspace diagnostics reuse it rather than analyse the project again while you type.
   */
  currentAnalysis(key: string): Analysis | undefined {
    const state = this.projects.get(key);
    const analysis = state?.analysis;
    if (!state || !analysis || this.pending(state)) return undefined;
    for (const f of this.readsOf(state)) {
      const doc = this.files.openDocument(f);
      if (doc && state.analysedVersions.get(f) !== doc.version) return undefined;
    }
    return analysis;
  }

  /** What the server holds, by cache (the test of bounded caches reads it): entries, never bytes. */
  held(): { projects: number; analyses: number; parsed: number; diskTexts: number; versions: number } {
    let versions = 0;
    let analyses = 0;
    for (const state of this.projects.values()) {
      versions += state.analysedVersions.size;
      if (state.analysis) analyses++;
    }
    return {
      projects: this.projects.size,
      analyses,
      parsed: this.cache.size,
      diskTexts: this.files.diskTexts,
      versions,
    };
  }

  /** Whether a file is open in the editor (its diagnostics are pushed). */
  isOpen(file: string): boolean {
    return this.docs.has(file);
  }

  /** The workspace folder the server was started for. */
  get root(): string {
    return this.workspaceRoot;
  }

  /** The fix guard of a file as a project's analysis saw it (a text hash for files that are not open). */
  guardFor(analysis: Analysis, file: string): FixGuard | undefined {
    const uri = this.files.uriOf(file);
    const doc = this.files.openDocument(file);
    if (doc) return { uri, version: doc.version };
    const text = analysis.model.files.find((f) => f.path === file)?.parsed.text ?? this.files.read(file);
    return text === undefined ? undefined : { uri, hash: textHash(text) };
  }

  /** Is the open document at this version (for code-action data guards)? */
  guardHolds(guard: FixGuard): boolean {
    const file = uriToPath(guard.uri);
    if (!file) return false;
    const doc = this.files.openDocument(file);
    if ('version' in guard) return doc !== undefined && doc.version === guard.version;
    const text = this.files.read(file);
    return text !== undefined && textHash(text) === guard.hash;
  }

  // ------------------------------------------------------------------ projects

  /**
   * Finds the project of open settings files again (layers may have appeared or gone): of every one, or, for a
   * newly opened file, of those whose project's directory holds it (only there can it be a new layer). Opening
   * many files thus costs one discovery each, not one per open file each.
   */
  private async rediscover(opened?: OpenDoc): Promise<void> {
    const inside = (d: OpenDoc): boolean => {
      const root = d.owner ? this.projects.get(d.owner)?.project.root : undefined;
      if (root === undefined || !opened) return false;
      const rel = path.relative(path.resolve(root), opened.path);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    };
    const docs = [...this.docs.values()].filter(
      (d) => d !== opened && d.settingsLike && this.docs.get(d.path) === d && (!opened || inside(d)),
    );
    await Promise.all(docs.map((d) => this.assign(d)));
  }

  private async assign(entry: OpenDoc): Promise<void> {
    let project: LspProject;
    try {
      project = await findProjectForFile(entry.path);
    } catch (e) {
      this.log(`project discovery failed for ${entry.path}`, e);
      return;
    }
    // Closed (or re-opened) while discovery ran.
    if (this.docs.get(entry.path) !== entry) return;
    if (entry.owner === project.key) {
      // The same layers; what discovery could not use may have changed (a FIFO removed): shown again.
      const state = this.projects.get(project.key);
      if (state && problemsKey(state.project.problems) !== problemsKey(project.problems)) {
        state.project = project;
        this.schedule(state);
      }
      return;
    }
    if (entry.owner) this.leave(entry.owner, entry.path);
    let state = this.projects.get(project.key);
    if (!state) {
      state = {
        project,
        settings: undefined,
        settingsLoad: undefined,
        versionFiles: this.versionFilesFor(project),
        analysis: undefined,
        announced: undefined,
        dependencies: [],
        chars: 0,
        parked: false,
        restored: false,
        analysedVersions: new Map(),
        timer: undefined,
        running: undefined,
        again: false,
        settledWaiters: [],
        members: new Set(),
        loggedProblems: new Set(),
      };
      state.settingsLoad = this.loadSettings(state);
      this.projects.set(project.key, state);
    }
    entry.owner = project.key;
    state.members.add(entry.path);
    this.schedule(state);
  }

  private leave(key: string, file: string): void {
    const state = this.projects.get(key);
    if (!state) return;
    state.members.delete(file);
    if (state.members.size > 0) return;
    // Nobody shows this project any more: drop it, and what it parsed unless another project reads it.
    if (state.timer) clearImmediate(state.timer);
    state.timer = undefined;
    state.running = undefined;
    state.again = false;
    this.projects.delete(key);
    this.waiting.delete(state);
    this.recent.delete(state);
    this.settle(state);
    this.next();
    const stillRead = new Set<string>();
    for (const other of this.projects.values()) for (const d of this.readsOf(other)) stillRead.add(d);
    for (const d of this.readsOf(state)) {
      if (stillRead.has(d)) continue;
      this.cache.delete(d);
      this.files.forget(d);
    }
  }

  private readsOf(state: ProjectState): string[] {
    return [...state.project.layers.map((l) => l.path), ...state.dependencies];
  }

  private versionFilesFor(project: LspProject): VersionFile[] {
    try {
      return this.finder.filesFor(project.root);
    } catch (e) {
      this.log(`reading version files for ${project.root} failed`, e);
      return [];
    }
  }

  /** The resource whose settings a project is analysed with: its first open layer, else its first layer. */
  private settingsScope(state: ProjectState): string {
    const scope =
      state.project.layers.find((l) => state.members.has(l.path))?.path ??
      state.project.layers[0]?.path ??
      state.project.root;
    return this.files.uriOf(scope);
  }

  /** The editor answered a settings pull after the analysis went on without it: the projects of that scope use it. */
  settingsAnsweredLate(scopeUri: string, editor: ServerSettings): void {
    for (const state of this.projects.values()) {
      if (this.settingsScope(state) !== scopeUri) continue;
      state.settings = this.configs.settingsFor(state.project, editor);
      this.schedule(state);
    }
  }

  private loadSettings(state: ProjectState): Promise<void> {
    const load = this.settingsSource
      .settingsFor(this.settingsScope(state))
      .catch((e: unknown) => {
        this.log('reading settings failed', e);
        return DEFAULT_SETTINGS;
      })
      .then((settings) => {
        // A newer load (configuration changed again) wins.
        if (state.settingsLoad === load) state.settings = this.configs.settingsFor(state.project, settings);
      });
    return load;
  }

  // ------------------------------------------------------------------ analysis and publishing

  /**
   * Every project that reads `file` is analysed again after the debounce. Asked on every keystroke of every
   * project, so it allocates nothing (was: an array of each project's reads, 1,000,000 of them over 10,000
   * edits with 100 files open).
   */
  private changed(file: string): void {
    for (const state of this.projects.values()) {
      if (state.members.has(file) || reads(state, file)) this.schedule(state);
    }
  }

  private schedule(state: ProjectState): void {
    // What it read changed (or may have): the next analysis is a new one, announced as usual.
    state.parked = false;
    if (state.timer) clearImmediate(state.timer);
    const start = (turns: number): void => {
      state.timer = setImmediate(() => {
        if (turns > 1) return start(turns - 1);
        state.timer = undefined;
        if (state.settings) this.run(state);
        else void state.settingsLoad?.then(() => this.schedule(state));
      });
    };
    start(DEBOUNCE_TURNS);
  }

  /**
   * Starts an analysis of the project's current texts and runs its phases one event-loop turn apart, so that
   * requests arriving meanwhile (CodeLens, inlay hints, document links read the last complete analysis) are
   * answered at once rather than after the whole analysis. The new analysis replaces the last one only when
   * complete, then is published and announced, then prepared. One under way is let finish first (dropping it on each
   * keystroke would publish nothing while you type faster than it runs); the next one follows it. One still
   * parsing is dropped: the new one takes up the segments it parsed, so parsing still progresses.
   */
  private run(state: ProjectState, now = false): void {
    if (this.projects.get(state.project.key) !== state) return;
    if (state.running) {
      // Still parsing (the first analysis of a huge or error-dense file takes seconds): its texts are stale, and
      // the next parse takes up the segments it parsed; dropped (its `advance` stops at its next pause).
      if (!state.running.parsed && !state.running.restore) state.running = undefined;
      else {
        state.again = true;
        return;
      }
    }
    if (!now && this.othersRunning(state)) {
      this.waiting.add(state);
      return;
    }
    this.waiting.delete(state);
    state.again = false;
    const versions = new Map<string, number>();
    for (const f of this.files.openFiles()) {
      const doc = this.files.openDocument(f);
      if (doc) versions.set(f, doc.version);
    }
    const slice = new Slice(this.sliceMs);
    const running: RunningAnalysis = {
      steps: this.analyzeInPhases(state, new Map(), false, slice),
      versions,
      restore: state.parked,
      slice,
      parsed: false,
    };
    state.running = running;
    void this.advance(state, running);
  }

  private async advance(state: ProjectState, running: RunningAnalysis): Promise<void> {
    for (;;) {
      // Its steps done by a request that ran it for a while (`drain`), its masker not yet.
      if (running.done) return this.finishInSlices(state, running, running.done);
      let step: IteratorResult<AnalysisPhase, Analysis>;
      traceMark('analysis step');
      try {
        step = nextStep(running);
      } catch (e) {
        this.failed(state, running, e);
        return;
      }
      if (step.done) {
        running.done = step.value;
        await this.finishInSlices(state, running, step.value);
        return;
      }
      if (!pauseAt(step.value, running.slice)) continue;
      await this.pause(running.slice);
      // Dropped (a newer change, the project closed) or finished at once by a request that needed it.
      if (state.running !== running) return;
    }
  }

  /**
   * After the analysis's steps: its masker (the costliest part of preparing what requests read) in time slices
   * of its own, then it is installed, then (after a pause) its diagnostics go out and what requests read is made,
   * then the next analysis starts if texts changed meanwhile.
   */
  private async finishInSlices(
    state: ProjectState,
    running: RunningAnalysis,
    analysis: Analysis,
  ): Promise<void> {
    await this.pause(running.slice);
    if (state.running !== running) return;
    if (!(await this.buildMasker(state, running, analysis))) return;
    traceMark('install');
    if (!this.install(state, running, analysis)) return;
    this.attachDependentsOf(state);
    await this.pause();
    traceMark('announce');
    this.announce(state);
    // After the diagnostics are written (vscode-jsonrpc writes in an immediate the publishing queued, and this
    // one comes after it), so they wait for none of it; still before a client that asks on seeing them is read.
    await new Promise((resolve) => setImmediate(resolve));
    traceMark('prepare');
    this.prepare(state);
    if (!state.again) return;
    // Texts changed meanwhile: the next analysis starts a pause later, not in the same turn as the publishing.
    await this.pause();
    if (state.again && !state.timer && !state.running) this.run(state);
  }

  /** Builds the masker of a complete analysis in time slices; false when the analysis was dropped meanwhile. */
  private async buildMasker(
    state: ProjectState,
    running: RunningAnalysis,
    analysis: Analysis,
  ): Promise<boolean> {
    const steps = (running.masker ??= redactorInSteps(analysis, running.slice.due));
    for (;;) {
      traceMark('masker step');
      try {
        if (steps.next().done) return true;
      } catch (e) {
        this.log('building the masker failed', e);
        return true;
      }
      await this.pause(running.slice);
      // Finished at once by a request that needed it (it is then complete, masker made on demand), or dropped.
      if (state.running !== running) return false;
    }
  }

  /**
   * Runs work on the project's last analysis in time slices (SLICE_MS, pausing as an analysis does, so both
   * leave requests waiting at most a slice); true once done, false when a newer analysis replaced that one
   * first (hover's index of a file: lsp/hover.ts).
   */
  async inBackground(
    state: ProjectState,
    work: (due: () => boolean) => Generator<unknown, unknown, void>,
  ): Promise<boolean> {
    const analysis = state.analysis;
    const slice = new Slice(this.sliceMs);
    const steps = work(slice.due);
    for (;;) {
      await this.pause(slice);
      if (state.analysis !== analysis || this.projects.get(state.project.key) !== state) return false;
      traceMark('background step');
      try {
        if (steps.next().done) return true;
      } catch (e) {
        this.log('background work failed', e);
        return true;
      }
    }
  }

  /** Runs a pending or paused analysis to its end now (hover and navigation need offsets of the current text). */
  private finishNow(state: ProjectState, budgetMs = this.flushBudgetMs): void {
    if (this.waiting.delete(state)) state.again = true;
    if (state.timer) {
      clearImmediate(state.timer);
      state.timer = undefined;
      state.again = true;
    }
    if (!state.running && state.again) this.run(state, true);
    // At most twice: the one under way (older texts), then the one of the current texts that follows it.
    const deadline = performance.now() + budgetMs;
    for (let running = state.running; running; running = state.running) {
      traceMark('finish now');
      let analysis: Analysis | undefined;
      try {
        analysis = drain(running, deadline);
      } catch (e) {
        this.failed(state, running, e);
        return;
      }
      // Not done within the budget: it goes on in time slices (`advance`), the request reads the last analysis.
      if (!analysis) return;
      this.complete(state, running, analysis);
    }
    // One installed while its diagnostics wait for their turn (finishInSlices) goes out now.
    this.announce(state);
  }

  private failed(state: ProjectState, running: RunningAnalysis, e: unknown): void {
    if (state.running !== running) return;
    state.running = undefined;
    this.log(`analysis of ${state.project.root} failed`, e);
    if (state.again && !state.timer) this.run(state);
    this.settle(state);
    this.next();
  }

  /** Installs, announces and prepares a complete analysis at once (the next one, if due, is started first). */
  private complete(state: ProjectState, running: RunningAnalysis, analysis: Analysis): void {
    if (!this.install(state, running, analysis)) return;
    if (state.again && !state.timer) this.run(state, true);
    this.attachDependentsOf(state);
    this.announce(state);
    this.prepare(state);
  }

  /** The analysis becomes the project's last one (what requests read); false when it was dropped. */
  private install(state: ProjectState, running: RunningAnalysis, analysis: Analysis): boolean {
    if (state.running !== running) return false;
    state.running = undefined;
    state.analysis = analysis;
    state.dependencies = analysis.model.dependencies;
    state.chars = analysis.model.files.reduce((n, f) => n + f.parsed.text.length, 0);
    state.restored = running.restore;
    state.parked = false;
    this.used(state);
    // Only the versions of what it read: every open file's would make each project hold them all (n² entries).
    const reads = new Set([...this.readsOf(state), ...state.members]);
    for (const f of running.versions.keys()) if (!reads.has(f)) running.versions.delete(f);
    state.analysedVersions = running.versions;
    this.next();
    return true;
  }

  /** Whether another project's analysis is under way (started and not installed yet). */
  private othersRunning(state: ProjectState): boolean {
    for (const other of this.projects.values()) if (other !== state && other.running) return true;
    return false;
  }

  /** Starts the analysis of the first waiting project once none is under way. */
  private next(): void {
    for (const state of this.waiting) {
      if (this.othersRunning(state)) return;
      this.waiting.delete(state);
      if (this.projects.get(state.project.key) !== state || state.timer || state.running) continue;
      this.run(state);
      if (state.running) return;
    }
  }

  /** Whether the project has an analysis pending, waiting for its turn or under way. */
  private pending(state: ProjectState): boolean {
    return state.timer !== undefined || state.running !== undefined || this.waiting.has(state);
  }

  /**
   * Makes what requests will read of the last analysis (CodeLens, inlay hints: the `prepared` listeners), right
   * after its diagnostics went out.
   */
  private prepare(state: ProjectState): void {
    for (const listener of this.prepared) {
      try {
        listener(state);
      } catch (e) {
        this.log('analysis listener failed', e);
      }
    }
  }

  /** Publishes the last analysis's diagnostics and tells the `analysed` listeners, once per analysis. */
  private announce(state: ProjectState): void {
    if (!state.analysis || state.announced === state.analysis) return;
    state.announced = state.analysis;
    const problems = this.fileProblems(state);
    this.logProblems(state, problems);
    // Typed into one open file: the others are sent their diagnostics only when these changed. Any other
    // re-analysis (settings, files on disk) publishes every file, which clients may wait for.
    // A parked project analysed again from the same texts sends only what differs, and tells no listener: the
    // client would ask again for what it shows (CodeLens, inlay hints), in every project.
    const typed =
      state.restored ||
      [...state.analysedVersions].some(([f, v]) => {
        const sent = this.sent.get(f);
        return sent !== undefined && sent.version !== v;
      });
    for (const file of state.members) this.publish(state, file, problems, typed);
    if (!state.restored) {
      for (const listener of this.analysed) {
        try {
          listener(state);
        } catch (e) {
          this.log('analysis listener failed', e);
        }
      }
    }
    this.settle(state);
    this.parkIdle();
  }

  /** The project was analysed or asked about: the last to be parked. */
  private used(state: ProjectState): void {
    this.recent.delete(state);
    this.recent.add(state);
  }

  /**
   * Drops the last analysis of the small projects (PARK_MAX_CHARS) not among the KEPT_ANALYSES analysed or asked
   * about most recently, with the parses of what only parked projects read: with 100 Horizon layouts open, each
   * held ~90 KB (its model, rule records, parsed files) for requests that mostly never come (issue #11: <= 80 MB
   * resident). Only an analysis whose diagnostics went out and after which nothing is pending is parked; a
   * request analyses its texts again (`restore`), an edit analyses the new ones as usual.
   */
  private parkIdle(): void {
    let kept = 0;
    const parked: ProjectState[] = [];
    for (const state of [...this.recent].reverse()) {
      if (!state.analysis || state.chars > PARK_MAX_CHARS) continue;
      if (kept < KEPT_ANALYSES) {
        kept++;
        continue;
      }
      if (state.announced !== state.analysis || this.pending(state) || state.settledWaiters.length > 0)
        continue;
      state.analysis = undefined;
      state.announced = undefined;
      state.parked = true;
      parked.push(state);
    }
    if (parked.length === 0) return;
    const stillRead = new Set<string>();
    for (const other of this.projects.values())
      if (!other.parked) for (const d of this.readsOf(other)) stillRead.add(d);
    for (const state of parked)
      for (const d of this.readsOf(state)) if (!stillRead.has(d)) this.cache.delete(d);
  }

  /** Analyses a parked project's texts again, at once (a request needs its analysis). */
  private restore(state: ProjectState): void {
    if (!state.settings) return;
    state.again = true;
    // A parked project is small (PARK_MAX_CHARS): analysed again at once, whatever the budget.
    this.finishNow(state, Infinity);
  }

  /** Wakes those waiting for the project's analysis when none is pending or under way any more. */
  private settle(state: ProjectState): void {
    if (this.pending(state)) return;
    const waiters = state.settledWaiters.splice(0);
    for (const w of waiters) w();
  }

  /** Open non-settings modules that this project reads show its findings (e.g. a star-imported base module). */
  private attachDependentsOf(state: ProjectState): void {
    const deps = new Set(state.dependencies);
    for (const entry of this.docs.values()) {
      if (entry.settingsLike) continue;
      if (entry.owner === state.project.key && !deps.has(entry.path)) {
        entry.owner = undefined;
        state.members.delete(entry.path);
        this.clearDiagnostics(entry.path, this.files.uriOf(entry.path));
        this.attachToDependents(entry);
      } else if (!entry.owner && deps.has(entry.path)) {
        entry.owner = state.project.key;
        state.members.add(entry.path);
      }
    }
  }

  private attachToDependents(entry: OpenDoc): void {
    for (const state of this.projects.values()) {
      if (!state.dependencies.includes(entry.path)) continue;
      entry.owner = state.project.key;
      state.members.add(entry.path);
      this.schedule(state);
      return;
    }
  }

  /**
   * What the project's files could not give its analysis, in the CLI's words: what discovery could not use, and
   * the layers the last reads could not read (node/read-source.ts; a file changed since discovery).
   */
  private fileProblems(state: ProjectState): FileProblem[] {
    const problems = new Map<string, FileProblem>();
    const add = (p: FileProblem): void => {
      problems.set(`${p.path}\0${p.message}`, p);
    };
    for (const p of state.project.problems ?? []) add(p);
    for (const l of state.project.layers) {
      const message = this.files.problemOf(l.path);
      if (message !== undefined) add({ path: l.path, message });
    }
    return [...problems.values()];
  }

  /** Each file problem once in the log (window/logMessage, a warning) while it lasts, as the CLI prints it. */
  private logProblems(state: ProjectState, problems: readonly FileProblem[]): void {
    const now = new Set<string>();
    for (const p of problems) {
      const key = `${p.path}\0${p.message}`;
      now.add(key);
      if (!state.loggedProblems.has(key)) this.connection.console.warn(`${p.path}: ${p.message}`);
    }
    state.loggedProblems = now;
  }

  private publish(
    state: ProjectState,
    file: string,
    problems: readonly FileProblem[],
    onlyChanged: boolean,
  ): void {
    const analysis = state.analysis;
    const doc = this.files.openDocument(file);
    if (!analysis || !doc) return;
    try {
      const own = diagnosticsForFile(analysis, file, {
        reportSyntaxErrors: state.settings?.reportSyntaxErrors ?? false,
      });
      const diagnostics = [
        ...toLspDiagnostics(analysis, own, {
          uriOf: (f) => this.files.uriOf(f),
          guardOf: (f) => this.guardOf(state, f),
        }),
        ...problems.filter((p) => p.path !== file).map((p) => fileProblemDiagnostic(state.project.root, p)),
      ];
      this.sendDiagnostics(file, doc.uri, state.analysedVersions.get(file), diagnostics, onlyChanged);
    } catch (e) {
      this.log(`publishing diagnostics for ${file} failed`, e);
    }
  }

  /**
   * Publishes an open file's diagnostics; with `onlyChanged`, not when the same were published for the same
   * version: typing in one file of a project re-analyses every open file of it, and the others mostly keep
   * theirs (no message, no serialising, no client update). Closing the file or clearing its diagnostics forgets
   * what was sent.
   */
  private sendDiagnostics(
    file: string,
    uri: string,
    version: number | undefined,
    diagnostics: Diagnostic[],
    onlyChanged: boolean,
  ): void {
    const last = this.sent.get(file);
    if (onlyChanged && last && last.version === version && isDeepStrictEqual(last.diagnostics, diagnostics))
      return;
    this.sent.set(file, { version, diagnostics });
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** Clears a file's diagnostics in the editor. */
  private clearDiagnostics(file: string, uri: string): void {
    this.sent.delete(file);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private guardOf(state: ProjectState, file: string): FixGuard | undefined {
    const uri = this.files.uriOf(file);
    const version = state.analysedVersions.get(file);
    if (version !== undefined) return { uri, version };
    const text =
      state.analysis?.model.files.find((f) => f.path === file)?.parsed.text ?? this.files.read(file);
    return text === undefined ? undefined : { uri, hash: textHash(text) };
  }

  log(what: string, e: unknown): void {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.connection.console.error(`${what}: ${detail}`);
  }
}

/** Whether the project reads `file` (`readsOf` without building the list). */
function reads(state: ProjectState, file: string): boolean {
  for (const l of state.project.layers) if (l.path === file) return true;
  return state.dependencies.includes(file);
}

function problemsKey(problems: readonly FileProblem[] | undefined): string {
  return (problems ?? []).map((p) => `${p.path}\0${p.message}`).join('\n');
}
