/**
 * What a rule read of an analysis, so that the next analysis (the language server's, after an edit) keeps the
 * rule's findings instead of running it again while everything it read is the same: each setting it asked for
 * (the same value object, origin and layer: values are immutable, and the evaluator keeps the values of the
 * statements an edit did not touch), each file's text and role, each line it named. A rule that read anything
 * else of the model (its events, files, namespace, …) is always run again.
 */
import type { EffectiveSetting, ProjectModel } from './layers/project';
import type { Finding, Origin, Span } from './types';

/** Keys read and what each gave, in reading order, alternating: key, answer, key, answer, … */
type Reads<K, V> = readonly (K | V)[];

/**
 * The reads of one rule's run and the findings it reported (placed, before suppression comments). Kept as
 * arrays, one shared when empty: the language server holds every open project's runs (~40 each, most reading
 * a few names and no text, role or property), and as five Maps each they held ~3 MB over 100 open files
 * (issue #11: ≤ 80 MB resident).
 */
export interface RuleRun {
  readonly settings: Reads<string, EffectiveSetting | undefined>;
  readonly roles: Reads<string, string | undefined>;
  readonly texts: Reads<string, string | undefined>;
  readonly lines: readonly { readonly span: Span; readonly line: number }[];
  readonly props: Reads<string | symbol, unknown>;
  readonly findings: readonly Finding[];
}

const NONE: readonly never[] = Object.freeze([]);

function compact<K, V>(reads: ReadonlyMap<K, V>): Reads<K, V> {
  if (reads.size === 0) return NONE;
  const out: (K | V)[] = [];
  for (const [k, v] of reads) out.push(k, v);
  return out;
}

/** Whether `same(answer, now(key))` holds for every key read. */
function allSame<K, V>(reads: Reads<K, V>, now: (key: K) => V, same: (a: V, b: V) => boolean): boolean {
  for (let i = 0; i < reads.length; i += 2) if (!same(reads[i + 1] as V, now(reads[i] as K))) return false;
  return true;
}

/** What the run of a rule may be kept under: what it reads besides the model (front end, options, versions). */
export interface RuleRuns {
  readonly key: string;
  readonly installed: unknown;
  readonly runs: ReadonlyMap<string, RuleRun>;
}

/** The model's properties a rule may read and stay reusable: compared by value. */
const PLAIN_PROPS = new Set<string | symbol>(['root', 'kind', 'primaryFile']);

/** Records what one rule reads through the model, text and line lookups it is given. */
export class ReadLog {
  readonly settings = new Map<string, EffectiveSetting | undefined>();
  readonly roles = new Map<string, string | undefined>();
  readonly texts = new Map<string, string | undefined>();
  readonly lines: { span: Span; line: number }[] = [];
  readonly props = new Map<string | symbol, unknown>();
  /** Set when the rule read something not recorded: its findings are not kept. */
  untracked = false;
  readonly model: ProjectModel;

  /** `shared`: the settings the analysis's other rules read, so that their runs hold one object per name. */
  constructor(real: ProjectModel, shared = new Map<string, EffectiveSetting | undefined>()) {
    const effective = (name: string): EffectiveSetting | undefined => {
      let s = shared.get(name);
      if (s === undefined && !shared.has(name)) shared.set(name, (s = real.effective(name)));
      if (!this.settings.has(name)) this.settings.set(name, s);
      return s;
    };
    const roleOf = (file: string): ReturnType<ProjectModel['roleOf']> => {
      const r = real.roleOf(file);
      if (!this.roles.has(file)) this.roles.set(file, r);
      return r;
    };
    this.model = new Proxy(real, {
      get: (target, prop) => {
        if (prop === 'effective') return effective;
        if (prop === 'roleOf') return roleOf;
        const value: unknown = Reflect.get(target, prop);
        if (PLAIN_PROPS.has(prop)) this.props.set(prop, value);
        else this.untracked = true;
        return value;
      },
    });
  }

  text(file: string, read: (file: string) => string | undefined): string | undefined {
    const t = read(file);
    if (!this.texts.has(file)) this.texts.set(file, t);
    return t;
  }

  line(span: Span, line: number): number {
    this.lines.push({ span, line });
    return line;
  }

  run(findings: readonly Finding[]): RuleRun {
    return {
      settings: compact(this.settings),
      roles: compact(this.roles),
      texts: compact(this.texts),
      lines: this.lines.length === 0 ? NONE : this.lines,
      props: compact(this.props),
      findings: findings.length === 0 ? NONE : findings,
    };
  }
}

/** What a kept run is checked against: the new analysis's model, reader and line lookup. */
export interface ReadSource {
  readonly model: ProjectModel;
  readonly text: (file: string) => string | undefined;
  readonly lineOf: (span: Span) => number;
}

/** Whether every read of `run` gives the same answer in `now`: then the rule would report the same findings. */
export function stillHolds(run: RuleRun, now: ReadSource): boolean {
  const same = (a: unknown, b: unknown): boolean => a === b;
  if (!allSame(run.props, (prop) => Reflect.get(now.model, prop), same)) return false;
  if (!allSame(run.texts, now.text, same)) return false;
  if (!allSame(run.roles, (file) => now.model.roleOf(file), same)) return false;
  if (!allSame(run.settings, (name) => now.model.effective(name), reuse.sameSetting)) return false;
  for (const { span, line } of run.lines) if (now.lineOf(span) !== line) return false;
  return true;
}

/** The same setting: the same value object (its spans included), origin and layer. */
function sameSetting(a: EffectiveSetting | undefined, b: EffectiveSetting | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.name === b.name && a.value === b.value && a.layer === b.layer && sameOrigin(a.origin, b.origin);
}

function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind === 'default') return b.kind === 'default' && a.by === b.by;
  if (b.kind === 'default') return false;
  return a.span.file === b.span.file && a.span.from === b.span.from && a.span.to === b.span.to;
}

/** The comparison `stillHolds` uses (replaced only by the test that shows a wrong one is caught). */
export const reuse = { sameSetting };
