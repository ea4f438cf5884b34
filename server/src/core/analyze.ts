/**
 * The core façade: one project in (files via an injected reader, options), the layered model and findings out.
 * Used by the CLI and the language server alike. No I/O of its own, never throws on any text.
 */
import { performance } from 'node:perf_hooks';
import {
  CSRF_USE_SESSIONS,
  DEBUG,
  DJANGO_DEFAULTS,
  djangoRangeForHorizon,
  djangoVersionForHorizon,
  findHorizonRelease,
  HORIZON_ONLY_SETTING_NAMES,
  NEWEST_HORIZON_RELEASE,
  type HorizonRelease,
} from './knowledge';
import * as NAMES from './knowledge/names';
import { formatMinor, parseVersion, type Version } from './knowledge/versions';
import { DEFAULT_TIME_BUDGET_MS, type AnalysisLimits } from './evaluate/evaluate';
import { verifyFixes } from './fixes';
import {
  buildProjectInSteps,
  ParseCache,
  TrialParseCache,
  type LayerDefaults,
  type ProjectInput,
  type ProjectModel,
} from './layers/project';
import { finish, type Steps } from './steps';
import { LineIndex } from './python/line-index';
import type { Options } from './options';
import { RULES } from './rules';
import { isSuppressedAt } from './suppression';
import { ReadLog, stillHolds, type RuleRun, type RuleRuns } from './rule-reads';
import { followsAnalysis } from './secrets';
import type { InstalledModules, Report, Rule, RuleContext } from './rules/framework';
import type { Finding, Profile, Severity, Span, Value } from './types';
import { inferDjangoVersion, inferHorizonVersion } from './versions';
import type { EffectiveSetting } from './layers/project';
import { primaryAnchor } from './layers/locations';

export const DOCS_BASE_URL =
  'https://github.com/django-session-lint/django-session-lint/blob/main/docs/rules.md';

export function ruleUrl(code: string): string {
  return `${DOCS_BASE_URL}#${code.toLowerCase()}`;
}

export interface AnalyzeRequest {
  readonly project: ProjectInput;
  readonly options: Options;
  /** Contents of requirements/pyproject/lock files found by the front end (for Django version inference). */
  readonly versionFiles?: readonly { readonly path: string; readonly text: string }[];
  /** A Horizon version seen on disk (e.g. from `horizon-23.0.0.egg-info`). */
  readonly horizonVersionHint?: { readonly version: string; readonly source: string } | undefined;
  /**
   * Top-level Python modules importable where the settings run (the site-packages next to
   * `openstack_dashboard`, a virtualenv), when the front end found them: fixes pick backends whose client
   * library is installed.
   */
  readonly installedModules?: InstalledModules | undefined;
  readonly cache?: ParseCache;
  readonly rules?: readonly Rule[];
  /**
   * Offer a fix only after re-analysing the whole project with it applied (fixes.ts verifyFixes); true unless
   * false. The trial analyses themselves run with false.
   */
  readonly verifyFixes?: boolean;
  /**
   * Evaluation steps and wall-clock time of the analysis (defaults: DEFAULT_WORK_BUDGET, DEFAULT_TIME_BUDGET_MS
   * from the end of the layers' parse, the same for every front end); the trial analyses that verify its fixes
   * share its deadline. Past a limit, DSL003 names it.
   */
  readonly limits?: AnalysisLimits;
  /**
   * Asked inside the phases (between layers, top-level statements of a layer, rules): true pauses the analysis
   * there (`analyzeInPhases` yields 'step'). Without it, an analysis pauses only between its phases.
   */
  readonly pause?: (() => boolean) | undefined;
  /**
   * The project's last analysis (the language server's): a rule whose reads all give the same answers now
   * (rule-reads.ts) keeps its findings from it instead of running again.
   */
  readonly previous?: Analysis | undefined;
  /**
   * Evaluate only what the rules can read (evaluate/demand.ts): every setting the knowledge names, Django's and
   * Horizon's defaults. For a front end that shows nothing but the findings and those settings (the CLI's
   * check); the findings, fixes and masked output are those of the whole evaluation. A one-file project only.
   */
  readonly demand?: boolean;
}

export type DjangoVersionSource = 'option' | 'workspace' | 'horizon-release' | 'unknown';

