/**
 * The layers where you type, over plain LSP: CodeLens and inlay hints (overrides by later layers, values from
 * defaults), Go to Definition, Find All References, document links, and the open-location server command.
 * Thin: the data comes from core/features/layers.ts on the last analysis; every shown value goes through the
 * one secret masker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeLensRefreshRequest,
  InlayHintKind,
  InlayHintRefreshRequest,
  type CodeLens,
  type CodeLensParams,
  type Command,
  type Connection,
  type DefinitionParams,
  type DocumentLink,
  type DocumentLinkParams,
  type ExecuteCommandParams,
  type InlayHint,
  type InlayHintLabelPart,
  type InlayHintParams,
  type Location,
  type Position,
  type Range,
  type ReferenceParams,
} from 'vscode-languageserver/node';
import {
  DEFAULTS_AUTHORITY,
  DEFAULTS_DOCUMENT_REQUEST,
  DEFAULTS_SCHEME,
  LAYERS_CHANGED_NOTIFICATION,
  LAYERS_REQUEST,
  SERVER_COMMAND_OPEN_LOCATION,
  type DefaultsDocumentParams,
  type DefaultsDocumentResult,
  type LayersParams,
  type LayersResult,
} from '../../../common/protocol';
import { redactorFor } from '../core/secrets';
import type { Analysis } from '../core/analyze';
import { builtInDefinition, defaultsDocumentAt } from '../core/features/defaults-document';
import {
  defaultsFor,
  definitionAt,
  layersView,
  linkCandidatesInText,
  overridesIn,
  referencesAt,
  settingAt,
} from '../core/features/layers';
import { moduleCandidates } from '../core/layers/project';
import { textChange } from '../core/python/line-index';
import type { Span } from '../core/types';
import { rangeOf } from './diagnostics';
import { pathToUri, uriToPath } from './files';
import { guarded } from './guard';
import type { AnalysisView, ProjectState, Workspace } from './workspace';

/** The one masker, loaded with the secrets of this analysis (once per analysis). */
export function maskerOf(analysis: Analysis): (text: string) => string {
  const redactor = redactorFor(analysis);
  return (text) => redactor.text(text);
}

export interface LocationArg {
  readonly uri: string;
  readonly range: Range;
}

function locationOf(workspace: Workspace, analysis: Analysis, span: Span): Location {
  return { uri: workspace.files.uriOf(span.file), range: rangeOf(analysis, span) };
}

/** The client opens DEFAULTS_SCHEME documents (it said so in initializationOptions). */
let defaultsDocuments = false;

/**
 * Where a built-in default of `name` is written: its line in the defaults document (DEFAULTS_SCHEME), for
 * clients that open those; undefined when a file sets the value or the client cannot open the document.
 */
function defaultLocation(analysis: Analysis, name: string): Location | undefined {
  if (!defaultsDocuments) return undefined;
  const at = builtInDefinition(analysis, name);
  if (!at) return undefined;
  const pos = { line: at.line, character: 0 };
  return { uri: `${DEFAULTS_SCHEME}://${DEFAULTS_AUTHORITY}${at.path}`, range: { start: pos, end: pos } };
}

