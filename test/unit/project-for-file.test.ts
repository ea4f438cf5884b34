/** The language server's project for an opened file: the same grouping as the CLI, and an imported module's importer. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProjectForFile } from '../../server/src/lsp/project-for-file';
import { type FileTree, writeTree } from '../helpers/file-tree';

let tmp = '';

/** Creates files and symbolic links under the temp directory. */
const tree = (entries: FileTree): void => writeTree(tmp, entries);

const at = (relative: string): string => path.join(tmp, relative);

async function layersOf(relative: string): Promise<string[]> {
  const p = await findProjectForFile(at(relative));
  return p.layers.map((l) => `${l.role} ${path.relative(tmp, l.path)}`);
}

describe('findProjectForFile', () => {
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-pff-')));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("gives a kolla snippet its directory's snippet layers, in Horizon's order", async () => {
    tree({
      'horizon/config.json': JSON.stringify({
        config_files: ['_9999-custom-settings.py', '_9998-kolla-settings.py'].map((n) => ({
          source: `/var/lib/kolla/config_files/${n}`,
          dest: `/etc/openstack-dashboard/local_settings.d/${n}`,
        })),
      }),
      'horizon/_9998-kolla-settings.py': 'DEBUG = False\n',
      'horizon/_9999-custom-settings.py': '',
    });
    assert.deepEqual(await layersOf('horizon/_9999-custom-settings.py'), [
      'local_settings.d horizon/_9998-kolla-settings.py',
      'local_settings.d horizon/_9999-custom-settings.py',
    ]);
  });

  it("gives a per-host override its importer's project, and a base module its production importer's", async () => {
    tree({
      'site/settings.py': 'try:\n    from .local_settings import *\nexcept ImportError:\n    pass\n',
      'site/local_settings.py': 'DEBUG = False\n',
      'cfg/base.py': 'DEBUG = False\n',
      'cfg/dev.py': 'from .base import *\n',
      'cfg/production.py': 'from .base import *\n',
    });
    assert.deepEqual(await layersOf('site/local_settings.py'), ['settings site/settings.py']);
    assert.deepEqual(await layersOf('cfg/base.py'), ['settings cfg/production.py']);
  });

  it('gives a host override in BASE_DIR the project of the settings module one level down that execs it', async () => {
    tree({
      'proj/host_overrides.py': 'DEBUG = False\n',
      'proj/mysite/settings.py':
        "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nexec(open(os.path.join(BASE_DIR, 'host_overrides.py')).read())\n",
    });
    const project = await findProjectForFile(at('proj/host_overrides.py'));
    assert.deepEqual(
      project.layers.map((l) => path.relative(tmp, l.path)),
      ['proj/mysite/settings.py'],
    );
  });

  it('follows a chain of importers, and keeps a module nobody imports (or a cycle) on its own', async () => {
    tree({
      'c/base.py': 'DEBUG = False\n',
      'c/common.py': 'from .base import *\n',
      'c/settings.py': 'from .common import *\n',
      'd/a.py': 'from .b import *\nSESSION_ENGINE = "x"\n',
      'd/b.py': 'from .a import *\nSESSION_ENGINE = "y"\n',
      'e/settings.py': 'DEBUG = False\n',
    });
    assert.deepEqual(await layersOf('c/base.py'), ['settings c/settings.py']);
    assert.equal((await layersOf('d/a.py')).length, 1);
    assert.deepEqual(await layersOf('e/settings.py'), ['settings e/settings.py']);
  });
});