export interface ProjectSummary {
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  readonly horizonRelease?: string | undefined;
  readonly horizonReleaseSource?: 'option' | 'workspace' | 'installed' | 'newest-known' | undefined;
  readonly djangoVersion?: string | undefined;
  readonly djangoVersionSource: DjangoVersionSource;
  /** Where the workspace pinned Django, when it did. */
  readonly djangoVersionFile?: string | undefined;
  readonly profile: Profile;
}

export interface Analysis {
  readonly summary: ProjectSummary;
  readonly model: ProjectModel;
  readonly findings: readonly Finding[];
  readonly timings: {
    readonly parseMs: number;
    readonly evaluateMs: number;
    readonly rulesMs: number;
    /** Time spent re-analysing the project to verify the fixes offered (fixes.ts verifyFixes). */
    readonly verifyFixesMs?: number;
  };
  /** 1-based line of a span (for messages and output). */
  lineOf(span: Span): number;
  lines(file: string): LineIndex | undefined;
  /** What each rule read and reported, for the next analysis of the project (`AnalyzeRequest.previous`). */
  readonly ruleRuns?: RuleRuns | undefined;
}

interface VersionChoice {
  django: Version | undefined;
  djangoSource: DjangoVersionSource;
  djangoFile?: string | undefined;
  horizon: HorizonRelease | undefined;
  horizonSource: ProjectSummary['horizonReleaseSource'];
}

/**
 * Whether an analysis of a project of this kind under these options reads its version files (`versionFiles`):
 * only to infer a version the options do not give (chooseVersions). A front end that finds them on disk need
 * not look when this is false (the CLI with `--django-version` on a Django project walks no directory for them).
 */
export function readsVersionFiles(
  options: Pick<Options, 'djangoVersion' | 'horizonRelease'>,
  kind: ProjectInput['kind'],
): boolean {
  const isHorizon = kind === 'horizon' || options.horizonRelease !== '';
  if (isHorizon && optionHorizon(options) === undefined) return true;
  return optionDjango(options) === undefined;
}

/** The Horizon release the options name, when they name a known one. */
function optionHorizon(options: Pick<Options, 'horizonRelease'>): HorizonRelease | undefined {
  return options.horizonRelease ? findHorizonRelease(options.horizonRelease) : undefined;
}

/** The Django version the options give, when they give a valid one. */
function optionDjango(options: Pick<Options, 'djangoVersion'>): Version | undefined {
  return options.djangoVersion ? parseVersion(options.djangoVersion) : undefined;
}

/** The versions the analysis assumes: the options', else inferred from the version files (readsVersionFiles). */
function chooseVersions(req: AnalyzeRequest, isHorizon: boolean): VersionChoice {
  const files = req.versionFiles ?? [];
  let horizon: HorizonRelease | undefined;
  let horizonSource: VersionChoice['horizonSource'];
  if (isHorizon || req.options.horizonRelease) {
    if (req.options.horizonRelease) {
      horizon = optionHorizon(req.options);
      horizonSource = 'option';
    }
    if (!horizon) {
      const inferred = inferHorizonVersion(files);
      if (inferred) {
        horizon = findHorizonRelease(inferred.version);
        horizonSource = 'workspace';
      }
    }
    if (!horizon && req.horizonVersionHint) {
      horizon = findHorizonRelease(req.horizonVersionHint.version);
      horizonSource = 'installed';
    }
    if (!horizon) {
      horizon = NEWEST_HORIZON_RELEASE;
      horizonSource = 'newest-known';
    }
  }
  const opt = optionDjango(req.options);
  if (opt) return { django: opt, djangoSource: 'option', horizon, horizonSource };
  const inferred = inferDjangoVersion(files);
  const fromWorkspace = inferred ? parseVersion(inferred.version) : undefined;
  if (fromWorkspace)
    return {
      django: fromWorkspace,
      djangoSource: 'workspace',
      djangoFile: inferred?.source,
      horizon,
      horizonSource,
    };
  const fromHorizon = horizon ? djangoVersionForHorizon(horizon) : undefined;
  if (fromHorizon) return { django: fromHorizon, djangoSource: 'horizon-release', horizon, horizonSource };
  return { django: undefined, djangoSource: 'unknown', horizon, horizonSource };
}

