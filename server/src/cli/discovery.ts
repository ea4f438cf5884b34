/**
 * The command line's paths → projects, as `lint` and `check-connection` both find them: discovery options
 * from the configuration file found for each path given (a flag on the command line wins over it), then the
 * projects the configuration nearest to each one does not exclude.
 */
import * as path from 'node:path';
import type { Options } from '../core/options';
import {
  type ConfigFinder,
  configEntryFile,
  configForPath,
  configHorizonSettings,
  isExcluded,
  type LoadedConfig,
} from '../node/config';
import { discoverProjects, type DiscoverOptions, type DiscoveryResult } from '../node/discover';
import type { DiscoveredProject } from '../node/discover';

/** What of a command decides discovery. */
export interface DiscoveryFlags {
  /** The flags given on the command line. */
  readonly given: readonly string[];
  readonly horizonSettings?: string | undefined;
  readonly options: Pick<Options, 'horizonRelease'>;
}

/** Discovery options for the paths a configuration file governs: `--horizon-settings` and `--horizon-release` over its keys. */
export function discoveryOptionsFor(
  cmd: DiscoveryFlags,
  config: LoadedConfig | undefined,
  cwd: string,
): DiscoverOptions {
  const horizonSettings = cmd.given.includes('--horizon-settings')
    ? cmd.horizonSettings
    : configHorizonSettings(config);
  const release = cmd.given.includes('--horizon-release')
    ? cmd.options.horizonRelease
    : (config?.values['horizon-release'] ?? '');
  return {
    ...(horizonSettings !== undefined ? { horizonSettings } : {}),
    forceHorizon: release !== '' || horizonSettings !== undefined,
    cwd,
  };
}

/** The paths grouped by the configuration file found for each (in the order first met). */
export function pathsByConfig(
  configs: ConfigFinder,
  paths: readonly string[],
  cwd: string,
): Map<LoadedConfig | undefined, string[]> {
  const groups = new Map<LoadedConfig | undefined, string[]>();
  for (const p of paths) {
    const config = configForPath(configs, path.resolve(cwd, p));
    groups.set(config, [...(groups.get(config) ?? []), p]);
  }
  return groups;
}

/** Discovers each group with its own options; projects, errors and warnings in group order. */
export async function discoverGroups(
  cmd: DiscoveryFlags,
  groups: ReadonlyMap<LoadedConfig | undefined, readonly string[]>,
  cwd: string,
): Promise<DiscoveryResult> {
  const projects: DiscoveredProject[] = [];
  const errors: DiscoveryResult['errors'][number][] = [];
  const warnings: DiscoveryResult['warnings'][number][] = [];
  for (const [config, groupPaths] of groups) {
    const found = await discoverProjects(groupPaths, discoveryOptionsFor(cmd, config, cwd));
    projects.push(...found.projects);
    errors.push(...found.errors);
    warnings.push(...found.warnings);
  }
  return { projects, errors, warnings };
}

/**
 * Each project with the configuration nearest to its settings file (`seen` is told of every one, excluded
 * or not, so its problems are reported); `exclude` leaves a project out unless its file was named itself.
 */
export function notExcluded(
  projects: readonly DiscoveredProject[],
  configs: ConfigFinder,
  named: ReadonlySet<string>,
  cwd: string,
  seen: (config: LoadedConfig | undefined) => void,
): { project: DiscoveredProject; config: LoadedConfig | undefined }[] {
  const kept: { project: DiscoveredProject; config: LoadedConfig | undefined }[] = [];
  for (const project of projects) {
    const entry = path.resolve(cwd, configEntryFile(project));
    const config = configs.forFile(entry);
    seen(config);
    if (named.has(entry) || !isExcluded(config, entry)) kept.push({ project, config });
  }
  return kept;
}
