/** Tests CLI project discovery on temporary trees (and on the real Debian openstack-dashboard install). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  discoverProjects,
  type DiscoveredProject,
  type DiscoveryResult,
} from '../../server/src/node/discover';
import { maySnippetSet, snippetSet } from '../../server/src/node/snippet-sets';
import { type FileTree, writeTree } from '../helpers/file-tree';
import fc from 'fast-check';

let tmp = '';

/** Creates files and symbolic links under the temp directory. */
const tree = (entries: FileTree): void => writeTree(tmp, entries);

function dir(relative: string): void {
  fs.mkdirSync(path.join(tmp, relative), { recursive: true });
}

/** Paths relative to the temp directory, so expectations read like the tree they describe. */
function rel(p: string): string {
  return path.isAbsolute(p) ? path.relative(tmp, p) : p;
}

/** Compact view of a result: `root kind` then `role path` lines per project, plus errors. */
function summary(result: DiscoveryResult): string[] {
  return [
    ...result.projects.flatMap((p) => [
      `${rel(p.root) || '.'} ${p.kind}${p.horizonVersionHint ? ` ${p.horizonVersionHint.version} ${rel(p.horizonVersionHint.source)}` : ''}`,
      ...p.layers.map((l) => `  ${l.role} ${rel(l.path)}`),
    ]),
    ...result.errors.map((e) => `error ${rel(e.path)}: ${e.message}`),
    ...result.warnings.map((e) => `warning ${rel(e.path)}: ${e.message}`),
  ];
}

async function discover(
  paths: string[],
  opts: Parameters<typeof discoverProjects>[1] = {},
): Promise<string[]> {
  return summary(await discoverProjects(paths, { systemRoot: tmp, ...opts }));
}

const at = (relative: string) => path.join(tmp, relative);