function chooseProfile(option: Options['profile'], model: ProjectModel): Profile {
  if (option !== 'auto') return option;
  const debug = model.effective(DEBUG)?.value;
  return debug?.kind === 'bool' && debug.value ? 'development' : 'production';
}

/** Analyses one project. */
export function analyze(req: AnalyzeRequest): Analysis {
  return runToEnd(analyzeInPhases(req));
}

/**
 * What an analysis has done when it pauses (`analyzeInPhases`): the layers are parsed, the project model is
 * evaluated, the rules have run; `step` is a pause inside a phase (between two layers, two top-level statements
 * of a layer, two rules), made only when the request's `pause` asks for it. A front end that must stay
 * responsive (the language server) answers its requests at the pauses; the result is the same as `analyze`'s.
 */
export type AnalysisPhase = 'step' | 'parsed' | 'evaluated' | 'checked';

/** Runs the remaining phases of an analysis at once. */
export function runToEnd<T>(steps: Generator<AnalysisPhase, T, void>): T {
  return finish(steps);
}

/**
 * Time of one analysis without its pauses: the evaluation's time budget and the timings count only the time it
 * ran (pauses are counted only when the request can pause inside a phase; an injected clock is used as is).
 */
class ActiveClock {
  private pausedMs = 0;
  constructor(private readonly counts: boolean) {}
  readonly now = (): number => performance.now() - this.pausedMs;

  /** Yields `phase`, leaving the time until the analysis resumes out of `now`. */
  *pauseAt(phase: AnalysisPhase): Generator<AnalysisPhase, void, void> {
    const t = performance.now();
    yield phase;
    if (this.counts) this.pausedMs += performance.now() - t;
  }

  /** Runs `steps`, pausing where they do. */
  *relay<T>(steps: Steps<T>): Generator<AnalysisPhase, T, void> {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      yield* this.pauseAt('step');
    }
  }
}

/** `analyze`, pausing after each phase (and inside them when `req.pause` asks); the value is the analysis. */
export function* analyzeInPhases(req: AnalyzeRequest): Generator<AnalysisPhase, Analysis, void> {
  const clock = new ActiveClock(req.pause !== undefined);
  const cache = req.cache ?? new ParseCache();
  const readFile = cachingReader(req.project.readFile);
  const t0 = clock.now();
  yield* clock.relay(parseLayers(req, cache, readFile));
  const parseMs = clock.now() - t0;
  yield* clock.pauseAt('parsed');
  const t1 = clock.now();
  const limits = analysisLimits(req, clock);
  const isHorizon = req.project.kind === 'horizon' || req.options.horizonRelease !== '';
  const versions = chooseVersions(req, isHorizon);
  const project = projectInput(req, versions, isHorizon, readFile);
  const model = yield* clock.relay(
    buildProjectInSteps(
      project,
      layerDefaults(versions),
      cache,
      limits,
      req.pause,
      req.demand && req.project.layers.length === 1 ? demandedNames(versions) : undefined,
    ),
  );
  const evaluateMs = clock.now() - t1;
  yield* clock.pauseAt('evaluated');
  const t2 = clock.now();
  const profile = chooseProfile(req.options.profile, model);
  const { lines, lineOf } = lineLookup(model, readFile);
  const run: RunContext = {
    installed: req.installedModules,
    model,
    profile,
    versions,
    isHorizon,
    options: req.options,
    readFile,
    lines,
  };
  const ruleRuns = new Map<string, RuleRun>();
  const kept = keptRuns(run, req.previous?.ruleRuns);
  // Its masker, when made, walks only what changed since the previous analysis's (secrets.ts).
  if (req.previous) followsAnalysis(model, req.previous);
  const findings = yield* clock.relay(runRules(req.rules ?? RULES, run, req.pause, kept, ruleRuns));
  // A rule read a setting the evaluation did not keep exact: the project is analysed again whole.
  if (model.demand?.missed) return yield* analyzeInPhases({ ...req, demand: false });
  const rulesMs = clock.now() - t2;
  yield* clock.pauseAt('checked');
  const unverified: Analysis = {
    summary: summaryOf(req, project.kind, versions, profile),
    model,
    findings,
    timings: { parseMs, evaluateMs, rulesMs },
    lineOf,
    lines,
    ruleRuns: { key: runKey(run), installed: run.installed, runs: ruleRuns },
  };
  if (req.verifyFixes === false || !findings.some((f) => f.fix)) return unverified;
  return withVerifiedFixes(unverified, req, cache, readFile, limits);
}

