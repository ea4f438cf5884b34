/**
 * The effective configuration of one project across its layers, exactly in Django's and Horizon's load order:
 * Django defaults → Horizon defaults (built-in table or the real settings.py) → local_settings.py (its own
 * module namespace, star-imported) → local_settings.d snippets (exec'd in the settings namespace, in order).
 * File contents come from an injected reader: this module does no I/O.
 */
import * as path from 'node:path';
import {
  evaluateModuleInSteps,
  workBudget,
  type AnalysisLimits,
  type AssignmentEvent,
  type Binding,
  type Env,
  type ImportRecord,
  type ImportResolver,
  type ModuleEvaluation,
  type WorkBudget,
} from '../evaluate/evaluate';
import { HORIZON_PARTIAL_DEFAULTS } from '../knowledge/horizon-releases';
import { KOLLA_CUSTOM_SNIPPET, KOLLA_RENDERED_SETTINGS, KOLLA_SETTINGS_SNIPPET } from '../knowledge/names';
import { pyDataToValue, type PyData } from '../knowledge/py-data';
import { parsePython, parsePythonInSteps, type ParsedFile } from '../python/parse';
import type { SegmentTree } from '../python/segmented-parse';
import type { Origin, Value } from '../types';
import { EnvFiles } from '../evaluate/env-files';
import { copyBinding, copyEnv, LazyEnv } from '../evaluate/environment';
import type { Checkpoints } from '../evaluate/checkpoints';
import { hasBackendChoice, resolveBackendChoices, type PackageFacts } from './backend-choice';
import { unknown } from '../evaluate/values';
import { finish, type Steps } from '../steps';

export type LayerRole =
  'django-defaults' | 'horizon-defaults' | 'settings' | 'local_settings' | 'local_settings.d';
export type FileRole = 'settings' | 'local_settings' | 'local_settings.d';

export interface ProjectLayerInput {
  readonly path: string;
  readonly role: FileRole;
}

export interface ProjectInput {
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  /** User-visible files in load order (Horizon's real settings.py first when present). */
  readonly layers: readonly ProjectLayerInput[];
  /** Reads a file; undefined when it does not exist or cannot be read. Used for layers and imports. */
  readonly readFile: (file: string) => string | undefined;
  /** The target Django and installed modules, for BACKENDs a URL helper chooses at load time (backend-choice.ts). */
  readonly packages?: PackageFacts | undefined;
}

export interface LayerInfo {
  readonly role: LayerRole;
  /** File path; undefined for built-in defaults. */
  readonly path?: string | undefined;
  /** For built-in Horizon defaults: which release's table. */
  readonly description?: string | undefined;
}

export interface FileModel {
  readonly path: string;
  readonly role: FileRole;
  readonly parsed: ParsedFile;
  readonly evaluation: ModuleEvaluation;
}

export interface EffectiveSetting {
  readonly name: string;
  readonly value: Value;
  readonly origin: Origin;
  /** The layer whose file or defaults set it. */
  readonly layer: LayerRole;
}

export interface ProjectModel {
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  readonly layers: readonly LayerInfo[];
  /** Layer files in load order (not star-imported modules). */
  readonly files: readonly FileModel[];
  /** The file a user edits for this project: local_settings.py in Horizon, the settings file otherwise. */
  readonly primaryFile: string | undefined;
  /** The final settings namespace (before Django's defaults fill in the rest). */
  readonly env: Env;
  /** Every assignment to a settings name across layer files, in execution order. */
  readonly events: readonly (AssignmentEvent & { readonly role: FileRole })[];
  readonly unresolvedStarImports: readonly ImportRecord[];
  /** Every file the result depends on (layers and imported modules). */
  readonly dependencies: readonly string[];
  /** Evaluations of the modules the layers imported (star imports, UPPER_CASE names), by file. */
  readonly modules: ReadonlyMap<string, ModuleEvaluation>;
  /** The effective value of a setting, or undefined when nobody sets it and no default is known. */
  effective(name: string): EffectiveSetting | undefined;
  /**
   * Set when the layers were evaluated for the names `names` alone (`buildProjectInSteps`' demand): `missed`
   * becomes true when `effective` is asked for another name, whose value may then be wrong (analyze.ts
   * analyses the project again whole).
   */
  readonly demand?: { readonly names: ReadonlySet<string>; missed: boolean } | undefined;
  /** Which layer a file belongs to. */
  roleOf(file: string): LayerRole | undefined;
}

