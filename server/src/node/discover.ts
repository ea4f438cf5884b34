/** CLI path arguments → Django/Horizon projects, layers in load order; reads the fs, never executes or throws. */
//
// Rules (cli.md "Invocation", domain.md §2.2 and §10):
// - A file argument is always analysed, whatever its name. A directory argument is walked for settings
//   files: `settings.py`, `settings/*.py`, `*settings*.py`, `local_settings.py`, `local_settings` (RDO, no
//   extension), `local_settings.d/**/*.py` and settings-named templates (`*.py.j2`, `*.j2`, `*.erb`).
// - Skipped by name while walking: `.git`, `node_modules`, `__pycache__`, virtual environments (`venv`,
//   `.venv`, `env`, `.tox`, any directory holding `pyvenv.cfg`), `site-packages` and Debian's equivalent
//   `dist-packages`. When the path given is itself inside such a directory nothing is skipped by name, since
//   the user asked for exactly that place.
// - Symbolic links are followed (Debian links `openstack_dashboard/local/local_settings.py` and
//   `local_settings.d` into /etc/openstack-dashboard); real paths of visited directories stop loops.
//   Inside `local_settings.d` the listing copies Horizon's `os.walk(followlinks=False)`: linked files are
//   snippets, linked sub-directories are not entered, because Horizon does not enter them either.
// - Horizon package trees: an `openstack_dashboard/` directory with `settings.py` and `local/` yields one
//   layered project (its settings.py, `local/local_settings.py`, `local/local_settings.d/**`) and nothing
//   else inside it is looked at: `theme_settings.py`, `utils/settings.py`, `enabled/_5000_settings.py`,
//   `test/settings.py` are Horizon's own modules, not deployment settings. For the same reason, next to
//   such a package the sibling packages `horizon/` and `openstack_auth/` are skipped, directories named
//   `test`/`tests` anywhere under a directory holding it are skipped, and a Horizon source checkout
//   (`setup.cfg` + `horizon/` + the package) contributes only that project.
// - Inside a Horizon configuration directory (a `local_settings` file next to `local_settings.d/`, or
//   /etc/openstack-dashboard) the `enabled/` directory holds dashboard plugin files, not settings: skipped.
// Grouping: a local_settings file is Horizon's when a `local_settings.d/` sits next to it, it lives in
// `openstack_dashboard/local/` or /etc/openstack-dashboard, its text imports Horizon or sets HORIZON_CONFIG /
// OPENSTACK_KEYSTONE_URL (§10), or Horizon is forced; else it is a one-file Django project like every other
// settings file. Horizon's settings.py for it: the tree's own, else `--horizon-settings`, else the distribution
// package probed for /etc/openstack-dashboard. A real file appears once per project (its first occurrence),
// and a project reached by several arguments once, with the first argument's paths.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { compareCodePoints, isSnippetPath, orderSnippets } from '../core/layers/snippet-order';
import { importedModules } from './importers';
import { snippetSet } from './snippet-sets';

export type LayerRole = 'settings' | 'local_settings' | 'local_settings.d';

export interface DiscoveredLayer {
  /** As the user would see it: absolute, or relative to the working directory as the argument was given. */
  readonly path: string;
  readonly role: LayerRole;
  /** The file's real path (symbolic links resolved); identifies the file across display paths. */
  readonly realPath: string;
}

export interface DiscoveredProject {
  /** Display path of the directory the project is anchored at. */
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  /** In load order: Horizon's settings.py when found, local_settings, then snippets in Horizon's order. */
  readonly layers: readonly DiscoveredLayer[];
  /** Horizon version read from installed package metadata next to the `openstack_dashboard` package. */
  readonly horizonVersionHint?: { readonly version: string; readonly source: string };
}

export interface DiscoveryError {
  readonly path: string;
  /** One line, e.g. 'no such file or directory'. */
  readonly message: string;
}

export interface DiscoveryResult {
  readonly projects: readonly DiscoveredProject[];
  readonly errors: readonly DiscoveryError[];
  /** Layout problems worth saying that do not stop the analysis (e.g. a snippet directory Horizon never reads). */
  readonly warnings: readonly DiscoveryError[];
}

export interface DiscoverOptions {
  /** `--horizon-settings`: a real `openstack_dashboard/settings.py` (or the package directory holding it). */
  readonly horizonSettings?: string;
  /** `--horizon-release` / `--horizon-settings` given: every project is analysed as a Horizon project. */
  readonly forceHorizon?: boolean;
  /** Directory relative arguments are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * Where the well-known system locations (/etc/openstack-dashboard, /usr/lib/python3/dist-packages, …) are
   * looked for; default `/`. Tests and chroot/image scans point it elsewhere.
   */
  readonly systemRoot?: string;
}

/** A path as shown to the user, as used for file access, and resolved. */
interface Found {
  readonly display: string;
  readonly abs: string;
  readonly real: string;
}

/** Something the walk found, to be grouped into projects once every argument has been walked. */
type Candidate =
  | { readonly kind: 'package'; readonly dir: Found }
  | { readonly kind: 'local'; readonly file: Found }
  | { readonly kind: 'snippets'; readonly dir: Found }
  | { readonly kind: 'snippet-set'; readonly dir: Found; readonly files: readonly Found[] }
  | { readonly kind: 'template'; readonly file: Found }
  | { readonly kind: 'settings'; readonly file: Found };
type Registration = Candidate & { readonly argument: number };

interface HorizonSettings {
  readonly file: Found;
  /** The `openstack_dashboard` package directory holding it, when it sits in one. */
  readonly packageDir?: Found | undefined;
}

