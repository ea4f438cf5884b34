/** Parses Python settings text with @lezer/python: never throws, masks template tags, applies size limits. */
import { TreeFragment, type SyntaxNode, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Span } from '../types';
import { isFastTree } from './fast-parse';
import { LineIndex, textChange, type TextChange } from './line-index';
import {
  commonPrefix,
  commonSuffix,
  lezerParse,
  parseSegmentedInSteps,
  resegment,
  SEGMENT_LINES,
  segmentsAndDepthInSteps,
  segmentsUnterminated,
  topLevelSegments,
  unclosedBracket,
  type SegmentedParse,
  type SegmentRange,
  type SegmentTree,
  type SegmentTrees,
} from './segmented-parse';
import {
  firstUndecodableByte,
  firstUnterminatedString,
  MAX_BRACKET_DEPTH,
  normaliseFormFeeds,
  tooDeepBrackets,
} from './source-checks';
import { finish, type Steps } from '../steps';
import { hasTaggedString, isTemplatePath, maskTemplates } from './templates';

export { TEMPLATE_MASK } from './templates';

/** Files larger than this are analysed only up to the last line that fits (DSL003). */
export const MAX_FILE_CHARS = 2_000_000;

export interface ParsedFile {
  readonly file: string;
  /** The original text (spans and fixes refer to it). */
  readonly text: string;
  /** The text the parser saw: same length as `text` up to `analysedLength`, template tags masked. */
  readonly source: string;
  readonly tree: Tree;
  readonly lines: LineIndex;
  /** First syntax error, if any (DSL001). */
  readonly syntaxError?: Span | undefined;
  /** What the syntax error is, when known better than "not valid Python" (bad bytes, unterminated string). */
  readonly syntaxErrorReason?: string | undefined;
  /** True when template tags were found and masked (DSL002). */
  readonly template: boolean;
  /** Set when a limit stopped analysis (DSL003). */
  readonly limit?: { readonly reason: string; readonly at: number } | undefined;
  /** Trees of the top-level segments of a long file, reused by the next incremental parse. */
  readonly segments?: SegmentTrees | undefined;
  /** Where those segments are in the text (with `segments`). */
  readonly ranges?: readonly SegmentRange[] | undefined;
  /**
   * The segments' texts (with `ranges`), the keys of `segments`: the next parse of an edited copy looks its
   * unchanged segments up with these same strings, whose hash is known, instead of hashing and comparing new
   * copies of the whole text.
   */
  readonly segmentTexts?: readonly string[] | undefined;
  /**
   * Known to hold no form feed, template tag or undecodable byte (an edited long file's parse): the next edit's
   * parse looks for them only in the changed stretch.
   */
  readonly plain?: boolean | undefined;
  /**
   * The text this parse was made from by an edit (an edited long file's parse) and the changed stretch: the
   * evaluation's resume point and replay plan take it instead of comparing the two texts again.
   */
  readonly edited?: { readonly before: string; readonly change: TextChange } | undefined;
}

/**
 * Parses `text`. With `previous` (an earlier parse of the same file), unchanged parts of its tree are reused
 * (lezer's incremental parsing), which keeps typing in a large file fast. The result always equals a full
 * parse's: lezer's error recovery can differ between the two, so text with a syntax error is parsed afresh.
 */
export function parsePython(file: string, text: string, previous?: ParsedFile): ParsedFile {
  return finish(parseWhole(file, text, previous, false, undefined));
}

/**
 * `parsePython`, pausing when `pause` says so: between the steps of an edited long file's parse
 * (`editedLongFile`: finding the segments again, checking and parsing the new ones, the checks over the whole
 * text), between the segments of a fresh parse and inside lezer's parse of one (`parseSegmentedInSteps`: an
 * error-dense file takes lezer seconds, issue #11).
 */
export function* parsePythonInSteps(
  file: string,
  text: string,
  previous: ParsedFile | undefined,
  pause: () => boolean,
  /** Segment trees kept from parses of this file dropped part-way (`parseSegmentedInSteps`). */
  scratch?: Map<string, SegmentTree>,
): Steps<ParsedFile> {
  let quick: ParsedFile | undefined;
  try {
    quick = yield* editedLongFile(file, text, previous, pause);
  } catch {
    quick = undefined;
  }
  return quick ?? (yield* parseWhole(file, text, previous, true, pause, scratch));
}

