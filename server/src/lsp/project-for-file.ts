/** Which project an open file belongs to (the shared discovery run on the file: its Horizon layers, its importer's project, or the file alone), and whether a file is settings at all; reads the fs, never throws. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects } from '../node/discover';
import { findImporters } from '../node/importers';
import type { ProjectLayerInput } from '../core/layers/project';
import type { InstalledModules } from '../core/rules/framework';
import { installedModulesFor } from '../node/site-packages';

export interface LspProject {
  /** Identifies the project across files: its layers in order. */
  readonly key: string;
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  readonly layers: readonly ProjectLayerInput[];
  readonly horizonVersionHint?: { readonly version: string; readonly source: string } | undefined;
  /** Modules installed where the settings run (site-packages next to Horizon, a virtualenv). */
  readonly installedModules?: InstalledModules | undefined;
  /**
   * Files discovery found but could not use (a dangling link or a FIFO named like a snippet, a layer it may not
   * read), by absolute path, in the CLI's words: the CLI prints them as errors, the editor shows them on the
   * project's open files.
   */
  readonly problems?: readonly FileProblem[] | undefined;
}

export interface FileProblem {
  readonly path: string;
  readonly message: string;
}

const SNIPPET_DIR = 'local_settings.d';
/** Importer chains followed (base.py ← production.py ← …); the discovery drops imported modules the same way. */
const MAX_IMPORT_DEPTH = 4;
const LOCAL_SETTINGS = /^local_settings(\.py)?$/;
const SETTINGS_NAME = /settings[^/\\]*\.py$/i;
const TEMPLATE = /\.(j2|jinja2?|erb)$/i;
/** A module-level assignment of a setting this tool judges: enough to call any Python file settings. */
const SETTINGS_CONTENT =
  /^(?:SESSION_[A-Z_]+|CACHES|DATABASES|SECRET_KEY|INSTALLED_APPS|MIDDLEWARE|HORIZON_CONFIG|OPENSTACK_KEYSTONE_URL)\s*(?:=|\[)/m;

/**
 * Whether a file is analysed as settings of its own project: settings-named files, local_settings, snippets,
 * settings templates, modules in a `settings/` package, and any Python file assigning session-related
 * settings. Other Python files (views, base modules) only show what the projects importing them find.
 */
export function isSettingsFile(file: string, text: string): boolean {
  const base = path.basename(file);
  const parts = file.split(/[\\/]/);
  if (LOCAL_SETTINGS.test(base) || parts.includes(SNIPPET_DIR)) return true;
  if (SETTINGS_NAME.test(base)) return true;
  if (TEMPLATE.test(base)) return /settings/i.test(base);
  if (!base.endsWith('.py')) return false;
  if (parts[parts.length - 2] === 'settings') return true;
  return SETTINGS_CONTENT.test(text);
}

function keyOf(layers: readonly ProjectLayerInput[]): string {
  return layers.map((l) => `${l.role}:${l.path}`).join('\n');
}

function realPathOf(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/** A project for a file discovery cannot see (not saved yet, unreadable): the file alone, by its name. */
function standalone(file: string): LspProject {
  const horizon = LOCAL_SETTINGS.test(path.basename(file)) || file.split(/[\\/]/).includes(SNIPPET_DIR);
  const role: ProjectLayerInput['role'] = horizon ? 'local_settings' : 'settings';
  const layers = [{ path: file, role }];
  return { key: keyOf(layers), root: path.dirname(file), kind: horizon ? 'horizon' : 'django', layers };
}

/**
 * The project `file` belongs to, found the way the CLI finds it when given the file: a local_settings.py or a
 * snippet brings its Horizon layers (local_settings.d in Horizon's order, Horizon's own settings.py when the
 * tree has it), a kolla snippet its directory's layers; a module a sibling star-imports or execs its
 * importer's project; any other settings file is a project of its own. Paths are the file's own spelling, so the
 * open document overrides the layer that is the same file through a symbolic link.
 */
export async function findProjectForFile(
  file: string,
  depth = 0,
  seen: Set<string> = new Set(),
): Promise<LspProject> {
  const own = await ownProject(file);
  seen.add(file);
  if (own.kind !== 'django' || own.layers.length !== 1 || depth >= MAX_IMPORT_DEPTH) return own;
  // A module another settings file star-imports or execs (settings/base.py, a per-host local_settings.py) is
  // not what Django loads: it shows the findings of its importer's project, where its lines are checked too.
  let importers: string[];
  try {
    importers = await findImporters(file);
  } catch {
    return own;
  }
  for (const importer of importers) {
    // Spelled from the file's own directory, so the importer's analysis names this file as the editor does.
    const spelled = path.join(
      path.dirname(file),
      path.relative(path.dirname(realPathOf(file) ?? file), importer),
    );
    if (seen.has(spelled)) continue;
    const project = await findProjectForFile(spelled, depth + 1, seen);
    if (!project.layers.some((l) => l.path === file)) return project;
  }
  return own;
}

async function ownProject(file: string): Promise<LspProject> {
  const real = realPathOf(file);
  if (real === undefined) return standalone(file);
  let found;
  try {
    found = await discoverProjects([file], { cwd: path.dirname(file) });
  } catch {
    return standalone(file);
  }
  const project =
    found.projects.find((p) => p.layers.some((l) => l.path === file || l.realPath === real)) ??
    found.projects[0];
  if (!project) return standalone(file);
  const layers: ProjectLayerInput[] = project.layers.map((l) => ({
    path: l.realPath === real ? file : l.path,
    role: l.role,
  }));
  if (!layers.some((l) => l.path === file)) return standalone(file);
  return {
    key: keyOf(layers),
    root: project.root,
    kind: project.kind,
    layers,
    horizonVersionHint: project.horizonVersionHint,
    installedModules: await installedModulesFor(project, path.dirname(file)),
    // Discovery was given the absolute path, so the paths it reports are absolute too.
    problems: found.errors.map((e) => ({
      path: path.resolve(path.dirname(file), e.path),
      message: e.message,
    })),
  };
}
