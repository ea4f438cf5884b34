/** Horizon's run order of local_settings.d snippets, from relative paths; pure: never touches the file system. */

/**
 * Compares two strings by Unicode code point, as Python's `sorted()` does for `str`.
 * JavaScript's `<` compares UTF-16 code units, which puts astral characters (surrogate pairs) before
 * U+E000..U+FFFF; Python does not, and Horizon sorts with Python.
 */
export function compareCodePoints(a: string, b: string): number {
  // Step by code point (equal ones have equal widths, so one index serves both strings); lone surrogates
  // count as code points of their own, as they do in Python's surrogateescape'd file names.
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * True when Horizon would exec the file at this path (relative to `local_settings.d`, posix separators):
 * its name ends with `.py` — Horizon tests `filename.endswith(".py")`, so `x.pyc` and `x.py.orig` are
 * ignored, and no leading underscore or number is required.
 */
export function isSnippetPath(relative: string): boolean {
  const segments = splitPath(relative);
  const name = segments[segments.length - 1];
  return name !== undefined && name.endsWith('.py');
}

interface DirNode {
  readonly files: Set<string>;
  readonly dirs: Map<string, DirNode>;
}

/**
 * Returns the snippet paths (the `.py` ones, see {@link isSnippetPath}) in the order Horizon executes them:
 * `for dirpath, dirnames, filenames in os.walk(local_settings.d): for f in sorted(filenames)`.
 * So within a directory names sort by plain code point (`9999_x.py` runs before `_0000_y.py`, since
 * `9` < `_`), and a directory's own files run before any of its subdirectories' files (os.walk is
 * top-down). os.walk visits subdirectories in `readdir` order, which the file system decides and Horizon
 * does not sort; we visit them in sorted order so that the result is deterministic, which matches Horizon
 * whenever there is at most one subdirectory per directory (the common case).
 * Paths are returned as given after normalisation (empty and `.` segments dropped); duplicates once.
 */
export function orderSnippets(relativePaths: readonly string[]): string[] {
  const root: DirNode = { files: new Set(), dirs: new Map() };
  for (const relative of relativePaths) {
    const segments = splitPath(relative);
    const name = segments.pop();
    if (name === undefined || !name.endsWith('.py')) continue;
    let node = root;
    for (const segment of segments) {
      let child = node.dirs.get(segment);
      if (child === undefined) {
        child = { files: new Set(), dirs: new Map() };
        node.dirs.set(segment, child);
      }
      node = child;
    }
    node.files.add(name);
  }
  const ordered: string[] = [];
  visit(root, '', ordered);
  return ordered;
}

function visit(node: DirNode, prefix: string, out: string[]): void {
  for (const name of [...node.files].sort(compareCodePoints)) out.push(prefix + name);
  for (const name of [...node.dirs.keys()].sort(compareCodePoints)) {
    const child = node.dirs.get(name);
    if (child !== undefined) visit(child, `${prefix}${name}/`, out);
  }
}

function splitPath(relative: string): string[] {
  return relative.split('/').filter((segment) => segment !== '' && segment !== '.');
}