describe('discoverProjects', () => {
  beforeEach(() => {
    // Resolved, so that expectations on real paths hold where the temp directory is itself a link (macOS).
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-discover-')));
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('Horizon snippet order', () => {
    it('runs snippets as os.walk + sorted() does: 9999_x.py before _0000_y.py, sub-directories last', async () => {
      tree({
        'conf/local_settings.py': 'DEBUG = False\n',
        'conf/local_settings.d/_0000_y.py': '',
        'conf/local_settings.d/9999_x.py': '',
        'conf/local_settings.d/zz.py': '',
        'conf/local_settings.d/aa/zz_sub.py': '',
        'conf/local_settings.d/aa/deeper/a.py': '',
        'conf/local_settings.d/README': '',
        'conf/local_settings.d/old.pyc': '',
        'conf/local_settings.d/x.py.orig': '',
        'conf/local_settings.d/_10_theme.py.example': '',
      });
      assert.deepEqual(await discover([at('conf')]), [
        'conf horizon',
        '  local_settings conf/local_settings.py',
        '  local_settings.d conf/local_settings.d/9999_x.py',
        '  local_settings.d conf/local_settings.d/_0000_y.py',
        '  local_settings.d conf/local_settings.d/zz.py',
        '  local_settings.d conf/local_settings.d/aa/zz_sub.py',
        '  local_settings.d conf/local_settings.d/aa/deeper/a.py',
      ]);
    });

    it('takes linked snippet files but, like os.walk(followlinks=False), not linked sub-directories', async () => {
      tree({
        'shared/linked.py': '',
        'shared/dir/inside.py': '',
        'conf/local_settings.py': '',
        'conf/local_settings.d/_10_real.py': '',
        'conf/local_settings.d/_20_linked.py': { link: '../../shared/linked.py' },
        'conf/local_settings.d/_30_dir': { link: '../../shared/dir' },
        'conf/local_settings.d/_40_dangling.py': { link: 'nowhere.py' },
      });
      assert.deepEqual(await discover([at('conf')]), [
        'conf horizon',
        '  local_settings conf/local_settings.py',
        '  local_settings.d conf/local_settings.d/_10_real.py',
        '  local_settings.d conf/local_settings.d/_20_linked.py',
        'error conf/local_settings.d/_40_dangling.py: broken symbolic link',
      ]);
      const [project] = (await discoverProjects([at('conf')])).projects;
      assert.equal(project?.layers[2]?.realPath, fs.realpathSync(at('shared/linked.py')));
    });

    it('lists the same real file once per project (first occurrence)', async () => {
      tree({
        'conf/local_settings.py': '',
        'conf/local_settings.d/_50_again.py': { link: '../local_settings.py' },
        'conf/local_settings.d/_60.py': '',
      });
      assert.deepEqual(await discover([at('conf')]), [
        'conf horizon',
        '  local_settings conf/local_settings.py',
        '  local_settings.d conf/local_settings.d/_60.py',
      ]);
    });

    it('gives a local_settings.d without local_settings.py its own Horizon project', async () => {
      tree({ 'deploy/local_settings.d/_9999_cache.py': '', 'deploy/local_settings.d/notes.txt': '' });
      dir('empty/local_settings.d');
      assert.deepEqual(await discover([tmp]), [
        'deploy horizon',
        '  local_settings.d deploy/local_settings.d/_9999_cache.py',
      ]);
    });

    it('brings the whole project when one snippet or the snippet directory is named', async () => {
      tree({
        'conf/local_settings.py': '',
        'conf/local_settings.d/_1.py': '',
        'conf/local_settings.d/_2.py': '',
      });
      const expected = [
        'conf horizon',
        '  local_settings conf/local_settings.py',
        '  local_settings.d conf/local_settings.d/_1.py',
        '  local_settings.d conf/local_settings.d/_2.py',
      ];
      assert.deepEqual(await discover([at('conf/local_settings.d/_2.py')]), expected);
      assert.deepEqual(await discover([at('conf/local_settings.d')]), expected);
    });
  });

  describe('walking', () => {
    it('follows directory links without looping', async () => {
      tree({
        'proj/settings.py': '',
        'proj/loop': { link: '..' },
        'proj/self': { link: '.' },
        'proj/a/back': { link: '../../proj' },
        'elsewhere/mysite/settings.py': '',
        'proj/linked': { link: '../elsewhere' },
      });
      assert.deepEqual(await discover([at('proj')]), [
        'proj django',
        '  settings proj/settings.py',
        'proj/linked/mysite django',
        '  settings proj/linked/mysite/settings.py',
      ]);
    });

    it('skips VCS, caches, virtual environments and site-packages unless the path given is inside them', async () => {
      const skipped = [
        '.git',
        'node_modules',
        '__pycache__',
        'venv',
        '.venv',
        'env',
        '.tox',
        'site-packages',
      ];
      tree({
        'repo/settings.py': '',
        ...Object.fromEntries(skipped.map((d) => [`repo/${d}/x/settings.py`, ''])),
        'repo/dist-packages/django/conf/global_settings.py': '',
        'repo/myenv/pyvenv.cfg': 'home = /usr/bin\n',
        'repo/myenv/lib/settings.py': '',
      });
      assert.deepEqual(await discover([at('repo')]), ['repo django', '  settings repo/settings.py']);
      assert.deepEqual(await discover([at('repo/myenv')]), [
        'repo/myenv/lib django',
        '  settings repo/myenv/lib/settings.py',
      ]);
      assert.deepEqual(await discover([at('repo/venv/x')]), [
        'repo/venv/x django',
        '  settings repo/venv/x/settings.py',
      ]);
    });

    it('finds the settings files of plain Django projects, each its own project', async () => {
      tree({
        'mysite/mysite/settings.py': '',
        'mysite/manage.py': '',
        'mysite/app/views.py': '',
        'big/config/settings/__init__.py': '',
        'big/config/settings/base.py': 'DEBUG = False\n',
        'big/config/settings/production.py': '',
        'big/config/test_settings.py': '',
        'big/config/settings.yaml': '',
        'big/local_settings.py': 'from .settings import *\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'big django',
        '  settings big/local_settings.py',
        'big/config/settings django',
        '  settings big/config/settings/base.py',
        'big/config/settings django',
        '  settings big/config/settings/production.py',
        'mysite/mysite django',
        '  settings mysite/mysite/settings.py',
      ]);
    });

    it('finds settings-named templates and tells local_settings and snippet templates apart', async () => {
      tree({
        'roles/horizon/templates/_9998-kolla-settings.py.j2': '',
        'roles/horizon/templates/horizon_local_settings.py.j2': '',
        'roles/horizon/templates/settings.py.j2': '',
        'roles/horizon/templates/local_settings.j2': '',
        'roles/horizon/templates/settings.yml.j2': '',
        'roles/horizon/templates/horizon.conf.j2': '',
        'puppet/templates/local_settings.py.erb': '',
      });
      assert.deepEqual(await discover([tmp]), [
        'puppet/templates horizon',
        '  local_settings puppet/templates/local_settings.py.erb',
        'roles/horizon/templates horizon',
        '  local_settings.d roles/horizon/templates/_9998-kolla-settings.py.j2',
        'roles/horizon/templates horizon',
        '  local_settings roles/horizon/templates/horizon_local_settings.py.j2',
        'roles/horizon/templates horizon',
        '  local_settings roles/horizon/templates/local_settings.j2',
        'roles/horizon/templates django',
        '  settings roles/horizon/templates/settings.py.j2',
      ]);
    });

    it("reads a deployment tool's snippet templates as the one ordered snippet layer they render to", async () => {
      tree({
        // kolla-ansible ≥ 2024.1: both snippets rendered into /etc/kolla/horizon, then local_settings.d.
        'kolla-ansible/ansible/roles/horizon/templates/_9999-custom-settings.py.j2': '',
        'kolla-ansible/ansible/roles/horizon/templates/_9998-kolla-settings.py.j2': 'DEBUG = {{ debug }}\n',
        'kolla-ansible/ansible/roles/horizon/templates/horizon.json.j2': '{}',
        'kolla-ansible/ansible/roles/horizon/templates/horizon.conf.j2': '',
        // puppet-horizon: local_settings.py.erb renders local_settings, the numbered ones its snippets.
        'puppet-horizon/templates/local_settings.py.erb': '',
        'puppet-horizon/templates/_90_manila_shares.py.erb': '',
        'puppet-horizon/templates/_1699_orchestration_settings.py.erb': '',
        'puppet-horizon/templates/_1499_load_balancer_settings.py.erb': '',
      });
      const kolla = [
        'kolla-ansible/ansible/roles/horizon/templates horizon',
        '  local_settings.d kolla-ansible/ansible/roles/horizon/templates/_9998-kolla-settings.py.j2',
        '  local_settings.d kolla-ansible/ansible/roles/horizon/templates/_9999-custom-settings.py.j2',
      ];
      assert.deepEqual(await discover([tmp]), [
        ...kolla,
        'puppet-horizon/templates horizon',
        '  local_settings puppet-horizon/templates/local_settings.py.erb',
        '  local_settings.d puppet-horizon/templates/_1499_load_balancer_settings.py.erb',
        '  local_settings.d puppet-horizon/templates/_1699_orchestration_settings.py.erb',
        '  local_settings.d puppet-horizon/templates/_90_manila_shares.py.erb',
      ]);
      // Naming one template brings its whole layer.
      assert.deepEqual(
        await discover([at('kolla-ansible/ansible/roles/horizon/templates/_9999-custom-settings.py.j2')]),
        kolla,
      );
    });

    it('keeps display paths as given: relative to the working directory, never resolved', async () => {
      tree({ 'real/settings.py': '', proj: { link: 'real' } });
      const result = await discoverProjects(['./proj/'], { cwd: tmp, systemRoot: tmp });
      assert.deepEqual(
        result.projects.map((p) => [p.root, p.layers.map((l) => [l.path, l.realPath])]),
        [['proj', [['proj/settings.py', fs.realpathSync(at('real/settings.py'))]]]],
      );
    });
  });

  describe('relative arguments from inside a project', () => {
    it('shows parents of . and .. as relative paths, not as .', async () => {
      tree({
        'hz/openstack_dashboard/settings.py': '',
        'hz/openstack_dashboard/local/local_settings.py': '',
        'hz/openstack_dashboard/local/local_settings.d/_1.py': '',
        'hz/horizon-24.0.0.egg-info/PKG-INFO': '',
      });
      const local = at('hz/openstack_dashboard/local');
      const layers = async (paths: string[], cwd: string) =>
        (await discoverProjects(paths, { cwd, systemRoot: tmp })).projects.map((p) => [
          p.root,
          p.horizonVersionHint?.source,
          ...p.layers.map((l) => l.path),
        ]);
      assert.deepEqual(await layers(['.'], local), [
        [
          '.',
          path.join('..', '..', 'horizon-24.0.0.egg-info'),
          '../settings.py',
          'local_settings.py',
          'local_settings.d/_1.py',
        ],
      ]);
      assert.deepEqual(await layers(['_1.py'], path.join(local, 'local_settings.d')), [
        [
          '..',
          path.join('..', '..', '..', 'horizon-24.0.0.egg-info'),
          '../../settings.py',
          '../local_settings.py',
          '_1.py',
        ],
      ]);
      assert.deepEqual(await layers(['..'], path.join(local, 'local_settings.d')), [
        [
          '..',
          '../../../horizon-24.0.0.egg-info',
          '../../settings.py',
          '../local_settings.py',
          '../local_settings.d/_1.py',
        ],
      ]);
    });
  });

  describe('file arguments', () => {
    it('analyses any file named, whatever its name', async () => {
      tree({ 'conf/production': 'DEBUG = False\n', 'conf/whatever.py': '' });
      assert.deepEqual(await discover([at('conf/production'), at('conf/whatever.py')]), [
        'conf django',
        '  settings conf/production',
        'conf django',
        '  settings conf/whatever.py',
      ]);
    });

    it('treats an RDO-style local_settings without extension as Horizon when it says so', async () => {
      tree({
        'a/local_settings': 'from horizon.utils import secret_key\n',
        'b/local_settings': "HORIZON_CONFIG['x'] = 1\n",
        'c/local_settings': 'DEBUG = True\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'a horizon',
        '  local_settings a/local_settings',
        'b horizon',
        '  local_settings b/local_settings',
        'c django',
        '  settings c/local_settings',
      ]);
    });
  });

  describe('split Django settings', () => {
    it('does not analyse a base module on its own when another settings file star-imports it', async () => {
      tree({
        'mysite/settings/__init__.py': '',
        'mysite/settings/base.py': 'DEBUG = False\n',
        'mysite/settings/production.py': 'from .base import *\nSESSION_COOKIE_SECURE = True\n',
        'mysite/settings/dev.py': 'from mysite.settings.base import *\nDEBUG = True\n',
        'other/settings.py': 'DEBUG = False\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'mysite/settings django',
        '  settings mysite/settings/dev.py',
        'mysite/settings django',
        '  settings mysite/settings/production.py',
        'other django',
        '  settings other/settings.py',
      ]);
    });
    it("does not analyse the settings package's empty __init__.py, unless named or holding statements", async () => {
      tree({
        'a/settings/__init__.py': '# settings package\n"""Split settings:\nbase, production."""\n\n',
        'a/settings/production.py': 'DEBUG = False\n',
        'b/settings/__init__.py': 'from .production import *  # the default module\n',
        'b/settings/production.py': 'DEBUG = False\n',
        'c/settings/__init__.py': '"""A docstring, then a statement."""\nDEBUG = False\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'a/settings django',
        '  settings a/settings/production.py',
        'b/settings django',
        '  settings b/settings/__init__.py',
        'c/settings django',
        '  settings c/settings/__init__.py',
      ]);
      assert.deepEqual(await discover([at('a/settings/__init__.py')]), [
        'a/settings django',
        '  settings a/settings/__init__.py',
      ]);
    });

    it('leaves test-runner settings out of a walk, and keeps settings.py when a variant star-imports it', async () => {
      tree({
        'shop/shop/settings.py': "CACHES = {'default': {}}\n",
        'shop/shop/dev_settings.py': 'from .settings import *\nDEBUG = True\n',
        'shop/shop/test_settings.py': 'from .settings import *\nSECRET_KEY = "test"\n',
        'shop/conf/settings/base.py': 'DEBUG = False\n',
        'shop/conf/settings/production.py': 'from .base import *\n',
        'shop/conf/settings/testing.py': 'from .base import *\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'shop/conf/settings django',
        '  settings shop/conf/settings/production.py',
        'shop/shop django',
        '  settings shop/shop/dev_settings.py',
        'shop/shop django',
        '  settings shop/shop/settings.py',
      ]);
      assert.deepEqual(await discover([at('shop/shop/test_settings.py')]), [
        'shop/shop django',
        '  settings shop/shop/test_settings.py',
      ]);
    });

    it('keeps a base module the user names', async () => {
      tree({ 's/base.py': 'DEBUG = False\n', 's/prod_settings.py': 'from .base import *\n' });
      assert.deepEqual(await discover([at('s/base.py')]), ['s django', '  settings s/base.py']);
    });
  });

  describe('per-host overrides loaded by settings.py', () => {
    it("checks local_settings.py through settings.py's try/except ImportError star import", async () => {
      tree({
        'mysite/settings.py':
          'CACHES = {}\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n',
        'mysite/local_settings.py': "CACHES = {'default': {}}\n",
      });
      assert.deepEqual(await discover([tmp]), ['mysite django', '  settings mysite/settings.py']);
    });

    it('checks a module exec()d or execfile()d by a sibling through it, also through a variable', async () => {
      tree({
        'a/settings.py':
          "import os\nBASE = os.path.dirname(__file__)\nexec(open(os.path.join(BASE, 'local_settings.py')).read())\n",
        'a/local_settings.py': 'DEBUG = False\n',
        'b/settings.py':
          "import os\nLOCAL = os.path.join(os.path.dirname(__file__), 'settings_local.py')\nif os.path.exists(LOCAL):\n    execfile(LOCAL)\n",
        'b/settings_local.py': 'DEBUG = False\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'a django',
        '  settings a/settings.py',
        'b django',
        '  settings b/settings.py',
      ]);
    });

    it('keeps both modules of an import cycle', async () => {
      tree({
        'c/a_settings.py': 'from .b_settings import *\n',
        'c/b_settings.py': 'from .a_settings import *\n',
      });
      assert.deepEqual(await discover([tmp]), [
        'c django',
        '  settings c/a_settings.py',
        'c django',
        '  settings c/b_settings.py',
      ]);
    });
  });

  describe("kolla-ansible's rendered directory (/etc/kolla/horizon)", () => {
    const kollaConfig = JSON.stringify({
      command: 'uwsgi /etc/horizon/horizon-uwsgi.ini',
      config_files: [
        { source: '/var/lib/kolla/config_files/horizon-uwsgi.ini', dest: '/etc/horizon/horizon-uwsgi.ini' },
        {
          source: '/var/lib/kolla/config_files/_9999-custom-settings.py',
          dest: '/etc/openstack-dashboard/local_settings.d/_9999-custom-settings.py',
        },
        {
          source: '/var/lib/kolla/config_files/_9998-kolla-settings.py',
          dest: '/etc/openstack-dashboard/local_settings.d/_9998-kolla-settings.py',
        },
      ],
    });
    function kolla(): void {
      tree({
        'etc/kolla/horizon/config.json': kollaConfig,
        'etc/kolla/horizon/horizon-uwsgi.ini': '',
        'etc/kolla/horizon/_9998-kolla-settings.py': 'DEBUG = False\n',
        'etc/kolla/horizon/_9999-custom-settings.py': '',
        'etc/kolla/horizon/old-settings.py': '',
      });
    }
    const project = [
      'etc/kolla/horizon horizon',
      '  local_settings.d etc/kolla/horizon/_9998-kolla-settings.py',
      '  local_settings.d etc/kolla/horizon/_9999-custom-settings.py',
    ];

    it('is one project: the snippets config.json copies into local_settings.d, in their order there', async () => {
      kolla();
      assert.deepEqual(await discover([at('etc/kolla/horizon')]), [
        ...project,
        'etc/kolla/horizon django',
        '  settings etc/kolla/horizon/old-settings.py',
      ]);
    });

    it('is found the same way when walking a parent or naming one of its snippets', async () => {
      kolla();
      assert.deepEqual((await discover([at('etc')])).slice(0, 3), project);
      assert.deepEqual(await discover([at('etc/kolla/horizon/_9999-custom-settings.py')]), project);
    });

    it("leaves kolla's override directory to the rendered one it is copied into, when walking /etc/kolla", async () => {
      kolla();
      tree({
        'etc/kolla/config/horizon/_9999-custom-settings.py': '',
        'etc/kolla/config/horizon/ctl1/_9998-kolla-settings.py': '',
      });
      assert.deepEqual(await discover([at('etc/kolla')]), [
        ...project,
        'etc/kolla/horizon django',
        '  settings etc/kolla/horizon/old-settings.py',
      ]);
    });

    it('reads a directory of numbered settings snippets without config.json the same way', async () => {
      tree({
        'etc/kolla/config/horizon/_9999-custom-settings.py': '',
        'etc/kolla/config/horizon/_50_masakari.py': '',
        'etc/kolla/config/horizon/nova_policy.yaml': '',
      });
      assert.deepEqual(await discover([at('etc/kolla/config')]), [
        'etc/kolla/config/horizon horizon',
        '  local_settings.d etc/kolla/config/horizon/_50_masakari.py',
        '  local_settings.d etc/kolla/config/horizon/_9999-custom-settings.py',
      ]);
    });

    it('names a numbered snippet in a directory of them as that set; a settings file among other files alone', async () => {
      tree({
        'h/_9999-custom-settings.py': '',
        'h/_50_masakari.py': '',
        'h/notes.txt': '',
        'p/settings.py': 'DEBUG = False\n',
        'p/run.sh': '',
        'p/_1_notes.py': '',
        'elsewhere/site.py': '',
      });
      fs.symlinkSync(at('elsewhere/site.py'), at('h/_60_linked_settings.py'));
      assert.deepEqual(await discover([at('h/_9999-custom-settings.py')]), [
        'h horizon',
        '  local_settings.d h/_50_masakari.py',
        '  local_settings.d h/_60_linked_settings.py',
        '  local_settings.d h/_9999-custom-settings.py',
      ]);
      assert.deepEqual(await discover([at('p/settings.py')]), ['p django', '  settings p/settings.py']);
      // kolla's config.json may copy a file of any name into local_settings.d.
      tree({
        'k/config.json': JSON.stringify({
          config_files: [
            { source: '/x/site.py', dest: '/etc/openstack-dashboard/local_settings.d/_70_site.py' },
          ],
        }),
        'k/site.py': '',
      });
      assert.deepEqual(await discover([at('k/site.py')]), ['k horizon', '  local_settings.d k/site.py']);
    });

    it("probes a named file's siblings only when their names may make a snippet set (maySnippetSet)", async () => {
      const name = fc.constantFrom(
        'config.json',
        '_9999-custom-settings.py',
        '_50_masakari.py',
        '_1699_orchestration_settings.py.erb',
        '_9998-kolla-settings.py.j2',
        'local_settings.py',
        'local_settings.py.erb',
        'settings.py',
        'notes_settings.txt',
        '9_x.py',
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/nowhere/horizon', '/nowhere/local_settings.d'),
          fc.array(fc.tuple(name, fc.boolean()), { maxLength: 6 }),
          async (dir, entries) => {
            const names = entries.map(([n]) => n);
            // The regular files are some of the names (the others: links to nothing, to directories).
            const files = entries.filter(([, file]) => file).map(([n]) => n);
            if ((await snippetSet(dir, files)) !== undefined) assert.ok(maySnippetSet(dir, names));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('leaves numbered files next to a local_settings file to that layout', async () => {
      tree({ 'x/local_settings': 'DEBUG = False\n', 'x/_9999-custom-settings.py': '' });
      assert.deepEqual(await discover([at('x')]), [
        'x django',
        '  settings x/_9999-custom-settings.py',
        'x django',
        '  settings x/local_settings',
      ]);
    });
  });

  describe('system layouts', () => {
    /** Debian/Ubuntu: config in /etc, package in dist-packages with local/ linked into /etc. */
    function debian(): void {
      const pkg = 'usr/lib/python3/dist-packages/openstack_dashboard';
      tree({
        'etc/openstack-dashboard/local_settings.py': 'from horizon.utils import secret_key\n',
        'etc/openstack-dashboard/local_settings.d/_0001_debian_debug.py': '',
        'etc/openstack-dashboard/local_settings.d/_0006_debian_cache.py': '',
        'etc/openstack-dashboard/enabled/_5000_settings.py': '',
        'etc/openstack-dashboard/policy/nova_policy.yaml': '',
        [`${pkg}/settings.py`]: '',
        [`${pkg}/theme_settings.py`]: '',
        [`${pkg}/utils/settings.py`]: '',
        [`${pkg}/test/settings.py`]: '',
        [`${pkg}/contrib/developer/settings.py`]: '',
        [`${pkg}/enabled/_5000_settings.py`]: '',
        [`${pkg}/local/__init__.py`]: '',
        [`${pkg}/local/local_settings.py`]: { link: at('etc/openstack-dashboard/local_settings.py') },
        [`${pkg}/local/local_settings.d`]: { link: at('etc/openstack-dashboard/local_settings.d') },
        [`${pkg}/conf`]: { link: at('etc/openstack-dashboard/policy') },
        'usr/lib/python3/dist-packages/horizon/test/settings.py': '',
        'usr/lib/python3/dist-packages/horizon/utils/settings.py': '',
        'usr/lib/python3/dist-packages/openstack_auth/tests/settings.py': '',
        'usr/lib/python3/dist-packages/horizon-23.0.0.egg-info/PKG-INFO': 'Version: 23.0.0\n',
      });
    }
    const debianProject = (root: string, conf: string) => [
      `${root} horizon 23.0.0 usr/lib/python3/dist-packages/horizon-23.0.0.egg-info`,
      '  settings usr/lib/python3/dist-packages/openstack_dashboard/settings.py',
      `  local_settings ${conf}/local_settings.py`,
      `  local_settings.d ${conf}/local_settings.d/_0001_debian_debug.py`,
      `  local_settings.d ${conf}/local_settings.d/_0006_debian_cache.py`,
    ];

    it('Debian: /etc/openstack-dashboard finds the package settings.py and the version', async () => {
      debian();
      assert.deepEqual(
        await discover([at('etc/openstack-dashboard')]),
        debianProject('etc/openstack-dashboard', 'etc/openstack-dashboard'),
      );
    });

    it("Debian: the package tree gives one project and none of Horizon's own settings modules", async () => {
      debian();
      const pkg = 'usr/lib/python3/dist-packages/openstack_dashboard';
      assert.deepEqual(await discover([at(pkg)]), debianProject(pkg, `${pkg}/local`));
      assert.deepEqual(await discover([at(`${pkg}/settings.py`)]), debianProject(pkg, `${pkg}/local`));
      assert.deepEqual(await discover([at(`${pkg}/local`)]), debianProject(`${pkg}/local`, `${pkg}/local`));
      assert.deepEqual(await discover([at(`${pkg}/utils`)]), []);
      assert.deepEqual(await discover([at('usr/lib/python3/dist-packages/horizon')]), []);
    });

    it('Debian: both places given are one project, shown with the first one’s paths', async () => {
      debian();
      const pkg = 'usr/lib/python3/dist-packages/openstack_dashboard';
      assert.deepEqual(
        await discover([at('etc/openstack-dashboard'), at(pkg)]),
        debianProject('etc/openstack-dashboard', 'etc/openstack-dashboard'),
      );
      assert.deepEqual(
        await discover([at(pkg), at('etc/openstack-dashboard')]),
        debianProject(pkg, `${pkg}/local`),
      );
    });

    it('RDO: local_settings without extension, package found through /usr/share, version next to the real package', async () => {
      tree({
        'etc/openstack-dashboard/local_settings': 'DEBUG = False\n',
        'usr/lib/python3.9/site-packages/openstack_dashboard/settings.py': '',
        'usr/lib/python3.9/site-packages/openstack_dashboard/local/local_settings.py': {
          link: at('etc/openstack-dashboard/local_settings'),
        },
        'usr/lib/python3.9/site-packages/horizon-19.4.0-py3.9.egg-info/PKG-INFO': '',
        'usr/share/openstack-dashboard/openstack_dashboard': {
          link: '../../lib/python3.9/site-packages/openstack_dashboard',
        },
      });
      assert.deepEqual(await discover([at('etc/openstack-dashboard')]), [
        'etc/openstack-dashboard horizon 19.4.0 usr/lib/python3.9/site-packages/horizon-19.4.0-py3.9.egg-info',
        '  settings usr/share/openstack-dashboard/openstack_dashboard/settings.py',
        '  local_settings etc/openstack-dashboard/local_settings',
      ]);
    });

    it("RDO: Horizon runs the package's local_settings.d in /usr/share, not /etc's; says so for files only in /etc", async () => {
      const share = 'usr/share/openstack-dashboard/openstack_dashboard';
      tree({
        'etc/openstack-dashboard/local_settings': 'DEBUG = False\n',
        [`${share}/settings.py`]: '',
        [`${share}/local/local_settings.py`]: { link: at('etc/openstack-dashboard/local_settings') },
        [`${share}/local/local_settings.d/_1699_orchestration_settings.py`]: '',
        'etc/openstack-dashboard/local_settings.d/_1699_orchestration_settings.py': {
          link: at(`${share}/local/local_settings.d/_1699_orchestration_settings.py`),
        },
        'etc/openstack-dashboard/local_settings.d/_9999_mine.py': 'DEBUG = True\n',
      });
      assert.deepEqual(await discover([at('etc/openstack-dashboard')]), [
        'etc/openstack-dashboard horizon',
        `  settings ${share}/settings.py`,
        '  local_settings etc/openstack-dashboard/local_settings',
        `  local_settings.d ${share}/local/local_settings.d/_1699_orchestration_settings.py`,
        `warning etc/openstack-dashboard/local_settings.d: Horizon runs the snippets of ${at(`${share}/local/local_settings.d`)} (its ROOT_PATH/local/local_settings.d), not this directory's: files only here are not loaded`,
      ]);
    });

    it('prefers the installed package whose local/ links to this configuration', async () => {
      tree({
        'etc/openstack-dashboard/local_settings.py': '',
        'usr/lib/python3/dist-packages/openstack_dashboard/settings.py': '',
        'usr/lib/python3/dist-packages/openstack_dashboard/local/__init__.py': '',
        'usr/lib/python3.12/site-packages/openstack_dashboard/settings.py': '',
        'usr/lib/python3.12/site-packages/openstack_dashboard/local/local_settings.py': {
          link: at('etc/openstack-dashboard/local_settings.py'),
        },
        'usr/lib/python3.12/site-packages/horizon-25.1.0.dist-info/METADATA': '',
      });
      assert.deepEqual(await discover([at('etc/openstack-dashboard')]), [
        'etc/openstack-dashboard horizon 25.1.0 usr/lib/python3.12/site-packages/horizon-25.1.0.dist-info',
        '  settings usr/lib/python3.12/site-packages/openstack_dashboard/settings.py',
        '  local_settings etc/openstack-dashboard/local_settings.py',
      ]);
    });

    it('a Horizon source checkout gives only the layered project, version from horizon.egg-info', async () => {
      tree({
        'horizon-src/setup.cfg': '[metadata]\nname = horizon\n',
        'horizon-src/horizon.egg-info/PKG-INFO':
          'Metadata-Version: 2.1\nName: horizon\nVersion: 25.1.1.dev3\n',
        'horizon-src/openstack_dashboard/settings.py': '',
        'horizon-src/openstack_dashboard/test/settings.py': '',
        'horizon-src/openstack_dashboard/test/integration_tests/settings.py': '',
        'horizon-src/openstack_dashboard/local/local_settings.py.example': '',
        'horizon-src/openstack_dashboard/local/local_settings.d/_10_set_custom_theme.py.example': '',
        'horizon-src/horizon/test/settings.py': '',
        'horizon-src/openstack_auth/tests/settings.py': '',
        'horizon-src/tools/find_settings.py': '',
        'horizon-src/.tox/py3/lib/settings.py': '',
      });
      assert.deepEqual(await discover([at('horizon-src')]), [
        'horizon-src/openstack_dashboard horizon 25.1.1.dev3 horizon-src/horizon.egg-info',
        '  settings horizon-src/openstack_dashboard/settings.py',
      ]);
    });

    it('outside a checkout, skips test/tests next to a Horizon package but still finds deployment settings', async () => {
      tree({
        'site/openstack_dashboard/settings.py': '',
        'site/openstack_dashboard/local/local_settings.py': '',
        'site/tests/settings.py': '',
        'site/mysite/settings.py': '',
      });
      assert.deepEqual(await discover([at('site')]), [
        'site/mysite django',
        '  settings site/mysite/settings.py',
        'site/openstack_dashboard horizon',
        '  settings site/openstack_dashboard/settings.py',
        '  local_settings site/openstack_dashboard/local/local_settings.py',
      ]);
    });
  });

  describe('--horizon-settings and --horizon-release', () => {
    it('makes every project a Horizon project over the given settings.py', async () => {
      tree({
        'hz/openstack_dashboard/settings.py': '',
        'hz/horizon-24.0.0.dist-info/METADATA': '',
        'mysite/settings.py': '',
        'conf/local_settings.py': '',
        'conf/local_settings.d/_1.py': '',
      });
      const opts = { horizonSettings: at('hz/openstack_dashboard/settings.py'), forceHorizon: true };
      assert.deepEqual(await discover([at('mysite'), at('conf')], opts), [
        'conf horizon 24.0.0 hz/horizon-24.0.0.dist-info',
        '  settings hz/openstack_dashboard/settings.py',
        '  local_settings conf/local_settings.py',
        '  local_settings.d conf/local_settings.d/_1.py',
        'mysite horizon 24.0.0 hz/horizon-24.0.0.dist-info',
        '  settings hz/openstack_dashboard/settings.py',
        '  local_settings mysite/settings.py',
      ]);
    });

    it('forces Horizon without a base settings.py (release defaults apply later)', async () => {
      tree({ 'mysite/settings.py': '' });
      assert.deepEqual(await discover([at('mysite')], { forceHorizon: true }), [
        'mysite horizon',
        '  local_settings mysite/settings.py',
      ]);
    });

    it('reports a --horizon-settings path that is not there', async () => {
      tree({ 'mysite/settings.py': '' });
      assert.deepEqual(await discover([at('mysite')], { horizonSettings: at('missing/settings.py') }), [
        'mysite django',
        '  settings mysite/settings.py',
        'error missing/settings.py: no such file or directory',
      ]);
    });
  });

  describe('errors', () => {
    it('reports unreadable paths in sorted order, one line each, and still discovers the rest', async () => {
      tree({
        'ok/settings.py': '',
        'file.py': '',
        dangling: { link: 'nowhere' },
        selfloop: { link: 'selfloop' },
      });
      const result = await discoverProjects(
        [at('zz-missing'), at('file.py/sub'), at('ok'), at('dangling'), at('selfloop'), at('a-missing')],
        { systemRoot: tmp },
      );
      assert.deepEqual(summary(result), [
        'ok django',
        '  settings ok/settings.py',
        'error a-missing: no such file or directory',
        'error dangling: broken symbolic link',
        'error file.py/sub: not a directory',
        'error selfloop: too many levels of symbolic links',
        'error zz-missing: no such file or directory',
      ]);
      for (const e of result.errors) assert.doesNotMatch(e.message, /\n/);
    });

    it('reports a dangling link only where a settings file was expected', async () => {
      tree({
        'proj/settings.py': { link: 'gone.py' },
        'proj/README.md': { link: 'gone.md' },
        'proj/local/local_settings.py': { link: 'gone-too.py' },
      });
      assert.deepEqual(await discover([at('proj')]), [
        'error proj/local/local_settings.py: broken symbolic link',
        'error proj/settings.py: broken symbolic link',
      ]);
    });

    it('returns no projects and no errors for an empty list or a tree without settings', async () => {
      tree({ 'src/app.py': '' });
      assert.deepEqual(await discover([]), []);
      assert.deepEqual(await discover([at('src')]), []);
    });
  });
});

describe('discoverProjects on the installed Debian openstack-dashboard package', () => {
  const etc = '/etc/openstack-dashboard';
  const pkg = '/usr/lib/python3/dist-packages/openstack_dashboard';

  function assertDebianProject(projects: readonly DiscoveredProject[], root: string): void {
    assert.equal(projects.length, 1, `one project, got ${JSON.stringify(projects.map((p) => p.root))}`);
    const [project] = projects;
    assert.ok(project !== undefined);
    assert.equal(project.root, root);
    assert.equal(project.kind, 'horizon');
    assert.deepEqual(project.layers[0], {
      path: `${pkg}/settings.py`,
      role: 'settings',
      realPath: `${pkg}/settings.py`,
    });
    assert.equal(project.layers[1]?.role, 'local_settings');
    assert.equal(project.layers[1]?.realPath, `${etc}/local_settings.py`);
    const last = project.layers[project.layers.length - 1];
    assert.equal(last?.role, 'local_settings.d');
    assert.match(last?.path ?? '', /\/local_settings\.d\/_0006_debian_cache\.py$/);
    assert.equal(last?.realPath, `${etc}/local_settings.d/_0006_debian_cache.py`);
    assert.match(project.horizonVersionHint?.version ?? '', /^\d+\.\d+\.\d+/);
  }

  before(() => {
    // Not a skip: CI installs the package, and without it these checks would silently prove nothing.
    assert.ok(
      fs.existsSync(`${etc}/local_settings.py`) && fs.existsSync(`${pkg}/settings.py`),
      `Debian's Horizon is not installed: run "sudo apt-get install openstack-dashboard" (CI installs it) ` +
        `to get ${etc}/local_settings.py and ${pkg}/settings.py`,
    );
  });

  it('finds one Horizon project from /etc/openstack-dashboard', async () => {
    const result = await discoverProjects([etc]);
    assert.deepEqual(result.errors, []);
    assertDebianProject(result.projects, etc);
    assert.ok(
      result.projects[0]?.layers.every((l) => l.role !== 'local_settings.d' || l.path.startsWith(`${etc}/`)),
    );
  });

  it('finds the same project from the package directory', async () => {
    const result = await discoverProjects([pkg]);
    assert.deepEqual(result.errors, []);
    assertDebianProject(result.projects, pkg);
    assert.equal(result.projects[0]?.layers[1]?.path, `${pkg}/local/local_settings.py`);
  });
});
