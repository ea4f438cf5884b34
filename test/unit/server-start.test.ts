/**
 * Every way the product starts the language server is the same (common/server-start.ts): the start entry with
 * the server's node flags. The VS Code client, the tests and the bench take both from that module; the README's
 * commands for other editors spell them, and the npm bin loads the start entry.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS, SERVER_START } from '../../common/server-start';
import { REPO_ROOT } from '../helpers/repo';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The code blocks of the README's "Other editors" section. */
function otherEditorsBlocks(): string[] {
  const section = README.slice(README.indexOf('## Other editors'));
  const end = section.indexOf('\n## ', 1);
  return [...(end < 0 ? section : section.slice(0, end)).matchAll(/```\w*\n([\s\S]*?)```/g)].map(
    (m) => m[1] ?? '',
  );
}

describe('how the language server is started', () => {
  it('the README commands for other editors run node with the server flags before the start entry', () => {
    const commands = otherEditorsBlocks().filter((b) => b.includes('dist/'));
    assert.ok(commands.length >= 3, 'Neovim, Helix and Emacs');
    for (const block of commands) {
      const entry = block.indexOf(SERVER_START);
      assert.ok(entry > 0, `${SERVER_START} in:\n${block}`);
      for (const flag of SERVER_NODE_FLAGS) {
        const at = block.indexOf(flag);
        assert.ok(at > 0 && at < entry, `${flag} before ${SERVER_START} in:\n${block}`);
      }
    }
    assert.ok(README.includes(`node ${SERVER_NODE_FLAGS.join(' ')} ${SERVER_START} --stdio`));
  });

  it('the npm bin and the VS Code client start the start entry, which the build makes', () => {
    const bin = fs.readFileSync(path.join(REPO_ROOT, 'bin', 'django-session-lint-server.js'), 'utf8');
    assert.match(bin, new RegExp(`require\\('\\.\\./${SERVER_START.replace('.', '\\.')}'\\)`));
    const build = fs.readFileSync(path.join(REPO_ROOT, 'esbuild.mjs'), 'utf8');
    assert.ok(build.includes(`outfile: '${SERVER_START}'`), 'esbuild.mjs builds the start entry');
    const client = fs.readFileSync(path.join(REPO_ROOT, 'client', 'src', 'server-connection.ts'), 'utf8');
    assert.match(client, /asAbsolutePath\(SERVER_START\)/);
    assert.match(client, /execArgv = \[\.\.\.SERVER_NODE_FLAGS\]/);
  });
});
