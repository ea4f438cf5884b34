/** Extracts every versioned dependency entry from one file's text, by format; never throws, never looks at other files. */
import {
  normalizeName,
  parseRequirement,
  requirementsFileEntries,
  setupCfgRequirements,
} from './requirements';
import { pep440Bound, poetryBound, type Bound } from './specifiers';
import { arrayAt, isTable, ownValue, parseToml, tableAt, type TomlTable } from './toml';
import type { VersionFileKind } from './version-files';

/** One dependency that constrains a version, in document order within its file. */
export interface DependencyEntry {
  /** PEP 503 normalised package name. */
  readonly name: string;
  /** The requirement as written, for messages (see {@link fileEntries} for the per-format form). */
  readonly spec: string;
  readonly bound: Bound;
  /** True when the entry comes from a lock file: the version the resolver actually picked. */
  readonly locked: boolean;
}

/**
 * All entries of a file with a usable lower bound. `spec` per format:
 * - requirements/constraints, setup.cfg, PEP 621, `[dependency-groups]`, PDM/uv lists: the PEP 508
 *   string (`Django[argon2]>=4.2 ; python_version>="3.8"`);
 * - Poetry tables and Pipfile: `django = "^4.2"`, or `django = { version = "~4.2" }` for the table form;
 * - lock files, which hold no requirement text: `django==4.2.11`.
 */
export function fileEntries(kind: VersionFileKind, text: string): DependencyEntry[] {
  switch (kind) {
    case 'requirements':
      return pep508Entries(requirementsFileEntries(text));
    case 'setup-cfg':
      return pep508Entries(setupCfgRequirements(text));
    case 'pyproject':
      return pyprojectEntries(parseToml(text));
    case 'pipfile':
      return pipfileEntries(parseToml(text));
    case 'pipfile-lock':
      return pipfileLockEntries(text);
    case 'poetry-lock':
    case 'uv-lock':
      return lockPackageEntries(parseToml(text));
  }
}

function pep508Entries(requirements: readonly unknown[]): DependencyEntry[] {
  const out: DependencyEntry[] = [];
  for (const item of requirements) {
    // Lists in TOML may hold tables (`{include-group = "dev"}`); only strings are requirements.
    if (typeof item !== 'string') continue;
    const requirement = parseRequirement(item);
    const bound = requirement && pep440Bound(requirement.specifier);
    if (requirement && bound)
      out.push({ name: requirement.name, spec: requirement.text, bound, locked: false });
  }
  return out;
}

/** Every list of a table whose values are lists of PEP 508 strings (optional-dependencies, groups). */
function pep508Groups(table: TomlTable | undefined): DependencyEntry[] {
  if (!table) return [];
  return Object.keys(table).flatMap((group) => pep508Entries(arrayAt(table, group) ?? []));
}

/**
 * PEP 621 `[project]` dependencies and optional-dependencies, PEP 735 `[dependency-groups]`, PDM's
 * and uv's own dependency lists, then Poetry's tables, in that order.
 */
function pyprojectEntries(doc: TomlTable | undefined): DependencyEntry[] {
  if (!doc) return [];
  const project = tableAt(doc, 'project');
  const tool = tableAt(doc, 'tool');
  const uv = tableAt(tool, 'uv');
  const poetry = tableAt(tool, 'poetry');
  const out = [
    ...pep508Entries(arrayAt(project, 'dependencies') ?? []),
    ...pep508Groups(tableAt(project, 'optional-dependencies')),
    ...pep508Groups(tableAt(doc, 'dependency-groups')),
    ...pep508Groups(tableAt(tableAt(tool, 'pdm'), 'dev-dependencies')),
    ...pep508Entries(arrayAt(uv, 'dev-dependencies') ?? []),
    ...pep508Entries(arrayAt(uv, 'constraint-dependencies') ?? []),
    ...pep508Entries(arrayAt(uv, 'override-dependencies') ?? []),
    ...poetryTableEntries(tableAt(poetry, 'dependencies')),
    ...poetryTableEntries(tableAt(poetry, 'dev-dependencies')),
  ];
  const groups = tableAt(poetry, 'group');
  for (const group of groups ? Object.keys(groups) : []) {
    out.push(...poetryTableEntries(tableAt(tableAt(groups, group), 'dependencies')));
  }
  return out;
}

