/** Discovery's vocabulary: the projects and layers it hands back, its working state, and which file and directory names mean what; no file access. */
import picomatch from 'picomatch';

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
export interface Found {
  readonly display: string;
  readonly abs: string;
  readonly real: string;
}

export interface Entry extends Found {
  readonly name: string;
  readonly type: 'file' | 'dir';
}

/** Something the walk found, to be grouped into projects once every argument has been walked. */
type Candidate =
  | { readonly kind: 'package'; readonly dir: Found }
  | { readonly kind: 'local'; readonly file: Found }
  | { readonly kind: 'snippets'; readonly dir: Found }
  | {
      readonly kind: 'snippet-set';
      readonly dir: Found;
      readonly files: readonly Found[];
      /** A local_settings template run before the snippets (a template directory, see snippet-sets.ts). */
      readonly local?: Found | undefined;
    }
  | { readonly kind: 'template'; readonly file: Found }
  | { readonly kind: 'settings'; readonly file: Found };

export type Registration = Candidate & { readonly argument: number };

export interface HorizonSettings {
  readonly file: Found;
  /** The `openstack_dashboard` package directory holding it, when it sits in one. */
  readonly packageDir?: Found | undefined;
}

export interface State {
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

export interface WalkContext {
  readonly state: State;
  readonly visited: Set<string>;
  /** False when the argument is itself inside a directory that would be skipped by name. */
  readonly skipByName: boolean;
  /** The argument lies inside a Horizon package: only local_settings files there are deployment settings. */
  readonly insideHorizonPackage: boolean;
  /** The argument lies under a directory holding a Horizon package: `test`/`tests` are Horizon's tests. */
  readonly insideHorizonTree: boolean;
}

export const SNIPPET_DIR = 'local_settings.d';

export const PACKAGE_DIR = 'openstack_dashboard';

export const LOCAL_SETTINGS_NAMES = ['local_settings.py', 'local_settings'] as const;

export const SKIPPED_DIR_NAMES = new Set([
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

export const VENV_MARKER = 'pyvenv.cfg';

export const HORIZON_SIBLING_PACKAGES = new Set(['horizon', 'openstack_auth']);

export const HORIZON_TEST_DIRS = new Set(['test', 'tests']);

export const isLocalSettingsName = picomatch([...LOCAL_SETTINGS_NAMES]);

const isSettingsName = picomatch(['settings.py', '*settings*.py'], { dot: true });

const isSettingsPackageFile = picomatch('settings/*.py', { dot: true });

/**
 * Settings only Django's test runner loads (`test_settings.py`, `settings_test.py`, `settings/test.py`,
 * `settings/testing.py`): they deliberately use LocMemCache, weak keys and insecure cookies, so a directory
 * walk leaves them out; named on the command line they are analysed like any file.
 */
const isTestSettings = picomatch(
  [
    'test_settings.py',
    'tests_settings.py',
    'testsettings.py',
    'settings_test.py',
    'settings_tests.py',
    '*_test_settings.py',
    'test_*_settings.py',
    'settings_test_*.py',
    'settings/test.py',
    'settings/tests.py',
    'settings/testing.py',
    'settings/test_*.py',
  ],
  { dot: true },
);

export function isTestSettingsFile(name: string, parentName: string): boolean {
  return isTestSettings(name) || isTestSettings(`${parentName}/${name}`);
}

const isTemplateName = picomatch(['*.py.j2', '*.j2', '*.erb'], { dot: true });

const isSettingsTemplateStem = picomatch('*settings*', { dot: true });

const TEMPLATE_SUFFIX = /\.(j2|erb)$/;

/** `local_settings.py.j2`, `horizon_local_settings.py.j2` (openstack-ansible), `local_settings.py.erb` (puppet). */
const LOCAL_SETTINGS_TEMPLATE_STEM = /(^|[^A-Za-z0-9])local_settings(\.py)?$/;

/** Numbered names are local_settings.d snippets by Horizon's convention, e.g. kolla's `_9998-kolla-settings.py.j2`. */
const SNIPPET_TEMPLATE_STEM = /^_?\d+[_-].*\.py$/;

export function classifyFile(
  name: string,
  parentName: string,
): 'local' | 'template' | 'settings' | undefined {
  if (isLocalSettingsName(name)) return 'local';
  if (settingsTemplateRole(name) !== undefined) return 'template';
  if (isSettingsName(name) || isSettingsPackageFile(`${parentName}/${name}`)) return 'settings';
  return undefined;
}

export function isCandidateName(name: string, parentName: string): boolean {
  return name === SNIPPET_DIR || name === PACKAGE_DIR || classifyFile(name, parentName) !== undefined;
}

/** The role a settings-named template plays, or undefined when the name is not a settings template. */
export function settingsTemplateRole(name: string): LayerRole | undefined {
  if (!isTemplateName(name)) return undefined;
  const stem = name.replace(TEMPLATE_SUFFIX, '');
  // `settings.yml.j2` renders YAML, not Python: only `.py` stems or stems without any extension count.
  if (!isSettingsTemplateStem(stem) || !(stem.endsWith('.py') || !stem.includes('.'))) return undefined;
  if (LOCAL_SETTINGS_TEMPLATE_STEM.test(stem)) return 'local_settings';
  if (SNIPPET_TEMPLATE_STEM.test(stem)) return 'local_settings.d';
  return 'settings';
}

export function register(state: State, candidate: Candidate): void {
  state.registrations.push({ ...candidate, argument: state.argument });
}

export function addError(state: State, display: string, message: string): void {
  state.errors.push({ path: display, message });
}
