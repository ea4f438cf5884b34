/** `check-connection [path]`: configuration file → discovery → analysis → the connection checker (server/src/connection/) → text or JSON; exit 0 when every server answered, 1 when one failed or could not be checked. */
import * as path from 'node:path';
import { analyze, readsVersionFiles, type Analysis } from '../core/analyze';
import { ParseCache } from '../core/layers/project';
import {
  checkConnections,
  loginsNotTried,
  renderConnectionText,
  summarize,
  type ProjectConnectionReport,
} from '../connection/check';
import type { CheckConnectionCommand } from './args';
import { discoverGroups, notExcluded, pathsByConfig } from './discovery';
import { DiskReader } from './project-job';
import {
  ConfigFinder,
  connectionCheckOffBy,
  formatProblem,
  mergedOptions,
  type LoadedConfig,
} from '../node/config';
import { displayPath } from '../node/paths';
import { Redactor } from '../core/secrets';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';
import { VersionFileFinder } from '../node/version-files';

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

/** The JSON document `check-connection --format json` prints. */
export interface ConnectionJson {
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly timeoutMs: number;
  /** `--login` was given: databases were logged in to. */
  readonly login: boolean;
  readonly projects: readonly ProjectConnectionReport[];
  /** Projects that `connection-check = false` turned off (nothing contacted), and where it says so. */
  readonly turnedOff?: readonly { readonly root: string; readonly by: string }[];
  readonly summary: { readonly ok: number; readonly failed: number; readonly notChecked: number };
}

/** A project found, with the configuration file nearest to it. */
type KeptProject = ReturnType<typeof notExcluded>[number];
/** Projects that `connection-check = false` turned off, and where it says so (paths as displayed). */
type TurnedOff = NonNullable<ConnectionJson['turnedOff']>;

export async function checkConnectionCommand(cmd: CheckConnectionCommand, io: Io): Promise<number> {
  const kept = await projectsFound(cmd, io);
  if (typeof kept === 'number') return kept;
  // `connection-check = false`: those projects contact nothing.
  const turnedOff: TurnedOff = kept
    .filter((k) => connectionCheckOffBy(k.config) !== undefined)
    .map((k) => ({
      root: displayPath(k.project.root, io.cwd),
      by: displayPath(connectionCheckOffBy(k.config) ?? '', io.cwd),
    }));
  for (const off of turnedOff)
    io.stderr(
      `${TOOL_NAME}: ${off.root}: the connection check is turned off by connection-check = false (${off.by}): nothing was contacted\n`,
    );
  const checked = kept.filter((k) => connectionCheckOffBy(k.config) === undefined);
  if (checked.length === 0) return 2;
  const projects = analysedProjects(cmd, io, checked);
  if (projects === undefined) return 2;
  const reports = await checkConnections(
    projects,
    { timeoutMs: cmd.timeoutMs, login: cmd.login },
    new Redactor(),
  );
  const summary = summarize(reports);
  if (cmd.format === 'json')
    io.stdout(`${JSON.stringify(connectionJson(cmd, { reports, turnedOff, summary }), null, 2)}\n`);
  else io.stdout(renderConnectionText(reports, cmd.quiet));
  return summary.failed > 0 || summary.notChecked > 0 || loginsNotTried(reports) > 0 ? 1 : 0;
}

/**
 * The projects under the paths given, with their configuration files, or the exit code when a configuration
 * file is wrong, a path cannot be searched or no settings file is found (each said on stderr).
 */
async function projectsFound(cmd: CheckConnectionCommand, io: Io): Promise<KeptProject[] | number> {
  const { cwd } = io;
  // The configuration file is read as the lint command reads it: discovery options from the one found for
  // each path given, analysis options (and `connection-check`) from the one nearest each project.
  const configs = new ConfigFinder();
  const problems = new Set<string>();
  const checkConfig = (config: LoadedConfig | undefined): void => {
    for (const p of config?.problems ?? [])
      problems.add(formatProblem({ ...p, file: displayPath(p.file, cwd) }));
  };
  const groups = pathsByConfig(configs, cmd.paths, cwd);
  for (const config of groups.keys()) checkConfig(config);
  if (problems.size > 0) return configErrors(io, problems);
  const discovery = await discoverGroups(cmd, groups, cwd);
  for (const e of discovery.errors)
    io.stderr(`${TOOL_NAME}: error: ${displayPath(e.path, cwd)}: ${e.message}\n`);
  if (discovery.errors.length > 0) return 2;
  const named = new Set(cmd.paths.map((p) => path.resolve(cwd, p)));
  const kept = notExcluded(discovery.projects, configs, named, cwd, checkConfig);
  if (problems.size > 0) return configErrors(io, problems);
  if (kept.length === 0) {
    io.stderr(`${TOOL_NAME}: error: no Django settings files found in ${cmd.paths.join(', ')}\n`);
    return 2;
  }
  return kept;
}

/** Each project analysed for the check (paths as displayed); undefined when a layer cannot be read (said on stderr). */
function analysedProjects(
  cmd: CheckConnectionCommand,
  io: Io,
  checked: readonly KeptProject[],
): { root: string; analysis: Analysis }[] | undefined {
  const { cwd } = io;
  const disk = new DiskReader(cwd);
  const read = (file: string): string | undefined => disk.read(file);
  const finder = new VersionFileFinder(cwd);
  const cache = new ParseCache();
  const projects: { root: string; analysis: Analysis }[] = [];
  for (const { project: p, config } of checked) {
    const root = displayPath(p.root, cwd);
    const layers = p.layers.map((l) => ({ path: displayPath(l.path, cwd), role: l.role }));
    for (const l of layers)
      if (read(l.path) === undefined) {
        io.stderr(`${TOOL_NAME}: error: ${l.path}: ${disk.failures.get(l.path) ?? 'cannot be read'}\n`);
        return undefined;
      }
    const options = mergedOptions(cmd.options, cmd.given, config);
    const analysis = analyze({
      project: { root, kind: p.kind, layers, readFile: read },
      options,
      versionFiles: readsVersionFiles(options, p.kind) ? finder.filesFor(root) : [],
      horizonVersionHint: p.horizonVersionHint,
      cache,
      // The check reads the model, never a finding: no fix is verified.
      verifyFixes: false,
    });
    projects.push({ root, analysis });
  }
  return projects;
}

/** The JSON document of a check. */
function connectionJson(
  cmd: CheckConnectionCommand,
  result: {
    readonly reports: readonly ProjectConnectionReport[];
    readonly turnedOff: TurnedOff;
    readonly summary: ConnectionJson['summary'];
  },
): ConnectionJson {
  return {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    timeoutMs: cmd.timeoutMs,
    login: cmd.login,
    projects: result.reports,
    ...(result.turnedOff.length > 0 ? { turnedOff: result.turnedOff } : {}),
    summary: result.summary,
  };
}

function configErrors(io: Io, problems: ReadonlySet<string>): number {
  for (const p of problems) io.stderr(`${TOOL_NAME}: error: ${p}\n`);
  return 2;
}
