/** Case tests for workspace version inference: one case per file syntax, precedence, lookalike names, file patterns. */
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { analyze, readsVersionFiles } from '../../server/src/core/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import {
  VERSION_FILE_PATTERNS,
  classifyVersionFile,
  horizonVersionFromDistInfo,
  inferDjangoVersion,
  inferHorizonVersion,
  type VersionInference,
} from '../../server/src/core/versions';

function django(path: string, text: string): VersionInference | undefined {
  return inferDjangoVersion([{ path, text }]);
}

function horizon(path: string, text: string): VersionInference | undefined {
  return inferHorizonVersion([{ path, text }]);
}

describe('versions', () => {
  describe('requirements and constraints files', () => {
    const cases: [string, string, VersionInference | undefined][] = [
      [
        'exact pin',
        'Django==4.2.11\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django==4.2.11', exact: true },
      ],
      [
        'range with cap',
        'django>=4.2,<4.3\n',
        { version: '4.2', source: 'requirements.txt', spec: 'django>=4.2,<4.3', exact: false },
      ],
      [
        'compatible release',
        'Django~=4.2.0\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django~=4.2.0', exact: false },
      ],
      [
        'compatible release, two components',
        'Django~=5.1\n',
        { version: '5.1', source: 'requirements.txt', spec: 'Django~=5.1', exact: false },
      ],
      [
        'arbitrary equality',
        'Django===5.0\n',
        { version: '5.0', source: 'requirements.txt', spec: 'Django===5.0', exact: true },
      ],
      [
        'wildcard',
        'Django==4.2.*\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django==4.2.*', exact: false },
      ],
      [
        'pin of a major only',
        'Django==5\n',
        { version: '5.0', source: 'requirements.txt', spec: 'Django==5', exact: true },
      ],
      [
        'pre-release pin',
        'Django==5.0rc1\n',
        { version: '5.0', source: 'requirements.txt', spec: 'Django==5.0rc1', exact: true },
      ],
      [
        'Horizon 23.4.0 span',
        'Django>=3.2,<4.3 # LTS\n',
        { version: '3.2', source: 'requirements.txt', spec: 'Django>=3.2,<4.3', exact: false },
      ],
      [
        'strictly greater',
        'Django>4.2\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django>4.2', exact: false },
      ],
      [
        'spaces around operators',
        'Django >= 4.2 , < 5.0\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django >= 4.2 , < 5.0', exact: false },
      ],
      [
        'extras and markers',
        'Django[argon2]>=4.2 ; python_version>="3.8"\n',
        {
          version: '4.2',
          source: 'requirements.txt',
          spec: 'Django[argon2]>=4.2 ; python_version>="3.8"',
          exact: false,
        },
      ],
      [
        'marker without spaces',
        'Django==4.2.11;python_version<"3.12"\n',
        {
          version: '4.2',
          source: 'requirements.txt',
          spec: 'Django==4.2.11;python_version<"3.12"',
          exact: true,
        },
      ],
      [
        'upper case name',
        'DJANGO==3.2.25\n',
        { version: '3.2', source: 'requirements.txt', spec: 'DJANGO==3.2.25', exact: true },
      ],
      [
        'comments, includes and options around it',
        '# pins\n-r base.txt\n-c constraints.txt\n--index-url https://example.org/simple\n-e git+https://example.org/x.git#egg=x\n\nDjango==4.2.11  # LTS\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django==4.2.11', exact: true },
      ],
      [
        'continuation lines with hashes (pip-compile)',
        'django==4.2.11 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n    # via -r requirements.in\n',
        { version: '4.2', source: 'requirements.txt', spec: 'django==4.2.11', exact: true },
      ],
      [
        'specifier continued on the next line',
        'Django>=4.2,\\\n    <4.3\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django>=4.2, <4.3', exact: false },
      ],
      [
        'old parenthesised form',
        'Django (>=1.11,<2.0)\n',
        { version: '1.11', source: 'requirements.txt', spec: 'Django (>=1.11,<2.0)', exact: false },
      ],
      [
        'CRLF line ends',
        'six\r\nDjango==4.2.11\r\n',
        { version: '4.2', source: 'requirements.txt', spec: 'Django==4.2.11', exact: true },
      ],
      ['no version', 'Django\n', undefined],
      ['only an upper bound', 'Django<5\n', undefined],
      ['only exclusions', 'Django!=4.0.*\n', undefined],
      ['URL reference', 'Django @ https://example.org/Django-4.2.11.tar.gz\n', undefined],
      ['commented out', '# Django==4.2.11\n', undefined],
      ['comment line ends a continuation', 'six \\\n# Django==4.2.11\n', undefined],
      ['environment variable', 'Django==${DJANGO_VERSION}\n', undefined],
      ['invalid version', 'Django==4.2.x\n', undefined],
      ['include of a file that pins it is not followed', '-r requirements/django.txt\n', undefined],
    ];
    for (const [title, text, expected] of cases) {
      it(title, () => assert.deepEqual(django('requirements.txt', text), expected));
    }

    it('reads requirements/*.txt, constraints*.txt and upper-constraints.txt', () => {
      assert.deepEqual(django('requirements/prod.txt', 'Django==5.1.4\n'), {
        version: '5.1',
        source: 'requirements/prod.txt',
        spec: 'Django==5.1.4',
        exact: true,
      });
      assert.deepEqual(django('constraints.txt', 'Django==4.2.16\n'), {
        version: '4.2',
        source: 'constraints.txt',
        spec: 'Django==4.2.16',
        exact: true,
      });
      assert.deepEqual(django('upper-constraints.txt', "Django===4.2.16;python_version=='3.10'\n"), {
        version: '4.2',
        source: 'upper-constraints.txt',
        spec: "Django===4.2.16;python_version=='3.10'",
        exact: true,
      });
    });

    it('does not match lookalike packages', () => {
      const text =
        'django-redis==5.2.0\ndjango-environ>=0.11\ndjango_debug_toolbar==4.3\ndjangorestframework==3.15.1\ndjango.contrib==1.0\npython-django==4.2\n';
      assert.equal(django('requirements.txt', text), undefined);
    });

    it('finds Django among lookalikes', () => {
      const text = 'django-redis==5.2.0\ndjango-environ\nDjango>=4.2,<5.0\n';
      assert.deepEqual(django('requirements.txt', text), {
        version: '4.2',
        source: 'requirements.txt',
        spec: 'Django>=4.2,<5.0',
        exact: false,
      });
    });

    it('reads Horizon with the full version', () => {
      assert.deepEqual(horizon('requirements.txt', 'horizon==23.4.0\n'), {
        version: '23.4.0',
        source: 'requirements.txt',
        spec: 'horizon==23.4.0',
        exact: true,
      });
      assert.deepEqual(horizon('requirements.txt', 'horizon>=23.4\n'), {
        version: '23.4.0',
        source: 'requirements.txt',
        spec: 'horizon>=23.4',
        exact: false,
      });
      assert.deepEqual(horizon('upper-constraints.txt', 'horizon===25.6.0\n'), {
        version: '25.6.0',
        source: 'upper-constraints.txt',
        spec: 'horizon===25.6.0',
        exact: true,
      });
      assert.equal(
        horizon('requirements.txt', 'django-horizon==1.0\nhorizon-plugin==2.0\nDjango==4.2.11\n'),
        undefined,
      );
    });
  });

  describe('pyproject.toml', () => {
    it('reads PEP 621 dependencies', () => {
      const text =
        '[project]\nname = "site"\ndependencies = [\n  "django-redis>=5",\n  "Django>=4.2,<5.0",\n]\n';
      assert.deepEqual(django('pyproject.toml', text), {
        version: '4.2',
        source: 'pyproject.toml',
        spec: 'Django>=4.2,<5.0',
        exact: false,
      });
    });

    it('reads PEP 621 optional-dependencies', () => {
      const text = '[project]\nname = "site"\n\n[project.optional-dependencies]\nweb = ["Django==5.0.6"]\n';
      assert.deepEqual(django('pyproject.toml', text), {
        version: '5.0',
        source: 'pyproject.toml',
        spec: 'Django==5.0.6',
        exact: true,
      });
    });

    it('reads dependency groups and skips include-group tables', () => {
      const text = '[dependency-groups]\ndev = [{ include-group = "test" }, "django~=5.1.0"]\n';
      assert.deepEqual(django('pyproject.toml', text), {
        version: '5.1',
        source: 'pyproject.toml',
        spec: 'django~=5.1.0',
        exact: false,
      });
    });

    it('reads PDM and uv dependency lists', () => {
      assert.deepEqual(django('pyproject.toml', '[tool.pdm.dev-dependencies]\ntest = ["Django>=4.2"]\n'), {
        version: '4.2',
        source: 'pyproject.toml',
        spec: 'Django>=4.2',
        exact: false,
      });
      assert.deepEqual(
        django('pyproject.toml', '[tool.uv]\nconstraint-dependencies = ["django<5.3,>=5.2"]\n'),
        {
          version: '5.2',
          source: 'pyproject.toml',
          spec: 'django<5.3,>=5.2',
          exact: false,
        },
      );
    });

    const poetry: [string, string, VersionInference | undefined][] = [
      [
        'caret',
        'django = "^4.2"',
        { version: '4.2', source: 'pyproject.toml', spec: 'django = "^4.2"', exact: false },
      ],
      [
        'tilde',
        'Django = "~4.2"',
        { version: '4.2', source: 'pyproject.toml', spec: 'Django = "~4.2"', exact: false },
      ],
      [
        'table with version',
        'django = { version = "~4.2", extras = ["argon2"] }',
        { version: '4.2', source: 'pyproject.toml', spec: 'django = { version = "~4.2" }', exact: false },
      ],
      [
        'bare version is exact',
        'django = "4.2.11"',
        { version: '4.2', source: 'pyproject.toml', spec: 'django = "4.2.11"', exact: true },
      ],
      [
        'bare wildcard',
        'django = "4.2.*"',
        { version: '4.2', source: 'pyproject.toml', spec: 'django = "4.2.*"', exact: false },
      ],
      [
        'comparison with spaces',
        'django = ">= 4.2, < 5.0"',
        { version: '4.2', source: 'pyproject.toml', spec: 'django = ">= 4.2, < 5.0"', exact: false },
      ],
      [
        'space-separated terms',
        'django = ">=4.2 <5.0"',
        { version: '4.2', source: 'pyproject.toml', spec: 'django = ">=4.2 <5.0"', exact: false },
      ],
      [
        'alternatives take the lowest',
        'django = "^4.2 || ^3.2"',
        { version: '3.2', source: 'pyproject.toml', spec: 'django = "^4.2 || ^3.2"', exact: false },
      ],
      ['any version', 'django = "*"', undefined],
      [
        'git dependency',
        'django = { git = "https://github.com/django/django.git", branch = "stable/4.2.x" }',
        undefined,
      ],
    ];
    for (const [title, line, expected] of poetry) {
      it(`reads Poetry dependencies: ${title}`, () => {
        assert.deepEqual(
          django('pyproject.toml', `[tool.poetry.dependencies]\npython = "^3.10"\n${line}\n`),
          expected,
        );
      });
    }

    it('reads Poetry multiple-constraint lists and groups', () => {
      const multi =
        '[tool.poetry.dependencies]\ndjango = [\n  { version = "^3.2", python = "<3.8" },\n  { version = "^4.2", python = ">=3.8" },\n]\n';
      assert.deepEqual(django('pyproject.toml', multi), {
        version: '3.2',
        source: 'pyproject.toml',
        spec: 'django = { version = "^3.2" }',
        exact: false,
      });
      const group = '[tool.poetry.group.dev.dependencies]\nDjango = "==5.1.2"\n';
      assert.deepEqual(django('pyproject.toml', group), {
        version: '5.1',
        source: 'pyproject.toml',
        spec: 'Django = "==5.1.2"',
        exact: true,
      });
    });

    it('prefers an exact pin over a range within one file', () => {
      const text = '[project]\ndependencies = ["Django>=4.2"]\n[dependency-groups]\nci = ["Django==5.0.1"]\n';
      assert.deepEqual(django('pyproject.toml', text), {
        version: '5.0',
        source: 'pyproject.toml',
        spec: 'Django==5.0.1',
        exact: true,
      });
    });

    it('takes the first of equal entries in document order', () => {
      const text =
        '[project]\ndependencies = ["Django>=4.2"]\n[project.optional-dependencies]\nold = ["Django>=3.2"]\n';
      assert.deepEqual(django('pyproject.toml', text), {
        version: '4.2',
        source: 'pyproject.toml',
        spec: 'Django>=4.2',
        exact: false,
      });
    });

    it('ignores build-system requirements and invalid TOML', () => {
      assert.equal(django('pyproject.toml', '[build-system]\nrequires = ["Django==4.2.11"]\n'), undefined);
      assert.equal(django('pyproject.toml', '[project\ndependencies = ["Django==4.2.11"]\n'), undefined);
    });
  });

  describe('setup.cfg', () => {
    it('reads multi-line install_requires', () => {
      const text =
        '[metadata]\nname = site\n\n[options]\npackages = find:\ninstall_requires =\n    django-environ\n    # the LTS\n    Django>=4.2,<4.3  # keep in step with Horizon\n    pymemcache\npython_requires = >=3.9\n';
      assert.deepEqual(django('setup.cfg', text), {
        version: '4.2',
        source: 'setup.cfg',
        spec: 'Django>=4.2,<4.3',
        exact: false,
      });
    });

    it('reads a one-line install_requires and extras_require', () => {
      assert.deepEqual(django('setup.cfg', '[options]\ninstall_requires = Django==3.2.25\n'), {
        version: '3.2',
        source: 'setup.cfg',
        spec: 'Django==3.2.25',
        exact: true,
      });
      assert.deepEqual(django('setup.cfg', '[options]\ninstall-requires = Django>=5.2\n'), {
        version: '5.2',
        source: 'setup.cfg',
        spec: 'Django>=5.2',
        exact: false,
      });
      assert.deepEqual(django('setup.cfg', '[options.extras_require]\nweb =\n    Django~=5.0.0\n'), {
        version: '5.0',
        source: 'setup.cfg',
        spec: 'Django~=5.0.0',
        exact: false,
      });
    });

    it('ignores other sections and keys', () => {
      const text =
        '[options]\ntests_require =\n    Django==4.2.11\n[metadata]\ninstall_requires =\n    Django==4.2.11\n';
      assert.equal(django('setup.cfg', text), undefined);
    });
  });

  describe('Pipfile and Pipfile.lock', () => {
    it('reads Pipfile packages', () => {
      const text =
        '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n[packages]\ndjango = "==4.2.*"\n\n[requires]\npython_version = "3.11"\n';
      assert.deepEqual(django('Pipfile', text), {
        version: '4.2',
        source: 'Pipfile',
        spec: 'django = "==4.2.*"',
        exact: false,
      });
    });

    it('reads Pipfile table form and pins', () => {
      assert.deepEqual(
        django('Pipfile', '[packages]\nDjango = { version = "==5.0.3", extras = ["argon2"] }\n'),
        {
          version: '5.0',
          source: 'Pipfile',
          spec: 'Django = { version = "==5.0.3" }',
          exact: true,
        },
      );
      assert.equal(django('Pipfile', '[packages]\ndjango = "*"\n'), undefined);
    });

    it('prefers [packages] over [dev-packages]', () => {
      const text = '[dev-packages]\ndjango = ">=3.2"\n\n[packages]\ndjango = ">=4.2"\n';
      assert.deepEqual(django('Pipfile', text), {
        version: '4.2',
        source: 'Pipfile',
        spec: 'django = ">=4.2"',
        exact: false,
      });
    });

    it('reads Pipfile.lock', () => {
      const text = JSON.stringify({
        _meta: { hash: { sha256: 'x' }, requires: { python_version: '3.11' } },
        default: {
          'django-redis': { version: '==5.4.0' },
          django: { hashes: ['sha256:x'], markers: "python_version >= '3.8'", version: '==4.2.11' },
        },
        develop: {},
      });
      assert.deepEqual(django('Pipfile.lock', text), {
        version: '4.2',
        source: 'Pipfile.lock',
        spec: 'django==4.2.11',
        exact: true,
      });
      assert.equal(django('Pipfile.lock', '{"default": {"django": "4.2.11"}}'), undefined);
      assert.equal(django('Pipfile.lock', '{"default": '), undefined);
    });
  });

  describe('poetry.lock and uv.lock', () => {
    it('reads poetry.lock', () => {
      const text =
        '[[package]]\nname = "asgiref"\nversion = "3.8.1"\ndescription = "ASGI specs"\noptional = false\npython-versions = ">=3.8"\n\n[[package]]\nname = "django"\nversion = "4.2.11"\ndescription = "A high-level Python web framework"\n\n[package.dependencies]\nasgiref = ">=3.6.0,<4"\n\n[metadata]\nlock-version = "2.0"\n';
      assert.deepEqual(django('poetry.lock', text), {
        version: '4.2',
        source: 'poetry.lock',
        spec: 'django==4.2.11',
        exact: true,
      });
    });

    it('reads uv.lock', () => {
      const text =
        'version = 1\nrequires-python = ">=3.10"\n\n[[package]]\nname = "django"\nversion = "5.1.4"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [\n    { name = "asgiref" },\n    { name = "sqlparse" },\n]\n\n[[package]]\nname = "horizon"\nversion = "25.6.0"\nsource = { registry = "https://pypi.org/simple" }\n';
      assert.deepEqual(django('uv.lock', text), {
        version: '5.1',
        source: 'uv.lock',
        spec: 'django==5.1.4',
        exact: true,
      });
      assert.deepEqual(horizon('uv.lock', text), {
        version: '25.6.0',
        source: 'uv.lock',
        spec: 'horizon==25.6.0',
        exact: true,
      });
    });

    it('ignores lookalikes in lock files', () => {
      assert.equal(
        django('poetry.lock', '[[package]]\nname = "django-redis"\nversion = "5.2.0"\n'),
        undefined,
      );
    });
  });

  describe('precedence', () => {
    it('a lock file beats an exact pin, which beats a range', () => {
      const files = [
        { path: 'requirements.txt', text: 'Django>=4.2,<5.0\n' },
        { path: 'constraints.txt', text: 'Django==4.2.10\n' },
        { path: 'sub/poetry.lock', text: '[[package]]\nname = "Django"\nversion = "4.2.16"\n' },
      ];
      assert.deepEqual(inferDjangoVersion(files), {
        version: '4.2',
        source: 'sub/poetry.lock',
        spec: 'Django==4.2.16',
        exact: true,
      });
      assert.deepEqual(inferDjangoVersion(files.slice(0, 2)), {
        version: '4.2',
        source: 'constraints.txt',
        spec: 'Django==4.2.10',
        exact: true,
      });
    });

    it('among equals, the shallowest path wins, then the alphabetically first', () => {
      const files = [
        { path: 'deploy/requirements.txt', text: 'Django==5.0.1\n' },
        { path: 'requirements/prod.txt', text: 'Django==3.2.1\n' },
        { path: 'requirements-dev.txt', text: 'Django==5.1.1\n' },
        { path: 'requirements.txt', text: 'Django==4.2.1\n' },
      ];
      assert.deepEqual(inferDjangoVersion(files), {
        version: '5.1',
        source: 'requirements-dev.txt',
        spec: 'Django==5.1.1',
        exact: true,
      });
      assert.deepEqual(inferDjangoVersion(files.slice(0, 2)), {
        version: '5.0',
        source: 'deploy/requirements.txt',
        spec: 'Django==5.0.1',
        exact: true,
      });
    });

    it('compares paths by segments whatever the separator, and reports the path as handed in', () => {
      const files = [
        { path: 'a\\b\\requirements.txt', text: 'Django==3.2.1\n' },
        { path: './requirements.txt', text: 'Django==4.2.1\n' },
      ];
      assert.deepEqual(inferDjangoVersion(files), {
        version: '4.2',
        source: './requirements.txt',
        spec: 'Django==4.2.1',
        exact: true,
      });
    });

    it('skips files that say nothing and files of unknown formats', () => {
      const files = [
        { path: 'README.txt', text: 'Django==1.11\n' },
        { path: 'docs/conf.py', text: 'Django==1.11\n' },
        { path: 'requirements.txt', text: 'Django\n' },
        { path: 'src/site/requirements.txt', text: 'Django>=4.2\n' },
      ];
      assert.deepEqual(inferDjangoVersion(files), {
        version: '4.2',
        source: 'src/site/requirements.txt',
        spec: 'Django>=4.2',
        exact: false,
      });
    });

    it('returns undefined without files or on garbage', () => {
      assert.equal(inferDjangoVersion([]), undefined);
      assert.equal(inferHorizonVersion([]), undefined);
      const garbage = [
        '\u0000\u0001==',
        '[[[[',
        '{"default":',
        '\\\\\\',
        'Django==',
        '==4.2',
        'Django>=',
        '[packages]\ndjango = 4.2\n',
      ];
      for (const text of garbage) {
        for (const path of [
          'requirements.txt',
          'pyproject.toml',
          'setup.cfg',
          'Pipfile',
          'Pipfile.lock',
          'poetry.lock',
          'uv.lock',
        ]) {
          assert.equal(inferDjangoVersion([{ path, text }]), undefined, `${path}: ${JSON.stringify(text)}`);
        }
      }
    });

    it('stays fast on hostile long lines', () => {
      const long =
        'Django==' +
        '1.'.repeat(200_000) +
        '!\n' +
        '\\'.repeat(200_000) +
        'a\\\n' +
        ' '.repeat(200_000) +
        'x';
      const started = Date.now();
      assert.equal(django('requirements.txt', long), undefined);
      assert.equal(django('setup.cfg', '[options]\ninstall_requires =\n  ' + long), undefined);
      assert.ok(Date.now() - started < 2000, 'took too long');
    });
  });

  describe('horizonVersionFromDistInfo', () => {
    const cases: [string, string | undefined][] = [
      ['horizon-23.0.0.egg-info', '23.0.0'],
      ['horizon-25.6.0.dist-info', '25.6.0'],
      ['/usr/lib/python3/dist-packages/horizon-23.0.0.egg-info', '23.0.0'],
      ['site-packages\\horizon-24.0.0.dist-info\\', '24.0.0'],
      ['horizon-23.4.0-py3.11.egg-info', '23.4.0'],
      ['horizon-25.6.1.dev12.dist-info', '25.6.1'],
      ['Horizon-2012.2.egg-info', '2012.2.0'],
      ['horizon-23.0.0', undefined],
      ['horizon_plugin-1.0.0.dist-info', undefined],
      ['django_horizon-1.0.0.dist-info', undefined],
      ['horizon-latest.dist-info', undefined],
      ['django-4.2.11.dist-info', undefined],
      ['', undefined],
    ];
    for (const [name, expected] of cases) {
      it(`${JSON.stringify(name)} → ${String(expected)}`, () =>
        assert.equal(horizonVersionFromDistInfo(name), expected));
    }
  });

  describe('VERSION_FILE_PATTERNS', () => {
    const isMatch = picomatch(VERSION_FILE_PATTERNS as string[]);

    it('matches the files that can pin versions, up to two directory levels down', () => {
      const matching = [
        'requirements.txt',
        'requirements-dev.txt',
        'requirements/base.txt',
        'constraints.txt',
        'upper-constraints.txt',
        'pyproject.toml',
        'setup.cfg',
        'Pipfile',
        'Pipfile.lock',
        'poetry.lock',
        'uv.lock',
        'src/requirements.txt',
        'src/site/pyproject.toml',
        'deploy/requirements/prod.txt',
        'a/b/requirements/prod.txt',
      ];
      for (const path of matching) assert.ok(isMatch(path), path);
    });

    it('does not match other files, hidden directories or deeper trees', () => {
      const other = [
        'README.txt',
        'setup.py',
        'requirements.in',
        'a/b/c/requirements.txt',
        '.venv/requirements.txt',
        'docs/conf.py',
        'package.json',
      ];
      for (const path of other) assert.ok(!isMatch(path), path);
    });

    it('agrees with the classifier on every matching name', () => {
      for (const pattern of VERSION_FILE_PATTERNS) {
        const sample = pattern.replace(/\*\//g, 'x/').replace(/\*/g, '-dev');
        assert.ok(isMatch(sample), sample);
        assert.notEqual(classifyVersionFile(sample), undefined, sample);
      }
    });
  });
});