export interface LayerDefaults {
  readonly django: Readonly<Record<string, PyData>>;
  /** Horizon's defaults for the selected release; undefined for plain Django projects. */
  readonly horizon?:
    { readonly description: string; readonly values: Readonly<Record<string, PyData>> } | undefined;
}

/**
 * Parsed files keyed by path, reused while the text is unchanged (the language server keeps one), and the
 * checkpoints of each layer's last evaluation, from which the next evaluation of an edited file resumes.
 */
export class ParseCache {
  private readonly entries = new Map<string, ParsedFile>();
  private readonly checkpoints = new Map<string, Checkpoints>();
  /** The checkpoints of the last evaluation of a layer file, if it had any. */
  previousEvaluation(file: string): Checkpoints | undefined {
    return this.checkpoints.get(file);
  }
  /** Whether a later evaluation may resume from the ones made with this cache (the layers keep checkpoints). */
  keepsEvaluations(): boolean {
    return true;
  }
  /** Remembers (or, with undefined, forgets) a layer's checkpoints for its next evaluation. */
  rememberEvaluation(file: string, checkpoints: Checkpoints | undefined): void {
    if (checkpoints) this.checkpoints.set(file, checkpoints);
    else this.checkpoints.delete(file);
  }
  get(file: string, text: string): ParsedFile {
    const hit = this.entries.get(file);
    if (hit && hit.text === text) return hit;
    // The previous parse of the file lets lezer reuse the unchanged parts of its tree.
    const parsed = parsePython(file, text, hit);
    this.entries.set(file, parsed);
    return parsed;
  }
  /**
   * `get`, pausing inside the parse when `pause` says so (python/parse.ts). The segments a parse dropped part-way
   * made (the language server drops the first analysis of a text an edit has changed since) are kept for the next
   * parse of the file, until one is complete.
   */
  *getInSteps(file: string, text: string, pause: () => boolean): Steps<ParsedFile> {
    const hit = this.entries.get(file);
    if (hit && hit.text === text) return hit;
    let scratch = this.partial.get(file);
    if (!scratch) this.partial.set(file, (scratch = new Map()));
    const parsed = yield* parsePythonInSteps(file, text, hit, pause, scratch);
    this.partial.delete(file);
    this.entries.set(file, parsed);
    return parsed;
  }
  /** Segment trees of parses under way or dropped part-way, by file (`getInSteps`). */
  private readonly partial = new Map<string, Map<string, SegmentTree>>();
  delete(file: string): void {
    this.entries.delete(file);
    this.checkpoints.delete(file);
    this.partial.delete(file);
  }
  /** The last parse of a file, whatever its text. */
  peek(file: string): ParsedFile | undefined {
    return this.entries.get(file);
  }
  /** Parses and checkpoints held (the language server's caches are tested to stay bounded). */
  get size(): number {
    return this.entries.size + this.checkpoints.size + this.partial.size;
  }
}

/**
 * A cache for trial analyses (verifying a fix on edited texts): unchanged files come from `base`, edited ones
 * are parsed here (incrementally from base's tree) without evicting base's entries.
 */
