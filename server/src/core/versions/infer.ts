/** Infers the target Django and Horizon versions from the text of a workspace's requirement, manifest and lock files; pure and never throws (files are handed in, nothing is read). */
import { fileEntries, type DependencyEntry } from './sources';
import { formatRelease } from './specifiers';
import { classifyVersionFile, pathSegments } from './version-files';

/*
 * Which version a file "pins" (ARCHITECTURE.md, "Unknown versions are judged mildly"):
 * - An exact pin (`==4.2.11`, `===4.2.11`, a bare Poetry/Pipfile `4.2.11`, any lock-file entry) gives
 *   that version, `exact: true`.
 * - Any other constraint gives the lowest version it allows, `exact: false`: `>=4.2,<4.3`, `~=4.2.0`,
 *   `==4.2.*`, Poetry `^4.2` / `~4.2` all give 4.2; `>=3.2,<4.3` gives 3.2. The lowest allowed minor is
 *   the only one a range guarantees is acceptable to the project, and when a range allows a single
 *   minor it is that minor. An alternative (`^3.2 || ^4.2`) gives the lowest of its alternatives.
 * - A constraint without a lower bound (`Django`, `*`, `<5`, `!=4.0.*`), a URL, a VCS or path
 *   dependency pins nothing and is skipped.
 *
 * When several entries qualify, the first by:
 * 1. tier: lock-file entries, then exact pins, then ranges (what is installed beats what is allowed);
 * 2. the shallowest path (the project's own files before nested sub-projects);
 * 3. the path, compared code unit by code unit (stable across platforms and locales);
 * 4. document order within the file (pyproject: PEP 621 dependencies, optional-dependencies,
 *    dependency-groups, PDM/uv lists, then Poetry tables; Pipfile: `[packages]` before others).
 * Paths relative to one root make rule 2 meaningful; they are otherwise only compared, never opened.
 */

/** A file handed in by the caller (the finder picks them, e.g. with `VERSION_FILE_PATTERNS`). */
export interface VersionFile {
  readonly path: string;
  readonly text: string;
}

export interface VersionInference {
  /** Django: `X.Y`; Horizon: `X.Y.Z`. */
  readonly version: string;
  /** The path of the file it came from, exactly as handed in. */
  readonly source: string;
  /** The requirement as written there (lock files: `name==version`). */
  readonly spec: string;
  /** True for an exact pin or a lock-file entry; false when `version` is a range's lower bound. */
  readonly exact: boolean;
}

interface Candidate {
  readonly entry: DependencyEntry;
  readonly tier: number;
  readonly depth: number;
  readonly normalizedPath: string;
  readonly path: string;
  readonly order: number;
}

const DJANGO = 'django';
const HORIZON = 'horizon';

/** The Django version the workspace's files pin, as `X.Y`; undefined when none does. */
export function inferDjangoVersion(files: readonly VersionFile[]): VersionInference | undefined {
  return inferPackageVersion(files, DJANGO, 2);
}

/**
 * The Horizon version the workspace's files pin: `X.Y.Z` (missing components as 0, so `horizon>=23.4`
 * gives `23.4.0`); undefined when none does.
 */
export function inferHorizonVersion(files: readonly VersionFile[]): VersionInference | undefined {
  return inferPackageVersion(files, HORIZON, 3);
}

function inferPackageVersion(
  files: readonly VersionFile[],
  name: string,
  width: number,
): VersionInference | undefined {
  let best: Candidate | undefined;
  for (const file of files) {
    for (const candidate of candidatesOf(file, name)) {
      if (!best || compareCandidates(candidate, best) < 0) best = candidate;
    }
  }
  if (!best) return undefined;
  return {
    version: formatRelease(best.entry.bound.lower, width),
    source: best.path,
    spec: best.entry.spec,
    exact: best.entry.bound.exact,
  };
}

function candidatesOf(file: VersionFile, name: string): Candidate[] {
  // The parsers are written not to throw; this guard keeps one odd file (or a caller passing
  // something that is not a string at run time) from taking the whole analysis down.
  try {
    if (typeof file.path !== 'string' || typeof file.text !== 'string') return [];
    const kind = classifyVersionFile(file.path);
    if (!kind) return [];
    const segments = pathSegments(file.path);
    const normalizedPath = segments.join('/');
    return fileEntries(kind, file.text)
      .filter((entry) => entry.name === name)
      .map((entry, order) => ({
        entry,
        tier: entry.locked ? 0 : entry.bound.exact ? 1 : 2,
        depth: segments.length,
        normalizedPath,
        path: file.path,
        order,
      }));
  } catch {
    return [];
  }
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (a.depth !== b.depth) return a.depth - b.depth;
  if (a.normalizedPath !== b.normalizedPath) return a.normalizedPath < b.normalizedPath ? -1 : 1;
  return a.order - b.order;
}
