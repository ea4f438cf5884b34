/** Discovery's file-system probes (stat, realpath, Horizon package and configuration directories) and display paths; never throws. Errors are worded by ./file-errors. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { addError, type Entry, type Found, PACKAGE_DIR, type State } from './discover-model';
import { BROKEN_LINK, describeFsError, fileKind, NO_SUCH_FILE } from './file-errors';

type Probe =
  | { readonly type: 'file' | 'dir' | 'other'; readonly real: string }
  | { readonly type: 'error'; readonly message: string };

const ETC_DIR = 'etc/openstack-dashboard';

/** A local_settings file importing Horizon or setting its keys is Horizon's, wherever it lives. */
const HORIZON_CONTENT =
  /^[ \t]*(?:from[ \t]+(?:openstack_dashboard|horizon)[. \t]|import[ \t]+(?:openstack_dashboard|horizon)\b|(?:HORIZON_CONFIG|OPENSTACK_KEYSTONE_URL)[ \t]*[=[])/m;

/** Enough of a settings file to see its imports and first assignments; bounds work on a huge file. */
const CONTENT_PROBE_BYTES = 256 * 1024;

export async function mentionsHorizon(abs: string): Promise<boolean> {
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

export async function isHorizonPackageDir(abs: string): Promise<boolean> {
  return (
    path.basename(abs) === PACKAGE_DIR &&
    (await isFile(path.join(abs, 'settings.py'))) &&
    (await probePath(path.join(abs, 'local'))).type === 'dir'
  );
}

/** A Horizon source checkout: nothing in it but the package's layered project is deployment settings. */
export function isHorizonCheckout(byName: ReadonlyMap<string, Entry>): boolean {
  return byName.get('setup.cfg')?.type === 'file' && byName.get('horizon')?.type === 'dir';
}

export function isPackageLocalDir(abs: string): boolean {
  return path.basename(abs) === 'local' && path.basename(path.dirname(abs)) === PACKAGE_DIR;
}

export function isEtcDir(state: State, abs: string): boolean {
  return abs === path.join(state.systemRoot, ETC_DIR);
}

export async function isFile(abs: string): Promise<boolean> {
  return (await probePath(abs)).type === 'file';
}

/** What a non-regular file is, for messages (`a FIFO (named pipe)`, `a character device`, …). */
export async function specialKind(abs: string): Promise<string> {
  try {
    return fileKind(await fs.stat(abs));
  } catch {
    // Gone meanwhile: the generic wording.
    return 'a special file';
  }
}

/**
 * What is at `abs`, its real path, or why it cannot be used. Asynchronous on purpose, like every probe of this
 * layer: the language server shares it, and a synchronous stat on a slow or hung mount would stop every request
 * (measured: making a CLI run's probes synchronous saved ~3 ms of CPU).
 */
export async function probePath(abs: string): Promise<Probe> {
  try {
    const stat = await fs.stat(abs);
    const real = await fs.realpath(abs);
    return { type: stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other', real };
  } catch (error) {
    if (describeFsError(error) === NO_SUCH_FILE) {
      try {
        if ((await fs.lstat(abs)).isSymbolicLink()) return { type: 'error', message: BROKEN_LINK };
      } catch {
        // Not there at all: the original error says so.
      }
    }
    return { type: 'error', message: describeFsError(error) };
  }
}

/** `dir/…segments` when it is a file; a dangling or unreadable one is reported only when `report` is set. */
export async function foundFile(
  state: State,
  dir: Found,
  segments: readonly string[],
  report = false,
): Promise<Found | undefined> {
  const abs = path.join(dir.abs, ...segments);
  const display = path.join(dir.display, ...segments);
  const probe = await probePath(abs);
  if (probe.type === 'file') return { display, abs, real: probe.real };
  if (report && probe.type === 'error' && probe.message !== NO_SUCH_FILE) {
    addError(state, display, probe.message);
  }
  return undefined;
}

export async function foundDir(dir: Found, ...segments: string[]): Promise<Found | undefined> {
  const abs = path.join(dir.abs, ...segments);
  const probe = await probePath(abs);
  if (probe.type !== 'dir') return undefined;
  return { display: path.join(dir.display, ...segments), abs, real: probe.real };
}

/** The argument as the user wrote it, minus `./` and trailing separators. */
export function displayOf(given: string): string {
  const normalised = path.normalize(given);
  const root = path.parse(normalised).root;
  return normalised.length > root.length ? normalised.replace(/[\\/]+$/, '') : normalised;
}

/** Display path for an ancestor of an argument: absolute when the argument was, else relative to cwd. */
export function displayRelativeTo(state: State, argument: Found, abs: string): string {
  if (path.isAbsolute(argument.display)) return abs;
  return path.relative(state.cwd, abs) || '.';
}

/** Display path of a directory's parent: `path.dirname` would turn `.` into `.` and `..` into `.`. */
export function parentDisplay(cwd: string, dir: { readonly display: string; readonly abs: string }): string {
  const name = path.basename(dir.display);
  if (name !== '' && name !== '.' && name !== '..') return path.dirname(dir.display);
  const parent = path.dirname(dir.abs);
  return path.isAbsolute(dir.display) ? parent : path.relative(cwd, parent) || '.';
}

/** `abs` and its parents up to the root, innermost first. */
export function selfAndAncestors(abs: string): string[] {
  const dirs = [abs];
  for (let parent = path.dirname(abs); parent !== dirs[dirs.length - 1]; parent = path.dirname(parent)) {
    dirs.push(parent);
  }
  return dirs;
}
