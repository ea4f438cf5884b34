/**
 * The server's V8 heap, tuned for a long-running process that holds little (issue #11: ≤ 80 MB resident with 100
 * settings files open, flat after 10,000 edits). Imported first by main.ts, so it runs before the rest loads.
 *
 * - The young generation stays at its initial size (1 MB semi-spaces) instead of doubling up to 16 MB under
 *   allocation bursts (opening 100 files made it 32 MB, ~30 MB of the 111 MB resident). `--max-semi-space-size`
 *   would do the same but only on node's command line, which editors other than VS Code spell themselves; the
 *   growth factor is read at each growth, so setting it here works. A project of more than LARGE_PROJECT_CHARS
 *   lets it grow again, to LARGE_SEMI_SPACE_MB semi-spaces, not 16 MB: a scavenge copies what survives in the
 *   young generation, and an analysis of a 10,000-line file keeps most of what it allocates, so 16 MB
 *   semi-spaces made scavenges of 4-13 ms land inside whatever ran, CodeLens and hover requests waiting for
 *   them (issue #12: ≤ 10 ms p99); 4 MB ones pause about a third as long, for ~10-15% more CPU a keystroke (1 MB:
 *   ~20% more). The maximum is a start-up flag, so the growth is stopped instead, checked at every pause of an
 *   analysis and after it (`youngGenerationCheck`): a doubling needs as much to survive as the semi-space
 *   holds, so it stops at the size (measured: always 4 MB on the 10,000-line file).
 * - The old generation is collected when it has grown by HEAP_GROWING_PERCENT of the live heap (V8 keeps at
 *   least 8 MB of headroom), not by V8's own factor of up to 4 for a heap this small: while typing, each analysis
 *   replaces the last one's model, which was promoted, so the old generation fills with dead models (10,000
 *   edits over 100 open files: 24 MB live, 67 MB old generation, 133-153 MB resident). Bounded, the server stays
 *   within ~12 MB of its size after opening the files, at ~20 more major collections (~30 ms of CPU each) over
 *   those 10,000 edits. A large project doubles the live heap before collecting (LARGE_HEAP_GROWING_PERCENT):
 *   at a 10,000-line file's heap 20% cost ~35% more CPU a keystroke, 100% ~5-10% for ~19% less peak memory
 *   than V8's own factor (resetting the flag to 0 at run time, V8's default, let that heap grow to 200-300 MB).
 * - Until a large project, V8 optimises the heap for size (`--optimize-for-size`, read at each collection): the
 *   old generation grows by at least 2 MB instead of 8 MB between collections, and a full collection compacts
 *   pages a fifth empty (up to 6 MB) instead of only pages 70% empty (up to 4 MB). Typing fragments the old
 *   generation (each analysis's promoted model dies when the next replaces it): 10,000 edits over 100 open files
 *   left 20 MB live in 29-32 MB of pages; optimised for size, ~4 MB less resident at ~5% more CPU over those
 *   edits. A large project turns it off again (its keystrokes run more collections, each costlier).
 * - Until a large project, the old generation's collection starts marking (incrementally, mostly on V8's worker
 *   thread) once MARKING_START_PERCENT of its room to grow is used, not when it is nearly full: the edits keep
 *   allocating while marking runs, and what they promote meanwhile lands on top of the limit. 10,000 edits over
 *   100 open files, right after the edits (4 runs each, interleaved): 83.5 MB resident at V8's default, 81.4
 *   at 50%, 79.8 at 35%, 79.1 at 25%, for 4.0, 4.3, 4.8 and 5.4 s of server CPU over the edits (5.4 s is still
 *   less than the 6.3 s those edits cost before analyses ran one at a time, lsp/workspace.ts `run`). A large
 *   project turns it off again.
 * - After an analysis, once the server has been idle for IDLE_COLLECT_MS, one full collection returns what the
 *   analyses left behind: V8 grows the old generation to several times the live heap between collections and
 *   does not give the pages back while nothing allocates (live heap ~24 MB after 10,000 edits, old generation
 *   ~67 MB). `gc` is exposed to this module only (a fresh context), never to analysed text (nothing is executed).
 *   Idle means no analysis and no message from the client (`activity`) for that long: the collection, compacting,
 *   takes 20 ms or more on a large heap, and a request that arrived meanwhile would wait for it (issue #12).
 *
 * What the resident memory is while typing (`npm run bench -- lsp-open` prints it in its notes): right after
 * 10,000 edits over 100 open files, ~86 MB = ~41 MB of file-backed pages (the node binary's code and read-only
 * data: `node -e 0` already maps 30 MB of it) + ~8 MB of other anonymous memory (glibc's main arena ~6.5 MB,
 * the compiler thread's arena ~1.6 MB, stacks) + V8's heap, ~36 MB committed of which ~24 MB live: each
 * analysis replaces a promoted model (~90 KB a small project), so every round of edits leaves ~9 MB of garbage
 * in the old generation until the next collection. Tried and measured there, not kept: collecting with `gc()`
 * when a burst of analyses ends (none pending), before its last diagnostics go out, gives ~76-78 MB right
 * after the edits but costs ~35 ms of CPU each and made the server's CPU over the edits ~40-60% higher
 * (the analyses ran slower after forced collections, not only more of them); a smaller HEAP_GROWING_PERCENT
 * (10, 5) changed neither figure beyond the noise (the old generation's minimum step, 2 MB, and the new space
 * dominate the slack).
 */
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { traceMark } from './trace';

