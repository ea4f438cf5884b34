/** Version numbers (Django, Horizon, libraries): parse, compare, format. Pure; must not guess a version from context. */

export type Version = { major: number; minor: number; patch?: number };

/** An inclusive range of Django minors; `max` undefined = no known upper bound. */
export interface VersionRange {
  readonly min: Version;
  readonly max?: Version | undefined;
}

// PEP 440 / OpenStack tags carry suffixes (`4.2rc1`, `15.0.0.0rc1`, `5.0a1`, `23.1.x`); only the numeric
// release part matters for every comparison this project makes, so the suffix is accepted and dropped.
const VERSION_RE =
  /^v?(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(?:\.\d+)*(?:\.x|[.-]?(?:a|b|c|rc|alpha|beta|dev|post)\.?\d*)*$/i;

/** Parses `4.2`, `4.2.11`, `23.4.0`, `5.0a1`, `15.0.0.0rc1`; anything else is `undefined`. */
export function parseVersion(s: string): Version | undefined {
  const m = VERSION_RE.exec(s.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (m[3] === undefined) return { major, minor };
  return { major, minor, patch: Number(m[3]) };
}

/** Like `parseVersion`, but throws: for data tables written in this directory, where a typo is a bug. */
export function version(s: string): Version {
  const v = parseVersion(s);
  if (!v) throw new Error(`knowledge: invalid version literal ${JSON.stringify(s)}`);
  return v;
}

/** Negative when a < b, 0 when equal, positive when a > b. A missing patch counts as 0. */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}

/**
 * Orders two release strings as written (`23.0.0`, `25.1.0.dev12`, `3.11`) by every run of digits in turn, a
 * missing run lowest; for names read from disk (egg-info directories, `python3.N`), which need not parse as
 * a `Version`. -1, 0 or 1.
 */
export function compareVersionStrings(a: string, b: string): number {
  const pa = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const pb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Compares only major.minor (Django feature availability changes per minor release). */
export function compareMinor(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor;
}

/** True when `v`'s minor is at least `minor` (`'4.1'`). */
export function isAtLeastMinor(v: Version, minor: string): boolean {
  return compareMinor(v, version(minor)) >= 0;
}

/** `4.2`. */
export function formatMinor(v: Version): string {
  return `${v.major}.${v.minor}`;
}

/** `3.2–4.2`, `≥ 4.2`, or `4.2` for a single minor. */
export function formatRange(range: VersionRange): string {
  if (range.max === undefined) return `≥ ${formatMinor(range.min)}`;
  if (compareMinor(range.min, range.max) === 0) return formatMinor(range.min);
  return `${formatMinor(range.min)}–${formatMinor(range.max)}`;
}
