/** The diagnostics one file shows: its own findings plus findings from other layers mirrored onto its assignments (ARCHITECTURE.md, "Effective values, not lines"); pure, no LSP types, no I/O. */
import type { SyntaxNode, Tree } from '@lezer/common';
import { isSuppressedAt } from '../suppression';
import type { Analysis } from '../analyze';
import { projectPath } from '../layers/locations';
import type { Finding, Fix, RelatedLocation, Severity, Span, TextEdit } from '../types';

export interface FileDiagnostic {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly severity: Severity;
  /** Where it is shown in this file. */
  readonly span: Span;
  readonly related: readonly RelatedLocation[];
  readonly fix?: Fix | undefined;
  readonly url?: string | undefined;
  /** For a finding that lives in another file: where it really is. */
  readonly mirroredFrom?: Span | undefined;
}

export interface FileDiagnosticsOptions {
  /** DSL001 is left to the editor's Python support unless this is set (docs/rules.md, DSL001). */
  readonly reportSyntaxErrors?: boolean;
}

const SYNTAX_ERROR_CODE = 'DSL001';

/**
 * The diagnostics to show in `file`: findings placed in it, and findings placed in another file whose
 * settings this file assigns (shown on that assignment, once, with related information to the real place).
 */
export function diagnosticsForFile(
  analysis: Analysis,
  file: string,
  options: FileDiagnosticsOptions = {},
): FileDiagnostic[] {
  const shown = analysis.findings.filter((f) => options.reportSyntaxErrors || f.code !== SYNTAX_ERROR_CODE);
  const own: FileDiagnostic[] = shown
    .filter((f) => f.span.file === file)
    .map((f) => ({
      code: f.code,
      name: f.name,
      message: f.message,
      severity: f.severity,
      span: f.span,
      related: f.related,
      fix: f.fix,
      url: f.url,
    }));
  const text = analysis.model.files.find((f) => f.path === file)?.parsed.text;
  const mirrored: FileDiagnostic[] = [];
  const seen = new Set<string>();
  for (const f of shown) {
    if (f.span.file === file) continue;
    const target = mirrorTarget(analysis, f, file);
    if (!target) continue;
    const key = `${f.code}|${target.from}|${target.to}|${f.message}`;
    if (seen.has(key)) continue;
    // The same code already reported on this assignment (e.g. DSL404 is reported on both files): one is enough.
    if (
      own.some(
        (d) =>
          d.code === f.code &&
          d.span.from < Math.max(target.to, target.from + 1) &&
          target.from < Math.max(d.span.to, d.span.from + 1),
      )
    )
      continue;
    if (text !== undefined && mirrorSuppressed(analysis, text, target, f.code)) continue;
    seen.add(key);
    const where = `${projectPath(analysis.model.root, f.span.file)}:${analysis.lineOf(f.span)}`;
    mirrored.push({
      code: f.code,
      name: f.name,
      message: `${f.message} (reported in ${where})`,
      severity: f.severity,
      span: target,
      related: [
        { span: f.span, message: `${f.code} is reported here` },
        ...f.related.filter((r) => !(r.span.file === file && r.span.from === target.from)),
      ],
      fix: f.fix,
      url: f.url,
      mirroredFrom: f.span,
    });
  }
  return [...own, ...mirrored].sort(
    (a, b) => a.span.from - b.span.from || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/**
 * Where a finding from another file shows in `file`: the last assignment in `file` of the setting the finding
 * sits on (else of its first related setting that `file` assigns); a star import that binds it as a last resort.
 */
function mirrorTarget(analysis: Analysis, f: Finding, file: string): Span | undefined {
  if (f.settings.length === 0) return undefined;
  const events = analysis.model.events;
  // The setting whose statement holds the finding, so DSL104 on a snippet's CACHES lands on this file's CACHES.
  const holder = events.find(
    (e) =>
      e.span.file === f.span.file &&
      e.span.from <= f.span.from &&
      f.span.to <= e.span.to &&
      f.settings.includes(e.name),
  );
  const names = holder ? [holder.name, ...f.settings.filter((s) => s !== holder.name)] : f.settings;
  for (const name of names) {
    const here = events.filter((e) => e.span.file === file && e.name === name && e.kind !== 'delete');
    const assigned = here.filter((e) => e.kind !== 'import');
    const pick = assigned[assigned.length - 1] ?? here[here.length - 1];
    if (pick) return pick.kind === 'import' ? pick.span : pick.target;
  }
  return undefined;
}

function mirrorSuppressed(analysis: Analysis, text: string, target: Span, code: string): boolean {
  const lines = analysis.lines(target.file);
  if (!lines) return false;
  return isSuppressedAt(text, lines, { ...target, to: target.from }, code);
}

const LINE_IGNORE_RE = /#\s*session-lint:\s*ignore(\[([^\]]*)\])?/;

/**
 * The edit behind "Disable DSLxxx for this line": appends `# session-lint: ignore[DSLxxx]` to the line, or adds
 * the code to the list already there. Undefined when the line already ignores it, or when a comment there would
 * not be a comment (the line continues with `\` or ends inside a string literal).
 */
export function suppressionEdit(
  analysis: Analysis,
  file: string,
  line: number,
  code: string,
): TextEdit | undefined {
  const lines = analysis.lines(file);
  const parsed = analysis.model.files.find((f) => f.path === file)?.parsed;
  if (!lines || line < 0 || line >= lines.lineCount) return undefined;
  const start = lines.lineStart(line);
  const lineText = lines.lineText(line);
  const existing = LINE_IGNORE_RE.exec(lineText);
  if (existing && !lineText.slice(0, existing.index).includes('ignore-file')) {
    if (existing[1] === undefined) return undefined;
    const codes = (existing[2] ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (codes.some((c) => code.startsWith(c))) return undefined;
    const listFrom = start + existing.index + existing[0].length - 1;
    const separator = codes.length > 0 ? ', ' : '';
    return { file, from: listFrom, to: listFrom, newText: `${separator}${code}` };
  }
  const content = lineText.replace(/\s+$/, '');
  if (content.endsWith('\\')) return undefined;
  const at = start + content.length;
  if (parsed && insideString(parsed.tree, at)) return undefined;
  const gap = content.length === 0 ? '' : '  ';
  return { file, from: at, to: at, newText: `${gap}# session-lint: ignore[${code}]` };
}

/** True when `offset` is inside a (multi-line) string literal, where `#` would not start a comment. */
function insideString(tree: Tree, offset: number): boolean {
  for (let n: SyntaxNode | null = tree.resolveInner(offset, 1); n; n = n.parent) {
    if ((n.name === 'String' || n.name === 'FormatString') && n.from < offset && offset < n.to) return true;
  }
  return false;
}