/** DEFAULTS_DOCUMENT_REQUEST: the text of a defaults document, or null for a URI that names none. */
export function defaultsDocument(params: DefaultsDocumentParams): DefaultsDocumentResult | null {
  let docPath: string;
  try {
    const url = new URL(params.uri);
    if (url.protocol !== `${DEFAULTS_SCHEME}:`) return null;
    docPath = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  const doc = defaultsDocumentAt(docPath);
  return doc ? { text: doc.text } : null;
}

function openCommand(title: string, loc: Location | undefined): Command {
  // A lens without a location (a built-in default) is a label: an empty command id runs nothing.
  return loc
    ? {
        title,
        command: SERVER_COMMAND_OPEN_LOCATION,
        arguments: [{ uri: loc.uri, range: loc.range } satisfies LocationArg],
      }
    : { title, command: '' };
}

/** Line ranges of the first line of a span (lenses sit above the statement). */
function lineRange(analysis: Analysis, span: Span): Range {
  const r = rangeOf(analysis, span);
  return { start: r.start, end: r.start };
}

/** The analysis CodeLens and inlay hints read: the last one, never a new one (they are asked again after it). */
function lastAnalysis(workspace: Workspace, uri: string): { view: AnalysisView; file: string } | undefined {
  const file = uriToPath(uri);
  const view = workspace.analysisFor(uri, false);
  return file && view ? { view, file } : undefined;
}

function inlineMode(state: ProjectState): 'codeLens' | 'inlayHint' | 'off' {
  return state.settings?.options.inlineValues ?? 'codeLens';
}

/** First-line notes of the settings a file does not set, unless `inlineDefaults` is off. */
function notesOf(state: ProjectState, a: Analysis, file: string): ReturnType<typeof defaultsFor> {
  return state.settings?.options.inlineDefaults === false ? [] : defaultsFor(a, file);
}

/** Lenses and hints of a file, per analysis: computed once (right after the analysis), then only read. */
const inlineCache = new WeakMap<Analysis, Map<string, CodeLens[] | InlayHint[]>>();

function cached<T extends CodeLens[] | InlayHint[]>(a: Analysis, key: string, make: () => T): T {
  let m = inlineCache.get(a);
  if (!m) {
    m = new Map();
    inlineCache.set(a, m);
  }
  const hit = m.get(key) as T | undefined;
  if (hit) return hit;
  const made = make();
  m.set(key, made);
  return made;
}

/** Maps a position of the analysed text to the document's current text, or undefined (see `currentPositions`). */
type PositionMap = (p: Position) => Position | undefined;

/** The last `currentPositions` of each analysis (requests while you type ask for the same version again). */
const positionMaps = new WeakMap<Analysis, { file: string; version: number; map: PositionMap }>();

/**
 * Where a position of the text the last analysis read is in the document now, for answers from that analysis
 * while a newer one runs (CodeLens and inlay hints read it, never wait for the next): the text before the
 * changed stretch and after it is the same, so a position there moves with the edit; one inside the changed
 * text has no place (its lens or hint is left out until the analysis of the new text), never a wrong line.
 */
function currentPositions(view: AnalysisView, file: string, workspace: Workspace): PositionMap {
  const same: PositionMap = (p) => p;
  if (view.fresh) return same;
  const doc = workspace.files.openDocument(file);
  const lines = view.analysis.lines(file);
  if (!doc || !lines) return () => undefined;
  const hit = positionMaps.get(view.analysis);
  if (hit && hit.file === file && hit.version === doc.version) return hit.map;
  const now = doc.getText();
  const change = textChange(lines.text, now);
  const map: PositionMap =
    change.from === change.toOld && change.from === change.toNew
      ? same
      : (p) => {
          const o = lines.offsetAt(p);
          // At the start of an insertion: what follows it (a lens sits at its statement's start); the first
          // line's notes (about the file) stay on the first line.
          if (o < change.from || o === 0) return doc.positionAt(o);
          if (o < change.toOld) return undefined;
          return doc.positionAt(o + change.toNew - change.toOld);
        };
  positionMaps.set(view.analysis, { file, version: doc.version, map });
  return map;
}

/** A range of the analysed text in the document now, or undefined (see `currentPositions`). */
function mapRange(r: Range, map: PositionMap): Range | undefined {
  const start = map(r.start);
  const end = start && map(r.end);
  return start && end ? { start, end } : undefined;
}

/** A command opening a location: one in the same document is mapped too (dropped when it has no place). */
function mapCommand(command: Command | undefined, uri: string, map: PositionMap): Command | undefined | null {
  const arg = command?.arguments?.[0] as LocationArg | undefined;
  if (!command || !arg || arg.uri !== uri) return command;
  const range = mapRange(arg.range, map);
  return range ? { ...command, arguments: [{ uri: arg.uri, range } satisfies LocationArg] } : null;
}

export function codeLenses(workspace: Workspace, uri: string): CodeLens[] {
  const last = lastAnalysis(workspace, uri);
  if (!last || inlineMode(last.view.state) !== 'codeLens') return [];
  const { view, file } = last;
  const lenses = cached(view.analysis, `lens:${file}`, () =>
    makeCodeLenses(workspace, view.state, view.analysis, file),
  );
  if (view.fresh) return lenses;
  const map = currentPositions(view, file, workspace);
  const out: CodeLens[] = [];
  for (const lens of lenses) {
    const range = mapRange(lens.range, map);
    const command = mapCommand(lens.command, uri, map);
    if (range && command !== null) out.push({ ...lens, range, command });
  }
  return out;
}

function makeCodeLenses(workspace: Workspace, state: ProjectState, a: Analysis, file: string): CodeLens[] {
  const mask = maskerOf(a);
  const out: CodeLens[] = [];
  for (const o of overridesIn(a, file)) {
    out.push({
      range: lineRange(a, o.at.target),
      command: openCommand(mask(o.label), locationOf(workspace, a, o.by.target)),
    });
  }
  for (const d of notesOf(state, a, file)) {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      command: openCommand(
        mask(d.label),
        d.span ? locationOf(workspace, a, d.span) : defaultLocation(a, d.name),
      ),
    });
  }
  return out;
}

