/** Finds and reads the requirements/pyproject/lock files that pin Django or Horizon for a project (VERSION_FILE_PATTERNS); reads only, never writes, never throws. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import {
  inferDjangoVersion,
  inferHorizonVersion,
  VERSION_FILE_PATTERNS,
  type VersionFile,
} from '../core/versions';
import { displayPath } from './paths';

/** Lock files can be large; anything past this is not a pin file worth reading. */
const MAX_VERSION_FILE_BYTES = 8 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'dist-packages']);

/**
 * In the project root: every pattern (the root and two directory levels below). In its parent directories
 * only the patterns naming the directory's own files (`requirements.txt`, `requirements/*.txt`,
 * `pyproject.toml`, …): two levels below a parent are sibling projects, and below `/` the whole system.
 */
const OWN_PATTERNS = VERSION_FILE_PATTERNS.filter((p) => !p.startsWith('*/'));

/**
 * Collects version files per project root. Directories are searched from the root upwards to the first one
 * holding `.git` (inclusive) or the file-system root. The core ranks pins by kind and depth only, so "nearest
 * first" is applied here: the nearest directory that pins Django and the nearest that pins Horizon are handed
 * in (one group when it is the same directory), farther ones are not.
 */
export class VersionFileFinder {
  private readonly groups = new Map<string, VersionFile[]>();
  private readonly matchers = new Map<string, (s: string) => boolean>();
  private readonly prefilters = new Map<string, { files: RegExp; dirs: RegExp }>();

  constructor(private readonly cwd: string) {}

  /** Version files for the project whose root (directory or file, as displayed) is `root`. */
  filesFor(root: string): VersionFile[] {
    let dir = path.resolve(this.cwd, root);
    if (!isDirectory(dir)) dir = path.dirname(dir);
    const groups: VersionFile[][] = [];
    for (let current = dir, first = true; ; first = false) {
      groups.push(this.group(current, first ? VERSION_FILE_PATTERNS : OWN_PATTERNS));
      const parent = path.dirname(current);
      if (exists(path.join(current, '.git')) || parent === current) break;
      current = parent;
    }
    const django = groups.find((g) => g.length > 0 && inferDjangoVersion(g) !== undefined);
    const horizon = groups.find((g) => g.length > 0 && inferHorizonVersion(g) !== undefined);
    if (!django && !horizon) return [];
    return django === horizon || !horizon ? [...(django ?? [])] : [...(django ?? []), ...horizon];
  }

  private group(dir: string, patterns: readonly string[]): VersionFile[] {
    const key = `${patterns === VERSION_FILE_PATTERNS ? 'all' : 'own'}\0${dir}`;
    let group = this.groups.get(key);
    if (!group) {
      const found: string[] = [];
      this.walk(
        dir,
        patterns.map((p) => p.split('/')),
        found,
        0,
      );
      group = [];
      for (const abs of found.sort()) {
        const text = readSmallFile(abs);
        if (text !== undefined) group.push({ path: displayPath(abs, this.cwd), text });
      }
      this.groups.set(key, group);
    }
    return group;
  }

  /** Descends only where some pattern can still match, so a broad directory such as `/` costs one listing. */
  private walk(dir: string, patterns: readonly (readonly string[])[], found: string[], depth: number): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const { files, dirs } = this.prefilter(patterns);
    for (const entry of entries) {
      // Most entries (a broad parent such as /tmp holds thousands) match no pattern: skipped on one native test.
      if (!files.test(entry.name) && !dirs.test(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      let type: 'file' | 'dir' | undefined = entry.isFile()
        ? 'file'
        : entry.isDirectory()
          ? 'dir'
          : undefined;
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(abs);
          type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : undefined;
        } catch {
          type = undefined;
        }
      }
      // Each pattern decides only for a name its kind's filter lets through (a file `settings.py` in a project
      // root, which every directory's `*` lets through, compiles no glob).
      if (type === 'file') {
        if (
          files.test(entry.name) &&
          patterns.some((p) => p.length === 1 && this.matches(entry.name, p[0] ?? ''))
        )
          found.push(abs);
      } else if (type === 'dir' && depth < 3 && !SKIPPED_DIRS.has(entry.name) && dirs.test(entry.name)) {
        const deeper = patterns
          .filter((p) => p.length > 1 && this.matches(entry.name, p[0] ?? ''))
          .map((p) => p.slice(1));
        if (deeper.length > 0) this.walk(abs, deeper, found, depth + 1);
      }
    }
  }

  /**
   * The union of what the patterns' first segments match, as two regular expressions: as a file's name (one-segment
   * patterns) and as a directory's (longer ones). A name neither matches is neither found nor descended into, so
   * it needs no type probe; the patterns themselves decide for the rest.
   */
  private prefilter(patterns: readonly (readonly string[])[]): { files: RegExp; dirs: RegExp } {
    const key = patterns.map((segments) => segments.join('/')).join('\0');
    let p = this.prefilters.get(key);
    if (!p) {
      const union = (segments: string[]): RegExp =>
        segments.length === 0 ? /(?!)/ : new RegExp(segments.map(looseGlob).join('|'), 'i');
      p = {
        files: union(patterns.filter((s) => s.length === 1).map((s) => s[0] ?? '')),
        dirs: union(patterns.filter((s) => s.length > 1).map((s) => s[0] ?? '')),
      };
      this.prefilters.set(key, p);
    }
    return p;
  }

  private matches(name: string, segment: string): boolean {
    let m = this.matchers.get(segment);
    if (!m) {
      // Case-insensitive like classifyVersionFile (`Requirements.txt`, `PIPFILE`); `*` never matches a dot file.
      m = picomatch(segment, { nocase: true });
      this.matchers.set(segment, m);
    }
    return m(name);
  }
}

/**
 * A regular expression matching at least what the glob segment matches (its `*` as any run of characters, dot
 * files included; a segment with another glob character as anything), without compiling the glob.
 */
function looseGlob(segment: string): string {
  if (/[?[\]{}()!+@]/.test(segment)) return '(?:)';
  return `(?:^${segment
    .split('*')
    .map((part) => part.replace(/[.^$|\\]/g, '\\$&'))
    .join('.*')}$)`;
}

function readSmallFile(abs: string): string | undefined {
  try {
    if (fs.statSync(abs).size > MAX_VERSION_FILE_BYTES) return undefined;
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function exists(abs: string): boolean {
  try {
    fs.statSync(abs);
    return true;
  } catch {
    return false;
  }
}