interface State {
  readonly cwd: string;
  readonly systemRoot: string;
  readonly forceHorizon: boolean;
  horizonSettings?: HorizonSettings | undefined;
  readonly errors: DiscoveryError[];
  readonly warnings: DiscoveryError[];
  /** Index of the argument being discovered: projects are built argument by argument. */
  argument: number;
  readonly registrations: Registration[];
  /** Files named on the command line: each must end up in some project. */
  readonly named: Found[];
  /** Keyed by real path and display path, so each argument's projects show that argument's paths. */
  readonly snippetListings: Map<string, Found[]>;
}

interface WalkContext {
  readonly state: State;
  readonly visited: Set<string>;
  /** False when the argument is itself inside a directory that would be skipped by name. */
  readonly skipByName: boolean;
  /** The argument lies inside a Horizon package: only local_settings files there are deployment settings. */
  readonly insideHorizonPackage: boolean;
  /** The argument lies under a directory holding a Horizon package: `test`/`tests` are Horizon's tests. */
  readonly insideHorizonTree: boolean;
}

type Probe =
  | { readonly type: 'file' | 'dir' | 'other'; readonly real: string }
  | { readonly type: 'error'; readonly message: string };

const SNIPPET_DIR = 'local_settings.d';
const PACKAGE_DIR = 'openstack_dashboard';
const LOCAL_SETTINGS_NAMES = ['local_settings.py', 'local_settings'] as const;
const SKIPPED_DIR_NAMES = new Set([
  '.git',
  'node_modules',
  '__pycache__',
  'venv',
  '.venv',
  'env',
  '.tox',
  'site-packages',
  'dist-packages',
]);
const VENV_MARKER = 'pyvenv.cfg';
const HORIZON_SIBLING_PACKAGES = new Set(['horizon', 'openstack_auth']);
const HORIZON_TEST_DIRS = new Set(['test', 'tests']);
const ETC_DIR = 'etc/openstack-dashboard';
/** Package locations probed for a configuration in /etc/openstack-dashboard: Debian/Ubuntu, then RDO. */
const WELL_KNOWN_PACKAGES = [
  'usr/lib/python3/dist-packages/openstack_dashboard',
  'usr/share/openstack-dashboard/openstack_dashboard',
];