/**
 * Settings text of one project above which the young generation grows to LARGE_SEMI_SPACE_MB and the old one by
 * LARGE_HEAP_GROWING_PERCENT (characters).
 */
export const LARGE_PROJECT_CHARS = 100_000;
/** Quiet time after the last analysis before the heap is collected (ms). */
export const IDLE_COLLECT_MS = 2000;
/** Growth of the old generation over the live heap that starts a collection, until a large project (%). */
const HEAP_GROWING_PERCENT = 20;
/** The same once a large project was analysed (%). */
const LARGE_HEAP_GROWING_PERCENT = 100;
/** Share of the old generation's room to grow (limit minus size after the last collection) used when marking starts (%). */
const MARKING_START_PERCENT = 25;
/** Semi-space size the young generation grows to once a large project was analysed (MB; 1 MB before). */
export const LARGE_SEMI_SPACE_MB = 4;

let collect: (() => void) | undefined;
let grown = false;

try {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  v8.setFlagsFromString('--optimize-for-size');
  v8.setFlagsFromString(`--incremental-marking-hard-trigger=${MARKING_START_PERCENT}`);
  v8.setFlagsFromString('--expose-gc');
  collect = vm.runInNewContext('gc') as () => void;
} catch {
  collect = undefined;
}

/** The young generation: at its initial size, growing (a large project), or grown to LARGE_SEMI_SPACE_MB. */
let young: 'initial' | 'growing' | 'grown' = 'initial';

/** Called at every pause of an analysis: the young generation stops growing at LARGE_SEMI_SPACE_MB. */
export function youngGenerationCheck(): void {
  if (young !== 'growing') return;
  // The new space's size counts both semi-spaces.
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  if (space < 2 * LARGE_SEMI_SPACE_MB * 2 ** 20) return;
  young = 'grown';
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

let timer: NodeJS.Timeout | undefined;
let idleCollections = 0;

/**
 * How many idle collections ran (V8 also collects on its own; this counts only this module's). Read by the
 * heap tests, which load this module in a child process.
 * @public
 */
export function idleCollectionCount(): number {
  return idleCollections;
}

/** When the server last analysed or heard from the client (performance.now()). */
let lastActivity = 0;

/** Called on every message from the client: the idle collection waits until they stop for IDLE_COLLECT_MS. */
export function activity(): void {
  lastActivity = performance.now();
}

/** Called after each analysis with the size of the project's settings text. */
export function afterAnalysis(projectChars: number): void {
  if (!grown && projectChars > LARGE_PROJECT_CHARS) {
    grown = true;
    v8.setFlagsFromString(`--heap-growing-percent=${LARGE_HEAP_GROWING_PERCENT}`);
    v8.setFlagsFromString('--no-optimize-for-size');
    v8.setFlagsFromString('--incremental-marking-hard-trigger=0');
    young = 'growing';
    v8.setFlagsFromString('--semi-space-growth-factor=2');
  }
  youngGenerationCheck();
  if (!collect) return;
  activity();
  if (timer) clearTimeout(timer);
  whenIdle(IDLE_COLLECT_MS);
}

/** Collects once the server has been idle for IDLE_COLLECT_MS, checked `ms` from now. */
function whenIdle(ms: number): void {
  timer = setTimeout(() => {
    timer = undefined;
    const quiet = performance.now() - lastActivity;
    if (quiet < IDLE_COLLECT_MS) {
      whenIdle(IDLE_COLLECT_MS - quiet);
      return;
    }
    // Compacted, so that the pages the analyses fragmented are emptied and given back.
    v8.setFlagsFromString('--compact-on-every-full-gc');
    traceMark('idle collection');
    idleCollections++;
    try {
      collect?.();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
  }, ms);
  timer.unref();
}
