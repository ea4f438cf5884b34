/** Human-readable output like ruff's full format (header, source line, `^^^`, help/note lines, summary); renders strings only, no I/O. */
import { styleText } from 'node:util';
import type { Counts, Excerpt, PresentedDiagnostic } from './diagnostics';

type Format = Parameters<typeof styleText>[0];

export interface TextStyle {
  readonly color: boolean;
}

function paint(style: TextStyle, format: Format, text: string): string {
  // The caller decided (TTY, --no-color, NO_COLOR); styleText must not second-guess it on another stream.
  return style.color ? styleText(format, text, { validateStream: false }) : text;
}

const SEVERITY_COLOR: Readonly<Record<PresentedDiagnostic['severity'], 'red' | 'yellow' | 'blue' | 'cyan'>> =
  {
    error: 'red',
    warning: 'yellow',
    information: 'blue',
    hint: 'cyan',
  };

const TAB_WIDTH = 4;
/** Longest source excerpt shown, in terminal cells; a longer line is cut around the underlined part. */
const MAX_EXCERPT_CELLS = 200;
const CONTEXT_CELLS = 40;

/** Control characters (C0, DEL, C1) that a file or message could use to drive the terminal. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Makes control characters visible (`\x1b`) so a settings file can never drive the terminal. */
export function visible(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Terminal cells of one code point: 0 for combining marks and joiners, 2 for wide East Asian and emoji. */
export function cellWidth(cp: number): number {
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x1fa70 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

interface Cell {
  readonly text: string;
  /** First terminal column of the cell. */
  readonly col: number;
  readonly width: number;
}

/** The excerpt as terminal cells (tabs expanded, controls made visible) and the underline's columns. */
function layout(excerpt: Excerpt): { cells: Cell[]; from: number; to: number; width: number } {
  const cells: Cell[] = [];
  let col = 0;
  let from = -1;
  let to = -1;
  let offset = 0;
  for (const ch of excerpt.text) {
    if (offset === excerpt.from) from = col;
    if (offset === excerpt.to) to = col;
    const cp = ch.codePointAt(0) ?? 0;
    let text = ch;
    let width: number;
    if (ch === '\t') {
      width = TAB_WIDTH - (col % TAB_WIDTH);
      text = ' '.repeat(width);
    } else if (visible(ch) !== ch) {
      text = visible(ch);
      width = text.length;
    } else {
      width = cellWidth(cp);
    }
    cells.push({ text, col, width });
    col += width;
    offset += ch.length;
  }
  if (from < 0) from = col;
  if (to < 0) to = col;
  return { cells, from, to: Math.max(from, to), width: col };
}

/**
 * A very long line cut to the code units around the span before it is laid out, so a 5 MB line costs no
 * more than a short one (the excerpt shows MAX_EXCERPT_CELLS cells at most anyway).
 */
function windowOf(excerpt: Excerpt): { excerpt: Excerpt; before: boolean; after: boolean } {
  const reach = 4 * MAX_EXCERPT_CELLS;
  const { text } = excerpt;
  if (text.length <= 2 * reach) return { excerpt, before: false, after: false };
  const isLow = (i: number): boolean => (text.charCodeAt(i) & 0xfc00) === 0xdc00;
  let start = Math.max(0, excerpt.from - reach / 2);
  let end = Math.min(text.length, excerpt.from + reach);
  if (start > 0 && isLow(start)) start--;
  if (end < text.length && isLow(end)) end++;
  return {
    excerpt: {
      text: text.slice(start, end),
      from: excerpt.from - start,
      to: Math.max(excerpt.from, Math.min(excerpt.to, end)) - start,
    },
    before: start > 0,
    after: end < text.length,
  };
}

/** The source line and its underline, cut to a window around the span when the line is very long. */
function excerptLines(whole: Excerpt): { source: string; underline: { start: number; length: number } } {
  const { excerpt, before, after } = windowOf(whole);
  const { cells, from, to, width } = layout(excerpt);
  let lo = 0;
  let hi = width;
  if (width > MAX_EXCERPT_CELLS) {
    lo = Math.max(0, from - CONTEXT_CELLS);
    hi = Math.min(width, lo + MAX_EXCERPT_CELLS);
  }
  const shown = cells.filter((c) => c.col >= lo && c.col + c.width <= hi);
  const lead = lo > 0 || before ? '…' : '';
  const source = lead + shown.map((c) => c.text).join('') + (hi < width || after ? '…' : '');
  const start = from - lo + lead.length;
  const length = Math.max(1, Math.min(to, hi) - from);
  return { source, underline: { start, length } };
}

export function renderDiagnostic(d: PresentedDiagnostic, style: TextStyle): string {
  const color = SEVERITY_COLOR[d.severity];
  const lines: string[] = [];
  lines.push(
    `${paint(style, 'bold', visible(d.path))}:${d.line}:${d.column}: ${paint(style, ['bold', color], d.code)} ${visible(d.message)}`,
  );
  const gutterWidth = String(d.line).length;
  const pad = ' '.repeat(gutterWidth);
  const bar = paint(style, 'blue', `${pad} |`);
  if (d.excerpt) {
    const { source, underline } = excerptLines(d.excerpt);
    lines.push(bar);
    lines.push(`${paint(style, 'blue', `${d.line} |`)}${source === '' ? '' : ` ${source}`}`);
    // The severity follows the carets: the header keeps the `path:line:col: CODE message` shape.
    lines.push(
      `${bar} ${' '.repeat(underline.start)}${paint(style, color, '^'.repeat(underline.length))} ${paint(style, color, d.severity)}`,
    );
    lines.push(bar);
  }
  const eq = paint(style, 'blue', `${pad} =`);
  if (d.fix) {
    const unsafe = d.fix.applicability === 'unsafe' ? ' (unsafe)' : '';
    lines.push(`${eq} ${paint(style, ['bold', 'cyan'], 'help:')} ${visible(d.fix.title)}${unsafe}`);
  }
  for (const r of d.related)
    lines.push(`${eq} ${paint(style, 'bold', 'note:')} ${visible(r.message)}: ${visible(r.path)}:${r.line}`);
  return lines.join('\n') + '\n';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * `N errors, N warnings, N infos in N files (N fixable with --fix)`: hints count as infos (the line has no
 * hint column; JSON/SARIF keep them apart); "files" are the settings files analysed; the fixable part is
 * left out when nothing is fixable, and unsafe fixes get a line of their own so this one keeps its shape.
 */
export function renderSummary(counts: Counts, files: number, style: TextStyle): string {
  let line = `${plural(counts.errors, 'error', 'errors')}, ${plural(counts.warnings, 'warning', 'warnings')}, ${plural(counts.infos, 'info', 'infos')} in ${plural(files, 'file', 'files')}`;
  if (counts.fixable > 0) line += ` (${counts.fixable} fixable with --fix)`;
  let out = paint(style, 'bold', line) + '\n';
  if (counts.unsafeFixable > 0)
    out += `${plural(counts.unsafeFixable, 'more fix', 'more fixes')} available with --fix --unsafe-fixes\n`;
  return out;
}

export function renderText(diagnostics: readonly PresentedDiagnostic[], style: TextStyle): string {
  return diagnostics.map((d) => renderDiagnostic(d, style)).join('\n');
}
