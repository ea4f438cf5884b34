/**
 * Applying fixes: one fix to a text, and fix-all across a project that re-analyses until no edits remain.
 * Pure: the caller supplies texts and an analysis callback; nothing is written here.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './analyze';
import { describedAlike } from './evaluate/values';
import type { Finding, Fix, TextEdit } from './types';

/** Applies edits (offsets into `text`) with vscode-languageserver-textdocument; overlapping edits are an error. */
export function applyEdits(
  text: string,
  edits: readonly Pick<TextEdit, 'from' | 'to' | 'newText'>[],
): string {
  const direct = spliceEdits(text, edits);
  if (direct !== undefined) return direct;
  const doc = TextDocument.create('memory://fix', 'python', 0, text);
  return TextDocument.applyEdits(
    doc,
    edits.map((e) => ({
      range: { start: doc.positionAt(e.from), end: doc.positionAt(e.to) },
      newText: e.newText,
    })),
  );
}

/**
 * `TextDocument.applyEdits` without the document (whose line table costs a scan of the text per call): the
 * same result whenever every offset lies within the text and not between a CR and its LF, where an offset's
 * round trip through a line/character position is the offset itself (undefined otherwise: the caller takes
 * the document's way). Edits apply in the order of their start, ties in the given order; overlapping ones
 * throw as the document's do.
 */
function spliceEdits(
  text: string,
  edits: readonly Pick<TextEdit, 'from' | 'to' | 'newText'>[],
): string | undefined {
  const plain = (o: number): boolean =>
    Number.isInteger(o) &&
    o >= 0 &&
    o <= text.length &&
    !(text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10);
  if (!edits.every((e) => plain(e.from) && plain(e.to) && e.from <= e.to)) return undefined;
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.from - b.e.from || a.i - b.i);
  const parts: string[] = [];
  let last = 0;
  for (const { e } of sorted) {
    if (e.from < last) throw new Error('Overlapping edit');
    if (e.from > last) parts.push(text.slice(last, e.from));
    if (e.newText.length) parts.push(e.newText);
    last = e.to;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.from < b.to && b.from < a.to;
}

/** Whether a finding's fix may run in fix-all under the given policy. */
export function fixAllowed(fix: Fix | undefined, unsafe: boolean): fix is Fix {
  return fix !== undefined && (fix.applicability === 'safe' || unsafe);
}

/** Picks fixes whose edits do not overlap each other (first come, first served, in finding order). */
export function selectFixes(findings: readonly Finding[], unsafe: boolean, onlyFile?: string): Fix[] {
  const chosen: Fix[] = [];
  const taken: TextEdit[] = [];
  for (const f of findings) {
    if (!fixAllowed(f.fix, unsafe)) continue;
    if (onlyFile && f.fix.edits.some((e) => e.file !== onlyFile)) continue;
    if (f.fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    chosen.push(f.fix);
    taken.push(...f.fix.edits);
  }
  return chosen;
}

export interface FixAllResult {
  /** New texts of the files that changed. */
  readonly changed: ReadonlyMap<string, string>;
  /** The analysis of the fixed texts. */
  readonly analysis: Analysis;
  /** Number of fixes applied over all rounds. */
  readonly applied: number;
  /** True when the rounds stopped because a fix kept producing edits (it never converged). */
  readonly diverged: boolean;
}

export const MAX_FIX_ROUNDS = 10;

/**
 * Fix-all: analyse, apply every allowed non-overlapping fix, re-analyse on the new texts, and repeat until no
 * fix applies (or MAX_FIX_ROUNDS). `analyzeWith` must analyse with file reads served from `overlay` first.
 */
export function fixAll(
  analyzeWith: (overlay: ReadonlyMap<string, string>) => Analysis,
  readFile: (file: string) => string | undefined,
  options: { unsafe: boolean; onlyFile?: string },
): FixAllResult {
  const overlay = new Map<string, string>();
  let analysis = analyzeWith(overlay);
  let applied = 0;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fixes = selectFixes(analysis.findings, options.unsafe, options.onlyFile);
    if (fixes.length === 0) return { changed: overlay, analysis, applied, diverged: false };
    const byFile = new Map<string, TextEdit[]>();
    for (const fix of fixes)
      for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [file, edits] of byFile) {
      const current = overlay.get(file) ?? readFile(file);
      if (current === undefined) continue;
      const next = applyEdits(current, edits);
      if (next !== current) overlay.set(file, next);
    }
    applied += fixes.length;
    analysis = analyzeWith(overlay);
  }
  return {
    changed: overlay,
    analysis,
    applied,
    diverged: selectFixes(analysis.findings, options.unsafe, options.onlyFile).length > 0,
  };
}