export function inlayHints(workspace: Workspace, uri: string, range: Range): InlayHint[] {
  const last = lastAnalysis(workspace, uri);
  if (!last || inlineMode(last.view.state) !== 'inlayHint') return [];
  const { view, file } = last;
  const all = cached(view.analysis, `hint:${file}`, () =>
    makeInlayHints(workspace, view.state, view.analysis, file),
  );
  const inRange = (h: InlayHint): boolean =>
    h.position.line >= range.start.line && h.position.line <= range.end.line;
  if (view.fresh) return all.filter(inRange);
  const map = currentPositions(view, file, workspace);
  const out: InlayHint[] = [];
  for (const hint of all) {
    const position = map(hint.position);
    if (!position) continue;
    const label = typeof hint.label === 'string' ? hint.label : mapLabel(hint.label, uri, map);
    if (label === null) continue;
    const moved = { ...hint, position, label };
    if (inRange(moved)) out.push(moved);
  }
  return out;
}

/** The parts of a hint's label, locations and commands in the same document mapped (null: one has no place). */
function mapLabel(parts: InlayHintLabelPart[], uri: string, map: PositionMap): InlayHintLabelPart[] | null {
  const out: InlayHintLabelPart[] = [];
  for (const part of parts) {
    let location = part.location;
    if (location && location.uri === uri) {
      const range = mapRange(location.range, map);
      if (!range) return null;
      location = { uri, range };
    }
    const command = mapCommand(part.command, uri, map);
    if (command === null) return null;
    out.push({ ...part, ...(location ? { location } : {}), ...(command ? { command } : {}) });
  }
  return out;
}

function makeInlayHints(workspace: Workspace, state: ProjectState, a: Analysis, file: string): InlayHint[] {
  const lines = a.lines(file);
  if (!lines) return [];
  const mask = maskerOf(a);
  const out: InlayHint[] = [];
  const endOfLine = (line: number): { line: number; character: number } => ({
    line,
    character: lines.lineText(line).replace(/\s+$/, '').length,
  });
  for (const o of overridesIn(a, file)) {
    const line = lines.positionAt(o.at.target.from).line;
    const loc = locationOf(workspace, a, o.by.target);
    out.push({
      position: endOfLine(line),
      label: [{ value: mask(o.label), location: loc, command: openCommand(mask(o.label), loc) }],
      kind: InlayHintKind.Type,
      paddingLeft: true,
    });
  }
  for (const d of notesOf(state, a, file)) {
    const loc = d.span ? locationOf(workspace, a, d.span) : defaultLocation(a, d.name);
    out.push({
      position: endOfLine(0),
      label: [
        loc
          ? { value: mask(d.label), location: loc, command: openCommand(mask(d.label), loc) }
          : { value: mask(d.label) },
      ],
      kind: InlayHintKind.Type,
      paddingLeft: true,
    });
  }
  return out;
}

/** A fresh analysis of the document and the offset of a position in it (navigation needs exact offsets). */
function at(
  workspace: Workspace,
  uri: string,
  position: { line: number; character: number },
): { analysis: Analysis; file: string; offset: number } | undefined {
  const view = workspace.analysisFor(uri);
  const file = uriToPath(uri);
  const doc = file ? workspace.files.openDocument(file) : undefined;
  if (!view?.fresh || !file || !doc) return undefined;
  return { analysis: view.analysis, file, offset: doc.offsetAt(position) };
}

/**
 * Go to Definition: the write that wins (or an alias's CACHES key); for a setting whose value is a built-in
 * default, its line in the defaults document (clients that open those).
 */
export function definition(workspace: Workspace, params: DefinitionParams): Location[] {
  const p = at(workspace, params.textDocument.uri, params.position);
  if (!p) return [];
  const spans = definitionAt(p.analysis, p.file, p.offset);
  if (spans.length > 0) return spans.map((s) => locationOf(workspace, p.analysis, s));
  const name = settingAt(p.analysis, p.file, p.offset);
  const loc = name ? defaultLocation(p.analysis, name) : undefined;
  return loc ? [loc] : [];
}

