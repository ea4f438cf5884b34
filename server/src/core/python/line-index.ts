/** Converts between UTF-16 offsets and 0-based line/character positions of one text. */
import { commonPrefix, commonSuffix } from './segmented-parse';

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 code unit column. */
  readonly character: number;
}

/** Where two texts differ: `from` the first changed character, `toOld`/`toNew` the end of the change in each. */
export interface TextChange {
  readonly from: number;
  readonly toOld: number;
  readonly toNew: number;
}

/** The one changed stretch between `before` and `after` (common prefix and suffix compared in chunks). */
export function textChange(before: string, after: string): TextChange {
  const from = commonPrefix(before, after);
  const end = commonSuffix(before, after, Math.min(before.length, after.length) - from);
  return { from, toOld: before.length - end, toNew: after.length - end };
}

export class LineIndex {
  // Line starts are computed on first use: most parses of an edited file never need them.
  private computed: Uint32Array | undefined;
  private edited: { readonly previous: LineIndex; readonly change: TextChange } | undefined;
  /**
   * The line starts found so far, when only the first lines were asked about (`known`): a CLI run over a long
   * file places its findings on a few lines, often near the top, and needs no scan of the rest.
   */
  private partial: number[] | undefined;
  /** Every `\n` before this offset is in `partial`. */
  private scanned = 0;

  constructor(readonly text: string) {}

  /**
   * The index of `text`, an edited copy of `previous`'s text (`change` between them). When `previous` knows its
   * line starts, the new ones are derived from them on first use (the unchanged lines before and after the edit
   * are kept, shifted), not scanned again over the whole text. The new index holds the previous one (`edit`), which
   * lets go of its own, so no chain of texts builds up.
   */
  static after(previous: LineIndex, text: string, change: TextChange): LineIndex {
    const index = new LineIndex(text);
    index.edited = { previous, change };
    previous.edited = undefined;
    return index;
  }

  /** The index this one's text was edited from, and the change, until this one's text is edited in turn. */
  get edit(): { readonly previous: LineIndex; readonly change: TextChange } | undefined {
    return this.edited;
  }

  private get starts(): Uint32Array {
    if (this.computed) return this.computed;
    const base = this.edited?.previous.computed;
    this.computed =
      base && this.edited ? derivedStarts(base, this.text, this.edited.change) : lineStarts(this.text);
    this.partial = undefined;
    return this.computed;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Line starts enough to answer for `line` (its start and the next line's) and for `offset` (every start at or
   * before it): all of them once computed or derived, else those a scan from the text's start finds up to
   * there, continued where the last one stopped (a text without `\r`: each `\n` ends a line).
   */
  private known(line: number, offset: number): ArrayLike<number> {
    if (this.computed || this.edited?.previous.computed) return this.starts;
    let partial = this.partial;
    if (!partial) {
      if (this.text.includes('\r')) return this.starts;
      partial = this.partial = [0];
    }
    const text = this.text;
    while (partial.length <= line + 1 || this.scanned < offset) {
      const i = text.indexOf('\n', this.scanned);
      if (i < 0) {
        // The whole text scanned: these are all its starts.
        this.computed = Uint32Array.from(partial);
        this.partial = undefined;
        return this.computed;
      }
      partial.push(i + 1);
      this.scanned = i + 1;
    }
    return partial;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.known(-1, o);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (starts[lo] ?? 0) };
  }

  offsetAt(pos: Position): number {
    const starts = this.known(pos.line, 0);
    if (pos.line >= starts.length) return this.text.length;
    const start = starts[Math.max(0, pos.line)] ?? 0;
    const end = this.lineEnd(pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
  }

  lineStart(line: number): number {
    const starts = this.known(line, 0);
    return starts[Math.max(0, Math.min(line, starts.length - 1))] ?? 0;
  }

  /** Offset of the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    const next = this.known(line, 0)[line + 1];
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (end > 0 && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** Where the lines of `text` start: after a `\n`, a `\r\n` or a lone `\r`. */
function lineStarts(text: string): Uint32Array {
  if (!text.includes('\r')) {
    // Only `\n` breaks lines: the native search finds them, counted first so the array is made once.
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const out = new Uint32Array(count);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out[k++] = i + 1;
    return out;
  }
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return Uint32Array.from(starts);
}

/** Whether a line starts at `p` (> 0): the same answer as `lineStarts`, from the two characters around `p`. */
function startsLine(text: string, p: number): boolean {
  const c = text.charCodeAt(p - 1);
  return c === 10 || (c === 13 && text.charCodeAt(p) !== 10);
}

/**
 * The line starts of `text` from those of the text it was edited from (`old`): a start depends only on the characters before and at
 * it, so the starts before the first changed character and those after the changed text (shifted) are the old
 * ones, and only the changed stretch is looked at.
 */
function derivedStarts(old: Uint32Array, text: string, change: TextChange): Uint32Array {
  const { from, toOld, toNew } = change;
  const delta = toNew - toOld;
  const kept = Math.max(1, firstAbove(old, from - 1)); // the old starts before `from` (0 always)
  const resumed = firstAbove(old, toOld); // the old starts after the changed text
  const changed: number[] = [];
  for (let p = Math.max(1, from); p <= toNew; p++) if (startsLine(text, p)) changed.push(p);
  const starts = new Uint32Array(kept + changed.length + old.length - resumed);
  starts.set(old.subarray(0, kept));
  starts.set(changed, kept);
  for (let k = resumed, at = kept + changed.length; k < old.length; k++, at++)
    starts[at] = (old[k] as number) + delta;
  return starts;
}

/** The index of the first of the ascending `starts` greater than `p` (their length if none is). */
function firstAbove(starts: Uint32Array, p: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) > p) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