describe('readsVersionFiles', () => {
  const SETTINGS = '/p/mysite/settings.py';
  const TEXT = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
  /** Pins that, when read, change the versions an analysis assumes. */
  const FILES = [
    { path: 'requirements.txt', text: 'Django==3.2.25\n' },
    { path: 'constraints.txt', text: 'horizon===23.1.0\n' },
  ];
  const summary = (
    kind: 'django' | 'horizon',
    djangoVersion: string,
    horizonRelease: string,
    withFiles: boolean,
  ): unknown =>
    analyze({
      project: {
        root: '/p',
        kind,
        layers: [{ path: SETTINGS, role: kind === 'horizon' ? 'local_settings' : 'settings' }],
        readFile: (f) => (f === SETTINGS ? TEXT : undefined),
      },
      options: { ...DEFAULT_OPTIONS, djangoVersion, horizonRelease },
      versionFiles: withFiles ? FILES : [],
      verifyFixes: false,
    }).summary;

  it('is false only when the analysis is the same without the version files', () => {
    let skipped = 0;
    for (const kind of ['django', 'horizon'] as const)
      for (const djangoVersion of ['', '4.2', 'not-a-version'])
        for (const horizonRelease of ['', '2023.1', 'no-such-release']) {
          const options = { ...DEFAULT_OPTIONS, djangoVersion, horizonRelease };
          const reads = readsVersionFiles(options, kind);
          const same =
            JSON.stringify(summary(kind, djangoVersion, horizonRelease, true)) ===
            JSON.stringify(summary(kind, djangoVersion, horizonRelease, false));
          const what = `${kind} ${djangoVersion} ${horizonRelease}`;
          if (!reads) {
            skipped++;
            assert.ok(same, what);
          } else assert.ok(!same, `${what}: reads files that change nothing`);
        }
    assert.ok(skipped >= 2);
  });
});
