/** The layers of ARCHITECTURE.md are enforced by ESLint's no-restricted-imports: the rule rejects each forbidden import, and the tree has none. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../helpers/repo';

/** A file in `layer` importing `target`; `forbidden`: the boundary must reject it. */
const CASES: readonly { layer: string; target: string; forbidden: boolean }[] = [
  { layer: 'lsp', target: '../cli/run', forbidden: true },
  { layer: 'lsp', target: '../node/version', forbidden: false },
  { layer: 'lsp', target: '../core/analyze', forbidden: false },
  { layer: 'cli', target: '../lsp/workspace', forbidden: true },
  { layer: 'cli', target: '../node/discover', forbidden: false },
  { layer: 'node', target: '../cli/run', forbidden: true },
  { layer: 'node', target: '../lsp/workspace', forbidden: true },
  { layer: 'node', target: '../core/layers/snippet-order', forbidden: false },
  { layer: 'core', target: '../node/discover', forbidden: true },
  { layer: 'core', target: '../cli/run', forbidden: true },
  { layer: 'core', target: '../lsp/main', forbidden: true },
  { layer: 'connection', target: '../lsp/main', forbidden: true },
];

function restricted(results: readonly ESLint.LintResult[]): string[] {
  return results.flatMap((r) =>
    r.messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => `${path.relative(REPO_ROOT, r.filePath)}:${m.line} ${m.message}`),
  );
}

describe('layer boundaries (eslint no-restricted-imports)', () => {
  // Only the boundary rule: the rest of the configuration is `npm run lint`'s business.
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });

  for (const c of CASES) {
    it(`${c.layer}/ importing ${c.target} is ${c.forbidden ? 'rejected' : 'allowed'}`, async () => {
      const filePath = path.join(REPO_ROOT, 'server', 'src', c.layer, 'boundary-probe.ts');
      const code = `import * as m from '${c.target}';\nexport const probe = m;\n`;
      const found = restricted(await eslint.lintText(code, { filePath }));
      assert.equal(found.length, c.forbidden ? 1 : 0, found.join('\n'));
    });
  }

  it('no file of the front ends and node-side layers crosses a boundary', async function () {
    this.timeout(120_000); // linting ~70 files; `npm run lint` checks the core the same way
    const dirs = ['lsp', 'cli', 'node', 'connection'].map((d) => path.join(REPO_ROOT, 'server', 'src', d));
    const results = await eslint.lintFiles(dirs);
    assert.ok(results.length > 50, `only ${results.length} files linted`);
    assert.deepEqual(restricted(results), []);
  });
});
