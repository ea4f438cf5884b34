/** The configuration file from the CLI: pyproject.toml's [tool.django-session-lint] and .django-session-lint.toml change the findings and the exit code; nearest wins; flags override it; per-file-ignores, exclude; errors with file and line (exit 2); --show-settings says where each value came from. */
import assert from 'node:assert/strict';
import { assertBundle, LOCMEM_SETTINGS, runCli, suiteProjects } from './cli-harness';

/** DSL104 (warning) and DSL501 (warning in production). */
const TWO_WARNINGS = `${LOCMEM_SETTINGS}INSTALLED_APPS = ['django.contrib.sessions']
SESSION_COOKIE_SECURE = False
`;

function codes(stdout: string): string[] {
  return [...stdout.matchAll(/^\S+:\d+:\d+: (DSL\d{3}) /gm)].map((m) => m[1] ?? '');
}

describe('cli: configuration file', () => {
  const project = suiteProjects();
  before(assertBundle);

  it('a pyproject.toml [tool.django-session-lint] changes the findings and the exit code', () => {
    const plain = project({ 'app/settings.py': TWO_WARNINGS });
    const before = runCli(['app', '--profile', 'production'], plain);
    assert.deepEqual(codes(before.stdout), ['DSL104', 'DSL501']);
    assert.equal(before.status, 0);

    const dir = project({
      'app/settings.py': TWO_WARNINGS,
      'pyproject.toml':
        '[project]\nname = "site"\n\n[tool.django-session-lint]\nprofile = "production"\nignore = ["DSL501"]\nfail-on = "warning"\n',
    });
    const r = runCli(['app'], dir);
    assert.equal(r.stderr, '');
    assert.deepEqual(codes(r.stdout), ['DSL104'], r.stdout);
    assert.equal(r.status, 1, 'fail-on = "warning" from the file');
  });

  it('flags given on the command line override the file', () => {
    const dir = project({
      'app/settings.py': TWO_WARNINGS,
      'pyproject.toml':
        '[tool.django-session-lint]\nprofile = "production"\nignore = ["DSL501"]\nfail-on = "warning"\n',
    });
    const r = runCli(['app', '--ignore', 'DSL104', '--fail-on', 'error'], dir);
    assert.deepEqual(codes(r.stdout), ['DSL501']);
    assert.equal(r.status, 0);
    const dev = runCli(['app', '--profile', 'development', '--ignore', 'DSL104'], dir);
    assert.deepEqual(codes(dev.stdout), [], 'DSL501 is off in development');
  });

  it('the nearest file wins; a pyproject.toml without the table is skipped; .django-session-lint.toml beats pyproject.toml beside it', () => {
    const dir = project({
      'pyproject.toml': '[tool.django-session-lint]\nselect = ["DSL104"]\nprofile = "production"\n',
      'a/pyproject.toml': '[project]\nname = "a"\n',
      'a/settings.py': TWO_WARNINGS,
      'b/pyproject.toml': '[tool.django-session-lint]\nselect = ["DSL104"]\nprofile = "production"\n',
      'b/.django-session-lint.toml': 'select = ["DSL501"]\nprofile = "production"\n',
      'b/settings.py': TWO_WARNINGS,
    });
    const r = runCli(['a', 'b'], dir);
    assert.equal(r.stderr, '');
    assert.deepEqual(codes(r.stdout), ['DSL104', 'DSL501']);
    assert.match(r.stdout, /^a\/settings\.py:\d+:\d+: DSL104 /m);
    assert.match(r.stdout, /^b\/settings\.py:\d+:\d+: DSL501 /m);
  });

  it('per-file-ignores and exclude take globs relative to the file', () => {
    const dir = project({
      'pyproject.toml': [
        '[tool.django-session-lint]',
        'profile = "production"',
        'exclude = ["vendor"]',
        '[tool.django-session-lint.per-file-ignores]',
        '"legacy/*.py" = ["DSL5"]',
      ].join('\n'),
      'legacy/settings.py': TWO_WARNINGS,
      'new/settings.py': TWO_WARNINGS,
      'vendor/x/settings.py': TWO_WARNINGS,
    });
    const r = runCli(['.'], dir);
    assert.equal(r.stderr, '');
    assert.deepEqual(
      [...r.stdout.matchAll(/^(\S+):\d+:\d+: (DSL\d{3}) /gm)].map((m) => `${m[1]} ${m[2]}`),
      ['legacy/settings.py DSL104', 'new/settings.py DSL104', 'new/settings.py DSL501'],
    );
    // A file named on the command line is checked even when excluded (as ruff does).
    const named = runCli(['vendor/x/settings.py'], dir);
    assert.deepEqual(codes(named.stdout), ['DSL104', 'DSL501']);
  });

  it('reports mistakes with file and line and exits 2, never crashing', () => {
    const cases: [string, string, RegExp][] = [
      [
        'pyproject.toml',
        '[project]\nname = "x"\n[tool.django-session-lint]\nselct = ["DSL1"]\n',
        /^django-session-lint: error: pyproject\.toml:4: unknown key 'selct' in \[tool\.django-session-lint\], did you mean 'select'\?\n$/,
      ],
      [
        'pyproject.toml',
        '[tool.django-session-lint]\nprofile = "production"\nfail-on = 3\n',
        /^django-session-lint: error: pyproject\.toml:3: invalid value for 'fail-on' in \[tool\.django-session-lint\]: .*\(got 3\)\n$/,
      ],
      [
        '.django-session-lint.toml',
        'select = ["DSL1"]\nignore = "DSL104\n',
        /^django-session-lint: error: \.django-session-lint\.toml:2: invalid TOML: /,
      ],
      [
        '.django-session-lint.toml',
        'select = ["DSL1", "E501"]\n',
        /^django-session-lint: error: \.django-session-lint\.toml:1: invalid value for 'select\[1\]' in \.django-session-lint\.toml: expected a code like DSL104 or a prefix like DSL1 \(got 'E501'\)\n$/,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const dir = project({ 'app/settings.py': TWO_WARNINGS, [name]: text });
      const r = runCli(['app'], dir);
      assert.equal(r.status, 2, `${name}: ${text}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, expected);
    }
  });

  it('--show-settings prints each value with where it came from', () => {
    const dir = project({
      'app/settings.py': TWO_WARNINGS,
      'pyproject.toml':
        '[tool.django-session-lint]\nprofile = "production"\n\nignore = ["DSL501"]\nhorizon-settings = "vendor/openstack_dashboard/settings.py"\n',
    });
    const r = runCli(['--show-settings', 'app/settings.py', '--ignore', 'DSL1'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Settings for app\/settings\.py\nConfiguration file: pyproject\.toml\n/);
    assert.match(r.stdout, /^ {2}profile += "production" {2}\(pyproject\.toml:2\)$/m);
    assert.match(r.stdout, /^ {2}ignore += \["DSL1"\] {2}\(--ignore\)$/m);
    assert.match(r.stdout, /^ {2}fail-on += "error" {2}\(default\)$/m);
    assert.match(
      r.stdout,
      /^ {2}horizon-settings = "vendor\/openstack_dashboard\/settings\.py" {2}\(pyproject\.toml:5\)$/m,
    );
    const json = runCli(['--show-settings', 'app', '--format', 'json'], dir);
    const parsed = JSON.parse(json.stdout) as {
      configFile: string;
      settings: Record<string, { value: unknown; source: string }>;
    };
    assert.equal(parsed.configFile, 'pyproject.toml');
    assert.deepEqual(parsed.settings['ignore'], { value: ['DSL501'], source: 'pyproject.toml:4' });
    assert.deepEqual(parsed.settings['select'], { value: [], source: 'default' });
  });
});