export class TrialParseCache extends ParseCache {
  private readonly own = new Map<string, ParsedFile>();
  constructor(private readonly base: ParseCache) {
    super();
  }
  override get(file: string, text: string): ParsedFile {
    const hit = this.base.peek(file);
    if (hit && hit.text === text) return hit;
    const mine = this.own.get(file);
    if (mine && mine.text === text) return mine;
    // From the base's parse of the file: a fix's text differs from it in that fix's edits alone, from another
    // fix's text in both fixes' edits (more segments to parse again).
    const parsed = parsePython(file, text, hit ?? mine);
    this.own.set(file, parsed);
    return parsed;
  }
  // Trial analyses never pause.
  // eslint-disable-next-line require-yield
  override *getInSteps(file: string, text: string): Steps<ParsedFile> {
    return this.get(file, text);
  }
  override peek(file: string): ParsedFile | undefined {
    return this.own.get(file) ?? this.base.peek(file);
  }
  // Trial analyses resume from the base's checkpoints, which are left as they are: the text they were taken
  // from differs from a trial's in that fix's edits alone (one changed range to re-evaluate), where an earlier
  // trial's text would differ in two fixes' edits. A trial's own checkpoints are not kept.
  override previousEvaluation(file: string): Checkpoints | undefined {
    return this.base.previousEvaluation(file);
  }
  override rememberEvaluation(): void {
    // Never used again (above).
  }
  override keepsEvaluations(): boolean {
    return false;
  }
}

const HORIZON_LOCAL_MODULE = 'local.local_settings';

/**
 * A layer the deployment runs before these files that is not among them: kolla-ansible's operator overrides
 * (`_9999-custom-settings.py`, from /etc/kolla/config/horizon) without the `_9998-kolla-settings.py` kolla
 * renders at deploy time. Every setting that template may assign and the files do not set themselves is then
 * unknown, never Horizon's default: judged over the bare defaults, a correct override file would get
 * findings, and a fix written into it would replace what _9998 sets (kolla's memcached pool) on a working
 * cloud.
 */
export function missingBaseLayer(input: Pick<ProjectInput, 'kind' | 'layers'>): string | undefined {
  if (input.kind !== 'horizon' || input.layers.some((l) => l.role !== 'local_settings.d')) return undefined;
  const names = input.layers.map((l) => path.basename(l.path));
  if (!names.includes(KOLLA_CUSTOM_SNIPPET) || names.some((n) => n.startsWith(KOLLA_SETTINGS_SNIPPET)))
    return undefined;
  return `kolla-ansible's ${KOLLA_SETTINGS_SNIPPET}, which it renders at deploy time and runs before ${KOLLA_CUSTOM_SNIPPET}: not among the files analysed`;
}

/**
 * Builds the layered model of one project (never throws), pausing between the top-level statements of a layer when `pause` says so (and
 * between layers; `finish` runs it at once); the local layers that Horizon's settings.py imports mid-statement
 * run without pausing.
 */
export function* buildProjectInSteps(
  input: ProjectInput,
  defaults: LayerDefaults,
  cache = new ParseCache(),
  limits: AnalysisLimits = {},
  pause?: () => boolean,
  demand?: ReadonlySet<string>,
): Steps<ProjectModel> {
  const run = startLayerRun(input, cache, limits, pause);
  // Only a one-file project: a later layer reads an earlier one's namespace, and rules read a local_settings.py
  // whole (DSL404) or compare every setting of the other files (a fix's verification, fixes.ts).
  if (demand && input.layers.length === 1) run.demand = demand;
  const layers: LayerInfo[] = [{ role: 'django-defaults', description: 'Django global_settings' }];
  const missingBase = missingBaseLayer(input);
  const env =
    input.kind === 'horizon'
      ? yield* runHorizonLayers(run, defaults, missingBase, layers)
      : yield* runDjangoLayers(run, layers);
  return projectModel(run, defaults, missingBase, layers, env);
}

/**
 * One build in progress: the project's files read once each (through the injected reader) and parsed through
 * the cache, what every layer's evaluation shares (imports, environment files, module cache, work budget), and
 * what the evaluations collect for the model.
 */
interface LayerRun {
  readonly input: ProjectInput;
  readonly cache: ParseCache;
  readonly parse: (file: string) => ParsedFile | undefined;
  readonly resolveImport: (role: FileRole) => ImportResolver;
  readonly readSibling: (name: string, fromFile: string) => { path: string; text: string } | undefined;
  readonly envFiles: EnvFiles;
  readonly moduleCache: Map<string, ModuleEvaluation | 'in-progress'>;
  readonly budget: WorkBudget;
  readonly files: FileModel[];
  readonly importedBy: Map<string, FileRole>;
  readonly events: (AssignmentEvent & { role: FileRole })[];
  readonly unresolved: ImportRecord[];
  readonly dependencies: Set<string>;
  /** Whether a layer's evaluation should pause at its next top-level statement (see buildProjectInSteps). */
  readonly pause: (() => boolean) | undefined;
  /** The names the check reads, when the layers may leave out what none of them depends on (evaluate/demand.ts). */
  demand?: ReadonlySet<string>;
  /** Set when an evaluation left statements out for `demand`. */
  demanded?: boolean;
}