// ------------------------------------------------------------------ verification on the whole project

/** Messages compared across a fix: line numbers move when a fix adds lines, so they are left out. */
function messageKey(f: Finding): string {
  return `${f.code}\u0000${f.message.replace(/:\d+\b/g, ':N')}`;
}

function isProblem(f: Finding): boolean {
  return f.severity === 'error' || f.severity === 'warning';
}

/** The overlay a fix's edits make (edited files only), or undefined when a file cannot be read or edits overlap. */
export function fixOverlay(
  fix: Fix,
  readFile: (file: string) => string | undefined,
): Map<string, string> | undefined {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out = new Map<string, string>();
  for (const [file, edits] of byFile) {
    if (edits.some((a, i) => edits.some((b, j) => i < j && overlaps(a, b)))) return undefined;
    const text = readFile(file);
    if (text === undefined) return undefined;
    out.set(file, applyEdits(text, edits));
  }
  return out;
}

/**
 * Why a fix must not be offered, judged on the whole project re-analysed with the fix applied (undefined: it
 * may be offered): its finding must go, no new error or warning may appear in any file, and no setting whose
 * effective value came from another file (an earlier layer, say) may change — a fix never overrides a
 * working value set elsewhere.
 */
export function fixRejection(
  before: Analysis,
  finding: Finding,
  after: Analysis,
  editedFiles: ReadonlySet<string>,
): string | undefined {
  const countCode = (a: Analysis): number => a.findings.filter((f) => f.code === finding.code).length;
  if (countCode(after) >= countCode(before)) return `${finding.code} is still reported after the fix`;
  // Whether the fix changed a setting's effective value (values compared as text: spans move with the edit),
  // asked only where the answer can matter (below) and remembered: comparing every name of two large
  // projects would cost more than re-analysing them.
  const changed = new Map<string, boolean>();
  const isChanged = (name: string): boolean => {
    if (!SETTING_NAME.test(name) || !(before.model.env.has(name) || after.model.env.has(name))) return false;
    let c = changed.get(name);
    if (c === undefined) changed.set(name, (c = settingChanged(before, after, name)));
    return c;
  };
  // A new error or warning caused by the fix: about a setting it changed (or about no setting: a syntax error).
  // One about a setting the fix did not touch was hidden by the fixed problem, not added by the fix.
  const old = new Map<string, number>();
  for (const f of before.findings) old.set(messageKey(f), (old.get(messageKey(f)) ?? 0) + 1);
  for (const f of after.findings) {
    if (!isProblem(f)) continue;
    const k = messageKey(f);
    const n = old.get(k) ?? 0;
    if (n > 0) {
      old.set(k, n - 1);
      continue;
    }
    if (f.settings.length === 0 || f.code === finding.code || f.settings.some(isChanged))
      return `the fix adds ${f.code}: ${f.message}`;
  }
  // Never replace a value set in another file: a setting the finding is not about must keep its value, and
  // one it is about, when a user's settings file (local_settings.py, a snippet) set it, is fixed there rather
  // than overridden from a later layer. Only a setting whose value came from a file the fix did not edit can
  // break this, so only those are compared (in the order of the names: the first one decides the message).
  // A value comes from a file the project depends on (its layers and the modules they import): when the fix
  // edited every one of them (a one-file project), no name can break it and none is visited.
  if (before.model.dependencies.every((file) => editedFiles.has(file))) return undefined;
  const visit = (name: string): string | undefined => {
    const binding = before.model.env.get(name);
    if (binding && (binding.origin.kind !== 'file' || editedFiles.has(binding.origin.span.file)))
      return undefined;
    if (!SETTING_NAME.test(name)) return undefined;
    // A bound name's effective origin is its binding's (ProjectModel.effective); an unbound one's is asked.
    const origin = binding ? binding.origin : before.model.effective(name)?.origin;
    if (origin?.kind !== 'file') return undefined;
    const from = origin.span.file;
    if (editedFiles.has(from) || !isChanged(name)) return undefined;
    if (!finding.settings.includes(name)) return `the fix changes ${name}, set in ${from}`;
    const role = before.model.roleOf(from);
    if (role === 'local_settings' || role === 'local_settings.d')
      return `the fix overrides ${name} from a later file instead of editing ${from}`;
    return undefined;
  };
  for (const name of before.model.env.keys()) {
    const why = visit(name);
    if (why) return why;
  }
  for (const name of after.model.env.keys()) {
    if (before.model.env.has(name)) continue;
    const why = visit(name);
    if (why) return why;
  }
  return undefined;
}

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Whether a setting's effective value differs between two analyses of one project (its text or its origin). */
function settingChanged(before: Analysis, after: Analysis, name: string): boolean {
  const was = before.model.effective(name);
  const now = after.model.effective(name);
  if (!was || !now || !describedAlike(was.value, now.value, 100_000)) return true;
  if (was.origin.kind !== now.origin.kind) return true;
  return (
    was.origin.kind === 'file' && now.origin.kind === 'file' && was.origin.span.file !== now.origin.span.file
  );
}