const isLocalSettingsName = picomatch([...LOCAL_SETTINGS_NAMES]);
const isSettingsName = picomatch(['settings.py', '*settings*.py'], { dot: true });
const isSettingsPackageFile = picomatch('settings/*.py', { dot: true });
const isTemplateName = picomatch(['*.py.j2', '*.j2', '*.erb'], { dot: true });
const isSettingsTemplateStem = picomatch('*settings*', { dot: true });
const TEMPLATE_SUFFIX = /\.(j2|erb)$/;
/** `local_settings.py.j2`, `horizon_local_settings.py.j2` (openstack-ansible), `local_settings.py.erb` (puppet). */
const LOCAL_SETTINGS_TEMPLATE_STEM = /(^|[^A-Za-z0-9])local_settings(\.py)?$/;
/** Numbered names are local_settings.d snippets by Horizon's convention, e.g. kolla's `_9998-kolla-settings.py.j2`. */
const SNIPPET_TEMPLATE_STEM = /^_?\d+[_-].*\.py$/;
const EGG_INFO = /^(?:horizon|openstack_dashboard)-(\d[^-]*?)(?:-py\d+(?:\.\d+)*)?\.(?:egg-info|dist-info)$/;
const UNVERSIONED_EGG_INFO = /^(?:horizon|openstack_dashboard)\.(?:egg-info|dist-info)$/;
/** domain.md §10: a local_settings file importing Horizon or setting its keys is Horizon's, wherever it lives. */
const HORIZON_CONTENT =
  /^[ \t]*(?:from[ \t]+(?:openstack_dashboard|horizon)[. \t]|import[ \t]+(?:openstack_dashboard|horizon)\b|(?:HORIZON_CONFIG|OPENSTACK_KEYSTONE_URL)[ \t]*[=[])/m;
/** Enough of a settings file to see its imports and first assignments; bounds work on a huge file. */
const CONTENT_PROBE_BYTES = 256 * 1024;

/**
 * Finds the settings files behind `paths` and groups them into projects. Projects are sorted by root, errors
 * by path; when two arguments reach the same project, the first argument's display paths win.
 */
export async function discoverProjects(
  paths: readonly string[],
  opts: DiscoverOptions = {},
): Promise<DiscoveryResult> {
  const state: State = {
    cwd: opts.cwd ?? process.cwd(),
    systemRoot: opts.systemRoot ?? path.parse(process.cwd()).root,
    forceHorizon: opts.forceHorizon ?? false,
    errors: [],
    warnings: [],
    argument: 0,
    registrations: [],
    named: [],
    snippetListings: new Map(),
  };
  if (opts.horizonSettings !== undefined)
    state.horizonSettings = await resolveHorizonSettingsOption(state, opts.horizonSettings);
  for (const [argument, given] of paths.entries()) {
    state.argument = argument;
    await discoverArgument(state, given);
  }
  const projects = await dropImportedBases(
    await buildProjects(state),
    new Set(state.named.map((f) => f.real)),
  );
  projects.sort((a, b) => compareCodePoints(a.root, b.root) || compareCodePoints(layerKey(a), layerKey(b)));
  return { projects, errors: sortErrors(state.errors), warnings: sortErrors(state.warnings) };
}

// ---------------------------------------------------------------------------------------------------------
// Collecting candidates

async function discoverArgument(state: State, given: string): Promise<void> {
  const display = displayOf(given);
  const abs = path.resolve(state.cwd, given);
  const probe = await probePath(abs);
  if (probe.type === 'error') return addError(state, display, probe.message);
  if (probe.type === 'other') return addError(state, display, 'not a regular file or directory');
  const found: Found = { display, abs, real: probe.real };
  const ctx = await argumentContext(state, found, probe.type === 'dir');
  const snippetDir = await outermostSnippetDir(state, found, probe.type === 'dir');

  if (probe.type === 'file') {
    state.named.push(found);
    await registerFile(ctx, found, snippetDir);
    return;
  }
  if (snippetDir !== undefined) return registerSnippetDir(ctx, snippetDir);
  if (await isHorizonPackageDir(abs)) return register(state, { kind: 'package', dir: found });
  ctx.visited.add(found.real);
  await walkDir(ctx, found, true, ctx.insideHorizonTree);
}

/** What the argument's ancestors say about how to walk below it. */
async function argumentContext(state: State, found: Found, isDir: boolean): Promise<WalkContext> {
  let skipByName = true;
  let insideHorizonPackage = false;
  let insideHorizonTree = false;
  for (const dir of selfAndAncestors(isDir ? found.abs : path.dirname(found.abs))) {
    const name = path.basename(dir);
    // The argument itself counts for skipping (`lint venv/`), but a Horizon package or checkout given as
    // the argument is handled as a whole (discoverArgument, walkDir) rather than as something to be inside.
    const isArgument = isDir && dir === found.abs;
    if (SKIPPED_DIR_NAMES.has(name) || (await isFile(path.join(dir, VENV_MARKER)))) skipByName = false;
    const isOwnPackage =
      (!isArgument && (await isHorizonPackageDir(dir))) ||
      (HORIZON_SIBLING_PACKAGES.has(name) &&
        (await isHorizonPackageDir(path.join(path.dirname(dir), PACKAGE_DIR))));
    if (isOwnPackage) insideHorizonPackage = insideHorizonTree = true;
    if (!isArgument && (await isHorizonPackageDir(path.join(dir, PACKAGE_DIR)))) insideHorizonTree = true;
  }
  return { state, visited: new Set(), skipByName, insideHorizonPackage, insideHorizonTree };
}

/** The outermost `local_settings.d` the argument is (in), since Horizon walks that one recursively. */
async function outermostSnippetDir(state: State, found: Found, isDir: boolean): Promise<Found | undefined> {
  const outermost = selfAndAncestors(isDir ? found.abs : path.dirname(found.abs))
    .filter((dir) => path.basename(dir) === SNIPPET_DIR)
    .pop();
  if (outermost === undefined) return undefined;
  const probe = await probePath(outermost);
  if (probe.type !== 'dir') return undefined;
  return { display: displayRelativeTo(state, found, outermost), abs: outermost, real: probe.real };
}

async function registerFile(ctx: WalkContext, file: Found, snippetDir: Found | undefined): Promise<void> {
  const name = path.basename(file.abs);
  if (snippetDir !== undefined && isSnippetPath(name)) return registerSnippetDir(ctx, snippetDir);
  if (isLocalSettingsName(name)) return register(ctx.state, { kind: 'local', file });
  const dir = path.dirname(file.abs);
  const parent = await foundDir({
    display: path.dirname(file.display),
    abs: dir,
    real: path.dirname(file.real),
  });
  if (parent !== undefined && (await registerSnippetSet(ctx.state, parent, file.real))) return;
  if (name === 'settings.py' && (await isHorizonPackageDir(dir))) {
    const probe = await probePath(dir);
    if (probe.type === 'dir') {
      return register(ctx.state, {
        kind: 'package',
        dir: { display: path.dirname(file.display), abs: dir, real: probe.real },
      });
    }
  }
  if (settingsTemplateRole(name) !== undefined) return register(ctx.state, { kind: 'template', file });
  register(ctx.state, { kind: 'settings', file });
}

interface Entry extends Found {
  readonly name: string;
  readonly type: 'file' | 'dir';
}

async function walkDir(
  ctx: WalkContext,
  dir: Found,
  isArgument: boolean,
  inHorizonTree: boolean,
): Promise<void> {
  let dirents;
  try {
    dirents = await fs.readdir(dir.abs, { withFileTypes: true });
  } catch (error) {
    return addError(ctx.state, dir.display, describeError(error));
  }
  if (!isArgument && ctx.skipByName && dirents.some((d) => d.name === VENV_MARKER)) return;

  const entries: Entry[] = [];
  for (const dirent of dirents.sort((a, b) => compareCodePoints(a.name, b.name))) {
    const abs = path.join(dir.abs, dirent.name);
    const display = path.join(dir.display, dirent.name);
    if (dirent.isSymbolicLink()) {
      const probe = await probePath(abs);
      if (probe.type === 'error') {
        // Dangling links are common (editor backups, removed packages); only report ones we would have used.
        if (isCandidateName(dirent.name, path.basename(dir.abs))) addError(ctx.state, display, probe.message);
        continue;
      }
      if (probe.type !== 'other')
        entries.push({ name: dirent.name, type: probe.type, display, abs, real: probe.real });
      else if (isCandidateName(dirent.name, path.basename(dir.abs)))
        addError(ctx.state, display, `${await specialKind(abs)}, not a regular file: skipped`);
    } else if (dirent.isDirectory() || dirent.isFile()) {
      // Not a link, so its real path is the (real) parent's plus its name.
      const type = dirent.isDirectory() ? 'dir' : 'file';
      entries.push({ name: dirent.name, type, display, abs, real: path.join(dir.real, dirent.name) });
    } else if (isCandidateName(dirent.name, path.basename(dir.abs))) {
      // A FIFO or device named like a settings file: reading it would block or never end. Say so.
      addError(ctx.state, display, `${await specialKind(abs)}, not a regular file: skipped`);
    }
  }

  const byName = new Map(entries.map((e) => [e.name, e]));
  const horizonPackage = byName.get(PACKAGE_DIR);
  const holdsHorizonPackage =
    horizonPackage?.type === 'dir' && (await isHorizonPackageDir(horizonPackage.abs));
  if (holdsHorizonPackage && horizonPackage !== undefined && isHorizonCheckout(byName)) {
    return register(ctx.state, { kind: 'package', dir: horizonPackage });
  }
  const isConfigDir =
    (byName.get(SNIPPET_DIR)?.type === 'dir' &&
      LOCAL_SETTINGS_NAMES.some((n) => byName.get(n)?.type === 'file')) ||
    isEtcDir(ctx.state, dir.abs);
  const horizonTree = inHorizonTree || holdsHorizonPackage;
  const set = isConfigDir ? undefined : await snippetSetOf(dir, entries);
  // kolla's override directory (/etc/kolla/config/horizon[/<host>]) is copied into the rendered
  // /etc/kolla/horizon, which is the project: alone, its snippets would miss what _9998 sets.
  const overrides = set !== undefined && !isArgument && (await kollaRenderedDirFor(dir.abs)) !== undefined;
  if (set !== undefined && !overrides) register(ctx.state, { kind: 'snippet-set', dir, files: set });
  const inSet = new Set(set?.map((f) => f.real));

  for (const entry of entries) {
    if (inSet.has(entry.real)) continue;
    if (entry.type === 'dir') {
      if (entry.name === SNIPPET_DIR) {
        await registerSnippetDir(ctx, entry);
      } else if (holdsHorizonPackage && entry === horizonPackage) {
        register(ctx.state, { kind: 'package', dir: entry });
      } else if (
        !(ctx.skipByName && SKIPPED_DIR_NAMES.has(entry.name)) &&
        !(horizonTree && HORIZON_TEST_DIRS.has(entry.name)) &&
        !(holdsHorizonPackage && HORIZON_SIBLING_PACKAGES.has(entry.name)) &&
        !(isConfigDir && entry.name === 'enabled') &&
        !ctx.visited.has(entry.real)
      ) {
        ctx.visited.add(entry.real);
        await walkDir(ctx, entry, false, horizonTree);
      }
      continue;
    }
    const kind = classifyFile(entry.name, path.basename(dir.abs));
    if (kind === undefined || (ctx.insideHorizonPackage && kind !== 'local')) continue;
    register(ctx.state, { kind, file: entry });
  }
}

function classifyFile(name: string, parentName: string): 'local' | 'template' | 'settings' | undefined {
  if (isLocalSettingsName(name)) return 'local';
  if (settingsTemplateRole(name) !== undefined) return 'template';
  if (isSettingsName(name) || isSettingsPackageFile(`${parentName}/${name}`)) return 'settings';
  return undefined;
}

function isCandidateName(name: string, parentName: string): boolean {
  return name === SNIPPET_DIR || name === PACKAGE_DIR || classifyFile(name, parentName) !== undefined;
}

/** The role a settings-named template plays, or undefined when the name is not a settings template. */
function settingsTemplateRole(name: string): LayerRole | undefined {
  if (!isTemplateName(name)) return undefined;
  const stem = name.replace(TEMPLATE_SUFFIX, '');
  // `settings.yml.j2` renders YAML, not Python: only `.py` stems or stems without any extension count.
  if (!isSettingsTemplateStem(stem) || !(stem.endsWith('.py') || !stem.includes('.'))) return undefined;
  if (LOCAL_SETTINGS_TEMPLATE_STEM.test(stem)) return 'local_settings';
  if (SNIPPET_TEMPLATE_STEM.test(stem)) return 'local_settings.d';
  return 'settings';
}

async function registerSnippetDir(ctx: WalkContext, dir: Found): Promise<void> {
  if (ctx.visited.has(dir.real)) return;
  ctx.visited.add(dir.real);
  register(ctx.state, { kind: 'snippets', dir });
  const templates: Found[] = [];
  await listSnippets(ctx.state, dir, templates);
  for (const file of templates) register(ctx.state, { kind: 'template', file });
}

/**
 * Lists a `local_settings.d` the way Horizon's `os.walk` sees it (see snippet-order.ts for the order).
 * Settings-named templates found on the way are handed back, since a repository of templates may mirror
 * the deployed layout.
 */
async function listSnippets(state: State, dir: Found, templates?: Found[]): Promise<Found[]> {
  const key = `${dir.real}\0${dir.display}`;
  const cached = state.snippetListings.get(key);
  if (cached !== undefined) return cached;
  const files = new Map<string, Found>();
  const visit = async (abs: string, display: string, prefix: string): Promise<void> => {
    let dirents;
    try {
      dirents = await fs.readdir(abs, { withFileTypes: true });
    } catch (error) {
      return addError(state, display, describeError(error));
    }
    for (const dirent of dirents.sort((a, b) => compareCodePoints(a.name, b.name))) {
      const childAbs = path.join(abs, dirent.name);
      const childDisplay = path.join(display, dirent.name);
      const relative = prefix + dirent.name;
      if (dirent.isDirectory()) {
        await visit(childAbs, childDisplay, `${relative}/`);
        continue;
      }
      const candidate = isSnippetPath(relative) || settingsTemplateRole(dirent.name) !== undefined;
      if (!candidate || !(dirent.isFile() || dirent.isSymbolicLink())) continue;
      const probe = await probePath(childAbs);
      if (probe.type === 'error') {
        // Horizon would try to exec it and log "Can not exec settings snippet".
        addError(state, childDisplay, probe.message);
      } else if (probe.type === 'file') {
        const found = { display: childDisplay, abs: childAbs, real: probe.real };
        if (isSnippetPath(relative)) files.set(relative, found);
        else templates?.push(found);
      }
      // A linked directory is not entered: os.walk(followlinks=False).
    }
  };
  await visit(dir.abs, dir.display, '');
  const ordered = orderSnippets([...files.keys()]).flatMap((relative) => {
    const found = files.get(relative);
    return found === undefined ? [] : [found];
  });
  state.snippetListings.set(key, ordered);
  return ordered;
}

/** The snippets of a kolla-like directory (see snippet-sets.ts), as entries of the walk. */
async function snippetSetOf(dir: Found, entries: readonly Entry[]): Promise<Found[] | undefined> {
  const files = entries.filter((e) => e.type === 'file');
  const set = await snippetSet(
    dir.abs,
    files.map((f) => f.name),
  );
  if (set === undefined) return undefined;
  const byName = new Map(files.map((f) => [f.name, f]));
  return set.names.flatMap((n) => {
    const f = byName.get(n);
    return f === undefined ? [] : [{ display: f.display, abs: f.abs, real: f.real }];
  });
}

/** The rendered kolla directory (`<node_config>/horizon` with config.json) an override directory feeds. */
async function kollaRenderedDirFor(abs: string): Promise<string | undefined> {
  const parts = abs.split(path.sep);
  const at = parts.lastIndexOf('horizon');
  if (at < 2 || parts[at - 1] !== 'config' || parts.length - at > 2) return undefined;
  const rendered = path.join(parts.slice(0, at - 1).join(path.sep) || path.sep, 'horizon');
  return (await isFile(path.join(rendered, 'config.json'))) ? rendered : undefined;
}

/** Registers `dir` as a snippet set when it is one (and, if given, holds the file `member`). */
async function registerSnippetSet(state: State, dir: Found, member?: string): Promise<boolean> {
  let dirents;
  try {
    dirents = await fs.readdir(dir.abs, { withFileTypes: true });
  } catch {
    return false;
  }
  const entries: Entry[] = [];
  for (const d of dirents) {
    const abs = path.join(dir.abs, d.name);
    const probe = d.isFile() || d.isSymbolicLink() ? await probePath(abs) : undefined;
    if (probe?.type === 'file')
      entries.push({
        name: d.name,
        type: 'file',
        display: path.join(dir.display, d.name),
        abs,
        real: probe.real,
      });
  }
  const files = await snippetSetOf(dir, entries);
  if (files === undefined || (member !== undefined && !files.some((f) => f.real === member))) return false;
  register(state, { kind: 'snippet-set', dir, files });
  return true;
}

function register(state: State, candidate: Candidate): void {
  state.registrations.push({ ...candidate, argument: state.argument });
}

// ---------------------------------------------------------------------------------------------------------
// Grouping into projects

interface Builder {
  readonly state: State;
  readonly projects: DiscoveredProject[];
  /** Real paths of package dirs, local_settings files and snippet dirs already anchoring a Horizon project. */
  readonly anchors: Set<string>;
  /** Real paths of every file already in a project. */
  readonly layered: Set<string>;
}

async function buildProjects(state: State): Promise<DiscoveredProject[]> {
  const b: Builder = { state, projects: [], anchors: new Set(), layered: new Set() };
  // Argument by argument, so that a project reached by two arguments shows the first one's paths; within an
  // argument, Horizon layouts first, so that their files are not also reported as standalone projects.
  const phases: readonly Registration['kind'][] = [
    'package',
    'local',
    'snippets',
    'snippet-set',
    'template',
    'settings',
  ];
  const argumentCount = Math.max(0, ...state.registrations.map((r) => r.argument + 1));
  for (let argument = 0; argument < argumentCount; argument++) {
    for (const phase of phases) {
      for (const r of state.registrations) {
        if (r.argument !== argument || r.kind !== phase) continue;
        if (r.kind === 'package') await buildPackageProject(b, r.dir);
        else if (r.kind === 'local') await buildLocalSettingsProject(b, r.file);
        else if (r.kind === 'snippets') await buildSnippetDirProject(b, r.dir);
        else if (r.kind === 'snippet-set') await buildSnippetSetProject(b, r.dir, r.files);
        else if (r.kind === 'template') {
          await buildSingleFileProject(
            b,
            r.file,
            settingsTemplateRole(path.basename(r.file.abs)) ?? 'settings',
          );
        } else await buildSingleFileProject(b, r.file, 'settings');
      }
    }
  }
  for (const file of state.named) await buildSingleFileProject(b, file, 'settings');
  return b.projects;
}

async function buildPackageProject(b: Builder, pkg: Found): Promise<void> {
  if (b.anchors.has(pkg.real)) return;
  b.anchors.add(pkg.real);
  const settings = await foundFile(b.state, pkg, ['settings.py']);
  const local = await foundFile(b.state, pkg, ['local', 'local_settings.py'], true);
  const snippetDir = await foundDir(pkg, 'local', SNIPPET_DIR);
  // Debian: an earlier argument (/etc/openstack-dashboard) already gave this very project.
  if (
    local !== undefined
      ? b.anchors.has(local.real)
      : snippetDir !== undefined && b.anchors.has(snippetDir.real)
  ) {
    return;
  }
  const horizonSettings =
    settings !== undefined ? { file: settings, packageDir: pkg } : b.state.horizonSettings;
  await addHorizonProject(b, pkg.display, horizonSettings, local, snippetDir);
}

/** `shownSnippetDir`: the snippet directory as the argument reached it, to keep those display paths. */
async function buildLocalSettingsProject(b: Builder, local: Found, shownSnippetDir?: Found): Promise<void> {
  if (b.anchors.has(local.real)) return;
  const dirAbs = path.dirname(local.abs);
  const dir: Found = { display: path.dirname(local.display), abs: dirAbs, real: path.dirname(local.real) };
  const found = await foundDir(dir, SNIPPET_DIR);
  const sibling = found !== undefined && shownSnippetDir?.real === found.real ? shownSnippetDir : found;
  const isHorizon =
    b.state.forceHorizon ||
    sibling !== undefined ||
    isPackageLocalDir(dirAbs) ||
    isEtcDir(b.state, dirAbs) ||
    isEtcDir(b.state, dir.real) ||
    (await mentionsHorizon(local.abs));
  if (!isHorizon) return buildSingleFileProject(b, local, 'settings');
  const settings = await findHorizonSettings(b.state, dir, local.real);
  let snippetDir = sibling;
  // Horizon reads ROOT_PATH/local/local_settings.d, whatever directory local_settings.py really lives in.
  const packaged = settings?.packageDir && (await foundDir(settings.packageDir, 'local', SNIPPET_DIR));
  if (snippetDir === undefined) snippetDir = packaged;
  else if (packaged !== undefined && packaged.real !== snippetDir.real && settings?.packageDir) {
    // RDO keeps the package's local_settings.d in /usr/share: when that package is the one loading this
    // local_settings, a snippet only in /etc/openstack-dashboard/local_settings.d never runs.
    const linked = await probePath(path.join(settings.packageDir.abs, 'local', 'local_settings.py'));
    if (linked.type === 'file' && linked.real === local.real) {
      b.state.warnings.push({
        path: snippetDir.display,
        message: `Horizon runs the snippets of ${packaged.display} (its ROOT_PATH/local/local_settings.d), not this directory's: files only here are not loaded`,
      });
      b.anchors.add(snippetDir.real);
      snippetDir = packaged;
    }
  }
  await addHorizonProject(b, dir.display, settings, local, snippetDir);
}

async function buildSnippetDirProject(b: Builder, snippetDir: Found): Promise<void> {
  if (b.anchors.has(snippetDir.real)) return;
  const parentAbs = path.dirname(snippetDir.abs);
  const parent: Found = {
    display: parentDisplay(b.state.cwd, snippetDir),
    abs: parentAbs,
    real: path.dirname(snippetDir.real),
  };
  for (const name of LOCAL_SETTINGS_NAMES) {
    const local = await foundFile(b.state, parent, [name], true);
    if (local !== undefined && !b.anchors.has(local.real))
      return buildLocalSettingsProject(b, local, snippetDir);
  }
  const settings = await findHorizonSettings(b.state, parent, undefined);
  if ((await listSnippets(b.state, snippetDir)).length === 0) return;
  await addHorizonProject(b, parent.display, settings, undefined, snippetDir);
}

/**
 * A kolla-like directory of snippets: Horizon's defaults (or `--horizon-settings`), then the snippets in
 * Horizon's order, as the container runs them from its local_settings.d.
 */
async function buildSnippetSetProject(b: Builder, dir: Found, files: readonly Found[]): Promise<void> {
  if (b.anchors.has(dir.real)) return;
  b.anchors.add(dir.real);
  const base = b.state.horizonSettings;
  const layers = await readableLayers(b, [
    ...(base !== undefined ? [{ file: base.file, role: 'settings' as const }] : []),
    ...files.map((file) => ({ file, role: 'local_settings.d' as const })),
  ]);
  if (!layers.some((l) => l.role === 'local_settings.d')) return;
  b.projects.push(
    withVersionHint({ root: dir.display, kind: 'horizon', layers }, await versionHint(b.state, base)),
  );
}

/** One file on its own; `role` is what its name says (a template may be a local_settings or a snippet). */
async function buildSingleFileProject(b: Builder, file: Found, role: LayerRole): Promise<void> {
  if (b.layered.has(file.real) || b.anchors.has(file.real)) return;
  const root = path.dirname(file.display);
  if (!b.state.forceHorizon && role === 'settings') {
    const layers = await readableLayers(b, [{ file, role: 'settings' }]);
    if (layers.length > 0) b.projects.push({ root, kind: 'django', layers });
    return;
  }
  b.anchors.add(file.real);
  // Forced to Horizon, a plain settings file plays the part of local_settings over Horizon's settings.
  const fileRole: LayerRole = role === 'settings' ? 'local_settings' : role;
  const base = b.state.horizonSettings;
  const layers = await readableLayers(b, [
    ...(base !== undefined ? [{ file: base.file, role: 'settings' as const }] : []),
    { file, role: fileRole },
  ]);
  if (!layers.some((l) => l.realPath === file.real)) return;
  b.projects.push(withVersionHint({ root, kind: 'horizon', layers }, await versionHint(b.state, base)));
}

async function addHorizonProject(
  b: Builder,
  root: string,
  settings: HorizonSettings | undefined,
  local: Found | undefined,
  snippetDir: Found | undefined,
): Promise<void> {
  if (local !== undefined) b.anchors.add(local.real);
  let snippets: Found[] = [];
  if (snippetDir !== undefined && !b.anchors.has(snippetDir.real)) {
    b.anchors.add(snippetDir.real);
    snippets = await listSnippets(b.state, snippetDir);
  }
  const layers = await readableLayers(b, [
    ...(settings !== undefined ? [{ file: settings.file, role: 'settings' as const }] : []),
    ...(local !== undefined ? [{ file: local, role: 'local_settings' as const }] : []),
    ...snippets.map((file) => ({ file, role: 'local_settings.d' as const })),
  ]);
  if (layers.length === 0) return;
  b.projects.push(withVersionHint({ root, kind: 'horizon', layers }, await versionHint(b.state, settings)));
}

/** Drops unreadable files (reported) and repeats of the same real file (the first occurrence stays). */
async function readableLayers(
  b: Builder,
  candidates: readonly { file: Found; role: LayerRole }[],
): Promise<DiscoveredLayer[]> {
  const seen = new Set<string>();
  const layers: DiscoveredLayer[] = [];
  for (const { file, role } of candidates) {
    if (seen.has(file.real)) continue;
    seen.add(file.real);
    try {
      await fs.access(file.abs, fs.constants.R_OK);
    } catch (error) {
      addError(b.state, file.display, describeError(error));
      continue;
    }
    b.layered.add(file.real);
    layers.push({ path: file.display, role, realPath: file.real });
  }
  return layers;
}

function withVersionHint(
  project: DiscoveredProject,
  hint: DiscoveredProject['horizonVersionHint'],
): DiscoveredProject {
  return hint === undefined ? project : { ...project, horizonVersionHint: hint };
}

// ---------------------------------------------------------------------------------------------------------
// Horizon's own settings.py and version

/**
 * Horizon's real settings.py for a local_settings directory: the tree's own when the directory is
 * `openstack_dashboard/local`; else `--horizon-settings`; else, for /etc/openstack-dashboard, the
 * distribution package's (probed by path only; nothing is run).
 */
async function findHorizonSettings(
  state: State,
  localDir: Found,
  localReal: string | undefined,
): Promise<HorizonSettings | undefined> {
  if (isPackageLocalDir(localDir.abs)) {
    const pkgAbs = path.dirname(localDir.abs);
    const pkg = await foundDir({ display: parentDisplay(state.cwd, localDir), abs: pkgAbs, real: pkgAbs });
    if (pkg !== undefined && (await isHorizonPackageDir(pkg.abs))) {
      const file = await foundFile(state, pkg, ['settings.py']);
      if (file !== undefined) return { file, packageDir: pkg };
    }
  }
  if (state.horizonSettings !== undefined) return state.horizonSettings;
  if (isEtcDir(state, localDir.abs) || isEtcDir(state, localDir.real))
    return probeWellKnownPackages(state, localReal);
  return undefined;
}

/** Debian/Ubuntu, RDO, then `/usr/lib/python3.*\/site-packages`; prefers the package whose `local/` links to ours. */
async function probeWellKnownPackages(
  state: State,
  localReal: string | undefined,
): Promise<HorizonSettings | undefined> {
  const candidates = WELL_KNOWN_PACKAGES.map((p) => path.join(state.systemRoot, p));
  const usrLib = path.join(state.systemRoot, 'usr/lib');
  try {
    const pythons = (await fs.readdir(usrLib)).filter((n) => /^python3\.\d+$/.test(n));
    pythons.sort((a, b) => compareVersions(b.slice('python'.length), a.slice('python'.length)));
    for (const n of pythons) candidates.push(path.join(usrLib, n, 'site-packages', PACKAGE_DIR));
  } catch {
    // No /usr/lib at all (not a Linux system root): nothing more to probe.
  }
  let first: HorizonSettings | undefined;
  for (const abs of candidates) {
    if (!(await isHorizonPackageDir(abs))) continue;
    const pkg = await foundDir({ display: abs, abs, real: abs });
    const file = pkg && (await foundFile(state, pkg, ['settings.py']));
    if (pkg === undefined || file === undefined) continue;
    const settings = { file, packageDir: pkg };
    const linked = await probePath(path.join(abs, 'local', 'local_settings.py'));
    if (localReal !== undefined && linked.type === 'file' && linked.real === localReal) return settings;
    first ??= settings;
  }
  return first;
}

/** From `horizon-23.0.0.egg-info` (Debian), `horizon-25.1.0.dist-info` (pip) or an unversioned `horizon.egg-info` (pip -e). */
async function versionHint(
  state: State,
  settings: HorizonSettings | undefined,
): Promise<DiscoveredProject['horizonVersionHint']> {
  const pkg = settings?.packageDir;
  if (pkg === undefined) return undefined;
  const parents = [...new Set([path.dirname(pkg.abs), path.dirname(pkg.real)])];
  const found: { version: string; source: string }[] = [];
  for (const [i, parentAbs] of parents.entries()) {
    // Show the user's path when possible, the resolved one only when the metadata sits next to the real package.
    const shownParent = i === 0 ? parentDisplay(state.cwd, pkg) : parentAbs;
    let names: string[];
    try {
      names = await fs.readdir(parentAbs);
    } catch {
      continue;
    }
    for (const name of names.sort(compareCodePoints)) {
      const versioned = EGG_INFO.exec(name);
      const version =
        versioned?.[1] ??
        (UNVERSIONED_EGG_INFO.test(name) ? await metadataVersion(path.join(parentAbs, name)) : undefined);
      if (version !== undefined) found.push({ version, source: path.join(shownParent, name) });
    }
    if (found.length > 0) break;
  }
  // Several (a stale one left by an upgrade): the newest is the one installed last.
  found.sort((a, b) => compareVersions(b.version, a.version) || compareCodePoints(a.source, b.source));
  return found[0];
}

async function metadataVersion(infoDir: string): Promise<string | undefined> {
  for (const file of ['PKG-INFO', 'METADATA']) {
    try {
      const text = await fs.readFile(path.join(infoDir, file), 'utf8');
      const match = /^Version:[ \t]*(\S+)[ \t]*$/m.exec(text);
      if (match?.[1] !== undefined) return match[1];
    } catch {
      // Try the other metadata file name.
    }
  }
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const pb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

async function resolveHorizonSettingsOption(
  state: State,
  given: string,
): Promise<HorizonSettings | undefined> {
  const display = displayOf(given);
  const abs = path.resolve(state.cwd, given);
  const probe = await probePath(abs);
  if (probe.type === 'error') return void addError(state, display, probe.message);
  let fileFound: Found | undefined;
  if (probe.type === 'file') fileFound = { display, abs, real: probe.real };
  if (probe.type === 'dir')
    fileFound = await foundFile(state, { display, abs, real: probe.real }, ['settings.py']);
  if (fileFound === undefined) return void addError(state, display, 'not a settings.py file');
  const pkgAbs = path.dirname(fileFound.abs);
  const pkgReal = path.dirname(fileFound.real);
  const inPackage = path.basename(pkgAbs) === PACKAGE_DIR || path.basename(pkgReal) === PACKAGE_DIR;
  const packageDir = inPackage
    ? { display: path.dirname(fileFound.display), abs: pkgAbs, real: pkgReal }
    : undefined;
  return { file: fileFound, packageDir };
}

// ---------------------------------------------------------------------------------------------------------
// File system helpers

async function mentionsHorizon(abs: string): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(abs, 'r');
    const buffer = Buffer.alloc(CONTENT_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return HORIZON_CONTENT.test(buffer.toString('utf8', 0, bytesRead));
  } catch {
    // Unreadable: reported when the layer is checked; here it simply is not evidence of Horizon.
    return false;
  } finally {
    await handle?.close();
  }
}

async function isHorizonPackageDir(abs: string): Promise<boolean> {
  return (
    path.basename(abs) === PACKAGE_DIR &&
    (await isFile(path.join(abs, 'settings.py'))) &&
    (await probePath(path.join(abs, 'local'))).type === 'dir'
  );
}

/** A Horizon source checkout: nothing in it but the package's layered project is deployment settings. */
function isHorizonCheckout(byName: ReadonlyMap<string, Entry>): boolean {
  return byName.get('setup.cfg')?.type === 'file' && byName.get('horizon')?.type === 'dir';
}

function isPackageLocalDir(abs: string): boolean {
  return path.basename(abs) === 'local' && path.basename(path.dirname(abs)) === PACKAGE_DIR;
}

function isEtcDir(state: State, abs: string): boolean {
  return abs === path.join(state.systemRoot, ETC_DIR);
}

async function isFile(abs: string): Promise<boolean> {
  return (await probePath(abs)).type === 'file';
}

/** What a non-regular file is, for messages (`a FIFO (named pipe)`, `a character device`, …). */
async function specialKind(abs: string): Promise<string> {
  try {
    const st = await fs.stat(abs);
    if (st.isFIFO()) return 'a FIFO (named pipe)';
    if (st.isCharacterDevice()) return 'a character device';
    if (st.isBlockDevice()) return 'a block device';
    if (st.isSocket()) return 'a socket';
  } catch {
    // Gone meanwhile: the generic wording below.
  }
  return 'a special file';
}

async function probePath(abs: string): Promise<Probe> {
  try {
    const stat = await fs.stat(abs);
    const real = await fs.realpath(abs);
    return { type: stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other', real };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      try {
        if ((await fs.lstat(abs)).isSymbolicLink()) return { type: 'error', message: 'broken symbolic link' };
      } catch {
        // Not there at all: the original error says so.
      }
    }
    return { type: 'error', message: describeError(error) };
  }
}