function startLayerRun(
  input: ProjectInput,
  cache: ParseCache,
  limits: AnalysisLimits,
  pause: (() => boolean) | undefined,
): LayerRun {
  const probes = new Map<string, string | undefined>();
  const read = (file: string): string | undefined => {
    if (!probes.has(file)) {
      let text: string | undefined;
      try {
        text = input.readFile(file);
      } catch {
        text = undefined;
      }
      probes.set(file, text);
    }
    return probes.get(file);
  };
  const parse = (file: string): ParsedFile | undefined => {
    const text = read(file);
    return text === undefined ? undefined : cache.get(file, text);
  };
  const moduleCache = new Map<string, ModuleEvaluation | 'in-progress'>();
  const budget = workBudget(limits);
  return {
    input,
    cache,
    parse,
    resolveImport: importResolver(input, parse),
    readSibling: siblingReader(read),
    envFiles: new EnvFiles(),
    moduleCache,
    budget,
    files: [],
    importedBy: new Map(),
    events: [],
    unresolved: [],
    dependencies: new Set(),
    pause,
  };
}

/**
 * Where a layer's `from … import` finds its module (moduleCandidates), never the importing layer itself;
 * Horizon's settings.py importing `local.local_settings` reaches the local layers instead.
 */
function importResolver(
  input: ProjectInput,
  parse: (file: string) => ParsedFile | undefined,
): (role: FileRole) => ImportResolver {
  const layerPaths = new Set(input.layers.map((l) => l.path));
  return (role) => (module, level, fromFile) => {
    if (input.kind === 'horizon' && role === 'settings' && level === 0 && module === HORIZON_LOCAL_MODULE)
      return 'layer';
    for (const candidate of moduleCandidates(module, level, fromFile, input.root)) {
      if (layerPaths.has(candidate) && candidate === fromFile) continue;
      const p = parse(candidate);
      if (p) return p;
    }
    return undefined;
  };
}

/**
 * Environment files the settings load (`.env`, decouple's settings.ini): next to the file or up to two
 * directories above it (a settings package inside the project directory), read through the injected reader.
 */