function* parseWhole(
  file: string,
  text: string,
  previous: ParsedFile | undefined,
  quickTried: boolean,
  pause: (() => boolean) | undefined,
  scratch?: Map<string, SegmentTree>,
): Steps<ParsedFile> {
  try {
    return yield* parseChecked(file, text, previous, false, quickTried, pause, scratch);
  } catch (e) {
    // Whatever the parser could not take (a stack overflow in its tree building on a shape the bracket
    // pre-check does not see): the file is reported as not analysed, never the whole run lost.
    const reason = e instanceof RangeError ? 'the parser ran out of stack' : 'the parser failed';
    const tree = parser.parse('');
    return {
      file,
      text,
      source: '',
      tree,
      lines: new LineIndex(text),
      template: false,
      limit: { reason, at: 0 },
    };
  }
}

function* parseChecked(
  file: string,
  text: string,
  previous: ParsedFile | undefined,
  formFeedsMoved: boolean,
  quickTried: boolean,
  pause: (() => boolean) | undefined,
  scratch?: Map<string, SegmentTree>,
): Steps<ParsedFile> {
  const quick = formFeedsMoved || quickTried ? undefined : yield* editedLongFile(file, text, previous, pause);
  if (quick) return quick;
  const { analysed, limit, ranges } = yield* withinLimits(text, pause);
  if (pause?.()) yield;
  if (!formFeedsMoved && analysed.includes('\f')) {
    // CPython reads form feeds as whitespace; lezer does not in indentation. Parse a same-length copy.
    const normalised = yield* withFormFeedsMoved(analysed, pause);
    if (normalised !== analysed)
      return withSource(
        yield* parseChecked(file, normalised, undefined, true, false, pause),
        file,
        text,
        limit,
      );
  }
  const { source, template, parsed } = yield* maskedIfTemplate(
    file,
    analysed,
    yield* parseReusing(file, analysed, previous, ranges, pause, scratch),
    pause,
  );
  if (pause?.()) yield;
  // Masking keeps the length, so the error is looked for over the same range.
  const error = syntaxErrorOf(
    file,
    parsed.firstError(),
    firstUndecodableByte(analysed),
    unterminatedIn(parsed, source),
    { ranges: parsed.ranges, source },
  );
  return {
    file,
    text,
    source,
    tree: parsed.tree,
    lines: new LineIndex(text),
    syntaxError: error.syntaxError,
    syntaxErrorReason: error.syntaxErrorReason,
    template,
    limit,
    segments: parsed.segments,
    ranges: parsed.segments ? parsed.ranges : undefined,
    segmentTexts: parsed.segments ? parsed.texts : undefined,
    // The fields of an edited long file's parse too, in its order: every ParsedFile has one hidden class, so the
    // code that reads them (the evaluator's spans and texts) is not deoptimised when a fix's trial analysis reads
    // an edited parse after the first analysis read a full one.
    plain: undefined,
    edited: undefined,
  };
}

/** The part of `text` that is analysed, and the limit (DSL003) that cut it there, if any. */
function* withinLimits(
  text: string,
  pause: (() => boolean) | undefined,
): Steps<{
  analysed: string;
  limit: ParsedFile['limit'];
  /** The segments of `analysed` (topLevelSegments), unless brackets nested too deep cut it. */
  ranges?: SegmentRange[] | undefined;
}> {
  let analysed = text;
  let limit: ParsedFile['limit'];
  let ranges: SegmentRange[] | undefined;
  /** The deepest bracket nesting the scan of the text's first MAX_FILE_CHARS characters met. */
  let headDepth = 0;
  if (text.length > MAX_FILE_CHARS) {
    // Cut where the last top-level statement that starts within the limit begins: a statement cut in the
    // middle would be a syntax error of our making. The scanner's state does not depend on where it cuts, so
    // every segment start is a statement start with a clean state: the last statement start is found from the
    // last segment's start, and the segments before the cut are those of the analysed text (one scan of it).
    const head = text.slice(0, MAX_FILE_CHARS + 1);
    const scanned = yield* segmentsAndDepthInSteps(head, SEGMENT_LINES, pause);
    const segs = scanned.ranges;
    headDepth = scanned.maxDepth;
    const last = segs.at(-1)?.from ?? 0;
    const at = last + (topLevelSegments(head.slice(last), 1).at(-1)?.from ?? 0);
    analysed = text.slice(0, at);
    limit = { reason: `file is larger than ${MAX_FILE_CHARS} characters`, at };
    if (at > 0) {
      ranges = segs.filter((r) => r.from < at);
      ranges[ranges.length - 1] = { ...(ranges.at(-1) ?? { from: 0 }), to: at };
    }
  }
  // The segments' scan measures the bracket depth too: the check's own scan runs only when it went too deep
  // (the analysed text of a file over the size limit is a prefix of the scanned head: at most as deep).
  let deep: ReturnType<typeof tooDeepBrackets>;
  if (ranges) {
    if (headDepth > MAX_BRACKET_DEPTH) deep = tooDeepBrackets(analysed);
  } else {
    const scanned = yield* segmentsAndDepthInSteps(analysed, SEGMENT_LINES, pause);
    ranges = scanned.ranges;
    if (scanned.maxDepth > MAX_BRACKET_DEPTH) deep = tooDeepBrackets(analysed);
  }
  if (deep) {
    ranges = undefined;
    analysed = analysed.slice(0, deep.statementStart);
    limit = {
      reason: `brackets nested deeper than ${MAX_BRACKET_DEPTH}, CPython's limit (line ${lineOf(text, deep.at)})`,
      at: deep.statementStart,
    };
  }
  return { analysed, limit, ranges };
}

