// Bundles the CLI, the language server and the VS Code client into dist/ (minified, everything but `vscode`
// inlined, so the npm package and the .vsix need no node_modules). tsc only type-checks.
//
// Start-up cost is paid on every CLI run (a pre-commit hook, every commit), so:
// - dist/cli.js is a small entry: `--version` answers without loading the analyser; everything else loads
//   dist/cli-run.js (server/src/cli/run.ts and the core).
// - The knowledge tables are validated by their zod schemas in the tests (test/unit/knowledge-bundle.test.ts),
//   not at every start: in the bundles `KNOWLEDGE_PREVALIDATED` is true and the knowledge modules get an inert
//   stand-in for `zod`, so zod's full API is not loaded. User options are still validated at run time
//   (server/src/core/options.ts uses the small `zod/mini`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const KNOWLEDGE_DIR = path.join(ROOT, 'server', 'src', 'core', 'knowledge') + path.sep;

/** Knowledge modules build schemas at load only to validate their tables; in a bundle they get this stand-in. */
export const inertZodForKnowledge = {
  name: 'inert-zod-for-knowledge',
  setup(build) {
    build.onResolve({ filter: /^zod(\/.*)?$/ }, (args) =>
      args.importer.startsWith(KNOWLEDGE_DIR) ? { path: 'inert-zod', namespace: 'inert-zod' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'inert-zod' }, () => ({
      // Every property and call gives the stand-in back, so `z.strictObject({...}).refine(...)` costs nothing.
      // Anything that would read a schema as data (iteration, conversion) throws instead of going unnoticed.
      contents: `
        const fail = (what) => { throw new Error('knowledge schema used at run time (' + String(what) + '): bundles carry no zod for knowledge tables'); };
        const inert = new Proxy(function () {}, {
          get: (_t, key) => (typeof key === 'symbol' || key === 'then' || key === 'toJSON' ? fail(key) : inert),
          apply: () => inert,
        });
        export const z = inert;
        export default inert;
      `,
      loader: 'js',
    }));
  },
};

/** `./run` imported by the CLI entry becomes the separate bundle dist/cli-run.js, loaded only when needed. */
const cliRunExternal = {
  name: 'cli-run-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/run(\.js)?$/ }, (args) =>
      args.importer === path.join(ROOT, 'server', 'src', 'cli', 'main.ts')
        ? { path: './cli-run.js', external: true }
        : undefined,
    );
  },
};

/** The server's `./main`, required by its start entry only under tsc, stays out of dist/server-start.js. */
const serverMainExternal = {
  name: 'server-main-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/main(\.js)?$/ }, (args) =>
      args.importer === path.join(ROOT, 'server', 'src', 'lsp', 'start.ts')
        ? { path: './server.js', external: true }
        : undefined,
    );
  },
};

export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: ROOT,
  mainFields: ['module', 'main'],
  define: { KNOWLEDGE_PREVALIDATED: 'true' },
  plugins: [inertZodForKnowledge],
};
const builds = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [cliRunExternal] },
  { entryPoints: ['server/src/cli/run.ts'], outfile: 'dist/cli-run.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  // How editors start the server: loads dist/server.js through a V8 code cache (server/src/lsp/start.ts).
  {
    entryPoints: ['server/src/lsp/start.ts'],
    outfile: 'dist/server-start.js',
    plugins: [serverMainExternal],
  },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const watch = process.argv.includes('--watch');
  for (const b of builds) {
    if (!existsSync(path.join(ROOT, b.entryPoints[0]))) continue;
    const options = { ...common, ...b, plugins: [...common.plugins, ...(b.plugins ?? [])] };
    if (watch) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    } else {
      await esbuild.build(options);
    }
  }
}