/** The project's reader, each file read once per analysis (a reader that throws reads nothing). */
function cachingReader(read: (file: string) => string | undefined): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (!texts.has(file)) texts.set(file, safeRead(read, file));
    return texts.get(file);
  };
}

/** Parses every layer through the cache, pausing between layers when `req.pause` asks. */
function* parseLayers(
  req: AnalyzeRequest,
  cache: ParseCache,
  readFile: (file: string) => string | undefined,
): Steps<void> {
  for (const l of req.project.layers) {
    const text = readFile(l.path);
    if (text === undefined) continue;
    if (req.pause) yield* cache.getInSteps(l.path, text, req.pause);
    else cache.get(l.path, text);
  }
}

/** Every setting name the knowledge names (names.ts, csrf.ts) and Django's defaults set: what a rule may read. */
let knownSettings: ReadonlySet<string> | undefined;
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The names a check reads (`AnalyzeRequest.demand`): the known settings and the Horizon release's defaults. */
function demandedNames(versions: VersionChoice): ReadonlySet<string> {
  const known = (knownSettings ??= new Set([
    ...(Object.values(NAMES) as unknown[]).filter(
      (v): v is string => typeof v === 'string' && SETTING_NAME.test(v),
    ),
    ...Object.keys(DJANGO_DEFAULTS),
    ...HORIZON_ONLY_SETTING_NAMES,
    CSRF_USE_SESSIONS,
  ]));
  const horizon = versions.horizon?.defaults;
  if (!horizon) return known;
  let names = withHorizon.get(horizon);
  if (!names) withHorizon.set(horizon, (names = new Set([...known, ...Object.keys(horizon)])));
  return names;
}
/** The demanded names with a Horizon release's defaults, by release (a fleet's projects share a few). */
const withHorizon = new WeakMap<object, ReadonlySet<string>>();

/** The evaluation's limits: the clock starts after the layers are parsed (linear, size-limited). */
function analysisLimits(req: AnalyzeRequest, clock: ActiveClock): AnalysisLimits {
  const now = req.limits?.now ?? clock.now;
  return {
    ...req.limits,
    now,
    deadline: req.limits?.deadline ?? now() + (req.limits?.timeMs ?? DEFAULT_TIME_BUDGET_MS),
  };
}

/** The project as the layers read it: its kind, the cached reader, the packages its BACKEND choices see. */
function projectInput(
  req: AnalyzeRequest,
  versions: VersionChoice,
  isHorizon: boolean,
  readFile: (file: string) => string | undefined,
): ProjectInput {
  return {
    ...req.project,
    kind: isHorizon ? 'horizon' : 'django',
    readFile,
    packages: {
      django: versions.django
        ? { min: versions.django, max: versions.django }
        : versions.horizon
          ? djangoRangeForHorizon(versions.horizon)
          : undefined,
      modules: req.installedModules?.modules,
      distributions: req.installedModules?.distributions,
    },
  };
}

function layerDefaults(versions: VersionChoice): LayerDefaults {
  return {
    django: DJANGO_DEFAULTS,
    horizon: versions.horizon
      ? {
          description: `Horizon ${versions.horizon.series} defaults (built in)`,
          values: versions.horizon.defaults,
        }
      : undefined,
  };
}

/** Line indexes of the model's files (parsed already) and of other files read, made when first asked. */
function lineLookup(
  model: ProjectModel,
  readFile: (file: string) => string | undefined,
): { lines: (file: string) => LineIndex | undefined; lineOf: (span: Span) => number } {
  const lineIndexes = new Map<string, LineIndex>();
  for (const f of model.files) lineIndexes.set(f.path, f.parsed.lines);
  const lines = (file: string): LineIndex | undefined => {
    let li = lineIndexes.get(file);
    if (!li) {
      const text = readFile(file);
      if (text === undefined) return undefined;
      li = new LineIndex(text);
      lineIndexes.set(file, li);
    }
    return li;
  };
  return { lines, lineOf: (span) => (lines(span.file)?.positionAt(span.from).line ?? 0) + 1 };
}

