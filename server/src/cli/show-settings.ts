/** `--show-settings PATH`: the configuration that applies to PATH, each value with where it came from (default, configuration file and line, or command-line flag); renders strings, reads only configuration files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CONFIG_KEYS,
  ConfigFinder,
  configHorizonSettings,
  formatProblem,
  type ConfigKey,
} from '../node/config';
import { displayPath } from '../node/paths';
import type { LintCommand } from './args';

export interface ResolvedSetting {
  readonly value: unknown;
  /** `default`, `path:line` of the configuration file, or the flag (`--profile`). */
  readonly source: string;
}

export interface ResolvedSettings {
  readonly path: string;
  /** Display path of the configuration file used, if any. */
  readonly configFile: string | undefined;
  readonly settings: Readonly<Record<ConfigKey, ResolvedSetting>>;
}

const FLAG: Partial<Record<ConfigKey, string>> = {
  select: '--select',
  ignore: '--ignore',
  profile: '--profile',
  'django-version': '--django-version',
  'horizon-release': '--horizon-release',
  'horizon-settings': '--horizon-settings',
  'fail-on': '--fail-on',
};

const DEFAULTS: Readonly<Record<ConfigKey, unknown>> = {
  select: [],
  ignore: [],
  'per-file-ignores': {},
  exclude: [],
  profile: 'auto',
  'django-version': '',
  'horizon-release': '',
  'horizon-settings': null,
  'fail-on': 'error',
  'connection-check': true,
};

/** What the default means, for the text form. */
const DEFAULT_NOTE: Partial<Record<ConfigKey, string>> = {
  select: 'all rules',
  'django-version': 'inferred',
  'horizon-release': 'inferred, else the newest known',
  'horizon-settings': 'discovered',
};

function flagValue(cmd: LintCommand, key: ConfigKey): unknown {
  switch (key) {
    case 'select':
      return cmd.options.select;
    case 'ignore':
      return cmd.options.ignore;
    case 'profile':
      return cmd.options.profile;
    case 'django-version':
      return cmd.options.djangoVersion;
    case 'horizon-release':
      return cmd.options.horizonRelease;
    case 'horizon-settings':
      return cmd.horizonSettings;
    case 'fail-on':
      return cmd.failOn;
    default:
      return undefined;
  }
}

/** Resolves the settings for `cmd.showSettings`; problems of the configuration file are returned as lines. */
export function resolveSettings(
  cmd: LintCommand,
  cwd: string,
): { resolved: ResolvedSettings; problems: string[] } {
  const target = path.resolve(cwd, cmd.showSettings ?? '.');
  let isDir = false;
  try {
    isDir = fs.statSync(target).isDirectory();
  } catch {
    // A file that does not exist yet still has a configuration: its directory's.
  }
  const finder = new ConfigFinder();
  const config = isDir ? finder.forDirectory(target) : finder.forFile(target);
  const problems = (config?.problems ?? []).map((p) =>
    formatProblem({ ...p, file: displayPath(p.file, cwd) }),
  );
  const settings = {} as Record<ConfigKey, ResolvedSetting>;
  for (const key of CONFIG_KEYS) {
    const flag = FLAG[key];
    const fromFile = config?.values[key];
    if (flag && cmd.given.includes(flag)) settings[key] = { value: flagValue(cmd, key), source: flag };
    else if (config && fromFile !== undefined)
      settings[key] = {
        value: key === 'horizon-settings' ? displayPath(configHorizonSettings(config) ?? '', cwd) : fromFile,
        source: `${displayPath(config.file, cwd)}:${config.lines[key] ?? 1}`,
      };
    else settings[key] = { value: DEFAULTS[key], source: 'default' };
  }
  return {
    resolved: {
      path: displayPath(target, cwd),
      configFile: config ? displayPath(config.file, cwd) : undefined,
      settings,
    },
    problems,
  };
}

export function renderSettingsText(r: ResolvedSettings): string {
  const out = [`Settings for ${r.path}`];
  out.push(
    r.configFile
      ? `Configuration file: ${r.configFile}`
      : 'Configuration file: none (no .django-session-lint.toml, nor pyproject.toml with [tool.django-session-lint], in its directory or above)',
  );
  const width = Math.max(...CONFIG_KEYS.map((k) => k.length));
  for (const key of CONFIG_KEYS) {
    const s = r.settings[key];
    const note = s.source === 'default' && DEFAULT_NOTE[key] ? `default: ${DEFAULT_NOTE[key]}` : s.source;
    out.push(`  ${key.padEnd(width)} = ${JSON.stringify(s.value)}  (${note})`);
  }
  return out.join('\n') + '\n';
}

export function renderSettingsJson(r: ResolvedSettings): string {
  return JSON.stringify(r, null, 2) + '\n';
}
