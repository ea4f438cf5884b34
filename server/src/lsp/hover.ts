/** textDocument/hover: the core's hover on the last analysis (a pending debounced analysis runs first; hover never triggers an extra one). */
import { MarkupKind, type Connection, type Hover, type HoverParams } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analyze';
import { hover, hoverIndexInSteps } from '../core/features/hover';
import { chainsAt } from '../core/features/layers';
import { escapeText } from '../core/features/markdown';
import { maskerOf } from './layers';
import { rangeOf } from './diagnostics';
import { guarded } from './guard';
import { uriToPath } from './files';
import { FLUSH_BUDGET_MS, type ProjectState, type Workspace } from './workspace';

/** Quiet time after an analysis before hover's index of its files is made in the background (ms). */
export const HOVER_INDEX_IDLE_MS = 200;

/**
 * Settings text of a project (characters) from which its hover index is made in the background. A hover in a
 * smaller project walks its values in well under a millisecond; an index kept for each of 100 open Horizon
 * layouts held ~3 MB of the server's memory (issue #11: <= 80 MB resident) for nothing.
 */
export const HOVER_INDEX_MIN_CHARS = 100_000;

/**
 * Makes hover's index of a file for up to `ms` (`hoverIndexInSteps`); whether it is complete. Each binding's walk
 * is memoised, so an index left unfinished is taken up where it stopped by the next hover or the background.
 */
function indexedWithin(analysis: Analysis, file: string, ms: number): boolean {
  const deadline = performance.now() + ms;
  // The clock is read every 32 names (it is asked after each: ~4,700 reads in the 10k-line file).
  let asks = 0;
  const steps = hoverIndexInSteps(analysis, file, () => (++asks & 31) === 0 && performance.now() >= deadline);
  return steps.next().done === true;
}

function projectChars(state: ProjectState): number {
  return state.analysis?.model.files.reduce((n, f) => n + f.parsed.text.length, 0) ?? 0;
}

/**
 * Hover's index of the open files of a project (the core's `hoverIndexInSteps`: the values a hover can be over,
 * memoised per binding) is made in the background, in time slices: after a file's first analysis at once (the
 * walk over every value of the file, so that no hover does it: a hover after typing walks only the bindings the
 * edits made), after later ones once the project has been quiet for HOVER_INDEX_IDLE_MS (not while typing).
 */
function indexInBackground(workspace: Workspace): (state: ProjectState) => void {
  const indexed = new WeakMap<ProjectState, Set<string>>();
  const timers = new WeakMap<ProjectState, NodeJS.Timeout>();
  const index = (state: ProjectState, files: readonly string[]): void => {
    const analysis = state.analysis;
    if (!analysis || files.length === 0) return;
    const done = indexed.get(state) ?? new Set<string>();
    indexed.set(state, done);
    void workspace.inBackground(state, function* (due) {
      for (const file of files) {
        yield* hoverIndexInSteps(analysis, file, due);
        done.add(file);
      }
    });
  };
  return (state) => {
    clearTimeout(timers.get(state));
    if (projectChars(state) < HOVER_INDEX_MIN_CHARS) return;
    const done = indexed.get(state);
    const fresh = [...state.members].filter((f) => !done?.has(f));
    if (fresh.length > 0) return index(state, fresh);
    const timer = setTimeout(() => index(state, [...state.members]), HOVER_INDEX_IDLE_MS);
    timer.unref();
    timers.set(state, timer);
  };
}

export function registerHover(connection: Connection, workspace: Workspace): void {
  workspace.analysed.push(indexInBackground(workspace));
  connection.onHover(
    guarded(connection, 'hover', null, (params: HoverParams): Hover | null => {
      const view = workspace.analysisFor(params.textDocument.uri);
      const file = uriToPath(params.textDocument.uri);
      const doc = file ? workspace.files.openDocument(file) : undefined;
      // Offsets of an older text would point at the wrong characters.
      if (!view?.fresh || !file || !doc) return null;
      // Hover's index of a huge file not made yet (the background work after its first analysis): made for a
      // while here, else nothing is shown this time (what was walked is kept for the next hover).
      if (!indexedWithin(view.analysis, file, FLUSH_BUDGET_MS)) return null;
      const offset = doc.offsetAt(params.position);
      const result = hover(view.analysis, file, offset);
      // Over a diagnostic: where the values it is about come from, in one line each.
      const mask = maskerOf(view.analysis);
      const chains = chainsAt(view.analysis, file, offset).map(
        (c) => `**${c.code}** ${escapeText(mask(c.chain))}`,
      );
      if (!result && chains.length === 0) return null;
      const markdown = [...chains, ...(result ? [result.markdown] : [])].join('\n\n');
      return {
        contents: { kind: MarkupKind.Markdown, value: mask(markdown) }, // the one masker, hover card included
        ...(result ? { range: rangeOf(view.analysis, result.span) } : {}),
      };
    }),
  );
}
