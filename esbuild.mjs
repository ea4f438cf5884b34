// Bundles the CLI, the language server and the VS Code client into dist/. tsc only type-checks.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};
const builds = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
];
const existing = (await import('node:fs')).existsSync;
for (const b of builds) {
  if (!existing(b.entryPoints[0])) continue;
  if (watch) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  } else {
    await esbuild.build({ ...common, ...b });
  }
}
