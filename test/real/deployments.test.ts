/**
 * Deployment layouts as each tool renders them (test/fixtures/deployments/<name>/, described by its
 * deployment.json): discovery finds the one project Horizon loads, in Horizon's order; the effective values
 * agree with what Python computes from real Django's global_settings and Horizon's load order over the same
 * files; and the findings are exactly the expected ones (no false positive on a correct configuration, the
 * known traps found).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeRun, parseReport, runCli } from './helpers/cli';
import { compareEffective, formatComparison, type Expectations } from './helpers/compare';
import { requireDebianHorizon } from './helpers/debian';
import { assertLoadedCleanly, layersOracle } from './helpers/oracle';
import { FIXTURE_DEPLOYMENTS } from './helpers/paths';

interface Deployment extends Expectations {
  readonly name: string;
  readonly dir: string;
  readonly description: string;
  /** The path given to the CLI, relative to the fixture directory (the CLI runs there). */
  readonly lint: string;
  readonly horizonRelease: string;
  /**
   * What Horizon loads, in order: the file imported as local/local_settings.py, then the snippets; `modules`
   * are other files the deployment places in local/ under a module name (name.py → fixture path).
   */
  readonly load: {
    readonly localSettings?: string;
    readonly modules?: Readonly<Record<string, string>>;
    readonly snippets: readonly string[];
  };
  /** Expected file layers of the one project found: `role path`. */
  readonly layers: readonly string[];
  /** Expected findings, exactly: `CODE path:line`, sorted. */
  readonly findings: readonly string[];
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function readDeployment(name: string): Deployment {
  const dir = path.join(FIXTURE_DEPLOYMENTS, name);
  const file = path.join(dir, 'deployment.json');
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { description, lint, horizonRelease, load, layers, findings, expectKnown, expectDefault } = meta;
  const l = load as { localSettings?: unknown; modules?: unknown; snippets?: unknown } | undefined;
  const modules = l?.modules as Record<string, unknown> | undefined;
  if (
    typeof description !== 'string' ||
    typeof lint !== 'string' ||
    typeof horizonRelease !== 'string' ||
    !strings(layers) ||
    !strings(findings) ||
    !strings(expectKnown) ||
    (expectDefault !== undefined && !strings(expectDefault)) ||
    l === undefined ||
    !strings(l.snippets) ||
    (l.localSettings !== undefined && typeof l.localSettings !== 'string') ||
    (modules !== undefined && !strings(Object.values(modules)))
  ) {
    throw new Error(`${file}: description, lint, horizonRelease, load, layers, findings, expectKnown needed`);
  }
  return {
    name,
    dir,
    description,
    lint,
    horizonRelease,
    load: {
      ...(l.localSettings !== undefined ? { localSettings: l.localSettings } : {}),
      ...(modules !== undefined ? { modules: modules as Record<string, string> } : {}),
      snippets: l.snippets,
    },
    layers,
    findings,
    expectKnown,
    ...(expectDefault !== undefined ? { expectDefault } : {}),
  };
}