/** `dir/…segments` when it is a file; a dangling or unreadable one is reported only when `report` is set. */
async function foundFile(
  state: State,
  dir: Found,
  segments: readonly string[],
  report = false,
): Promise<Found | undefined> {
  const abs = path.join(dir.abs, ...segments);
  const display = path.join(dir.display, ...segments);
  const probe = await probePath(abs);
  if (probe.type === 'file') return { display, abs, real: probe.real };
  if (report && probe.type === 'error' && probe.message !== 'no such file or directory') {
    addError(state, display, probe.message);
  }
  return undefined;
}

async function foundDir(dir: Found, ...segments: string[]): Promise<Found | undefined> {
  const abs = path.join(dir.abs, ...segments);
  const probe = await probePath(abs);
  if (probe.type !== 'dir') return undefined;
  return { display: path.join(dir.display, ...segments), abs, real: probe.real };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
};

function describeError(error: unknown): string {
  const code = errorCode(error);
  const known = code !== undefined ? ERROR_MESSAGES[code] : undefined;
  if (known !== undefined) return known;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

function addError(state: State, display: string, message: string): void {
  state.errors.push({ path: display, message });
}

function sortErrors(errors: readonly DiscoveryError[]): DiscoveryError[] {
  const unique = new Map(errors.map((e) => [`${e.path}\0${e.message}`, e]));
  return [...unique.values()].sort(
    (a, b) => compareCodePoints(a.path, b.path) || compareCodePoints(a.message, b.message),
  );
}

/** The argument as the user wrote it, minus `./` and trailing separators. */
function displayOf(given: string): string {
  const normalised = path.normalize(given);
  const root = path.parse(normalised).root;
  return normalised.length > root.length ? normalised.replace(/[\\/]+$/, '') : normalised;
}

/** Display path for an ancestor of an argument: absolute when the argument was, else relative to cwd. */
function displayRelativeTo(state: State, argument: Found, abs: string): string {
  if (path.isAbsolute(argument.display)) return abs;
  return path.relative(state.cwd, abs) || '.';
}

/** Display path of a directory's parent: `path.dirname` would turn `.` into `.` and `..` into `.`. */
function parentDisplay(cwd: string, dir: { readonly display: string; readonly abs: string }): string {
  const name = path.basename(dir.display);
  if (name !== '' && name !== '.' && name !== '..') return path.dirname(dir.display);
  const parent = path.dirname(dir.abs);
  return path.isAbsolute(dir.display) ? parent : path.relative(cwd, parent) || '.';
}

/** `abs` and its parents up to the root, innermost first. */
function selfAndAncestors(abs: string): string[] {
  const dirs = [abs];
  for (let parent = path.dirname(abs); parent !== dirs[dirs.length - 1]; parent = path.dirname(parent)) {
    dirs.push(parent);
  }
  return dirs;
}

function layerKey(project: DiscoveredProject): string {
  return project.layers.map((l) => l.path).join('\0');
}

// ---------------------------------------------------------------------------------------------------------
// Split settings: base modules and per-host overrides

/**
 * Drops plain Django projects whose one file another discovered settings file star-imports or execs
 * (`settings/base.py` under `settings/production.py`; `local_settings.py` under `settings.py`'s
 * `try: from .local_settings import *`): such a module is not what Django loads, so judged alone it would
 * report settings its importer sets. Its lines are still checked through the importing projects. A file
 * named on the command line is always kept.
 */
async function dropImportedBases(
  projects: DiscoveredProject[],
  named: ReadonlySet<string>,
): Promise<DiscoveredProject[]> {
  const single = projects.filter((p) => p.kind === 'django' && p.layers.length === 1);
  const bases = await importedModules(single.map((p) => (p.layers[0] as DiscoveredLayer).realPath));
  return projects.filter((p) => {
    if (p.kind !== 'django' || p.layers.length !== 1) return true;
    const real = (p.layers[0] as DiscoveredLayer).realPath;
    return !bases.has(real) || named.has(real);
  });
}