/**
 * `name = "^4.2"`, `name = { version = "~4.2", extras = […] }`, or Poetry's multiple-constraints form
 * `name = [{ version = "^3.2", python = "<3.8" }, …]` (one entry per item).
 */
function poetryTableEntries(table: TomlTable | undefined): DependencyEntry[] {
  if (!table) return [];
  const out: DependencyEntry[] = [];
  for (const key of Object.keys(table)) {
    const value = ownValue(table, key);
    for (const item of Array.isArray(value) ? value : [value]) {
      const entry = tableStyleEntry(key, item, poetryBound);
      if (entry) out.push(entry);
    }
  }
  return out;
}

/** Shared by Poetry and Pipfile: a string constraint, or a table with a `version` key. */
function tableStyleEntry(
  key: string,
  value: unknown,
  bound: (constraint: string) => Bound | undefined,
): DependencyEntry | undefined {
  let constraint: string;
  let spec: string;
  if (typeof value === 'string') {
    constraint = value;
    spec = `${key} = ${JSON.stringify(value)}`;
  } else if (isTable(value) && typeof ownValue(value, 'version') === 'string') {
    constraint = ownValue(value, 'version') as string;
    spec = `${key} = { version = ${JSON.stringify(constraint)} }`;
  } else {
    // git/path/url dependencies carry no version.
    return undefined;
  }
  const b = bound(constraint);
  return b ? { name: normalizeName(key), spec, bound: b, locked: false } : undefined;
}

// Pipfile tables that are not package categories.
const PIPFILE_NON_CATEGORIES = new Set(['source', 'requires', 'pipenv', 'scripts']);

/**
 * `[packages]`, `[dev-packages]` and any custom category. Pipenv takes PEP 440 specifiers; a bare
 * version (`"4.2.11"`) is read as `==4.2.11`, which is what pipenv does with it.
 */
function pipfileEntries(doc: TomlTable | undefined): DependencyEntry[] {
  if (!doc) return [];
  const categories = Object.keys(doc).filter((k) => !PIPFILE_NON_CATEGORIES.has(k));
  // Main packages first: they are what the deployment installs.
  categories.sort((a, b) => categoryRank(a) - categoryRank(b));
  const out: DependencyEntry[] = [];
  for (const category of categories) {
    const table = tableAt(doc, category);
    for (const key of table ? Object.keys(table) : []) {
      const entry = tableStyleEntry(key, ownValue(table as TomlTable, key), pipfileBound);
      if (entry) out.push(entry);
    }
  }
  return out;
}

function categoryRank(category: string): number {
  return category === 'packages' ? 0 : category === 'dev-packages' ? 1 : 2;
}

function pipfileBound(constraint: string): Bound | undefined {
  const text = constraint.trim();
  return /^[0-9]/.test(text) ? pep440Bound('==' + text) : pep440Bound(text);
}

/** Pipfile.lock is JSON: `{ "default": { "django": { "version": "==4.2.11" } }, "develop": … }`. */
function pipfileLockEntries(text: string): DependencyEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isTable(doc)) return [];
  const sections = Object.keys(doc).filter((k) => k !== '_meta');
  sections.sort((a, b) => (a === 'default' ? 0 : 1) - (b === 'default' ? 0 : 1));
  const out: DependencyEntry[] = [];
  for (const section of sections) {
    const packages = tableAt(doc, section);
    for (const key of packages ? Object.keys(packages) : []) {
      const entry = ownValue(packages as TomlTable, key);
      const version = isTable(entry) ? ownValue(entry, 'version') : undefined;
      if (typeof version !== 'string') continue;
      const bound = pep440Bound(version);
      // A lock entry is an `==` pin; anything else is not a resolved version and ranks as a range.
      if (bound)
        out.push({ name: normalizeName(key), spec: `${key}${version.trim()}`, bound, locked: bound.exact });
    }
  }
  return out;
}

/** poetry.lock and uv.lock: `[[package]] name = "django" version = "4.2.11"`. */
function lockPackageEntries(doc: TomlTable | undefined): DependencyEntry[] {
  const out: DependencyEntry[] = [];
  for (const item of arrayAt(doc, 'package') ?? []) {
    if (!isTable(item)) continue;
    const name = ownValue(item, 'name');
    const version = ownValue(item, 'version');
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    const bound = pep440Bound('==' + version.trim());
    if (bound)
      out.push({ name: normalizeName(name), spec: `${name}==${version.trim()}`, bound, locked: true });
  }
  return out;
}
