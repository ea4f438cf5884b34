/**
 * The rule framework: rule metadata (code, name, docs, severities, fix safety), the context a check receives
 * (the evaluated project model only — never parser nodes), and judging helpers that implement the catalogue's
 * principles (silence on the unknown, judge visible defaults, effective values across layers).
 */
import type { EffectiveSetting, ProjectModel } from '../layers/project';
import type { HorizonRelease } from '../knowledge';
import type { Version, VersionRange } from '../knowledge/versions';
import type {
  FixApplicability,
  Profile,
  RelatedLocation,
  Severity,
  SeverityOrOff,
  Span,
  TextEdit,
  UnknownValue,
  Value,
} from '../types';
import { possibilities } from '../evaluate/values';
import { pythonStringLiteral, splitStringToken } from '../python/strings';

export interface RuleDocs {
  /** What the rule finds (one paragraph). */
  readonly what: string;
  /** Why it matters: what breaks, with the source of the fact. */
  readonly why: string;
  /** A configuration that triggers it (Python). */
  readonly example: string;
  /** What to write instead (Python). */
  readonly useInstead: string;
  /** How safe the fix is, or why there is none. */
  readonly fixSafety: string;
  /** Django's own check that overlaps, if any (e.g. `caches.E001`). */
  readonly djangoCheck?: string;
}

export interface RuleMeta {
  readonly code: string;
  /** kebab-case name of the problem. */
  readonly name: string;
  /** Title from the catalogue. */
  readonly title: string;
  readonly severity: { readonly production: SeverityOrOff; readonly development: SeverityOrOff };
  /** Whether the rule's verdict or severity depends on the Django/Horizon version. */
  readonly versionDependent: boolean;
  /** Only meaningful in Horizon projects. */
  readonly horizonOnly?: boolean;
  /** The safety of the fix the rule attaches, or 'none'. */
  readonly fix: FixApplicability | 'none';
  readonly docs: RuleDocs;
  /**
   * Security rules only: a CVSS-like score (`"8.1"`, as GitHub code scanning's `security-severity` wants:
   * ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, else low) and the CWE it is an instance of.
   */
  readonly security?: { readonly severity: string; readonly cwe: number };
}

export interface Report {
  /** Where: a value (its span, else its setting's assignment), a span, or an effective setting. */
  readonly at: Value | Span | EffectiveSetting | undefined;
  readonly message: string;
  /** Settings the finding is about (the editor mirrors it onto their assignments in other layers). */
  readonly settings: readonly string[];
  /** Overrides the profile severity (for version-dependent E/W splits); ignored when the profile turns the rule off. */
  readonly severity?: Severity | undefined;
  readonly related?: readonly RelatedLocation[] | undefined;
  readonly fix?:
    | {
        readonly title: string;
        readonly edits: readonly TextEdit[];
        readonly applicability?: FixApplicability;
      }
    | undefined;
}

/** Python modules importable where the settings run, and where they were found (for messages). */
export interface InstalledModules {
  /** Top-level import names (`memcache`, `pymemcache`, `django_redis`). */
  readonly modules: readonly string[];
  /** The directory they were read from (site-packages / dist-packages). */
  readonly source: string;
}

export interface RuleContext {
  readonly project: ProjectModel;
  /** What is installed where the settings run, when the front end could tell; undefined: unknown. */
  readonly installed?: InstalledModules | undefined;
  readonly profile: Profile;
  readonly django: Version | undefined;
  /**
   * The Django versions the project may run: the single target when known, else the range the Horizon
   * release allows (e.g. 3.2–4.2 for 23.4.0), else undefined. Version-dependent rules pick their least
   * alarming verdict across it (principle 4).
   */
  readonly djangoRange: VersionRange | undefined;
  readonly horizon: HorizonRelease | undefined;
  readonly isHorizon: boolean;
  effective(name: string): EffectiveSetting | undefined;
  /** 1-based line of a span, for messages ("set in local_settings.py:20"). */
  lineOf(span: Span): number;
  /** Text of a project file (for fixes that need surrounding text). */
  text(file: string): string | undefined;
  report(report: Report): void;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

// ------------------------------------------------------------------ judging

/** One concrete possibility of a value, and whether it comes from an environment default. */
export interface Judged<T> {
  readonly value: T;
  /** The environment variable whose default was judged, when the value is a lookup with a visible default. */
  readonly ifUnset?: string | undefined;
  /** The node carrying the judged value (the literal or the default's literal). */
  readonly source: Value;
}

/**
 * Applies `test` to every possibility of `v` (principle 1): returns the results only when every possibility
 * is known (an Unknown with a visible default counts as its default) and every test returns a result;
 * otherwise undefined (silence).
 */
export function judgeAll<T>(
  v: Value | undefined,
  test: (known: Value) => T | undefined,
): Judged<T>[] | undefined {
  if (!v) return undefined;
  const out: Judged<T>[] = [];
  for (const p of possibilities(v)) {
    let subject: Value = p;
    let ifUnset: string | undefined;
    if (p.kind === 'unknown') {
      if (!p.default || p.default.kind === 'unknown') return undefined;
      subject = p.default;
      ifUnset = p.envVar ?? 'the environment variable';
    }
    const r = test(subject);
    if (r === undefined) return undefined;
    out.push({ value: r, ifUnset, source: subject });
  }
  return out.length > 0 ? out : undefined;
}

/** The string possibilities of a value when all are known strings (or defaults that are strings). */
export function knownStrings(v: Value | undefined): Judged<string>[] | undefined {
  return judgeAll(v, (k) => (k.kind === 'str' ? k.value : undefined));
}

/** A single known string (no alternatives), or undefined. */
export function knownString(v: Value | undefined): Judged<string> | undefined {
  const all = knownStrings(v);
  return all && all.length === 1 ? all[0] : undefined;
}

/**
 * The environment lookups among the possibilities of `v` that are a str whenever their variable is set (a raw
 * `os.environ.get`, `os.getenv`, decouple `config()` without `cast`): what a setting that needs a number or a
 * bool must not be, whatever its default.
 */
export function rawEnvironmentStrings(v: Value | undefined): UnknownValue[] {
  if (!v) return [];
  return possibilities(v).filter(
    (p): p is UnknownValue => p.kind === 'unknown' && p.whenSet === 'str' && p.envVar !== undefined,
  );
}

/** " (if REDIS_HOST is unset)" when a default was judged. */
export function ifUnsetSuffix(j: { ifUnset?: string | undefined } | undefined): string {
  return j?.ifUnset ? ` (if ${j.ifUnset} is unset)` : '';
}

// ------------------------------------------------------------------ fix helpers

/** Replaces a string literal's value, keeping its prefix and quote style when possible. */
export function replaceString(ctx: RuleContext, v: Value, newValue: string): TextEdit | undefined {
  if (!v.span) return undefined;
  const text = ctx.text(v.span.file);
  const token = text?.slice(v.span.from, v.span.to) ?? '';
  const t = splitStringToken(token);
  const quote: "'" | '"' = t?.quote.startsWith('"') ? '"' : "'";
  return {
    file: v.span.file,
    from: v.span.from,
    to: v.span.to,
    newText: pythonStringLiteral(newValue, quote),
  };
}

/** Replaces the source text of a value. */
export function replaceValue(v: Value, newText: string): TextEdit | undefined {
  if (!v.span) return undefined;
  return { file: v.span.file, from: v.span.from, to: v.span.to, newText };
}
