/** Discovery's grouping: the walk's candidates → projects with their layers in load order, argument by argument; reads the fs, never throws. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  foundDir,
  foundFile,
  isEtcDir,
  isPackageLocalDir,
  mentionsHorizon,
  parentDisplay,
  probePath,
} from './discover-fs';
import { describeFsError } from './file-errors';
import {
  addError,
  type DiscoveredLayer,
  type DiscoveredProject,
  type Found,
  type HorizonSettings,
  type LayerRole,
  LOCAL_SETTINGS_NAMES,
  type Registration,
  settingsTemplateRole,
  SNIPPET_DIR,
  type State,
} from './discover-model';
import { listSnippets } from './discover-walk';
import { findHorizonSettings, versionHint } from './horizon-install';

interface Builder {
  readonly state: State;
  readonly projects: DiscoveredProject[];
  /** Real paths of package dirs, local_settings files and snippet dirs already anchoring a Horizon project. */
  readonly anchors: Set<string>;
  /** Real paths of every file already in a project. */
  readonly layered: Set<string>;
}

export async function buildProjects(state: State): Promise<DiscoveredProject[]> {
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
        else if (r.kind === 'snippet-set') await buildSnippetSetProject(b, r.dir, r.files, r.local);
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
async function buildSnippetSetProject(
  b: Builder,
  dir: Found,
  files: readonly Found[],
  local?: Found,
): Promise<void> {
  if (b.anchors.has(dir.real)) return;
  b.anchors.add(dir.real);
  if (local !== undefined) b.anchors.add(local.real);
  const base = b.state.horizonSettings;
  const layers = await readableLayers(b, [
    ...(base !== undefined ? [{ file: base.file, role: 'settings' as const }] : []),
    ...(local !== undefined ? [{ file: local, role: 'local_settings' as const }] : []),
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
      addError(b.state, file.display, describeFsError(error));
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
