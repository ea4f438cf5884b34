/** Findings of all analysed projects → one ordered, de-duplicated list of output-ready diagnostics (1-based UTF-16 positions, secrets masked); shared by the text, JSON and SARIF writers, no I/O. */
import type { Analysis } from '../core/analyze';
import type { FixApplicability, Severity, Span } from '../core/types';
import type { Redactor } from '../core/secrets';

/** 1-based lines; 1-based columns in UTF-16 code units; the end is exclusive (as in SARIF). */
export interface Location {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface PresentedEdit extends Location {
  readonly newText: string;
}

export interface PresentedFix {
  readonly title: string;
  readonly applicability: FixApplicability;
  readonly edits: readonly PresentedEdit[];
  /**
   * True when an edit's new text held a secret and was masked: the edit is for reading, not for applying
   * (applying it would write the mask into the file). `--fix` itself never goes through this masking.
   */
  readonly redacted: boolean;
}

export interface PresentedRelated extends Location {
  readonly message: string;
}

/** The primary line of the diagnostic as shown under it, masked, with the underlined part of it. */
export interface Excerpt {
  readonly text: string;
  /** UTF-16 offsets into `text`; `from === to` for an empty span. */
  readonly from: number;
  readonly to: number;
}

export interface PresentedDiagnostic extends Location {
  readonly severity: Severity;
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly url: string | undefined;
  readonly related: readonly PresentedRelated[];
  readonly fix: PresentedFix | null;
  readonly excerpt: Excerpt | undefined;
}

/** Locates a span in its file (positions in the file, not in any masked rendering of it). */
export function locate(analysis: Analysis, span: Span): Location {
  const li = analysis.lines(span.file);
  if (!li) return { path: span.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = li.positionAt(span.from);
  const end = li.positionAt(Math.max(span.from, span.to));
  return {
    path: span.file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

function excerptOf(analysis: Analysis, span: Span, redactor: Redactor): Excerpt | undefined {
  const li = analysis.lines(span.file);
  if (!li) return undefined;
  const start = li.positionAt(span.from);
  const end = li.positionAt(Math.max(span.from, span.to));
  const raw = li.lineText(start.line);
  // Only the span's first line is underlined: to its end, or to the end of that line when it goes on.
  const to = end.line === start.line ? end.character : raw.length;
  const masked = redactor.sourceLine(raw);
  return {
    text: masked.text,
    from: masked.map(start.character),
    to: Math.max(masked.map(start.character), masked.map(to, true)),
  };
}

/** One project's diagnostic with the key that identifies its finding across projects (see mergePresented). */
export interface KeyedDiagnostic {
  readonly key: string;
  readonly diagnostic: PresentedDiagnostic;
}

/** All projects' findings, masked and located, ordered by path, position and code; identical ones once. */
export function presentDiagnostics(analyses: readonly Analysis[], redactor: Redactor): PresentedDiagnostic[] {
  return mergePresented(analyses.map((a) => presentProject(a, redactor)));
}

/**
 * Projects' keyed diagnostics (in project order) → one list ordered by path, position and code, where a finding
 * two projects share (a file two arguments reach) appears once. Plain data in and out, so projects analysed in
 * worker threads (./parallel.ts) merge exactly as the serial run does.
 */
export function mergePresented(projects: readonly (readonly KeyedDiagnostic[])[]): PresentedDiagnostic[] {
  const out: PresentedDiagnostic[] = [];
  const seen = new Set<string>();
  for (const project of projects) {
    for (const { key, diagnostic } of project) {
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(diagnostic);
    }
  }
  return out.sort(compareDiagnostics);
}

/** One project's findings, masked and located, in finding order, each with its key. */
export function presentProject(analysis: Analysis, redactor: Redactor): KeyedDiagnostic[] {
  const out: KeyedDiagnostic[] = [];
  for (const f of analysis.findings) {
    // A file shared by two projects (two arguments reaching it) reports the same finding once.
    const key = `${f.code}\0${f.span.file}\0${f.span.from}\0${f.span.to}\0${f.message}`;
    let fix: PresentedFix | null = null;
    if (f.fix) {
      let redacted = false;
      const edits = f.fix.edits.map((e) => {
        const newText = redactor.text(e.newText);
        if (newText !== e.newText) redacted = true;
        return { ...locate(analysis, e), newText };
      });
      fix = { title: redactor.text(f.fix.title), applicability: f.fix.applicability, edits, redacted };
    }
    out.push({
      key,
      diagnostic: {
        ...locate(analysis, f.span),
        severity: f.severity,
        code: f.code,
        name: f.name,
        message: bounded(redactor.text(f.message)),
        url: f.url,
        related: f.related.map((r) => ({
          ...locate(analysis, r.span),
          message: bounded(redactor.text(r.message)),
        })),
        fix,
        excerpt: excerptOf(analysis, f.span, redactor),
      },
    });
  }
  return out;
}

/** Longest message printed: a value quoted from a megabyte-long literal is cut (after masking, never before). */
export const MAX_MESSAGE_CHARS = 2_000;

function bounded(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  let cut = MAX_MESSAGE_CHARS;
  if ((message.charCodeAt(cut) & 0xfc00) === 0xdc00) cut--; // never split a surrogate pair
  return `${message.slice(0, cut)}…`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareDiagnostics(a: PresentedDiagnostic, b: PresentedDiagnostic): number {
  return (
    compareStrings(a.path, b.path) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

/** Severity order, most severe first; `--fail-on information` fails on information and above, never on hints. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  error: 0,
  warning: 1,
  information: 2,
  hint: 3,
};

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  /** Information and hint diagnostics together (the summary line has no hint column). */
  readonly infos: number;
  readonly hints: number;
  /** Diagnostics whose fix `--fix` applies (safe ones; unsafe too with --unsafe-fixes). */
  readonly fixable: number;
  /** Diagnostics with an unsafe fix that `--fix` alone leaves alone. */
  readonly unsafeFixable: number;
}

export function countDiagnostics(diagnostics: readonly PresentedDiagnostic[], unsafeFixes: boolean): Counts {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let hints = 0;
  let fixable = 0;
  let unsafeFixable = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
    if (d.severity === 'hint') hints++;
    if (d.fix?.applicability === 'safe' || (d.fix && unsafeFixes)) fixable++;
    else if (d.fix) unsafeFixable++;
  }
  return { errors, warnings, infos, hints, fixable, unsafeFixable };
}
