/**
 * Plain Django projects that take their settings from the environment through the usual libraries
 * (test/fixtures/django-projects/<name>/, described by its project.json): real Django loads each one — with
 * Debian's django-environ, python-decouple and dj-database-url reading the fixture's own .env or
 * settings.ini, in a clean environment — and the analyser's effective values must agree with it; the
 * findings are exactly the expected ones.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeRun, parseReport, runCli } from './helpers/cli';
import { compareEffective, formatComparison, type Expectations } from './helpers/compare';
import { requireDebianHorizon } from './helpers/debian';
import { projectOracle } from './helpers/oracle';
import { REPO_ROOT } from './helpers/paths';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'django-projects');

interface DjangoProject extends Expectations {
  readonly description: string;
  readonly settingsModule: string;
  readonly djangoVersion: string;
  readonly findings: readonly string[];
  /**
   * Variables given to Python only, for settings that require them (`os.environ['SECRET_KEY']`); the analyser
   * still sees a clean environment, so none of them may decide a compared value.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** The settings file of every project found, sorted (default: only the settings module's own file). */
  readonly projects?: readonly string[];
}

function readProject(name: string): DjangoProject {
  const file = path.join(FIXTURES, name, 'project.json');
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DjangoProject>;
  if (
    typeof p.description !== 'string' ||
    typeof p.settingsModule !== 'string' ||
    typeof p.djangoVersion !== 'string' ||
    !Array.isArray(p.findings) ||
    !Array.isArray(p.expectKnown) ||
    (p.environment !== undefined &&
      (typeof p.environment !== 'object' ||
        !Object.values(p.environment).every((v) => typeof v === 'string')))
  )
    throw new Error(`${file}: description, settingsModule, djangoVersion, expectKnown, findings needed`);
  return p as DjangoProject;
}

describe('Django projects with environment files, against real Django and the expected findings', function () {
  this.timeout(120_000);
  const names = fs.existsSync(FIXTURES)
    ? fs
        .readdirSync(FIXTURES, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];

  it('has a django-environ project with a .env and a python-decouple project with a settings.ini', () => {
    assert.ok(names.includes('environ-dotenv') && names.includes('decouple-settings-ini'), names.join(', '));
  });

  for (const name of names) {
    it(name, () => {
      requireDebianHorizon();
      const p = readProject(name);
      const dir = path.join(FIXTURES, name);
      const python = projectOracle(dir, p.settingsModule, p.environment);
      const run = runCli(['--format', 'json', '--django-version', p.djangoVersion, '.'], dir);
      const report = parseReport(run);
      // The project Django loads for settingsModule (split settings also give one per sibling module, e.g.
      // development.py next to production.py); a module imported by it is never a project of its own.
      const module = p.settingsModule.replace(/\./g, '/');
      const file = [`${module}.py`, `${module}/__init__.py`];
      const files = report.projects.map(
        (x) => (x.layers ?? []).find((l) => l.role === 'settings')?.path ?? '?',
      );
      // Modules that settings file imports or execs (base.py, local_settings.py) are no projects of their own.
      assert.deepEqual(
        files.sort(),
        p.projects ?? [file.find((f) => files.includes(f)) ?? file[0]],
        describeRun(run),
      );
      const loaded = report.projects.filter((x) => (x.layers ?? []).some((l) => file.includes(l.path ?? '')));
      assert.equal(loaded.length, 1, `${name}: one project with ${file.join(' or ')}\n${describeRun(run)}`);
      const c = compareEffective(python, loaded[0]!.effective, p, { databases: true });
      if (c.problems.length > 0)
        assert.fail(
          `${name}: the analyser disagrees with Python:\n- ${c.problems.join('\n- ')}\n\n${formatComparison(c)}`,
        );
      assert.ok(c.agreed > 0, `${name}: nothing compared\n${formatComparison(c)}`);
      assert.deepEqual(
        report.diagnostics.map((x) => `${x.code} ${x.path}:${x.line}`).sort(),
        [...p.findings],
        `${name} (${p.description}): findings\n${describeRun(run)}`,
      );
      if (report.diagnostics.length > 0) afterFixes(name, p, report.diagnostics);
    });
  }
});

/**
 * `--fix --unsafe-fixes` on a copy of the project: real Django still loads it, the analyser agrees with it on
 * the fixed files, and no error or warning appears that was not there before.
 */
function afterFixes(
  name: string,
  p: DjangoProject,
  before: readonly { code: string; path: string; severity: string }[],
): void {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `dsl-fixed-${name}-`));
  try {
    fs.cpSync(path.join(FIXTURES, name), copy, { recursive: true });
    const fix = runCli(['--fix', '--unsafe-fixes', '--django-version', p.djangoVersion, '.'], copy);
    assert.ok(fix.status === 0 || fix.status === 1, describeRun(fix));
    // Unsafe fixes move credentials to the environment (DSL124): the operator sets them.
    const python = projectOracle(copy, p.settingsModule, {
      DJANGO_DB_PASSWORD: 'set-by-the-operator',
      DJANGO_CACHE_PASSWORD: 'set-by-the-operator',
      ...p.environment,
    });
    const run = runCli(['--format', 'json', '--django-version', p.djangoVersion, '.'], copy);
    const report = parseReport(run);
    const module = p.settingsModule.replace(/\./g, '/');
    const loaded = report.projects.find((x) =>
      (x.layers ?? []).some((l) => [`${module}.py`, `${module}/__init__.py`].includes(l.path ?? '')),
    );
    const c = compareEffective(python, loaded?.effective, { expectKnown: [] }, { databases: true });
    if (c.problems.length > 0)
      assert.fail(
        `${name} after --fix --unsafe-fixes: the analyser disagrees with Django:\n- ${c.problems.join('\n- ')}\n\n${formatComparison(c)}`,
      );
    const problem = (x: { severity: string }): boolean => x.severity === 'error' || x.severity === 'warning';
    const known = new Set(before.filter(problem).map((x) => `${x.code} ${x.path}`));
    assert.deepEqual(
      report.diagnostics.filter((x) => problem(x) && !known.has(`${x.code} ${x.path}`)).map((x) => x.code),
      [],
      `${name}: new problems after --fix --unsafe-fixes\n${describeRun(run)}`,
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