function summaryOf(
  req: AnalyzeRequest,
  kind: ProjectSummary['kind'],
  versions: VersionChoice,
  profile: Profile,
): ProjectSummary {
  return {
    root: req.project.root,
    kind,
    horizonRelease: versions.horizon?.series,
    horizonReleaseSource: versions.horizonSource,
    djangoVersion: versions.django ? formatMinor(versions.django) : undefined,
    djangoVersionSource: versions.djangoSource,
    djangoVersionFile: versions.djangoFile,
    profile,
  };
}

/** The analysis with only the fixes that re-analysing the project with them applied confirms (fixes.ts). */
function withVerifiedFixes(
  unverified: Analysis,
  req: AnalyzeRequest,
  cache: ParseCache,
  readFile: (file: string) => string | undefined,
  limits: AnalysisLimits,
): Analysis {
  const trialCache = new TrialParseCache(cache);
  const verified = verifyFixes(unverified, readFile, (overlay) =>
    analyze({
      ...req,
      pause: undefined,
      cache: trialCache,
      verifyFixes: false,
      limits,
      project: { ...req.project, readFile: (f) => overlay.get(f) ?? readFile(f) },
      // A rule whose reads the fix left as they were keeps its findings (rule-reads.ts), as after an edit.
      previous: unverified,
    }),
  );
  return {
    ...unverified,
    findings: verified.findings,
    timings: { ...unverified.timings, verifyFixesMs: verified.stats.ms },
  };
}

function safeRead(read: (f: string) => string | undefined, file: string): string | undefined {
  try {
    return read(file);
  } catch {
    return undefined;
  }
}

interface RunContext {
  installed: InstalledModules | undefined;
  model: ProjectModel;
  profile: Profile;
  versions: VersionChoice;
  isHorizon: boolean;
  options: Options;
  readFile: (file: string) => string | undefined;
  lines: (file: string) => LineIndex | undefined;
}

/** Whether a code is enabled by select/ignore (codes or prefixes; the longest match wins, like ruff). */
export function codeEnabled(code: string, select: readonly string[], ignore: readonly string[]): boolean {
  const longest = (list: readonly string[]): number =>
    Math.max(-1, ...list.filter((p) => code.startsWith(p)).map((p) => p.length));
  const s = select.length === 0 ? 0 : longest(select);
  const i = longest(ignore);
  if (s < 0) return false;
  return i < 0 || s > i;
}

/** What rules read besides the model, as one string: a previous analysis's runs are kept only under the same. */
function runKey(run: RunContext): string {
  let options = optionKeys.get(run.options);
  if (options === undefined) optionKeys.set(run.options, (options = JSON.stringify(run.options)));
  return JSON.stringify([
    run.profile,
    run.versions.django,
    run.versions.horizon?.series,
    run.isHorizon,
    options,
  ]);
}

/** Each options object as JSON, written once (the language server passes the same object while it holds). */
const optionKeys = new WeakMap<Options, string>();

/** The previous analysis's rule runs, when it ran under the same options, versions and installed modules. */
function keptRuns(run: RunContext, previous: RuleRuns | undefined): ReadonlyMap<string, RuleRun> | undefined {
  if (!previous || previous.installed !== run.installed || previous.key !== runKey(run)) return undefined;
  return previous.runs;
}

/**
 * Runs the enabled rules, pausing between two of them when `pause` asks; the findings placed, kept, sorted. A
 * rule whose run in `previous` still holds (rule-reads.ts) is not run again: its findings are taken from there.
 * Each run is recorded in `runs` for the next analysis.
 */