function siblingReader(
  read: (file: string) => string | undefined,
): (name: string, fromFile: string) => { path: string; text: string } | undefined {
  return (name, fromFile) => {
    let dir = path.dirname(fromFile);
    for (let up = 0; up < 3; up++) {
      const candidate = path.join(dir, name);
      const text = read(candidate);
      if (text !== undefined) return { path: candidate, text };
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  };
}

/** Evaluates one layer file and records it, its events, its unresolved imports and its dependencies. */
function* evaluateLayer(
  run: LayerRun,
  layer: ProjectLayerInput,
  initialEnv: Env | undefined,
  onLayerImport?: (e: Env) => Env,
  shareEnv = false,
): Steps<ModuleEvaluation | undefined> {
  const parsed = run.parse(layer.path);
  run.dependencies.add(layer.path);
  if (!parsed) return undefined;
  // A layer evaluated in a fresh namespace may resume its last evaluation (an edit re-evaluates from the
  // first statement it can affect); checkpoints.ts says when.
  const fresh = initialEnv === undefined && !shareEnv;
  const evaluation = yield* evaluateModuleInSteps(parsed, {
    pause: run.pause,
    previous: fresh ? run.cache.previousEvaluation(layer.path) : undefined,
    keepCheckpoints: run.cache.keepsEvaluations(),
    initialEnv,
    shareEnv,
    readSibling: run.readSibling,
    envFiles: run.envFiles,
    resolveImport: run.resolveImport(layer.role),
    onLayerImport,
    moduleCache: run.moduleCache,
    budget: run.budget,
    eventRole: layer.role,
    demand: fresh ? run.demand : undefined,
  });
  if (evaluation.demanded) run.demanded = true;
  if (fresh) run.cache.rememberEvaluation(layer.path, evaluation.checkpoints);
  run.files.push({ path: layer.path, role: layer.role, parsed, evaluation });
  // Events carry their layer already (eventRole): no copy per event.
  for (const e of evaluation.events) run.events.push(e as AssignmentEvent & { role: FileRole });
  run.unresolved.push(...evaluation.unresolvedStarImports);
  evaluation.dependencies.forEach((d) => {
    run.dependencies.add(d);
    // A module star-imported by a layer belongs to that layer (the first layer that read it).
    if (!run.importedBy.has(d)) run.importedBy.set(d, layer.role);
  });
  return evaluation;
}

/**
 * Horizon's order: settings.py (or, without it, the built-in defaults), whose `from local.local_settings
 * import *` applies the local layers at that point; the rest of settings.py is post-processing.
 */
function* runHorizonLayers(
  run: LayerRun,
  defaults: LayerDefaults,
  missingBase: string | undefined,
  layers: LayerInfo[],
): Steps<Env> {
  const settingsLayer = run.input.layers.find((l) => l.role === 'settings');
  const localLayers = run.input.layers.filter((l) => l.role !== 'settings');
  let env: Env = new Map();
  if (settingsLayer) {
    layers.push({ role: 'settings', path: settingsLayer.path });
    let applied = false;
    const ev = yield* evaluateLayer(run, settingsLayer, undefined, (e) => {
      applied = true;
      // Settings after this point are Horizon's post-processing; the local layers are applied here.
      return finish(applyLocalLayers(run, localLayers, e));
    });
    env = ev ? ev.env : new Map();
    if (!applied) env = yield* applyLocalLayers(run, localLayers, env);
  } else {
    if (defaults.horizon) {
      layers.push({
        role: 'horizon-defaults',
        description: missingBase
          ? `${defaults.horizon.description}, then ${missingBase}`
          : defaults.horizon.description,
      });
      setHorizonDefaults(env, defaults.horizon.values, missingBase);
    }
    env = yield* applyLocalLayers(run, localLayers, env);
  }
  for (const l of localLayers) layers.push({ role: l.role, path: l.path });
  return env;
}

/** Horizon's built-in defaults; what a missing base layer may set is unknown instead. */
function setHorizonDefaults(
  env: Env,
  values: Readonly<Record<string, PyData>>,
  missingBase: string | undefined,
): void {
  for (const [name, data] of Object.entries(values)) {
    // Partial tables (INSTALLED_APPS, MIDDLEWARE) list only what the rules need: they are open lists.
    env.set(name, {
      value:
        missingBase && KOLLA_RENDERED_SETTINGS.includes(name)
          ? unknown(`may be set by ${missingBase}`)
          : pyDataToValue(data, { open: HORIZON_PARTIAL_DEFAULTS.includes(name) }),
      origin: { kind: 'default', by: 'horizon' },
    });
  }
}

/** local_settings.py as its own module, star-imported; then every snippet in the shared namespace. */
function* applyLocalLayers(run: LayerRun, localLayers: readonly ProjectLayerInput[], base: Env): Steps<Env> {
  // Copies carry the names replayed after an edit unmade (evaluate/environment.ts LazyEnv): made when read.
  let out: Env = copyEnv(base);
  for (const layer of localLayers) {
    if (layer.role === 'local_settings') {
      const ev = yield* evaluateLayer(run, layer, undefined);
      if (!ev) continue;
      for (const name of ev.env.keys()) if (!name.startsWith('_')) copyBinding(out, name, ev.env);
    } else {
      // Snippets are exec'd in one namespace, updated in place (no copy per snippet: linear in their number).
      const ev = yield* evaluateLayer(run, layer, out, undefined, true);
      if (ev?.namespace) out = ev.namespace;
    }
  }
  return out;
}

/** A plain Django project: the settings file, then each snippet exec'd in the settings namespace. */
function* runDjangoLayers(run: LayerRun, layers: LayerInfo[]): Steps<Env> {
  let env: Env = new LazyEnv();
  const last = run.input.layers[run.input.layers.length - 1];
  for (const layer of run.input.layers) {
    layers.push({ role: layer.role, path: layer.path });
    const snippet = layer.role === 'local_settings.d';
    const ev = yield* evaluateLayer(run, layer, snippet ? env : undefined, undefined, snippet);
    if (!ev) continue;
    if (snippet) env = ev.namespace ?? env;
    // The only layer (a plain settings module): its namespace is the final one, no copy of every name.
    else if (layer === last && env.size === 0) env = ev.env;
    else for (const name of ev.env.keys()) copyBinding(env, name, ev.env);
  }
  return env;
}

/** The model over the evaluated layers: which layer each file belongs to, the primary file, effective values. */
function projectModel(
  run: LayerRun,
  defaults: LayerDefaults,
  missingBase: string | undefined,
  layers: readonly LayerInfo[],
  finalEnv: Env,
): ProjectModel {
  const { input, files } = run;
  const roles = new Map<string, LayerRole>(run.importedBy);
  for (const f of files) roles.set(f.path, f.role);
  const primary =
    input.layers.find((l) => l.role === 'local_settings')?.path ??
    input.layers.find((l) => l.role === 'settings' && input.kind !== 'horizon')?.path ??
    input.layers[input.layers.length - 1]?.path;
  const mayBeElsewhere = run.unresolved.filter((u) => u.resolved === undefined);
  // A module imported under try/except ImportError that the project does not have (guardedBy): the names it
  // could set keep their defaults in the default world ("if local.py is absent"), the import kept as the other
  // possibility. Any other unresolved star import leaves every unset name unknown.
  const unset: UnsetNames = {
    openEnded: mayBeElsewhere.filter((u) => u.guardedBy === undefined),
    guarded: mayBeElsewhere.find((u) => u.guardedBy !== undefined),
    missingBase,
    django: defaults.django,
    roles,
  };
  const resolved = backendChoiceResolver(input);
  const demand = run.demand && run.demanded ? { names: run.demand, missed: false } : undefined;
  return {
    root: input.root,
    kind: input.kind,
    layers,
    files,
    primaryFile: primary,
    env: finalEnv,
    events: run.events,
    unresolvedStarImports: mayBeElsewhere,
    dependencies: [...run.dependencies],
    modules: new Map(
      [...run.moduleCache].filter((e): e is [string, ModuleEvaluation] => e[1] !== 'in-progress'),
    ),
    roleOf: (file) => roles.get(file),
    demand,
    effective(name: string): EffectiveSetting | undefined {
      if (demand && !demand.names.has(name)) demand.missed = true;
      const b: Binding | undefined = finalEnv.get(name);
      if (b) return { name, value: resolved(b.value), origin: b.origin, layer: layerOf(b.origin, roles) };
      return unsetSetting(name, unset);
    },
  };
}

/** BACKENDs a URL helper picks at load time, decided once per value from the target Django and modules. */
function backendChoiceResolver(input: ProjectInput): (v: Value) => Value {
  const choices = new WeakMap<Value, Value>();
  return (v) => {
    const packages = input.packages;
    if (!packages) return v;
    // Remembered both ways: a value without a choice is walked once, not on every effective() call.
    let r = choices.get(v);
    if (!r) choices.set(v, (r = hasBackendChoice(v) ? resolveBackendChoices(v, packages) : v));
    return r;
  };
}

/** What decides the value of a name the layers do not set. */
interface UnsetNames {
  /** Unresolved star imports not guarded by try/except ImportError. */
  readonly openEnded: readonly ImportRecord[];
  /** The first star import of a module the project lacks, under try/except ImportError. */
  readonly guarded: ImportRecord | undefined;
  readonly missingBase: string | undefined;
  readonly django: Readonly<Record<string, PyData>>;
  readonly roles: ReadonlyMap<string, LayerRole>;
}

/**
 * A name no layer sets: unknown when an unresolved star import or a missing base layer may set it, else
 * Django's default (unknown with that default when a guarded import may set it), else undefined.
 */
function unsetSetting(name: string, unset: UnsetNames): EffectiveSetting | undefined {
  const { guarded, missingBase } = unset;
  const first = unset.openEnded[0];
  if (first) {
    return {
      name,
      value: {
        kind: 'unknown',
        reason: `may be set by 'from ${first.module} import *'`,
        span: first.span,
      },
      origin: { kind: 'file', span: first.span },
      layer: unset.roles.get(first.span.file) ?? 'settings',
    };
  }
  if (missingBase && KOLLA_RENDERED_SETTINGS.includes(name)) {
    return {
      name,
      value: unknown(`may be set by ${missingBase}`),
      origin: { kind: 'default', by: 'horizon' },
      layer: 'horizon-defaults',
    };
  }
  const value = djangoDefault(unset.django, name);
  if (value === undefined) return undefined;
  return {
    name,
    value: guarded
      ? {
          kind: 'unknown',
          reason: `may be set by 'from ${guarded.module} import *'`,
          span: guarded.span,
          default: value,
          defaultWhen: guarded.guardedBy,
        }
      : value,
    origin: { kind: 'default', by: 'django' },
    layer: 'django-defaults',
  };
}

/**
 * Django's defaults as values, each made once per table: every analysis gets the same object for a name nobody
 * sets (values are immutable; nothing binds these), so what was judged of it holds (analyze.ts keeps a rule's
 * findings while everything it read is the same).
 */
const djangoDefaults = new WeakMap<object, Map<string, Value>>();

function djangoDefault(table: Readonly<Record<string, PyData>>, name: string): Value | undefined {
  const d = table[name];
  if (d === undefined) return undefined;
  let values = djangoDefaults.get(table);
  if (!values) djangoDefaults.set(table, (values = new Map()));
  let v = values.get(name);
  if (!v) values.set(name, (v = pyDataToValue(d)));
  return v;
}

function layerOf(origin: Origin, roles: Map<string, LayerRole>): LayerRole {
  if (origin.kind === 'default') return origin.by === 'horizon' ? 'horizon-defaults' : 'django-defaults';
  // A name bound by a star-imported module belongs to the layer that imported it; fall back to settings.
  return roles.get(origin.span.file) ?? 'settings';
}

/**
 * Candidate files for `from <module> import …`: relative imports from the importing file's package (from an
 * extension-less file, also the extension-less sibling);
 * absolute imports from the importing file's directory and its ancestors up to (and including) the parent of
 * the project root, which covers `from openstack_dashboard.defaults import *` and `from mysite.base import *`.
 */
export function moduleCandidates(module: string, level: number, fromFile: string, root: string): string[] {
  const parts = module ? module.split('.') : [];
  const fromDir = path.dirname(fromFile);
  if (level > 0) {
    let base = fromDir;
    for (let i = 1; i < level; i++) base = path.dirname(base);
    if (parts.length === 0) return [];
    const p = path.join(base, ...parts);
    return [p + '.py', path.join(p, '__init__.py'), ...bareSibling(fromFile, parts)];
  }
  if (parts.length === 0) return [];
  const out: string[] = [];
  const stop = path.dirname(path.resolve(root));
  let dir = fromDir;
  for (let i = 0; i < 8; i++) {
    const p = path.join(dir, ...parts);
    out.push(p + '.py', path.join(p, '__init__.py'));
    if (path.resolve(dir) === stop || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  return [...out, ...bareSibling(fromFile, parts)];
}

/**
 * An extension-less settings file (kolla ≤ 2023.2's `local_settings`, ending in `from custom_local_settings
 * import *`) imports a sibling kept extension-less too: the deployment links both into place as `.py`.
 */
function bareSibling(fromFile: string, parts: readonly string[]): string[] {
  return path.extname(fromFile) === '' && parts.length === 1
    ? [path.join(path.dirname(fromFile), parts[0] as string)]
    : [];
}

/** The span of a value or, for values from defaults, undefined. */