/** `text` with its form feeds moved where lezer reads them as CPython does (`normaliseFormFeeds`; strings untouched). */
function* withFormFeedsMoved(text: string, pause: (() => boolean) | undefined): Steps<string> {
  const first = yield* lezerParse(text, undefined, pause);
  return normaliseFormFeeds(text, (at) => /String/.test(first.resolveInner(at, 1).name));
}

/** A parse's tree and segments, with its first syntax error looked for once (a walk of the whole tree), when asked. */
class TreeWithError {
  /** Undefined: no error; null: not looked for yet. A segmented parse already knows whether any segment has one. */
  private error: Span | undefined | null;

  constructor(
    private readonly file: string,
    /** The parsed text's length: an error is reported within it. */
    private readonly length: number,
    private readonly parsed: SegmentedParse,
  ) {
    const known = parsed.error === true && parsed.ranges ? parsed.firstError : undefined;
    this.error = parsed.error === false ? undefined : known ? clipped(file, length, known) : null;
  }

  get tree(): Tree {
    return this.parsed.tree;
  }
  get segments(): SegmentTrees | undefined {
    return this.parsed.segments;
  }
  get ranges(): readonly SegmentRange[] | undefined {
    return this.parsed.ranges;
  }
  get texts(): readonly string[] | undefined {
    return this.parsed.texts;
  }

  firstError(): Span | undefined {
    if (this.error === null) this.error = findFirstError(this.parsed.tree, this.file, this.length);
    return this.error;
  }
}

/**
 * The first unterminated string of a parse. A segmented tree of the unmasked text is searched segment by
 * segment, each answer remembered with its segment's tree (`segmentsUnterminated`, the same answer as the walk
 * of the joined tree): the next parse of an edited copy (typing, a fix's trial analysis) looks only at its new
 * segments.
 */
function unterminatedIn(parsed: TreeWithError, source: string): { from: number; to: number } | undefined {
  // A masked parse keeps no segments (maskedIfTemplate).
  const bySegment =
    parsed.segments && parsed.ranges
      ? segmentsUnterminated(source, parsed.ranges, parsed.segments, parsed.texts)
      : null;
  return bySegment === null ? firstUnterminatedString(parsed.tree, source) : bySegment;
}

/** Parses `analysed`, reusing what `previous` allows; text with a syntax error is parsed afresh (see parsePython). */
function* parseReusing(
  file: string,
  analysed: string,
  previous: ParsedFile | undefined,
  ranges: readonly SegmentRange[] | undefined,
  pause: (() => boolean) | undefined,
  scratch?: Map<string, SegmentTree>,
): Steps<TreeWithError> {
  const fragments = reusableFragments(previous, analysed);
  // Segment trees are keyed by their own text, so they are reusable whenever a parse kept them: also after a
  // size or bracket limit cut the text (`source` is then a prefix of `text`). Masked and form-feed-normalised
  // parses keep none.
  const segments = previous?.segments;
  const reused = new TreeWithError(
    file,
    analysed.length,
    yield* parseSegmentedInSteps(
      analysed,
      segments ? undefined : fragments,
      SEGMENT_LINES,
      segments,
      ranges,
      true,
      undefined,
      pause,
      scratch,
    ),
  );
  if (fragments && reused.firstError())
    return new TreeWithError(file, analysed.length, yield* parseFresh(analysed, pause));
  return reused;
}

