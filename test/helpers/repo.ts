/** The repository root, found from a compiled test file (out/test/...) by the package.json that names the project. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'django-session-lint'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no django-session-lint package.json above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
