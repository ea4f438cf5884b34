/** The installed Horizon behind a configuration: its real `openstack_dashboard/settings.py` and its version from package metadata; reads the fs, never throws. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { compareCodePoints } from '../core/layers/snippet-order';
import { compareVersionStrings } from '../core/knowledge/versions';
import {
  displayOf,
  foundDir,
  foundFile,
  isEtcDir,
  isHorizonPackageDir,
  isPackageLocalDir,
  parentDisplay,
  probePath,
} from './discover-fs';
import {
  addError,
  type DiscoveredProject,
  type Found,
  type HorizonSettings,
  PACKAGE_DIR,
  type State,
} from './discover-model';

/** Package locations probed for a configuration in /etc/openstack-dashboard: Debian/Ubuntu, then RDO. */
const WELL_KNOWN_PACKAGES = [
  'usr/lib/python3/dist-packages/openstack_dashboard',
  'usr/share/openstack-dashboard/openstack_dashboard',
];

const EGG_INFO = /^(?:horizon|openstack_dashboard)-(\d[^-]*?)(?:-py\d+(?:\.\d+)*)?\.(?:egg-info|dist-info)$/;

const UNVERSIONED_EGG_INFO = /^(?:horizon|openstack_dashboard)\.(?:egg-info|dist-info)$/;

/**
 * Horizon's real settings.py for a local_settings directory: the tree's own when the directory is
 * `openstack_dashboard/local`; else `--horizon-settings`; else, for /etc/openstack-dashboard, the
 * distribution package's (probed by path only; nothing is run).
 */
export async function findHorizonSettings(
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
    pythons.sort((a, b) => compareVersionStrings(b.slice('python'.length), a.slice('python'.length)));
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
export async function versionHint(
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
  found.sort((a, b) => compareVersionStrings(b.version, a.version) || compareCodePoints(a.source, b.source));
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

export async function resolveHorizonSettingsOption(
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