/** The text the parser sees and its parse: `analysed` with its template tags masked and parsed again, if any. */
function* maskedIfTemplate(
  file: string,
  analysed: string,
  parsed: TreeWithError,
  pause: (() => boolean) | undefined,
): Steps<{ source: string; template: boolean; parsed: TreeWithError }> {
  if (!readAsTemplate(file, analysed, parsed)) return { source: analysed, template: false, parsed };
  const m = maskTemplates(analysed);
  if (!m.found) return { source: analysed, template: isTemplatePath(file), parsed };
  // Masked text: its segments are not reusable for the next edit.
  const masked = { ...(yield* parseFresh(m.masked, pause)), segments: undefined, ranges: undefined };
  return { source: m.masked, template: true, parsed: new TreeWithError(file, analysed.length, masked) };
}

/** `parseSegmented(text)`, pausing when `pause` says so. */
function parseFresh(text: string, pause: (() => boolean) | undefined): Steps<SegmentedParse> {
  return parseSegmentedInSteps(text, undefined, SEGMENT_LINES, undefined, undefined, true, undefined, pause);
}

/**
 * Whether the file is read as a template. A .py file is treated as a template only when its tags break the
 * Python or sit in plain string literals; `{{` inside f-strings and dict/set displays is ordinary Python.
 */
