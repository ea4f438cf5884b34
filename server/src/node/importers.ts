/** Which settings files import or exec which (read as text, never run): a module loaded by another is checked through it, not alone. */
//
// Forms recognised (what Django projects and Horizon deployments write):
// - `from .base import *` / `from mysite.settings.base import *`, also indented (inside `try:` … `except
//   ImportError: pass`, Django's per-host `local_settings.py` override);
// - `exec(open(os.path.join(BASE_DIR, 'local_settings.py')).read())`, `execfile('settings_local.py')`, or the same
//   through a variable assigned a `.py` path in the importer (`LOCAL = os.path.join(…, 'local.py')`); the file
//   next to the importer or in its parent directory.
import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Enough of a settings file to see its imports; bounds work on a huge file. */
export const IMPORT_PROBE_BYTES = 256 * 1024;
/** Siblings read when looking for an importer of one file (the language server's question). */
const MAX_SIBLINGS = 200;

const STAR_IMPORT = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\*/gm;
const EXEC_LINE = /^.*\b(?:exec|execfile)[ \t]*\(.*$/gm;
/** A bare Python file name in quotes (`'local_settings.py'`), not a path to somewhere else. */
const PY_LITERAL = /['"]([A-Za-z_][\w-]*\.py)['"]/g;
const IDENTIFIER = /\b[A-Za-z_]\w*\b/g;
const SETTINGS_NAME = /settings[^/\\]*\.py$/;

/**
 * The files among `known` (real paths) that `importer` star-imports or execs, judged from its text.
 * Never the importer itself.
 */
export function importedFiles(importer: string, text: string, known: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(STAR_IMPORT)) {
    const dots = (m[1] ?? '').length;
    const parts = (m[2] ?? '').split('.').filter(Boolean);
    for (const candidate of importCandidates(importer, dots, parts, known)) out.add(candidate);
  }
  const dir = path.dirname(importer);
  for (const m of text.matchAll(EXEC_LINE)) {
    const line = m[0];
    const names = [...line.matchAll(PY_LITERAL)].map((l) => l[1] as string);
    if (names.length === 0) {
      // exec(open(LOCAL_SETTINGS).read()): the variable's assignment names the file.
      for (const id of line.match(IDENTIFIER) ?? []) {
        const assignment = new RegExp(`^[ \\t]*${id}[ \\t]*=.*$`, 'm').exec(text)?.[0];
        if (assignment !== undefined)
          names.push(...[...assignment.matchAll(PY_LITERAL)].map((l) => l[1] as string));
      }
    }
    // Next to the importer, or in its parent (Django's BASE_DIR is often the settings package's parent).
    for (const name of names) {
      for (const candidate of [path.join(dir, name), path.join(path.dirname(dir), name)])
        if (known.has(candidate)) out.add(candidate);
    }
  }
  out.delete(importer);
  return [...out];
}

/** Discovered files a star import may name: relative to the importer's package, or by dotted suffix. */
function importCandidates(
  importer: string,
  dots: number,
  parts: readonly string[],
  known: ReadonlySet<string>,
): string[] {
  if (parts.length === 0) return [];
  if (dots > 0) {
    let dir = path.dirname(importer);
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    const target = path.join(dir, ...parts);
    return [`${target}.py`, path.join(target, '__init__.py')].filter((c) => known.has(c));
  }
  const suffixes = [path.join(...parts) + '.py', path.join(...parts, '__init__.py')].map((s) => path.sep + s);
  return [...known].filter((k) => suffixes.some((s) => k.endsWith(s)));
}

/**
 * Whether a module's text has no statement at all: only blank lines, comments and triple-quoted strings
 * standing alone (an empty package `__init__.py`). One pass over the lines.
 */
export function hasNoStatements(text: string): boolean {
  if (text.length >= IMPORT_PROBE_BYTES) return false;
  let open: string | undefined;
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (open !== undefined) {
      const end = line.indexOf(open);
      if (end < 0) continue;
      line = line.slice(end + 3).trim();
      open = undefined;
    } else {
      const quote = line.startsWith('"""') ? '"""' : line.startsWith("'''") ? "'''" : undefined;
      if (quote !== undefined) {
        const end = line.indexOf(quote, 3);
        if (end < 0) {
          open = quote;
          continue;
        }
        line = line.slice(end + 3).trim();
      }
    }
    if (line !== '' && !line.startsWith('#')) return false;
  }
  return open === undefined;
}

export async function readProbe(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
    const buffer = Buffer.alloc(IMPORT_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/**
 * Real paths of the settings modules in `files` (real paths) that another of them imports or execs, each
 * with its importers. A module and its importer importing each other (a cycle) are both left alone.
 */
export async function importedModules(files: readonly string[]): Promise<Map<string, string[]>> {
  const known = new Set(files);
  const importersOf = new Map<string, string[]>();
  for (const file of files) {
    const text = await readProbe(file);
    if (text === undefined) continue;
    for (const imported of importedFiles(file, text, known)) {
      const list = importersOf.get(imported) ?? [];
      list.push(file);
      importersOf.set(imported, list);
    }
  }
  const all = new Map(importersOf);
  for (const [imported, importers] of all) {
    const kept = importers.filter((i) => !(all.get(i) ?? []).includes(imported));
    if (kept.length === 0) importersOf.delete(imported);
    else importersOf.set(imported, kept);
  }
  return importersOf;
}

/** Preferred importer first: `settings.py`, then production-like names, then by name. */
function importerRank(file: string): number {
  const name = path.basename(file);
  if (name === 'settings.py' || name === '__init__.py') return 0;
  if (/prod/i.test(name)) return 1;
  if (/(dev|test|local)/i.test(name)) return 3;
  return 2;
}

/**
 * The Python files that star-import or exec `file` (the language server asks this for the file opened):
 * its siblings, and settings-named files one directory down; preferred first. Reads at most
 * {@link MAX_SIBLINGS} files; never throws.
 */
export async function findImporters(file: string): Promise<string[]> {
  let real: string;
  let entries: Dirent[];
  try {
    real = await fs.realpath(file);
    entries = await fs.readdir(path.dirname(real), { withFileTypes: true });
  } catch {
    return [];
  }
  const dir = path.dirname(real);
  const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const candidates = entries
    .filter((e) => !e.isDirectory() && (e.name.endsWith('.py') || e.name === 'local_settings'))
    .sort(byName)
    .map((e) => path.join(dir, e.name))
    .filter((s) => s !== real);
  // A settings module one level down may exec a file kept in its parent (Django's BASE_DIR).
  for (const sub of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort(byName)) {
    if (candidates.length >= MAX_SIBLINGS) break;
    let names: string[];
    try {
      names = await fs.readdir(path.join(dir, sub.name));
    } catch {
      continue;
    }
    for (const n of names.sort()) if (SETTINGS_NAME.test(n)) candidates.push(path.join(dir, sub.name, n));
  }
  const importers: string[] = [];
  for (const candidate of candidates.slice(0, MAX_SIBLINGS)) {
    const text = await readProbe(candidate);
    if (text !== undefined && importedFiles(candidate, text, new Set([real])).length > 0)
      importers.push(candidate);
  }
  return importers.sort((a, b) => importerRank(a) - importerRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