export function references(workspace: Workspace, params: ReferenceParams): Location[] {
  const p = at(workspace, params.textDocument.uri, params.position);
  if (!p) return [];
  return referencesAt(p.analysis, p.file, p.offset).map((w) => locationOf(workspace, p.analysis, w.target));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDir(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The first `.py` file of a directory in Horizon's order (sorted names), or undefined. */
function firstSnippet(dir: string): string | undefined {
  try {
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.py') && !n.startsWith('__'));
    for (const n of names.sort()) if (isFile(path.join(dir, n))) return path.join(dir, n);
  } catch {
    // Unreadable: no link.
  }
  return undefined;
}

/**
 * Links of a document, per document version (and analysis): a link is checked against the disk once. The
 * analysis is held weakly: a parked project's (lsp/workspace.ts `parkIdle`) goes, and its links are made again.
 */
const linkCache = new Map<
  string,
  { version: number; analysis: WeakRef<Analysis> | undefined; links: DocumentLink[] }
>();
const LINK_CACHE_SIZE = 200;

/** Documents whose links are cached (tested to follow the open documents). */
export function cachedLinkDocuments(): number {
  return linkCache.size;
}

/**
 * Links in any open settings file, from its text (it need not belong to an analysed project): star imports
 * resolved next to the file, path literals (`local_settings.d`, `horizon.conf`, `settings.py`) and
 * `exec(open(…))` includes resolved against the file's directory (and its project's root), only when the
 * target exists; a directory opens its first snippet (in the project's load order when the file has one).
 */
export function documentLinks(workspace: Workspace, params: DocumentLinkParams): DocumentLink[] {
  const uri = params.textDocument.uri;
  const file = uriToPath(uri);
  const doc = file ? workspace.files.openDocument(file) : undefined;
  if (!file || !doc) return [];
  const view = workspace.analysisFor(uri, false);
  const analysis = view?.fresh ? view.analysis : undefined;
  const hit = linkCache.get(uri);
  // A collected analysis (null) is none of today's.
  const madeWith = hit?.analysis ? (hit.analysis.deref() ?? null) : undefined;
  if (hit && hit.version === doc.version && madeWith === analysis) return hit.links;
  const root = analysis?.model.root;
  const layers = analysis?.model.files.map((f) => f.path) ?? [];
  const out: DocumentLink[] = [];
  for (const c of linkCandidatesInText(doc.getText(), file)) {
    let target: string | undefined;
    if (c.module) {
      const bases = root ? [root, path.dirname(file)] : [path.dirname(file)];
      for (const base of bases) {
        target = moduleCandidates(c.module.name, c.module.level, file, base).find(isFile);
        if (target) break;
      }
    } else if (c.path) {
      const p = c.path;
      const candidates = path.isAbsolute(p)
        ? [p]
        : [path.dirname(file), ...(root ? [root] : [])].map((b) => path.resolve(b, p));
      for (const cand of candidates) {
        if (isFile(cand)) target = cand;
        else if (isDir(cand)) {
          const dir = cand.replace(/[\\/]+$/, '') + path.sep;
          target = layers.find((l) => l.startsWith(dir)) ?? firstSnippet(cand);
        }
        if (target) break;
      }
    }
    if (!target || target === file) continue;
    out.push({
      range: { start: doc.positionAt(c.span.from), end: doc.positionAt(c.span.to) },
      target: pathToUri(target),
      tooltip: `Open ${target}`,
    });
  }
  // Entries of closed documents go: each holds the analysis it was made with (a large project's is megabytes).
  for (const u of linkCache.keys()) {
    const f = uriToPath(u);
    if (!f || !workspace.files.openDocument(f)) linkCache.delete(u);
  }
  if (linkCache.size >= LINK_CACHE_SIZE) linkCache.clear();
  linkCache.set(uri, { version: doc.version, analysis: analysis && new WeakRef(analysis), links: out });
  return out;
}

let showDocumentSupported = false;

/** workspace/executeCommand of SERVER_COMMAND_OPEN_LOCATION: window/showDocument. */
async function openLocation(
  connection: Connection,
  params: ExecuteCommandParams,
): Promise<{ opened: boolean }> {
  const arg = params.arguments?.[0] as Partial<LocationArg> | undefined;
  // Clients without window/showDocument (Neovim 0.7) map the command to their own jump instead.
  if (!showDocumentSupported || !arg || typeof arg.uri !== 'string' || !arg.range) return { opened: false };
  const r = await connection.window.showDocument({ uri: arg.uri, selection: arg.range, takeFocus: true });
  return { opened: r.success };
}

export const LAYER_COMMANDS: Record<
  string,
  (connection: Connection, p: ExecuteCommandParams) => Promise<unknown>
> = {
  [SERVER_COMMAND_OPEN_LOCATION]: openLocation,
};

export interface LayerCapabilities {
  readonly codeLensRefresh: boolean;
  readonly inlayHintRefresh: boolean;
  /** The client handles LAYERS_CHANGED_NOTIFICATION (it said so in initializationOptions). */
  readonly layersChanged: boolean;
  /** The client handles window/showDocument. */
  readonly showDocument: boolean;
  /** The client opens DEFAULTS_SCHEME documents (it said so in initializationOptions). */
  readonly defaultsDocuments: boolean;
}

/** The layers view of a document's project, from its last analysis; values masked. */
export function layers(workspace: Workspace, uri: string): LayersResult | null {
  const view = workspace.analysisFor(uri, false);
  if (!view) return null;
  const a = view.analysis;
  const mask = maskerOf(a);
  const s = a.summary;
  const summary = [
    s.kind === 'horizon' ? `Horizon ${s.horizonRelease ?? '(unknown release)'}` : 'Django project',
    `Django ${s.djangoVersion ?? 'unknown'}`,
    s.profile,
  ].join(' · ');
  return {
    summary,
    root: a.model.root,
    layers: layersView(a).map((l) => ({
      role: l.role,
      label: l.label,
      ...(l.path ? { uri: workspace.files.uriOf(l.path) } : {}),
      settings: l.settings.map((r) => ({
        label: r.label,
        value: mask(r.value),
        effective: r.effective,
        kind: r.kind,
        ...(r.note ? { note: mask(r.note) } : {}),
        ...(r.span
          ? { uri: workspace.files.uriOf(r.span.file), range: rangeOf(a, r.span) }
          : // A built-in default that nothing overrides opens its line in the defaults document.
            (defaultLocation(a, r.name) ?? {})),
      })),
    })),
  };
}

export function registerLayers(connection: Connection, workspace: Workspace, caps: LayerCapabilities): void {
  showDocumentSupported = caps.showDocument;
  defaultsDocuments = caps.defaultsDocuments;
  // After each analysis the client asks again for lenses and hints (they read the last analysis only).
  // Lenses or hints of the project's open files are made right after the analysis, before its diagnostics go out,
  // so requests only read them.
  workspace.prepared.push((state) => {
    // The masker of this analysis (hover, lenses and the view all mask through it) is built here, once.
    if (state.analysis) maskerOf(state.analysis);
    const mode = inlineMode(state);
    for (const f of state.members) {
      const uri = workspace.files.uriOf(f);
      if (mode === 'codeLens') codeLenses(workspace, uri);
      else if (mode === 'inlayHint')
        inlayHints(workspace, uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    }
  });
  workspace.analysed.push(() => {
    if (caps.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (caps.inlayHintRefresh)
      void connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
  });
  if (caps.layersChanged) {
    workspace.analysed.push((state) => {
      const uris = [...state.members].map((f) => workspace.files.uriOf(f));
      void connection.sendNotification(LAYERS_CHANGED_NOTIFICATION, { uris });
    });
  }
  connection.onRequest(
    LAYERS_REQUEST,
    guarded(connection, 'layers', null as LayersResult | null, (p: LayersParams) => layers(workspace, p.uri)),
  );
  connection.onRequest(
    DEFAULTS_DOCUMENT_REQUEST,
    guarded(
      connection,
      'defaultsDocument',
      null as DefaultsDocumentResult | null,
      (p: DefaultsDocumentParams) => defaultsDocument(p),
    ),
  );
  connection.onCodeLens(
    guarded(connection, 'codeLens', [] as CodeLens[], (p: CodeLensParams) =>
      codeLenses(workspace, p.textDocument.uri),
    ),
  );
  connection.languages.inlayHint.on(
    guarded(connection, 'inlayHint', [] as InlayHint[], (p: InlayHintParams) =>
      inlayHints(workspace, p.textDocument.uri, p.range),
    ),
  );
  connection.onDefinition(
    guarded(connection, 'definition', [] as Location[], (p) => definition(workspace, p)),
  );
  connection.onReferences(
    guarded(connection, 'references', [] as Location[], (p) => references(workspace, p)),
  );
  connection.onDocumentLinks(
    guarded(connection, 'documentLink', [] as DocumentLink[], (p) => documentLinks(workspace, p)),
  );
}
