/** Which workspace files can pin Django/Horizon (glob patterns for the finder) and which format a path has; never reads a file. */

/** The formats version inference understands. */
export type VersionFileKind =
  'requirements' | 'setup-cfg' | 'pyproject' | 'pipfile' | 'pipfile-lock' | 'poetry-lock' | 'uv-lock';

// Pattern relative to the directory holding the file set (a project root or one of its subdirectories).
const BASE_PATTERNS = [
  'requirements*.txt',
  'requirements/*.txt',
  'constraints*.txt',
  'upper-constraints.txt',
  'pyproject.toml',
  'setup.cfg',
  'Pipfile',
  'Pipfile.lock',
  'poetry.lock',
  'uv.lock',
] as const;

// Up to two directory levels below the root (`src/app/requirements.txt`, `deploy/requirements/prod.txt`
// is one level + the `requirements/` folder). `*` never matches `/` or a leading dot, so hidden
// directories (`.venv`, `.tox`, `.git`) are never searched; deeper trees are vendored code more often
// than the project's own pins.
const DIRECTORY_PREFIXES = ['', '*/', '*/*/'] as const;

/**
 * Glob patterns (picomatch syntax, relative to a workspace or project root) of files that can pin
 * Django or Horizon, the root itself and up to two directory levels below it. Flat (no braces) so any
 * glob engine, including VS Code's `findFiles`, can take them one by one or joined in `{…}`.
 */
export const VERSION_FILE_PATTERNS: readonly string[] = Object.freeze(
  DIRECTORY_PREFIXES.flatMap((prefix) => BASE_PATTERNS.map((pattern) => prefix + pattern)),
);

/** The path's segments, ignoring `.` and empty parts; both `/` and `\` separate. */
export function pathSegments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

/**
 * The format of a file by its name (case-insensitive, any depth), matching the names in
 * {@link VERSION_FILE_PATTERNS}; undefined for anything else, so a stray `README.txt` never pins Django.
 */
export function classifyVersionFile(path: string): VersionFileKind | undefined {
  const segments = pathSegments(path);
  const base = (segments[segments.length - 1] ?? '').toLowerCase();
  const parent = (segments[segments.length - 2] ?? '').toLowerCase();
  switch (base) {
    case 'pyproject.toml':
      return 'pyproject';
    case 'setup.cfg':
      return 'setup-cfg';
    case 'pipfile':
      return 'pipfile';
    case 'pipfile.lock':
      return 'pipfile-lock';
    case 'poetry.lock':
      return 'poetry-lock';
    case 'uv.lock':
      return 'uv-lock';
  }
  if (!base.endsWith('.txt')) return undefined;
  if (base.startsWith('requirements') || base.startsWith('constraints') || base === 'upper-constraints.txt')
    return 'requirements';
  return parent === 'requirements' ? 'requirements' : undefined;
}
