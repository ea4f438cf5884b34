/** Runs the built CLI (`node dist/cli.js`) and reads its `--format json` report (the shape `--format json` documents in the README). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CLI_BUNDLE, REPO_ROOT } from './paths';

/** One resolved setting: `{known: true, value}` or `{known: false, reason, default?}`. */
export interface EffectiveValue {
  known: boolean;
  value?: unknown;
  reason?: string;
  default?: unknown;
  setBy?: { path?: string; line?: number; default?: string };
}

export interface CliProject {
  root: string;
  kind: string;
  horizonRelease?: string;
  djangoVersion?: string;
  profile?: string;
  layers?: { path: string; role: string }[];
  effective: Record<string, unknown>;
}

export interface CliDiagnostic {
  path: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  name?: string;
  message: string;
  related?: { path: string; line: number; message: string }[];
  fix?: { title: string; applicability: string } | null;
}

export interface CliReport {
  version: number;
  projects: CliProject[];
  diagnostics: CliDiagnostic[];
}

export interface CliRun {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from `cwd` (default: the repository), so that paths in its report are relative to it. */
export function runCli(args: string[], cwd: string = REPO_ROOT): CliRun {
  if (!fs.existsSync(CLI_BUNDLE)) {
    throw new Error(
      `${CLI_BUNDLE} is missing: build it with \`npm run build\` (esbuild bundles server/src/cli/main.ts; \`npm test\` builds first).`,
    );
  }
  const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw new Error(`node dist/cli.js ${args.join(' ')} did not run: ${r.error.message}`);
  return { args, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Describes a run for assertion messages. */
export function describeRun(run: CliRun): string {
  const cut = (s: string) => (s.length > 4000 ? `${s.slice(0, 4000)}… (${s.length} chars)` : s);
  return `\`node dist/cli.js ${run.args.join(' ')}\` exited ${run.status}\n--- stderr ---\n${cut(run.stderr)}\n--- stdout ---\n${cut(run.stdout)}`;
}

/** Parses the JSON report, failing with the run's output when it is not the JSON report's shape. */
export function parseReport(run: CliRun): CliReport {
  if (run.status === 2 || run.status === null)
    throw new Error(`usage or internal error:\n${describeRun(run)}`);
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch (e) {
    throw new Error(`stdout is not JSON (${(e as Error).message}):\n${describeRun(run)}`, { cause: e });
  }
  const r = report as Partial<CliReport>;
  if (!r || typeof r !== 'object' || !Array.isArray(r.projects) || !Array.isArray(r.diagnostics)) {
    throw new Error(`JSON report lacks projects[] / diagnostics[]:\n${describeRun(run)}`);
  }
  return r as CliReport;
}

/** True for a `{known: …}` object rather than a map of settings. */
export function isEffectiveValue(v: unknown): v is EffectiveValue {
  return typeof v === 'object' && v !== null && typeof (v as { known?: unknown }).known === 'boolean';
}