function readAsTemplate(file: string, analysed: string, parsed: TreeWithError): boolean {
  if (isTemplatePath(file)) return true;
  if (!/\{\{|\{%|<%/.test(analysed)) return false;
  return parsed.firstError() !== undefined || hasTaggedString(parsed.tree, analysed);
}

/**
 * The syntax error reported: a byte that is not UTF-8 or an unterminated string literal when it comes no later
 * than the tree's first error, with what it is; else the tree's first error.
 */
function syntaxErrorOf(
  file: string,
  treeError: Span | undefined,
  badByte: { at: number; byte: number } | undefined,
  unterminated: { from: number; to: number } | undefined,
  /** The segments, when the tree is their join: an error after a bracket left open is reported at the bracket. */
  unclosed?: { readonly ranges: readonly SegmentRange[] | undefined; readonly source: string },
): { syntaxError: Span | undefined; syntaxErrorReason: string | undefined } {
  if (badByte && (!treeError || badByte.at <= treeError.from))
    return {
      syntaxError: { file, from: badByte.at, to: badByte.at + 1 },
      syntaxErrorReason: `byte 0x${badByte.byte.toString(16).padStart(2, '0')} is not UTF-8 and no coding comment declares another encoding; CPython refuses the file`,
    };
  if (unterminated && (!treeError || unterminated.from <= treeError.from))
    return {
      syntaxError: { file, from: unterminated.from, to: unterminated.to },
      syntaxErrorReason: 'unterminated string literal',
    };
  const bracket =
    treeError && unclosed?.ranges ? unclosedBracket(unclosed.ranges, treeError.from) : undefined;
  if (treeError && unclosed && bracket !== undefined)
    return {
      syntaxError: { file, from: bracket, to: bracket + 1 },
      syntaxErrorReason: `'${unclosed.source.charAt(bracket)}' was never closed`,
    };
  return { syntaxError: treeError, syntaxErrorReason: undefined };
}

/**
 * The parse of an edited long file from its previous parse without a scan or walk of the whole text: the
 * segments are found again from the change on (`resegment`), only segments with new text are checked for deep
 * brackets and parsed, unterminated strings and syntax errors are looked for per segment text. Undefined (the
 * full path runs) whenever that path could decide otherwise: a syntax error where a whole parse is tried
 * (`parseSegmented` `wholeMayHelp`), template tags, form feeds, a size limit, a previous parse that was not
 * segmented. The result equals the full path's (the segmented-parse
 * tests check it after random edits).
 */
function* editedLongFile(
  file: string,
  text: string,
  previous: ParsedFile | undefined,
  pause?: () => boolean,
): Steps<ParsedFile | undefined> {
  if (!previous?.ranges || !previous.segments || previous.file !== file) return undefined;
  if (previous.source !== previous.text || previous.limit || previous.template) return undefined;
  if (text.length > MAX_FILE_CHARS || isTemplatePath(file)) return undefined;
  const change = textChange(previous.text, text);
  // Form feeds and template tags send the file down the full path; a plain previous text had none, so only the
  // changed stretch (with a character either side for two-character tags) can bring one.
  const { from, toNew } = change;
  const fresh = previous.plain ? text.slice(Math.max(0, from - 1), toNew + 1) : text;
  if (fresh.includes('\f') || /\{\{|\{%|<%/.test(fresh)) return undefined;
  const ranges = resegment(previous.text, previous.ranges, text, SEGMENT_LINES, change);
  if (ranges.length < 2) return undefined;
  if (pause?.()) yield;
  const texts = segmentTextsAfter(previous, ranges, text, change);
  // Brackets nested too deep cut the file (the full path): a segment's depth starts at 0, so only new ones count.
  for (const segText of texts)
    if (!previous.segments.has(segText) && tooDeepBrackets(segText)) return undefined;
  if (pause?.()) yield;
  const known = withEditedSegments(previous, ranges, texts);
  if (pause?.()) yield;
  const parsed = yield* parseSegmentedInSteps(
    text,
    undefined,
    SEGMENT_LINES,
    known,
    ranges,
    false,
    texts,
    pause,
  );
  // A segment with a syntax error: the full path would try a whole parse only where a cut may be wrong.
  if (parsed.error === undefined || parsed.wholeMayHelp || !parsed.segments || !parsed.ranges)
    return undefined;
  const treeError = parsed.firstError && clipped(file, text.length, parsed.firstError);
  if (parsed.error && !treeError) return undefined;
  if (pause?.()) yield;
  const unterminated = segmentsUnterminated(text, parsed.ranges, parsed.segments, parsed.texts);
  if (unterminated === null) return undefined;
  if (pause?.()) yield;
  const badByte = previous.plain ? undecodableIn(text, from, toNew + 1) : firstUndecodableByte(text);
  const error = syntaxErrorOf(file, treeError, badByte, unterminated, {
    ranges: parsed.ranges,
    source: text,
  });
  if (pause?.()) yield;
  return {
    file,
    text,
    source: text,
    tree: parsed.tree,
    lines: LineIndex.after(previous.lines, text, change),
    syntaxError: error.syntaxError,
    syntaxErrorReason: error.syntaxErrorReason,
    template: false,
    limit: undefined,
    segments: parsed.segments,
    ranges: parsed.ranges,
    segmentTexts: parsed.texts,
    plain: badByte === undefined,
    edited: { before: previous.text, change },
  };
}

/**
 * The first undecodable byte (`firstUndecodableByte`) at an offset in [from, to) of `text`: whether a lone low
 * surrogate is one depends on the character before it, so an edit can make one only there.
 */
function undecodableIn(text: string, from: number, to: number): { at: number; byte: number } | undefined {
  const re = /[\uDC80-\uDCFF]/g;
  const part = text.slice(from, to);
  for (let m = re.exec(part); m; m = re.exec(part)) {
    const at = from + m.index;
    const prev = text.charCodeAt(at - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) continue; // the low half of a valid surrogate pair
    return { at, byte: text.charCodeAt(at) - 0xdc00 };
  }
  return undefined;
}

/**
 * The texts of the segments at `ranges` of `text`, an edited copy of `previous.text`: a segment whose range is
 * one of the previous parse's (before the edit, or after it shifted by the change in length) and whose text is
 * therefore the same takes the previous string; a new one is a copy of its own (`(' ' + s).slice(1)` makes V8
 * copy the characters), so that the strings kept from one parse to the next never hold an older whole text.
 */
function segmentTextsAfter(
  previous: ParsedFile,
  ranges: readonly SegmentRange[],
  text: string,
  change: TextChange,
): string[] {
  const oldRanges = previous.ranges ?? [];
  const oldTexts = previous.segmentTexts;
  const delta = change.toNew - change.toOld;
  const start = change.from;
  const changedTo = change.toNew;
  const byFrom = new Map<number, number>();
  oldRanges.forEach((r, k) => byFrom.set(r.from, k));
  return ranges.map((r) => {
    const k =
      r.to <= start ? byFrom.get(r.from) : r.from >= changedTo ? byFrom.get(r.from - delta) : undefined;
    const old = k === undefined ? undefined : oldRanges[k];
    const same = old && old.to - old.from === r.to - r.from ? oldTexts?.[k as number] : undefined;
    return same ?? (' ' + text.slice(r.from, r.to)).slice(1);
  });
}

/**
 * The previous segment trees and, for each segment with new text, its tree parsed with lezer's incremental
 * parsing from the tree of the previous segment at the same start (`TreeFragment`: only the changed stretch is
 * parsed again; a segment is at most SEGMENT_LINES lines, a keystroke changes one of them). A tree with a
 * syntax error is parsed afresh, since lezer's error recovery can differ between the two; without one the tree
 * is the one a fresh parse gives (`test/lsp/incremental-parse.test.ts`).
 */
function withEditedSegments(
  previous: ParsedFile,
  ranges: readonly SegmentRange[],
  texts: readonly string[],
): SegmentTrees {
  const known = previous.segments ?? new Map<string, SegmentTree>();
  const oldRanges = previous.ranges ?? [];
  const oldTexts = previous.segmentTexts ?? [];
  let extended: Map<string, SegmentTree> | undefined;
  for (const [k, segText] of texts.entries()) {
    if (known.has(segText) || extended?.has(segText)) continue;
    const from = (ranges[k] as { from: number }).from;
    const j = oldRanges.findIndex((r) => r.from === from);
    const base = j < 0 ? undefined : oldTexts[j];
    const baseTree = base === undefined ? undefined : known.get(base);
    // A fast-path tree has no look-ahead records, so lezer would reuse little of it: the fast path is quicker.
    if (!base || !baseTree || baseTree.error || baseTree.fast) continue;
    const tree = reparsed(baseTree.tree, base, segText);
    if (!tree) continue;
    extended ??= new Map(known);
    extended.set(segText, { tree, error: false });
  }
  return extended ?? known;
}

/** `text` parsed reusing the tree of `before` outside the changed stretch; undefined when it has a syntax error. */
function reparsed(tree: Tree, before: string, text: string): Tree | undefined {
  const from = commonPrefix(before, text);
  const end = commonSuffix(before, text, Math.min(before.length, text.length) - from);
  const change = { fromA: from, toA: before.length - end, fromB: from, toB: text.length - end };
  const parsed = parser.parse(text, TreeFragment.applyChanges(TreeFragment.addTree(tree), [change]));
  return findFirstError(parsed, '', text.length) ? undefined : parsed;
}

/** A parse of a same-length stand-in for `text` (form feeds moved), presented as the parse of `text`. */
function withSource(parsed: ParsedFile, file: string, text: string, limit: ParsedFile['limit']): ParsedFile {
  return {
    ...parsed,
    file,
    text,
    lines: new LineIndex(text),
    limit: limit ?? parsed.limit,
    segments: undefined,
  };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Fragments of a previous tree for the one changed range between its text and `next` (none after masking). */
function reusableFragments(
  previous: ParsedFile | undefined,
  next: string,
): readonly TreeFragment[] | undefined {
  // A masked or truncated previous parse saw other text than its `text`: start afresh.
  // A joined segmented tree is not a valid source of fragments for lezer.
  if (!previous || previous.segments || previous.source !== previous.text || previous.limit) return undefined;
  // A fast-path tree has no look-ahead records: lezer would reuse little of it, the fast path is quicker.
  if (isFastTree(previous.tree)) return undefined;
  const before = previous.text;
  const start = commonPrefix(before, next);
  const end = commonSuffix(before, next, Math.min(before.length, next.length) - start);
  const change = { fromA: start, toA: before.length - end, fromB: start, toB: next.length - end };
  return TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), [change]);
}

function findFirstError(tree: Tree, file: string, length: number): Span | undefined {
  let found: Span | undefined;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (node.type.isError) {
        found = clipped(file, length, node);
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** An error node's span within the parsed text's length. */
function clipped(file: string, length: number, node: { from: number; to: number }): Span {
  const from = Math.min(node.from, length);
  return { file, from, to: Math.max(from, Math.min(node.to, length)) };
}

/** Children of a node, skipping comments. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  // `type.name`, a field: `name` is a getter (a call per child in a fresh process' unoptimised code).
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.type.name !== 'Comment') out.push(c);
  return out;
}
