/** Masks secrets (SECRET_KEY, passwords, passwords inside URLs, scheme-less `user:pw@host`) in every string any front end prints: the one masker for CLI text/JSON/SARIF, LSP diagnostics, hover and effective configuration (ARCHITECTURE.md, "Secrets stay secret"); it may over-mask, never under-mask. */
import { MAX_WALK_DEPTH } from './evaluate/value-depth';
import { forEachStored, storedEntries } from './evaluate/environment';
import type { Binding, Env } from './evaluate/model';
import { shiftedFrom } from './evaluate/replay';
import type { Analysis } from './analyze';
import type { ParsedFile } from './python/parse';
import type { SegmentTree } from './python/segmented-parse';
import { isPlaceholder, isSecretName, MASK, maskSecret, urlSchemes } from './knowledge';
import type { Value } from './types';
import { finish, type Steps } from './steps';

/** Names walked between two questions whether to pause (`addAnalysisInSteps`). */
const WALK_CHUNK = 256;

/** Environment variables whose value is a secret (`os.environ.get('DB_PASSWORD', 'x')`: the default is one). */
const SECRET_ENV_VAR = /passw(?:or)?d|passwd|secret|token|api_?key|credential/i;
/** `user:pw@host…` without a scheme (a Redis LOCATION `'user:pw@host:6379:1'`): group 1 is the password. */
const SCHEMELESS_USERINFO = /^[^\s:@/]*:(?!\/\/)([^\s@]+)@[^\s@]+$/;
/** The same inside quotes in a line: groups 1 quote, 2 user, 3 password. */
const QUOTED_SCHEMELESS_USERINFO = /(['"])([^\s:@/'"]*):(?!\/\/)([^\s@'"]+)@[^\s@'"]+\1/g;
/** Below this length a secret is masked only where it appears quoted, so `ab` does not blank every "ab". */
const MIN_BARE_LENGTH = 4;
/**
 * Below this length a bare (unquoted) secret is masked only as a whole word, so SECRET_KEY = 'test' does not
 * turn `test_settings.py` into `t***_settings.py` in a message.
 */
const MIN_SUBSTRING_LENGTH = 8;
const WORD_CHAR = /[A-Za-z0-9_]/;
/**
 * In a source line: a string literal assigned to (or keyed by) a secret-looking name, e.g.
 * `'PASSWORD': 'x'`, `SECRET_KEY = "x"`, `password='x'`. Groups: 1 lead-in, 2 prefix, 3 quote, 4 content.
 */
const SECRET_LITERAL =
  /(\b(?:\w*_)?(?:passw(?:or)?d|pass|pwd|secret|secret_key|secret_key_fallbacks|secret_access_key|api_key|token)['"]?\s*[:=]\s*)([rRuUbB]{0,2})(['"])((?:\\.|(?!\3)[^\\])*)\3/gi;

export { isSecretName };

/** Where the passwords are in the userinfo of every URL inside `s` (`redis://:pw@h`, `redis://user:pw@h`). */
export function urlPasswordRanges(s: string): [number, number][] {
  const out: [number, number][] = [];
  const starts: number[] = [];
  for (const m of urlSchemes(s)) starts.push(m.end);
  for (const [i, from] of starts.entries()) {
    const next = starts[i + 1];
    // The URL ends at whitespace, a quote or the next URL's scheme; its userinfo at the last '@' before that
    // (as maskUrlPassword does), so a password holding '@', '/' or ':' is still covered whole.
    let end = next === undefined ? s.length : next - 3;
    while (next !== undefined && end > from && /[a-z0-9+.-]/i.test(s[end - 1] ?? '')) end--;
    const stop = /[\s'"`<>]/.exec(s.slice(from, end));
    if (stop) end = from + stop.index;
    let at = end - 1;
    while (at >= from && s.charCodeAt(at) !== 64) at--; // the last '@' of this URL only: linear overall
    if (at < from) continue;
    const colon = s.indexOf(':', from);
    if (colon < 0 || colon >= at) continue;
    if (colon + 1 < at) out.push([colon + 1, at]);
  }
  return out;
}

/** Passwords inside URLs in `s`, raw and percent-decoded. */
export function urlPasswords(s: string): string[] {
  const out: string[] = [];
  for (const [from, to] of urlPasswordRanges(s)) {
    const raw = s.slice(from, to);
    out.push(raw);
    try {
      const decoded = decodeURIComponent(raw);
      if (decoded !== raw) out.push(decoded);
    } catch {
      // Not percent-encoded: the raw form is the password.
    }
  }
  return out;
}

/** Passwords of `user:pw@host` entries without a scheme in a server list (`,`/`;`-separated). */
export function schemelessPasswords(s: string): string[] {
  if (!s.includes('@')) return [];
  const out: string[] = [];
  for (const entry of s.split(/[,;]/)) {
    const m = SCHEMELESS_USERINFO.exec(entry.trim());
    if (m?.[1]) out.push(m[1]);
  }
  return out;
}

/** Masks a string value shown under a secret name (placeholders are documentation words, not secrets). */
export function maskSecretValue(value: string): string {
  return value === '' || isPlaceholder(value) ? value : maskSecret(value);
}

/** A masked string and how offsets of the original map into it (to keep a `^^^` underline in place). */
export interface Masked {
  readonly text: string;
  /** Maps an offset of the original; inside a masked run it moves to the run's start (or end, for `end`). */
  map(offset: number, end?: boolean): number;
}

const NONE = 0;
const SECRET = 1;
const URL_PASSWORD = 2;

const NO_SECRETS: readonly string[] = Object.freeze([]);

/** `list` appended to `to` (made when undefined); a loop, as a value may hold more secrets than a call's arguments. */
function append(to: string[] | undefined, list: readonly string[]): string[] {
  const out = to ?? [];
  for (let i = 0; i < list.length; i++) out.push(list[i] as string);
  return out;
}

/**
 * Whether `v` holds no secret that `secretsUnder` would find, told from the value alone: a number, a bool, None,
 * a string without an '@' not under a secret name, an unknown with nothing under it. Asked before walking an item of a container, which most of a
 * long file's values are (no call, no cache lookup for each).
 */
function holdsNone(v: Value, secret: boolean): boolean {
  switch (v.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'none':
      return true;
    case 'str':
      return !secret && !v.value.includes('@');
    case 'unknown':
      // Nothing under it (a call's result, an environment lookup without a default).
      return v.default === undefined && v.parts === undefined;
    default:
      return false;
  }
}

/** Containers of at most this many items whose items are all plain (`holdsNone`) are not remembered. */
const SMALL = 8;

/**
 * Whether `v` holds no secret, told from its items alone: a list, tuple, dict or alternatives of at most SMALL
 * items each `holdsNone`, or an environment lookup whose default does. Looking at them again where a value is
 * shared costs at most SMALL checks, less than the cache lookups and entry that remembering it takes.
 */
function plainUnder(v: Value, secret: boolean): boolean {
  switch (v.kind) {
    case 'unknown':
      return (
        v.parts === undefined &&
        v.default !== undefined &&
        holdsNone(v.default, secret || (v.envVar !== undefined && SECRET_ENV_VAR.test(v.envVar)))
      );
    case 'list':
    case 'tuple':
    case 'oneOf': {
      const items = v.kind === 'oneOf' ? v.options : v.items;
      if (items.length > SMALL) return false;
      for (let i = 0; i < items.length; i++) if (!holdsNone(items[i] as Value, secret)) return false;
      return true;
    }
    case 'dict': {
      const entries = v.entries;
      if (entries.length > SMALL) return false;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as (typeof entries)[number];
        const key = e.key;
        if (!holdsNone(e.value, secret || (key.kind === 'str' && secretName(key.value)))) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** `isSecretName` of the names the masker saw (a long file's thousands, each analysis), forgotten past MAX_NAMES. */
const SECRET_NAMES = new Map<string, boolean>();
const MAX_NAMES = 50_000;

/**
 * The last two letters, lower case, of every word `isSecretName` takes for a secret's (passwo_rd_, passw_d_,
 * pw_d_, pa_ss_, secr_et_, …_k_ey_, fallbac_ks_, tok_en_, credenti_al_, credentia_ls_): a name ending otherwise
 * is none, told without a lookup or the expression (most of a long file's names and keys; the test checks it
 * against isSecretName).
 */
const SECRET_ENDINGS = new Set(['rd', 'wd', 'ss', 'et', 'ey', 'ks', 'en', 'al', 'ls'].map(endingOf));

/** The last two characters of a name as one number, ASCII letters lower-cased (as isSecretName's `i` compares). */
function endingOf(name: string): number {
  const n = name.length;
  return ((name.charCodeAt(n - 2) | 32) << 16) | (name.charCodeAt(n - 1) | 32);
}

/** Whether `isSecretName` may say yes (false: it says no). */
export function mayBeSecretName(name: string): boolean {
  return name.length >= 2 && SECRET_ENDINGS.has(endingOf(name));
}

function secretName(name: string): boolean {
  if (!mayBeSecretName(name)) return false;
  let s = SECRET_NAMES.get(name);
  if (s === undefined) {
    if (SECRET_NAMES.size >= MAX_NAMES) SECRET_NAMES.clear();
    SECRET_NAMES.set(name, (s = isSecretName(name)));
  }
  return s;
}
/** The secrets under a value, by value (as a plain value / under a secret name): see `secretsUnder`. */
const SECRETS = new WeakMap<Value, readonly string[]>();
const SECRETS_AS_SECRET = new WeakMap<Value, readonly string[]>();

/** The literals `SECRET_LITERAL` finds in a segment's text, by its tree (the same object for the same text). */
const SEGMENT_LITERALS = new WeakMap<SegmentTree, readonly string[]>();

/**
 * The string literals a file's text assigns to (or keys by) a secret-looking name (`SECRET_LITERAL`). A long file
 * parsed in segments is scanned segment by segment, each segment's answer kept with its tree, so the next parse
 * of an edited copy (a keystroke) scans only its new segments instead of the whole text (~2 ms for the 395 KB
 * bench file, issue #11). A literal never spans a cut (the segmenter cuts outside strings), so the segments
 * give what one scan of the text gives, but for the text of a quote left open running past a cut, which is no
 * string's value either way (and the literals after it are found, not skipped).
 */
function secretLiterals(parsed: ParsedFile): readonly string[] {
  const { segments, segmentTexts: texts } = parsed;
  const whole = (): string[] => literalsIn(parsed.text);
  if (!segments || !texts || parsed.limit || parsed.source !== parsed.text) return whole();
  const out: string[] = [];
  for (const text of texts) {
    const seg = segments.get(text);
    if (!seg) return whole();
    let found = SEGMENT_LITERALS.get(seg);
    if (!found) SEGMENT_LITERALS.set(seg, (found = literalsIn(text)));
    for (let i = 0; i < found.length; i++) out.push(found[i] as string);
  }
  return out;
}

function literalsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SECRET_LITERAL)) out.push(m[4] ?? '');
  return out;
}

/**
 * What a redactor's walk of an analysis's namespaces found, kept for the next analysis of the same project (the
 * language server's, after an edit: `redactorInSteps` given the previous analysis), so that it walks only the
 * names whose stored binding changed: per namespace (by the file it is the evaluation of, PROJECT_ENV for the
 * project's final one when it is none of them) each name's stored binding and, when it holds any, the secrets
 * under it; and how many names hold each secret. Handed on, not shared: the next redactor takes it over and
 * updates it in place (after an edit near the top of the 10,000-line file every one of its ~3,400 names is
 * replayed, and walking them all again took ~2 ms a keystroke).
 */
interface WalkState {
  readonly envs: Map<
    string,
    { readonly bindings: Map<string, Binding>; readonly found: Map<string, readonly string[]> }
  >;
  readonly counts: Map<string, number>;
}

/** The key of a project's final namespace when it is not one of its files' (WalkState.envs). */
const PROJECT_ENV = '\u0000project';

/** Masks the secrets it was told about, and anything that looks like one, in output strings. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] | undefined;
  /** This redactor's walk, while no later redactor took it over (`redactorInSteps`). */
  private walk: WalkState | undefined;

  add(secret: string): void {
    if (secret.trim() === '' || isPlaceholder(secret)) return;
    this.secrets.add(secret);
    this.ordered = undefined;
  }

  /** The secrets told so far (to hand them to another thread's redactor: masking depends on nothing else). */
  get known(): string[] {
    return [...this.secrets];
  }

  /** Adds every secret an analysed project holds: secret-named settings and keys, and URL passwords. */
  addAnalysis(analysis: Analysis): void {
    finish(this.addAnalysisInSteps(analysis));
  }

  /**
   * `addAnalysis`, pausing every WALK_CHUNK names when `pause` says so (a long file has thousands). `keep`: the
   * walk is kept for the next analysis's redactor (WalkState), which `from`, the walk of the previous one's,
   * is updated into when given.
   */
  *addAnalysisInSteps(
    analysis: Analysis,
    pause?: () => boolean,
    keep = false,
    from?: WalkState,
  ): Steps<void> {
    if (keep) yield* this.walkKept(analysis, pause, from);
    else {
      let n = 0;
      // A one-file project's final namespace is its file's: walked once.
      const envs = new Set([...analysis.model.files.map((f) => f.evaluation.env), analysis.model.env]);
      for (const env of envs) {
        // A name replayed after an edit and not read yet is walked unshifted: the same strings, the same secrets.
        for (const [name, b] of storedEntries(env)) {
          if (pause && ++n % WALK_CHUNK === 0 && pause()) yield;
          const v = b.value;
          const secret = secretName(name);
          if (!holdsNone(v, secret)) this.addValue(v, secret, 0);
        }
      }
    }
    // In a file with a syntax error lezer's recovery may bind a secret's literal to another name (`X = [1,)`
    // then `SECRET_KEY = '…'`: X holds the key), so every literal such a file assigns to a secret-looking name
    // is a secret too (files without an error need none).
    for (const f of analysis.model.files) {
      if (f.parsed.syntaxError === undefined) continue;
      if (pause?.()) yield;
      for (const literal of secretLiterals(f.parsed)) this.add(literal);
    }
  }

  /**
   * The walk of `addAnalysisInSteps` kept (WalkState): from `from` (taken over, updated in place), only the
   * names whose stored binding is another object are walked, and the secrets are those some name still holds —
   * the same set a walk of every name finds. Not kept when a walk was cut at MAX_WALK_DEPTH (what a cut walk
   * finds depends on where it began).
   */
  private *walkKept(analysis: Analysis, pause: (() => boolean) | undefined, from?: WalkState): Steps<void> {
    const state: WalkState = from ?? { envs: new Map(), counts: new Map() };
    const counts = state.counts;
    const count = (list: readonly string[], by: number): void => {
      for (let i = 0; i < list.length; i++) {
        const secret = list[i] as string;
        const c = (counts.get(secret) ?? 0) + by;
        if (c === 0) counts.delete(secret);
        else counts.set(secret, c);
      }
    };
    const keys = new Map<Env, string>();
    for (const f of analysis.model.files) if (!keys.has(f.evaluation.env)) keys.set(f.evaluation.env, f.path);
    if (!keys.has(analysis.model.env)) keys.set(analysis.model.env, PROJECT_ENV);
    // Namespaces of the previous analysis this one has not (a layer gone): what they held is not held now.
    const used = new Set(keys.values());
    for (const [key, gone] of state.envs) {
      if (used.has(key)) continue;
      for (const list of gone.found.values()) count(list, -1);
      state.envs.delete(key);
    }
    let n = 0;
    for (const [env, key] of keys) {
      let kept = state.envs.get(key);
      if (!kept) state.envs.set(key, (kept = { bindings: new Map(), found: new Map() }));
      const { bindings, found } = kept;
      // The names whose stored binding is another object than the walk saw, in one pass that makes nothing
      // (most are the very bindings of the last analysis: the statements an edit did not touch keep them, and a
      // replayed name not read yet stores the binding it is shifted from); then those are walked.
      let seen = 0;
      const changed: [string, Binding][] = [];
      forEachStored(env, (b, name) => {
        const before = bindings.get(name);
        if (before !== undefined) seen++;
        if (before !== b) changed.push([name, b]);
      });
      for (const [name, b] of changed) {
        if (pause && ++n % WALK_CHUNK === 0 && pause()) yield;
        bindings.set(name, b);
        const was = found.get(name);
        if (was) count(was, -1);
        const now = this.secretsUnder(b.value, secretName(name), 0);
        if (now.length > 0) {
          found.set(name, now);
          count(now, 1);
        } else if (was) found.delete(name);
      }
      // Names the namespace no longer has.
      if (seen !== bindings.size)
        for (const name of bindings.keys()) {
          if (env.has(name)) continue;
          bindings.delete(name);
          const was = found.get(name);
          if (was) count(was, -1);
          found.delete(name);
        }
    }
    for (const secret of counts.keys()) this.add(secret);
    this.walk = this.cuts === 0 ? state : undefined;
  }

  /** Hands this redactor's walk to the next one (it updates it in place): undefined when none is left. */
  takeWalk(): WalkState | undefined {
    const walk = this.walk;
    this.walk = undefined;
    return walk;
  }

  /**
   * What this redactor found under values whose walk was cut at MAX_WALK_DEPTH (not kept across analyses, as
   * the cut depends on where the walk began); every value is walked once per redactor, so `L = [L, L]` stays
   * linear.
   */
  private readonly cut = [new Map<Value, readonly string[]>(), new Map<Value, readonly string[]>()];
  /** How many walks were cut so far (a value's walk is complete when it cut none). */
  private cuts = 0;

  private addValue(v: Value, secret: boolean, depth: number): void {
    const found = this.secretsUnder(v, secret, depth);
    for (let i = 0; i < found.length; i++) this.add(found[i] as string);
  }

  /**
   * The secrets under a value (secret-named keys, URL passwords; every string when `secret`). A complete walk
   * is remembered for the value itself (values are immutable), so the next analysis, which shares the values
   * of the statements before an edit (evaluate/checkpoints.ts), walks only the new ones. Written for a fresh
   * process, where it runs unoptimised over every value of a long file once: indexed loops, no closure, no
   * set per value.
   */
  private secretsUnder(v: Value, secret: boolean, depth: number): readonly string[] {
    switch (v.kind) {
      case 'int':
      case 'float':
      case 'bool':
      case 'none':
        return NO_SECRETS;
      case 'str':
        // Cheap enough to find again: a password in a URL or a `user:pw@host` needs an '@'.
        if (!v.value.includes('@')) return secret ? [v.value] : NO_SECRETS;
        return [...(secret ? [v.value] : []), ...urlPasswords(v.value), ...schemelessPasswords(v.value)];
      default:
        break;
    }
    // Small and plain (most of a long file's lists, dicts and lookups): cheaper to look at than to remember.
    if (plainUnder(v, secret)) return NO_SECRETS;
    const cache = secret ? SECRETS_AS_SECRET : SECRETS;
    const original = shiftedFrom(v);
    // A value replayed from an earlier evaluation with its spans moved holds the same strings.
    const known = cache.get(v) ?? (original && cache.get(original)) ?? this.cut[secret ? 1 : 0]?.get(v);
    if (known) return known;
    if (depth > MAX_WALK_DEPTH) {
      this.cuts++;
      return NO_SECRETS;
    }
    const cutsBefore = this.cuts;
    // What the parts hold, repeats included (made only when a part holds a secret).
    let found: string[] | undefined;
    switch (v.kind) {
      case 'unknown': {
        if (v.default) {
          const under = this.secretsUnder(
            v.default,
            secret || (v.envVar !== undefined && SECRET_ENV_VAR.test(v.envVar)),
            depth + 1,
          );
          if (under.length > 0) found = append(found, under);
        }
        const parts = v.parts;
        if (parts)
          for (let i = 0; i < parts.length; i++) {
            const part = parts[i];
            // A URL password needs an '@' (urlPasswordRanges).
            if (typeof part === 'string' && part.includes('@')) found = append(found, urlPasswords(part));
          }
        break;
      }
      case 'oneOf':
      case 'list':
      case 'tuple': {
        const items = v.kind === 'oneOf' ? v.options : v.items;
        for (let i = 0; i < items.length; i++) {
          const item = items[i] as Value;
          if (holdsNone(item, secret)) continue;
          const under = this.secretsUnder(item, secret, depth + 1);
          if (under.length > 0) found = append(found, under);
        }
        break;
      }
      case 'dict': {
        const entries = v.entries;
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i] as (typeof entries)[number];
          const key = e.key;
          const value = e.value;
          const asSecret = secret || (key.kind === 'str' && secretName(key.value));
          if (holdsNone(value, asSecret)) continue;
          const under = this.secretsUnder(value, asSecret, depth + 1);
          if (under.length > 0) found = append(found, under);
        }
        break;
      }
    }
    // Each secret once: a value shared many times over (`L = [L, L]` ×n) keeps its list short at every level.
    const out: readonly string[] =
      found === undefined || found.length === 0
        ? NO_SECRETS
        : found.length === 1
          ? found
          : [...new Set(found)];
    if (this.cuts === cutsBefore) {
      cache.set(v, out);
      // Found for every value shifted from the same one (the next edit's replay makes new ones).
      if (original) cache.set(original, out);
    } else this.cut[secret ? 1 : 0]?.set(v, out);
    return out;
  }

  /** Masks URL passwords and known secrets in a message, title, reason or value. */
  text(s: string): string {
    return this.mask(s, false).text;
  }

  /**
   * Masks a line of the user's settings file shown under a diagnostic: also string literals assigned to a
   * secret-looking name (`'PASSWORD': '…'`, `SECRET_KEY = "…"`), whether or not the analysis saw them.
   */
  sourceLine(line: string): Masked {
    return this.mask(line, true);
  }

  private mask(s: string, literals: boolean): Masked {
    const flags = new Uint8Array(s.length);
    const mark = (from: number, to: number, kind: number): void => {
      for (let i = from; i < to; i++) flags[i] = Math.max(flags[i] ?? NONE, kind);
    };
    for (const [from, to] of urlPasswordRanges(s)) mark(from, to, URL_PASSWORD);
    if (s.includes('@')) {
      // A quoted `user:pw@host` without a scheme (a Redis LOCATION), seen or not by the analysis.
      for (const m of s.matchAll(QUOTED_SCHEMELESS_USERINFO)) {
        const from = (m.index ?? 0) + 1 + (m[2] ?? '').length + 1;
        mark(from, from + (m[3] ?? '').length, URL_PASSWORD);
      }
      // A whole value that is a server list of `user:pw@host` entries (JSON, effective configuration).
      let at = 0;
      for (const entry of s.split(/[,;]/)) {
        const lead = entry.length - entry.trimStart().length;
        const m = SCHEMELESS_USERINFO.exec(entry.trim());
        if (m?.[1]) {
          const from = at + lead + entry.trim().indexOf(':') + 1;
          mark(from, from + m[1].length, URL_PASSWORD);
        }
        at += entry.length + 1;
      }
    }
    if (literals) {
      for (const m of s.matchAll(SECRET_LITERAL)) {
        const body = m[4] ?? '';
        if (body === '' || isPlaceholder(body)) continue;
        const from = (m.index ?? 0) + (m[1] ?? '').length + (m[2] ?? '').length + 1;
        mark(from, from + body.length, SECRET);
      }
    }
    this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of this.ordered) {
      for (let i = s.indexOf(secret); i >= 0; i = s.indexOf(secret, i + 1)) {
        const quoted = (s[i - 1] === "'" || s[i - 1] === '"') && s[i + secret.length] === s[i - 1];
        const word = !WORD_CHAR.test(s[i - 1] ?? '') && !WORD_CHAR.test(s[i + secret.length] ?? '');
        const bare = secret.length >= MIN_SUBSTRING_LENGTH || (secret.length >= MIN_BARE_LENGTH && word);
        if (bare || quoted) mark(i, i + secret.length, SECRET);
      }
    }
    // Each maximal run of secret characters becomes one mask; URL passwords get maskUrlPassword's bare mask.
    const runs: { from: number; to: number; text: string }[] = [];
    const parts: string[] = [];
    for (let i = 0; i < s.length;) {
      if ((flags[i] ?? NONE) === NONE) {
        let j = i;
        while (j < s.length && (flags[j] ?? NONE) === NONE) j++;
        parts.push(s.slice(i, j));
        i = j;
        continue;
      }
      let j = i;
      let onlyUrl = true;
      while (j < s.length && (flags[j] ?? NONE) !== NONE) {
        if (flags[j] !== URL_PASSWORD) onlyUrl = false;
        j++;
      }
      const text = onlyUrl ? MASK : maskSecret(s.slice(i, j));
      runs.push({ from: i, to: j, text });
      parts.push(text);
      i = j;
    }
    return {
      text: parts.join(''),
      map(offset: number, end = false): number {
        let shift = 0;
        for (const r of runs) {
          if (offset <= r.from) break;
          if (offset < r.to) return r.from + shift + (end ? r.text.length : 0);
          shift += r.text.length - (r.to - r.from);
        }
        return offset + shift;
      },
    };
  }
}

const REDACTORS = new WeakMap<Analysis, Redactor>();

/** The redactor that knows every secret of one analysis (built once per analysis). */
export function redactorFor(analysis: Analysis): Redactor {
  return finish(redactorInSteps(analysis));
}

/**
 * The redactor of the analysis a project's model follows (`AnalyzeRequest.previous`: the language server's last
 * analysis of the project), or null when that one had none yet: the redactor of such a model keeps its walk for
 * the next one and takes over this one's (WalkState). Keyed by model (a configuration file's filter makes another
 * analysis of the same model); dropped once taken.
 */
const FOLLOWS = new WeakMap<object, Redactor | null>();

/** Notes that `model`'s analysis follows `previous` (analyze.ts, given a previous analysis). */
export function followsAnalysis(model: object, previous: Analysis): void {
  FOLLOWS.set(model, REDACTORS.get(previous) ?? null);
}

/**
 * `redactorFor`, pausing while it walks the values when `pause` says so. An analysis that follows another one
 * (`followsAnalysis`) takes over the walk of that one's redactor: only the names whose binding changed are
 * walked again (`Redactor.walkKept`); and keeps its own for the next one.
 */
export function* redactorInSteps(analysis: Analysis, pause?: () => boolean): Steps<Redactor> {
  let r = REDACTORS.get(analysis);
  if (!r) {
    const made = new Redactor();
    const before = FOLLOWS.get(analysis.model);
    const from = before?.takeWalk();
    if (before !== undefined) FOLLOWS.delete(analysis.model);
    yield* made.addAnalysisInSteps(analysis, pause, before !== undefined, from);
    // Made meanwhile (a request asked for it during a pause): the first one stays.
    r = REDACTORS.get(analysis) ?? made;
    REDACTORS.set(analysis, r);
  }
  return r;
}
