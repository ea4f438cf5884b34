/** Runs the Python test oracle (test/real/python/effective_settings.py) with Debian's python3 in a clean environment. */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { DEBIAN, ORACLE_SCRIPT } from './paths';

/** What Python ends up with (LOCATION/ENGINE null when not set; a string when Python had no dict there). */
export interface OracleSettings {
  SESSION_ENGINE: unknown;
  SESSION_CACHE_ALIAS: unknown;
  SESSION_SERIALIZER: unknown;
  CACHES: Record<string, Record<string, unknown>> | string;
  DATABASES: Record<string, Record<string, unknown>> | string;
  mode: 'django' | 'horizon' | 'layers' | 'project';
  localSettingsError?: string | null;
  snippetErrors?: string[];
  snippets?: string[];
  /** `--session save`: the key of the session saved; `--session load`: the data read back. */
  sessionKey?: string;
  sessionData?: Record<string, unknown>;
}

function runOracle(args: string[], environment: Readonly<Record<string, string>> = {}): OracleSettings {
  // A clean environment: os.environ lookups in fixtures fall back to their defaults, as the analyser assumes;
  // `environment` only supplies variables a fixture requires without a default (os.environ['SECRET_KEY']).
  const r = spawnSync(DEBIAN.python, ['-I', '-B', ORACLE_SCRIPT, ...args], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...environment, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: os.tmpdir() },
  });
  if (r.status !== 0) {
    throw new Error(
      `python oracle ${args.join(' ')} failed (exit ${r.status}, ${r.error ?? ''}):\n${r.stderr}`,
    );
  }
  return JSON.parse(r.stdout) as OracleSettings;
}

/** Debian's Horizon loaded by real Django (DJANGO_SETTINGS_MODULE=openstack_dashboard.settings). */
export function djangoOracle(): OracleSettings {
  return runOracle(['django']);
}

/** Debian's real settings.py run with `localDir` as its local/ directory (a scratch copy). */
export function horizonOracle(localDir: string): OracleSettings {
  return runOracle(['horizon', '--local-dir', localDir]);
}

/**
 * Debian's real settings.py run with `localDir` as local/, then Django started on the result (settings.configure +
 * django.setup()) and one session saved through SESSION_ENGINE (`save`) or the session `key` read back (`load`).
 */
export function horizonSession(localDir: string, op: 'save' | 'load', key?: string): OracleSettings {
  return runOracle([
    'horizon',
    '--local-dir',
    localDir,
    '--session',
    op,
    ...(key ? ['--session-key', key] : []),
  ]);
}

/**
 * A plain Django project loaded by real Django (`settingsModule` from `projectDir`), with its helper libraries;
 * `environment`: variables the settings require (no default), e.g. the SECRET_KEY a production module reads.
 */
export function projectOracle(
  projectDir: string,
  settingsModule: string,
  environment: Readonly<Record<string, string>> = {},
): OracleSettings {
  return runOracle(
    ['project', '--project-dir', projectDir, '--settings-module', settingsModule],
    environment,
  );
}

/** Horizon's layers emulated on Django's and Horizon's (release) defaults. */
export function layersOracle(
  localDir: string,
  release: string,
  environment: Readonly<Record<string, string>> = {},
): OracleSettings {
  return runOracle(['layers', '--local-dir', localDir, '--release', release], environment);
}

/** Fails when Python skipped a layer (Horizon logs and goes on; a fixture must not rely on that). */
export function assertLoadedCleanly(o: OracleSettings, what: string): void {
  const problems = [...(o.localSettingsError ? [o.localSettingsError] : []), ...(o.snippetErrors ?? [])];
  if (problems.length > 0)
    throw new Error(`${what}: Python could not load every layer:\n${problems.join('\n')}`);
}