function deploymentNames(): string[] {
  if (!fs.existsSync(FIXTURE_DEPLOYMENTS)) return [];
  return fs
    .readdirSync(FIXTURE_DEPLOYMENTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Horizon's `local` directory as the deployment assembles it at run time (links, copies, mounts): the
 * local_settings file as local_settings.py, each snippet under local_settings.d/ by its own name.
 */
function assemble(d: Pick<Deployment, 'name' | 'dir' | 'load'>): string {
  const local = fs.mkdtempSync(path.join(os.tmpdir(), `dsl-deploy-${d.name}-`));
  if (d.load.localSettings !== undefined)
    fs.copyFileSync(path.join(d.dir, d.load.localSettings), path.join(local, 'local_settings.py'));
  for (const [name, file] of Object.entries(d.load.modules ?? {}))
    fs.copyFileSync(path.join(d.dir, file), path.join(local, name));
  fs.mkdirSync(path.join(local, 'local_settings.d'));
  for (const s of d.load.snippets)
    fs.copyFileSync(path.join(d.dir, s), path.join(local, 'local_settings.d', path.basename(s)));
  return local;
}

/** The variables the unsafe fixes read credentials from (knowledge/fix-defaults.ts), as the operator sets them. */
const FIX_ENVIRONMENT = {
  DJANGO_DB_PASSWORD: 'set-by-the-operator',
  DJANGO_CACHE_PASSWORD: 'set-by-the-operator',
};

/**
 * `--fix --unsafe-fixes` on a copy of the layout: Python still loads every layer, the analyser agrees with
 * Python on the fixed files, and no error or warning appears that was not there before.
 */
function afterFixes(
  d: Deployment,
  before: readonly { code: string; path: string; severity: string }[],
): void {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `dsl-fixed-${d.name}-`));
  try {
    fs.cpSync(d.dir, copy, { recursive: true });
    const fix = runCli(['--fix', '--unsafe-fixes', '--horizon-release', d.horizonRelease, d.lint], copy);
    assert.ok(fix.status === 0 || fix.status === 1, describeRun(fix));
    const local = assemble({ ...d, dir: copy });
    let python;
    try {
      // Unsafe fixes move credentials to the environment (DSL124, DSL303's DATABASES): the operator sets them.
      python = layersOracle(local, d.horizonRelease, FIX_ENVIRONMENT);
    } finally {
      fs.rmSync(local, { recursive: true, force: true });
    }
    assertLoadedCleanly(python, `${d.name} after --fix --unsafe-fixes`);
    const run = runCli(['--format', 'json', '--horizon-release', d.horizonRelease, d.lint], copy);
    const report = parseReport(run);
    const c = compareEffective(
      python,
      report.projects[0]?.effective,
      { expectKnown: [] },
      { databases: true },
    );
    if (c.problems.length > 0)
      assert.fail(
        `${d.name} after --fix --unsafe-fixes: the analyser disagrees with Python:\n- ${c.problems.join('\n- ')}\n\n${formatComparison(c)}`,
      );
    const problem = (x: { severity: string }): boolean => x.severity === 'error' || x.severity === 'warning';
    const known = new Set(before.filter(problem).map((x) => `${x.code} ${x.path}`));
    const added = report.diagnostics.filter((x) => problem(x) && !known.has(`${x.code} ${x.path}`));
    assert.deepEqual(
      added.map((x) => `${x.code} ${x.path}:${x.line}`),
      [],
      `${d.name}: new problems after --fix --unsafe-fixes\n${describeRun(run)}`,
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

describe('deployment layouts (test/fixtures/deployments) against Python and the expected findings', function () {
  this.timeout(120_000);
  const names = deploymentNames();

  it('has the layouts of every major deployment tool', () => {
    for (const tool of ['kolla', 'openstack-ansible', 'puppet', 'juju', 'helm', 'debian', 'ubuntu', 'rdo'])
      assert.ok(
        names.some((n) => n.includes(tool)),
        `no deployment fixture for ${tool}: ${names.join(', ')}`,
      );
  });

  for (const name of names) {
    it(name, () => {
      requireDebianHorizon();
      const d = readDeployment(name);
      const local = assemble(d);
      let python;
      try {
        python = layersOracle(local, d.horizonRelease);
      } finally {
        fs.rmSync(local, { recursive: true, force: true });
      }
      assertLoadedCleanly(python, name);

      const run = runCli(['--format', 'json', '--horizon-release', d.horizonRelease, d.lint], d.dir);
      const report = parseReport(run);
      assert.deepEqual(
        report.projects.map((p) => [
          p.root,
          ...(p.layers ?? []).filter((l) => l.path !== null).map((l) => `${l.role} ${l.path}`),
        ]),
        [[d.lint, ...d.layers]],
        `${name}: the projects found\n${describeRun(run)}`,
      );
      const c = compareEffective(python, report.projects[0]!.effective, d, { databases: true });
      if (c.problems.length > 0)
        assert.fail(
          `${name}: the analyser disagrees with Python:\n- ${c.problems.join('\n- ')}\n\n${formatComparison(c)}`,
        );
      assert.ok(c.agreed > 0, `${name}: nothing compared\n${formatComparison(c)}`);
      const findings = report.diagnostics.map((x) => `${x.code} ${x.path}:${x.line}`).sort();
      assert.deepEqual(
        findings,
        [...d.findings],
        `${name} (${d.description}): findings\n${describeRun(run)}`,
      );
      if (report.diagnostics.length > 0) afterFixes(d, report.diagnostics);
    });
  }
});