/**
 * Applies one finding's fix to the project's texts, re-analyses the whole project (`reanalyze`, which must not
 * verify again) and returns why the fix must not be offered (fixRejection), or undefined when it may be.
 */
export function verifyFix(
  before: Analysis,
  finding: Finding,
  readFile: (file: string) => string | undefined,
  reanalyze: (overlay: ReadonlyMap<string, string>) => Analysis,
): string | undefined {
  if (!finding.fix) return 'no fix';
  if (stoppedAtLimit(before)) return LIMIT_REJECTION;
  const overlay = fixOverlay(finding.fix, readFile);
  if (!overlay) return 'the fix cannot be applied';
  try {
    return fixRejection(before, finding, reanalyze(overlay), new Set(overlay.keys()));
  } catch {
    return 'the project could not be re-analysed';
  }
}

const LIMIT_REJECTION = 'a limit stopped the analysis (DSL003): what it did not analyse cannot judge the fix';

/**
 * Whether a limit stopped the analysis of part of the project (DSL003: size, nesting, work or time). No fix is
 * offered then: re-analysing with it applied stops at the limit too, so whether the fix adds a problem in what
 * follows (a later statement reading the setting it changes, say) cannot be known.
 */
function stoppedAtLimit(a: Analysis): boolean {
  return a.findings.some((f) => f.code === 'DSL003');
}

/** Statistics of one verification pass (for benchmarks and --debug). */
export interface FixVerification {
  readonly checked: number;
  readonly rejected: number;
  readonly ms: number;
}

/**
 * Keeps a finding's fix only when fixRejection accepts it: each fix is applied to the project's texts and the
 * whole project re-analysed (`reanalyze`, which must not verify again). Findings keep their order.
 */
export function verifyFixes(
  before: Analysis,
  readFile: (file: string) => string | undefined,
  reanalyze: (overlay: ReadonlyMap<string, string>) => Analysis,
): { findings: Finding[]; stats: FixVerification } {
  const t0 = performance.now();
  let checked = 0;
  let rejected = 0;
  const limited = stoppedAtLimit(before);
  const findings = before.findings.map((f) => {
    if (!f.fix) return f;
    checked++;
    const reason = limited ? LIMIT_REJECTION : verifyFix(before, f, readFile, reanalyze);
    if (reason === undefined) return f;
    rejected++;
    return { ...f, fix: undefined };
  });
  return { findings, stats: { checked, rejected, ms: performance.now() - t0 } };
}
