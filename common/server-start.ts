/**
 * How the language server is started, the same by every client (the VS Code client, the tests and the bench;
 * the README's commands for other editors spell it, checked by test/unit/server-start.test.ts). No imports.
 */

/** The start entry, relative to the package root: it loads dist/server.js through a V8 code cache. */
export const SERVER_START = 'dist/server-start.js';

/**
 * Node flags of the server process (issue #11: ≤ 80 MB resident). One V8 worker thread instead of four: each
 * worker that compiles optimised code keeps its own C-heap arena of freed compiler memory (~2 MB each, ~5 MB
 * in all with 100 files open); the server's background work (concurrent marking, one optimising compile at a
 * time) fits one. Only node's command line can set it (V8's platform starts before any code runs).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--v8-pool-size=1'];