function* runRules(
  rules: readonly Rule[],
  run: RunContext,
  pause: (() => boolean) | undefined,
  previous: ReadonlyMap<string, RuleRun> | undefined,
  runs: Map<string, RuleRun>,
): Steps<Finding[]> {
  const findings: Finding[] = [];
  const now = { model: run.model, text: run.readFile, lineOf: (span: Span) => lineOfIn(run, span) };
  const settings = new Map<string, EffectiveSetting | undefined>();
  for (const rule of rules) {
    if (pause?.()) yield;
    if (!codeEnabled(rule.code, run.options.select, run.options.ignore)) continue;
    if (rule.horizonOnly && !run.isHorizon) continue;
    const base = rule.severity[run.profile];
    const override = run.options.severity[rule.code];
    if (override === 'off' || (base === 'off' && override === undefined)) continue;
    const before = previous?.get(rule.code);
    if (before && stillHolds(before, now)) {
      findings.push(...before.findings);
      runs.set(rule.code, before);
      continue;
    }
    const log = new ReadLog(run.model, settings);
    const own: Finding[] = [];
    const tracked: RunContext = { ...run, model: log.model };
    const ctx: RuleContext = {
      project: log.model,
      profile: run.profile,
      django: run.versions.django,
      djangoRange: run.versions.django
        ? { min: run.versions.django, max: run.versions.django }
        : run.versions.horizon
          ? djangoRangeForHorizon(run.versions.horizon)
          : undefined,
      lineOf: (span) => log.line(span, lineOfIn(run, span)),
      horizon: run.versions.horizon,
      isHorizon: run.isHorizon,
      installed: run.installed,
      effective: (name) => log.model.effective(name),
      text: (file) => log.text(file, run.readFile),
      report: (r: Report) => {
        const span = placeReport(r, tracked);
        if (!span) return;
        own.push(findingOf(rule, r, span, override ?? r.severity ?? (base === 'off' ? 'warning' : base)));
      },
    };
    try {
      rule.check(ctx);
      findings.push(...own);
      if (!log.untracked) runs.set(rule.code, log.run(own));
    } catch (e) {
      // A rule bug must not hide the other rules' findings; surface it as an analysis limit on the project.
      findings.push(...own, ...internalError(rule, e, run));
    }
  }
  // Each suppression check reads the finding's whole file: pausing between them keeps a step short.
  const kept: Finding[] = [];
  for (const f of findings) {
    if (pause?.()) yield;
    if (!isSuppressed(f, run)) kept.push(f);
  }
  kept.sort((a, b) =>
    a.span.file < b.span.file
      ? -1
      : a.span.file > b.span.file
        ? 1
        : a.span.from - b.span.from || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return dedupe(kept);
}

/** A rule that threw, as an analysis limit on the project's primary file. */
function internalError(rule: Rule, e: unknown, run: RunContext): Finding[] {
  const file = run.model.primaryFile;
  if (!file) return [];
  return [
    {
      code: 'DSL003',
      name: 'analysis-limit',
      message: `Internal error in ${rule.code}: ${e instanceof Error ? e.message : String(e)}; please report it.`,
      severity: 'information',
      span: { file, from: 0, to: 0 },
      settings: [],
      related: [],
      url: ruleUrl('DSL003'),
    },
  ];
}

/** 1-based line of a span. */
function lineOfIn(run: RunContext, span: Span): number {
  return (run.lines(span.file)?.positionAt(span.from).line ?? 0) + 1;
}

/** A rule's report as a finding, placed and with its severity. */
function findingOf(rule: Rule, r: Report, span: Span, severity: Severity): Finding {
  return {
    code: rule.code,
    name: rule.name,
    message: r.message,
    severity,
    span,
    settings: r.settings,
    related: r.related ?? [],
    fix:
      r.fix && r.fix.edits.length > 0
        ? {
            title: r.fix.title,
            applicability: r.fix.applicability ?? (rule.fix === 'none' ? 'unsafe' : rule.fix),
            edits: r.fix.edits,
          }
        : undefined,
    url: ruleUrl(rule.code),
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.span.file}|${f.span.from}|${f.span.to}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a report lands: its value's span, else the assignment that set it, else the primary file's anchor. */
function placeReport(r: Report, run: RunContext): Span | undefined {
  const at = r.at;
  if (at && 'file' in at && 'from' in at) return at as Span;
  if (at && 'origin' in at && 'name' in at) {
    const eff = at as EffectiveSetting;
    if (eff.origin.kind === 'file') return eff.origin.span;
    return primaryAnchor(run.model, r.settings, 'statement');
  }
  const v = at as Value | undefined;
  if (v?.span) return v.span;
  for (const name of r.settings) {
    const eff = run.model.effective(name);
    if (eff?.origin.kind === 'file') return eff.origin.span;
  }
  return primaryAnchor(run.model, r.settings, 'statement');
}

/** `# session-lint: ignore[DSL104]` on the reported line, or `# session-lint: ignore-file[DSL104]` anywhere. */
function isSuppressed(f: Finding, run: RunContext): boolean {
  const text = run.readFile(f.span.file);
  const li = run.lines(f.span.file);
  return text !== undefined && li !== undefined && isSuppressedAt(text, li, f.span, f.code);
}
