/**
 * Applying fixes: one fix to a text, and fix-all across a project that re-analyses until no edits remain.
 * Pure: the caller supplies texts and an analysis callback; nothing is written here.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './analyze';
import type { Finding, Fix, TextEdit } from './types';

/** Applies edits (offsets into `text`) with vscode-languageserver-textdocument; overlapping edits are an error. */
export function applyEdits(
  text: string,
  edits: readonly Pick<TextEdit, 'from' | 'to' | 'newText'>[],
): string {
  const doc = TextDocument.create('memory://fix', 'python', 0, text);
  return TextDocument.applyEdits(
    doc,
    edits.map((e) => ({
      range: { start: doc.positionAt(e.from), end: doc.positionAt(e.to) },
      newText: e.newText,
    })),
  );
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
