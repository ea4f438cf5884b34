// Starts the VS Code server of an older code-server release (before ~4.10x its lib/vscode/out/server-main.js only
// exports loadCodeWithNls() for code-server to call, and starts nothing when run): loads the server module and
// serves its request handler on --host/--port, as code-server does. Used by tools/code-shim.mjs.
//   node vscode-server-legacy.js <server-main.js> --host H --port P [the server's other --flags]
'use strict';
const http = require('node:http');

const [serverMain, ...argv] = process.argv.slice(2);
const args = { _: [] };
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '');
  const next = argv[i + 1];
  if (next !== undefined && !next.startsWith('--')) {
    args[key] = next;
    i++;
  } else {
    args[key] = true;
  }
}

require(serverMain)
  .loadCodeWithNls()
  .then((mod) => mod.createServer(null, args))
  .then((server) => {
    const httpServer = http.createServer((req, res) => server.handleRequest(req, res));
    httpServer.on('upgrade', (req, socket) => server.handleUpgrade(req, socket));
    httpServer.listen(Number(args.port), args.host, () =>
      console.log(`legacy VS Code server on ${args.host}:${args.port}`),
    );
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
