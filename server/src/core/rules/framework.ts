/**
 * The rule framework: rule metadata (code, name, docs, severities, fix safety), the context a check receives
 * (the evaluated project model only — never parser nodes), and judging helpers that implement the catalogue's
 * principles (silence on the unknown, judge visible defaults, effective values across layers).
 */
import type { EffectiveSetting, ProjectModel } from '../layers/project';
import type { HorizonRelease } from '../knowledge';
import type { Version, VersionRange } from '../knowledge/versions';
import type {
  DictValue,
  FixApplicability,
  Profile,
  RelatedLocation,
  Severity,
  SeverityOrOff,
  Span,
  TextEdit,
  Value,
} from '../types';
import { pythonStringLiteral } from '../python/strings';
import { quoteOf } from '../edits/syntax';
import type { Judged } from '../queries/judge';

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
  /**
   * Installed distributions' versions from their `*.dist-info` / `*.egg-info` directory names, by normalised
   * name (lower case, runs of `-_.` as `_`: `django_environ` → `'0.11.2'`); undefined when not read.
   */
  readonly distributions?: Readonly<Record<string, string>> | undefined;
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
   * alarming verdict across it (unknown versions are judged mildly).
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

// The judging helpers live with the queries that use them (queries/judge.ts); rules import them from here.
export {
  ifUnsetSuffix,
  judgeAll,
  knownString,
  knownStrings,
  rawEnvironmentStrings,
  type Judged,
} from '../queries/judge';

// ------------------------------------------------------------------ fix helpers

/** Replaces a string literal's value, keeping its prefix and quote style when possible. */
export function replaceString(ctx: RuleContext, v: Value, newValue: string): TextEdit | undefined {
  if (!v.span) return undefined;
  return {
    file: v.span.file,
    from: v.span.from,
    to: v.span.to,
    newText: pythonStringLiteral(newValue, quoteOf(ctx, v.span)),
  };
}

/**
 * Rewrites the literal of every judged string to `to(value)`, each literal once however many possibilities
 * share it; undefined when one of them cannot be edited (an environment default, no span): the finding would
 * survive the fix.
 */
export function replaceEveryString(
  ctx: RuleContext,
  judged: readonly Judged<string>[],
  to: (value: string) => string,
): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const j of judged) {
    const e = j.ifUnset ? undefined : replaceString(ctx, j.source, to(j.value));
    if (!e) return undefined;
    if (!edits.some((x) => x.file === e.file && x.from === e.from)) edits.push(e);
  }
  return edits;
}

/** Replaces the source text of a value. */
export function replaceValue(v: Value, newText: string): TextEdit | undefined {
  if (!v.span) return undefined;
  return { file: v.span.file, from: v.span.from, to: v.span.to, newText };
}

// ------------------------------------------------------------------ message and edit helpers rules share

/** The last dotted segment, for messages: `LocMemCache` for a BACKEND class, `cached_db` for an engine module. */
export function lastSegment(path: string): string {
  const t = path.trim();
  return t.slice(t.lastIndexOf('.') + 1);
}

/** " (Horizon's default)" / " (Django's default)" for a setting no file assigned, else "" (effective values, not lines). */
export function whoseDefault(setting: EffectiveSetting | undefined): string {
  const o = setting?.origin;
  if (o?.kind !== 'default') return '';
  return o.by === 'horizon' ? " (Horizon's default)" : " (Django's default)";
}

/**
 * "SESSION_ENGINE set here" etc. for the settings a finding relates to that were set in a file, leaving out
 * an assignment that already contains the finding (`at`), where the pointer would only repeat it.
 */
export function relatedSettings(ctx: RuleContext, names: readonly string[], at?: Span): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const name of names) {
    const eff = ctx.effective(name);
    if (eff?.origin.kind !== 'file') continue;
    const s = eff.origin.span;
    if (at && s.file === at.file && s.from <= at.from && at.to <= s.to) continue;
    out.push({ span: s, message: `${name} set here` });
  }
  return out;
}

/** True when every entry of the dict was written inside its own literal (not added later by `CACHES[k] = …`). */
export function isOneLiteral(dict: DictValue, span: Span): boolean {
  return dict.entries.every((e) => {
    const s = e.keySpan ?? e.key.span;
    return s !== undefined && s.file === span.file && s.from >= span.from && s.to <= span.to;
  });
}
