/** Tests which requirements/pyproject/lock files the CLI's VersionFileFinder finds for a project, on a temporary tree. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VersionFileFinder } from '../../server/src/node/version-files';
import { type FileTree, writeTree } from '../helpers/file-tree';

let tmp = '';

/** Creates files and symbolic links under the temp directory. */
const tree = (entries: FileTree): void => writeTree(tmp, entries);

const PIN = 'Django==4.2.11\n';

describe('VersionFileFinder', () => {
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-version-files-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds every pattern (any case, two levels down, through links) and nothing else among many entries', () => {
    const noise: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      noise[`proj/file-${i}.txt`] = PIN;
      noise[`proj/dir-${i}/notes.txt`] = PIN;
    }
    tree({
      ...noise,
      'proj/.git/HEAD': 'ref: refs/heads/main\n',
      'proj/settings.py': 'DEBUG = False\n',
      'proj/Requirements.txt': PIN,
      'proj/requirements-dev.txt': PIN,
      'proj/constraints.txt': PIN,
      'proj/upper-constraints.txt': PIN,
      'proj/PIPFILE': '[packages]\ndjango = "==4.2.11"\n',
      'proj/requirements/prod.txt': PIN,
      'proj/requirements/README.md': PIN,
      'proj/src/app/requirements.txt': PIN,
      'proj/src/app/deep/requirements.txt': PIN,
      'proj/.hidden/requirements.txt': PIN,
      'proj/node_modules/requirements.txt': PIN,
      'proj/requirements.md': PIN,
      'proj/my-requirements.txt': PIN,
      'proj/target.txt': PIN,
      'proj/requirements-link.txt': { link: 'target.txt' },
      'proj/requirements-dangling.txt': { link: 'missing.txt' },
      'proj/srclink': { link: 'src' },
    });
    const finder = new VersionFileFinder(tmp);
    const found = finder.filesFor('proj').map((f) => f.path);
    assert.deepEqual(found, [
      'proj/PIPFILE',
      'proj/Requirements.txt',
      'proj/constraints.txt',
      'proj/requirements-dev.txt',
      'proj/requirements-link.txt',
      'proj/requirements/prod.txt',
      'proj/src/app/requirements.txt',
      'proj/srclink/app/requirements.txt',
      'proj/upper-constraints.txt',
    ]);
  });

  it("in a parent directory, reads only the directory's own files, not its subdirectories'", () => {
    tree({
      'parent/requirements.txt': PIN,
      'parent/requirements/base.txt': PIN,
      'parent/sibling/requirements.txt': 'Django==3.2.25\n',
      'parent/.git/HEAD': 'ref: refs/heads/main\n',
      'parent/proj/settings.py': 'DEBUG = False\n',
    });
    const found = new VersionFileFinder(tmp).filesFor('parent/proj/settings.py').map((f) => f.path);
    assert.deepEqual(found, ['parent/requirements.txt', 'parent/requirements/base.txt']);
  });
});
