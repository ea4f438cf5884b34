/** Property tests for workspace version inference: never throws on any text, round-trips generated pins, ignores lookalikes, order-independent. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  horizonVersionFromDistInfo,
  inferDjangoVersion,
  inferHorizonVersion,
  type VersionInference,
} from '../../server/src/core/versions';

const PATHS = [
  'requirements.txt',
  'requirements/base.txt',
  'upper-constraints.txt',
  'pyproject.toml',
  'setup.cfg',
  'Pipfile',
  'Pipfile.lock',
  'poetry.lock',
  'uv.lock',
];

// Pieces of the syntaxes the parsers handle, so random text reaches their corners more often than
// uniformly random characters would.
const FRAGMENTS = [
  'Django',
  'django',
  'horizon',
  'django-redis',
  '==',
  '===',
  '>=',
  '<',
  '~=',
  '^',
  '~',
  '4.2',
  '4.2.11',
  '.*',
  ',',
  ';',
  ' ',
  '\n',
  '\r\n',
  '\\',
  '#',
  '-r ',
  '--hash=',
  '[',
  ']',
  '[project]',
  'dependencies = [',
  '"',
  '{',
  '}',
  '[[package]]',
  'name = ',
  'version = ',
  '[options]',
  'install_requires =',
  '[packages]',
  '[tool.poetry.dependencies]',
  '"default": {',
  ':',
  '=',
  '@ https://x',
  'python_version>="3.8"',
];

const fragmentText = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fragmentText);

function assertWellFormed(
  result: VersionInference | undefined,
  paths: readonly string[],
  version: RegExp,
): void {
  if (result === undefined) return;
  assert.match(result.version, version);
  assert.ok(paths.includes(result.source), result.source);
  assert.equal(typeof result.spec, 'string');
  assert.ok(result.spec.length > 0);
  assert.equal(typeof result.exact, 'boolean');
}

const release = fc.tuple(
  fc.integer({ min: 1, max: 60 }),
  fc.integer({ min: 0, max: 30 }),
  fc.integer({ min: 0, max: 40 }),
);

describe('versions (properties)', () => {
  it('never throws and returns well-formed results on any text in any file kind', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), anyText), { maxLength: 4 }), (files) => {
        const input = files.map(([path, text]) => ({ path, text }));
        const paths = input.map((f) => f.path);
        assertWellFormed(inferDjangoVersion(input), paths, /^\d+\.\d+$/);
        assertWellFormed(inferHorizonVersion(input), paths, /^\d+\.\d+\.\d+$/);
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on any directory name', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string().map((s) => `horizon-${s}.dist-info`),
        ),
        (name) => {
          const version = horizonVersionFromDistInfo(name);
          if (version !== undefined) assert.match(version, /^\d+\.\d+\.\d+$/);
        },
      ),
    );
  });

  it('reads back any exact pin, in every syntax', () => {
    fc.assert(
      fc.property(release, fc.constantFrom('Django', 'django', 'DJANGO'), ([major, minor, patch], name) => {
        const full = `${major}.${minor}.${patch}`;
        const expected = { version: `${major}.${minor}`, exact: true };
        const texts: [string, string][] = [
          ['requirements.txt', `${name}==${full}\n`],
          ['pyproject.toml', `[project]\ndependencies = ["${name}==${full}"]\n`],
          ['pyproject.toml', `[tool.poetry.dependencies]\n${name} = "${full}"\n`],
          ['setup.cfg', `[options]\ninstall_requires =\n    ${name}==${full}\n`],
          ['Pipfile', `[packages]\n${name} = "==${full}"\n`],
          ['Pipfile.lock', JSON.stringify({ default: { [name]: { version: `==${full}` } } })],
          ['poetry.lock', `[[package]]\nname = "${name}"\nversion = "${full}"\n`],
        ];
        for (const [path, text] of texts) {
          const result = inferDjangoVersion([{ path, text }]);
          assert.deepEqual(
            result && { version: result.version, exact: result.exact },
            expected,
            `${path}: ${text}`,
          );
        }
        const h = inferHorizonVersion([{ path: 'requirements.txt', text: `horizon==${full}\n` }]);
        assert.equal(h?.version, full);
      }),
    );
  });

  it('reads the lower bound of any range', () => {
    fc.assert(
      fc.property(release, fc.integer({ min: 1, max: 5 }), ([major, minor], span) => {
        const text = `Django>=${major}.${minor},<${major + span}.0\n`;
        assert.deepEqual(inferDjangoVersion([{ path: 'requirements.txt', text }]), {
          version: `${major}.${minor}`,
          source: 'requirements.txt',
          spec: text.trim(),
          exact: false,
        });
      }),
    );
  });

  it('never takes a lookalike package for Django or Horizon', () => {
    const suffix = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('django', 'Django', 'horizon'),
        fc.constantFrom('-', '_', '.'),
        suffix,
        release,
        (base, separator, tail, [major, minor, patch]) => {
          const text = `${base}${separator}${tail}==${major}.${minor}.${patch}\n${tail}${separator}${base}==${major}.${minor}\n`;
          const files = [{ path: 'requirements.txt', text }];
          assert.equal(inferDjangoVersion(files), undefined);
          assert.equal(inferHorizonVersion(files), undefined);
        },
      ),
    );
  });

  it('does not depend on the order the files are handed in', () => {
    const file = fc.record({
      path: fc.constantFrom(
        'requirements.txt',
        'a/requirements.txt',
        'b/constraints.txt',
        'pyproject.toml',
        'a/b/poetry.lock',
        'requirements/dev.txt',
      ),
      pin: release,
      exact: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(file, { selector: (f) => f.path, minLength: 1, maxLength: 6 }),
        fc.integer(),
        (specs, seed) => {
          const files = specs.map(({ path, pin: [major, minor, patch], exact }) => {
            const spec = exact ? `==${major}.${minor}.${patch}` : `>=${major}.${minor}`;
            if (path.endsWith('pyproject.toml'))
              return { path, text: `[project]\ndependencies = ["Django${spec}"]\n` };
            if (path.endsWith('poetry.lock'))
              return { path, text: `[[package]]\nname = "django"\nversion = "${major}.${minor}.${patch}"\n` };
            return { path, text: `Django${spec}\n` };
          });
          const shuffled = [...files].sort(
            (x, y) =>
              ((x.path.length * 31 + seed) % 7) - ((y.path.length * 31 + seed) % 7) ||
              (x.path < y.path ? 1 : -1),
          );
          assert.deepEqual(inferDjangoVersion(shuffled), inferDjangoVersion(files));
        },
      ),
    );
  });
});
