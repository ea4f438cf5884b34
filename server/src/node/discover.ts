/** CLI path arguments → Django/Horizon projects, layers in load order; reads the fs, never executes or throws. */
//
// Rules:
// - A file argument is always analysed, whatever its name. A directory argument is walked for settings
//   files: `settings.py`, `settings/*.py`, `*settings*.py`, `local_settings.py`, `local_settings` (RDO, no
//   extension), `local_settings.d/**/*.py` and settings-named templates (`*.py.j2`, `*.j2`, `*.erb`).
// - Skipped by name while walking: `.git`, `node_modules`, `__pycache__`, virtual environments (`venv`,
//   `.venv`, `env`, `.tox`, any directory holding `pyvenv.cfg`), `site-packages` and Debian's equivalent
//   `dist-packages`. When the path given is itself inside such a directory nothing is skipped by name, since
//   the user asked for exactly that place. Test-runner settings (`test_settings.py`, `settings_test.py`,
//   `settings/test.py`, `settings/testing.py`) are left out of a walk too: they use LocMemCache and weak keys
//   on purpose and never serve users; named on the command line they are analysed.
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
// OPENSTACK_KEYSTONE_URL, or Horizon is forced; else it is a one-file Django project like every other
// settings file. Horizon's settings.py for it: the tree's own, else `--horizon-settings`, else the distribution
// package probed for /etc/openstack-dashboard. A real file appears once per project (its first occurrence),
// and a project reached by several arguments once, with the first argument's paths.
// Modules: discover-walk.ts (arguments → candidates), discover-projects.ts (candidates → projects),
// horizon-install.ts (Horizon's settings.py and version), discover-fs.ts (probes, errors, display paths),
// discover-model.ts (types and names).
import * as path from 'node:path';
import { compareCodePoints } from '../core/layers/snippet-order';
import { hasNoStatements, importedModules, readProbe } from './importers';
import {
  type DiscoveredLayer,
  type DiscoveredProject,
  type DiscoverOptions,
  type DiscoveryError,
  type DiscoveryResult,
  type State,
} from './discover-model';
import { buildProjects } from './discover-projects';
import { discoverArgument } from './discover-walk';
import { resolveHorizonSettingsOption } from './horizon-install';
export type { DiscoveredProject, DiscoverOptions, DiscoveryResult } from './discover-model';

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
  const named = new Set(state.named.map((f) => f.real));
  const projects = await dropEmptyPackageInits(
    await dropImportedBases(await buildProjects(state), named),
    named,
  );
  projects.sort((a, b) => compareCodePoints(a.root, b.root) || compareCodePoints(layerKey(a), layerKey(b)));
  return { projects, errors: sortErrors(state.errors), warnings: sortErrors(state.warnings) };
}

/**
 * Drops plain Django projects whose one file is an empty `__init__.py` (a `settings/` package holding
 * `base.py`, `production.py`, …): it sets nothing, so judged alone it would report Django's bare defaults as
 * if a deployment used them. A file named on the command line is always kept.
 */
async function dropEmptyPackageInits(
  projects: DiscoveredProject[],
  named: ReadonlySet<string>,
): Promise<DiscoveredProject[]> {
  const out: DiscoveredProject[] = [];
  for (const p of projects) {
    const only = p.kind === 'django' && p.layers.length === 1 ? p.layers[0] : undefined;
    if (only !== undefined && path.basename(only.realPath) === '__init__.py' && !named.has(only.realPath)) {
      const text = await readProbe(only.realPath);
      if (text !== undefined && hasNoStatements(text)) continue;
    }
    out.push(p);
  }
  return out;
}

function sortErrors(errors: readonly DiscoveryError[]): DiscoveryError[] {
  const unique = new Map(errors.map((e) => [`${e.path}\0${e.message}`, e]));
  return [...unique.values()].sort(
    (a, b) => compareCodePoints(a.path, b.path) || compareCodePoints(a.message, b.message),
  );
}

function layerKey(project: DiscoveredProject): string {
  return project.layers.map((l) => l.path).join('\0');
}

/**
 * Drops plain Django projects whose one file another discovered settings file star-imports or execs
 * (`settings/base.py` under `settings/production.py`; `local_settings.py` under `settings.py`'s
 * `try: from .local_settings import *`): such a module is not what Django loads, so judged alone it would
 * report settings its importer sets. Its lines are still checked through the importing projects. A file
 * named on the command line, and a module named `settings.py` (Django's entry module), are always kept.
 */
async function dropImportedBases(
  projects: DiscoveredProject[],
  named: ReadonlySet<string>,
): Promise<DiscoveredProject[]> {
  const single = projects.filter((p) => p.kind === 'django' && p.layers.length === 1);
  // Django's own entry module stays even when a variant star-imports it (`dev_settings.py`: `from
  // .settings import *`): it is what DJANGO_SETTINGS_MODULE names in manage.py and wsgi.py.
  const kept = (real: string): boolean => named.has(real) || path.basename(real) === 'settings.py';
  const reals = single.map((p) => (p.layers[0] as DiscoveredLayer).realPath);
  // Only another file can import one, and only a file neither named nor an entry module is dropped: without
  // one (`lint settings.py`), no file is read for its imports.
  if (reals.length < 2 || reals.every(kept)) return projects;
  const bases = await importedModules(reals);
  return projects.filter((p) => {
    if (p.kind !== 'django' || p.layers.length !== 1) return true;
    const real = (p.layers[0] as DiscoveredLayer).realPath;
    return !bases.has(real) || kept(real);
  });
}
