/** Core file diagnostics → LSP Diagnostics: ranges, related information, documentation links, and the fix carried in `data` (the server keeps no fix state). No analysis here. */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { Analysis } from '../core/analyze';
import type { FileDiagnostic } from '../core/features/diagnostics';
import { projectPath } from '../core/layers/locations';
import { redactorFor } from '../core/secrets';
import type { FixApplicability, Severity } from '../core/types';

export const SOURCE = 'django-session-lint';

/** What a diagnostic's `data` carries so a later code action can apply the fix without server state. */
export interface FixData {
  readonly kind: 'djangoSessionLint.fix';
  readonly title: string;
  readonly applicability: FixApplicability;
  readonly edits: readonly { readonly uri: string; readonly edits: readonly LspTextEdit[] }[];
  /** The texts the edits were computed on: an open document's version, or a hash of a file's text. */
  readonly guards: readonly FixGuard[];
}

export type FixGuard =
  { readonly uri: string; readonly version: number } | { readonly uri: string; readonly hash: string };

export function isFixData(data: unknown): data is FixData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Partial<FixData>;
  return (
    d.kind === 'djangoSessionLint.fix' &&
    typeof d.title === 'string' &&
    Array.isArray(d.edits) &&
    Array.isArray(d.guards)
  );
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface ConvertContext {
  readonly uriOf: (file: string) => string;
  /** The guard for a file the analysis read: the open document's analysed version, else a text hash. */
  readonly guardOf: (file: string) => FixGuard | undefined;
}

export function rangeOf(analysis: Analysis, span: { file: string; from: number; to: number }): Range {
  const lines = analysis.lines(span.file);
  if (!lines) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: lines.positionAt(span.from), end: lines.positionAt(Math.max(span.from, span.to)) };
}

function relatedOf(
  analysis: Analysis,
  d: FileDiagnostic,
  ctx: ConvertContext,
): DiagnosticRelatedInformation[] {
  return d.related.map((r) => ({
    location: { uri: ctx.uriOf(r.span.file), range: rangeOf(analysis, r.span) },
    message: redactorFor(analysis).text(r.message),
  }));
}

function fixDataOf(analysis: Analysis, d: FileDiagnostic, ctx: ConvertContext): FixData | undefined {
  if (!d.fix) return undefined;
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of d.fix.edits) {
    const list = byFile.get(e.file) ?? [];
    list.push({ range: rangeOf(analysis, e), newText: e.newText });
    byFile.set(e.file, list);
  }
  const guards: FixGuard[] = [];
  for (const file of byFile.keys()) {
    const g = ctx.guardOf(file);
    if (!g) return undefined;
    guards.push(g);
  }
  return {
    kind: 'djangoSessionLint.fix',
    title: redactorFor(analysis).text(d.fix.title),
    applicability: d.fix.applicability,
    edits: [...byFile].map(([file, edits]) => ({ uri: ctx.uriOf(file), edits })),
    guards,
  };
}

/** One LSP diagnostic per core diagnostic of the file. */
export function toLspDiagnostics(
  analysis: Analysis,
  diagnostics: readonly FileDiagnostic[],
  ctx: ConvertContext,
): Diagnostic[] {
  return diagnostics.map((d) => {
    const out: Diagnostic = {
      range: rangeOf(analysis, d.span),
      severity: SEVERITY[d.severity],
      code: d.code,
      source: SOURCE,
      // Every message passes the one masker, as the CLI's do (the edits themselves are the user's own text).
      message: redactorFor(analysis).text(d.message),
    };
    if (d.url) out.codeDescription = { href: d.url };
    const related = relatedOf(analysis, d, ctx);
    if (related.length > 0) out.relatedInformation = related;
    const data = fixDataOf(analysis, d, ctx);
    if (data) out.data = data;
    return out;
  });
}

/**
 * A file of the project that exists but could not be read or used (a FIFO or a dangling link named like a
 * snippet, a layer it may not read), as the CLI words it (`local_settings.d/_90_x.py: a FIFO (named pipe), not
 * a regular file: skipped`), on the first line of an open file of that project: its findings were computed
 * without that file. A warning, not an error: the open file itself is not wrong (the CLI exits 2 for it).
 */
export function fileProblemDiagnostic(root: string, problem: { path: string; message: string }): Diagnostic {
  const top = { line: 0, character: 0 };
  return {
    range: { start: top, end: top },
    severity: DiagnosticSeverity.Warning,
    source: SOURCE,
    message: `${projectPath(root, problem.path)}: ${problem.message}`,
  };
}
