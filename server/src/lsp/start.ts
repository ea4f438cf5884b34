/**
 * How editors start the language server (`node dist/server-start.js --stdio`, the VS Code client, the npm bin):
 * a small entry that loads the server's bundle (dist/server.js, ./main.ts) through a V8 code cache
 * (node/code-cache.ts). Parsing the 0.9 MB bundle leaves ~5 MB of freed compiler memory resident in the C heap
 * for the server's lifetime; deserialising cached data does not (issue #11: ≤ 80 MB resident). The first start
 * compiles as usual and writes the data; `node dist/server.js` still starts the same server without it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireWithCodeCache } from '../node/code-cache';

const bundle = path.join(__dirname, 'server.js');
// Under tsc (out/, the tests) there is no bundle: the server's module itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (!fs.existsSync(bundle)) require('./main');
// Made right after compiling, before the server sets its V8 flags (lsp/heap.ts): see CodeCacheWhen.
else requireWithCodeCache(bundle, process.env, 'compiled');
