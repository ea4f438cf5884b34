/** Command-line arguments → a validated command; options go through the core's OptionsSchema. Pure: no I/O, throws only UsageError. */
import { parseArgs } from 'node:util';
import type { Options } from '../core/options';
import { TOOL_NAME } from '../node/version';
import {
  analysisOptions,
  DEFAULT_TIMEOUT_SECONDS,
  describeParseError,
  oneOf,
  parseThreads,
  parseTimeout,
  UsageError,
} from './arg-values';

export { parseTimeout, UsageError } from './arg-values';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'information', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface LintCommand {
  readonly command: 'lint';
  readonly paths: readonly string[];
  readonly format: Format;
  readonly failOn: FailOn;
  readonly fix: boolean;
  readonly diff: boolean;
  readonly stats: boolean;
  readonly noColor: boolean;
  readonly quiet: boolean;
  readonly debug: boolean;
  /** `--show-projects`: print the projects found and their layers in load order, and lint nothing. */
  readonly showProjects: boolean;
  readonly horizonSettings?: string | undefined;
  readonly options: Options;
  /** The flags given on the command line (`--profile`, `--fail-on`, …): they override the configuration file. */
  readonly given: readonly string[];
  /** `--show-settings PATH`: print the resolved configuration for PATH instead of linting. */
  readonly showSettings?: string | undefined;
  /** `--stdin-filename NAME`: the name of the text read from stdin (the path `-`). */
  readonly stdinFilename?: string | undefined;
  /** `--add-noqa`: write a suppression comment for every current finding. */
  readonly addNoqa: boolean;
  /** `--threads N`: analyse with at most N threads (1: none besides the main one); undefined: automatic. */
  readonly threads?: number | undefined;
}

/** `check-connection [path]`: contacts the session store's servers (explicit user request only). */
export interface CheckConnectionCommand {
  readonly command: 'check-connection';
  readonly paths: readonly string[];
  readonly format: 'text' | 'json';
  readonly timeoutMs: number;
  readonly quiet: boolean;
  readonly horizonSettings?: string | undefined;
  readonly options: Options;
  /** `--login`: log in to MySQL/MariaDB and PostgreSQL with the configured USER/PASSWORD. */
  readonly login: boolean;
  /** The flags given on the command line: they override the configuration file. */
  readonly given: readonly string[];
}

export const CHECK_CONNECTION = 'check-connection';
export type Command =
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  | { readonly command: 'explain'; readonly code: string; readonly format: Format }
  | LintCommand
  | CheckConnectionCommand;

export const HELP_TEXT = `Usage: ${TOOL_NAME} [options] <path>...
       ${TOOL_NAME} rule <CODE>          (same as --explain <CODE>)
       ${TOOL_NAME} check-connection [--format text|json] [--timeout SECONDS] [--login] [path]

Finds broken and production-unsafe Django / OpenStack Horizon session storage settings
(SESSION_ENGINE, CACHES, DATABASES) across settings layers.

Options:
  --format text|json|sarif|github|gitlab
                                  output format (default: text); github: workflow-command
                                  annotations; gitlab: Code Quality report
  --profile production|development|auto
                                  severity profile (default: auto = development if DEBUG is True)
  --django-version X.Y            target Django (default: inferred from requirements, pyproject,
                                  lock files or the Horizon release)
  --horizon-release R             Horizon release, e.g. 2024.1, 23.4.0 or zed (default: inferred, else newest)
  --horizon-settings PATH         a real openstack_dashboard/settings.py to use as the base layer
  --select CODES                  comma-separated codes or prefixes to enable (e.g. DSL1,DSL401)
  --ignore CODES                  comma-separated codes or prefixes to disable
  --fix                           apply safe fixes in place, then report what remains
  --unsafe-fixes                  with --fix, apply unsafe fixes too
  --diff                          print the fixes as a unified diff and write nothing (implies --fix)
  --fail-on error|warning|information|never
                                  lowest severity that makes the exit code 1 (default: error)
  --add-noqa                      add a \`# session-lint: ignore[CODE]\` comment for every finding
  --stdin-filename NAME           with the path -, the name of the text read from stdin (it decides
                                  the project and the paths shown; nothing is written)
  --show-settings PATH            print the configuration used for PATH and where each value comes from
  --stats                         timings per phase (JSON "stats", or on stderr)
  --threads N                     analyse many projects on up to N threads (default: one per core,
                                  at most 4, when there is enough to analyse; 1: one thread)
  --explain CODE                  print a rule's documentation
  --no-color                      no colour (colour is used only on a terminal)
  -q, --quiet                     diagnostics only, no summary
  --show-projects                 print the projects found and their layers in load order (text or
                                  --format json), then exit without linting
  --debug                         stack traces for internal errors; the projects found on stderr
  -V, --version                   print the version
  -h, --help                      print this help

Configuration: [tool.django-session-lint] in pyproject.toml, or .django-session-lint.toml, nearest to
each settings file (keys select, ignore, per-file-ignores, exclude, profile, django-version,
horizon-release, horizon-settings, fail-on, connection-check); flags given here override it.

check-connection contacts the servers the session store in use needs (every LOCATION of the sessions'
cache, Horizon's default cache for SIMULTANEOUS_SESSIONS = 'disconnect', DATABASES['default'] for db and
cached_db) with a protocol handshake, all at once; --timeout is per server (default ${DEFAULT_TIMEOUT_SECONDS} s),
the whole check ends within it plus 0.5 s. Databases are not logged in to unless --login is given (then
MySQL/MariaDB and PostgreSQL are logged in to with DATABASES' USER and PASSWORD). It reads the same
configuration file; connection-check = false there turns it off. Exit codes: 0 every server reachable,
1 one failed or could not be checked, 2 usage error or turned off.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (with --diff: changes to make),
2 usage error, unreadable path or internal error.
`;

/** parseArgs value names of the flags a configuration file can also set. */
const FLAG_OF_VALUE: Readonly<Record<string, string>> = {
  profile: '--profile',
  'django-version': '--django-version',
  'horizon-release': '--horizon-release',
  'horizon-settings': '--horizon-settings',
  select: '--select',
  ignore: '--ignore',
  'fail-on': '--fail-on',
};

/** The options parseArgs knows. */
const ARGV_OPTIONS = {
  format: { type: 'string' },
  profile: { type: 'string' },
  'django-version': { type: 'string' },
  'horizon-release': { type: 'string' },
  'horizon-settings': { type: 'string' },
  select: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  fix: { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  diff: { type: 'boolean' },
  'fail-on': { type: 'string' },
  'add-noqa': { type: 'boolean' },
  'stdin-filename': { type: 'string' },
  'show-settings': { type: 'string' },
  timeout: { type: 'string' },
  login: { type: 'boolean' },
  stats: { type: 'boolean' },
  threads: { type: 'string' },
  explain: { type: 'string' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  debug: { type: 'boolean' },
  'show-projects': { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** argv split by parseArgs. Throws UsageError. */
function splitArgv(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: ARGV_OPTIONS });
  } catch (e) {
    throw new UsageError(describeParseError(e));
  }
}

type Values = ReturnType<typeof splitArgv>['values'];

/** What both the lint and the check-connection command read, checked. */
interface CommonArgs {
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly format: Format;
  readonly failOn: FailOn;
  readonly diff: boolean;
  readonly options: Options;
}

/** Parses argv (without `node` and the script). Throws UsageError. */
export function parseCliArgs(argv: readonly string[]): Command {
  const { values, positionals } = splitArgv(argv);
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const format = oneOf('--format', values.format, FORMATS, 'text');
  const explain = explainCommand(values, positionals, format);
  if (explain) return explain;
  const checking = positionals[0] === CHECK_CONNECTION;
  if (checking) refuseLintFlags(values, format);
  else refuseCheckConnectionFlags(values);
  const common = commonArgs(values, positionals, format);
  return checking ? checkConnectionCommand(common) : lintCommand(common);
}

/** `--explain CODE` or `rule CODE`: the rule's documentation; undefined when not asked for. */
function explainCommand(values: Values, positionals: readonly string[], format: Format): Command | undefined {
  // `rule DSL104` (like `ruff rule F401`); a directory named `rule` is still linted when no code follows.
  if (
    values.explain !== undefined ||
    (positionals[0] === 'rule' && positionals.length === 2 && /^DSL/i.test(positionals[1] ?? ''))
  ) {
    const code = (values.explain ?? positionals[1] ?? '').trim().toUpperCase();
    return { command: 'explain', code, format };
  }
  return undefined;
}

/** check-connection takes no flag of linting, and prints text or JSON only. */
function refuseLintFlags(values: Values, format: Format): void {
  for (const [flag, given] of [
    ['--fix', values.fix],
    ['--diff', values.diff],
    ['--unsafe-fixes', values['unsafe-fixes']],
    ['--fail-on', values['fail-on']],
    ['--stats', values.stats],
    ['--threads', values.threads],
    ['--show-projects', values['show-projects']],
    ['--add-noqa', values['add-noqa']],
    ['--stdin-filename', values['stdin-filename']],
    ['--show-settings', values['show-settings']],
  ] as const)
    if (given !== undefined) throw new UsageError(`${flag} cannot be used with ${CHECK_CONNECTION}`);
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`${CHECK_CONNECTION} prints text or json, not ${format}`, false);
}

/** Linting takes no flag of check-connection. */
function refuseCheckConnectionFlags(values: Values): void {
  if (values.timeout !== undefined) throw new UsageError(`--timeout is an option of ${CHECK_CONNECTION}`);
  if (values.login !== undefined) throw new UsageError(`--login is an option of ${CHECK_CONNECTION}`);
}

/** --fail-on, --diff, the analysis options and --show-projects, checked in this order. */
function commonArgs(values: Values, positionals: readonly string[], format: Format): CommonArgs {
  const failOn = oneOf('--fail-on', values['fail-on'], FAIL_ON, 'error');
  const diff = values.diff ?? false;
  if (diff && format !== 'text') {
    throw new UsageError(`--diff prints a unified diff and cannot be combined with --format ${format}`);
  }
  const options = analysisOptions(values);
  if (values['show-projects'] && format !== 'text' && format !== 'json')
    throw new UsageError(`--show-projects prints text or JSON, not ${format}`, false);
  return { values, positionals, format, failOn, diff, options };
}

/** `check-connection [path]…`: its paths (default `.`) and its flags. */
function checkConnectionCommand(args: CommonArgs): CheckConnectionCommand {
  const { values, format } = args;
  const horizonSettings = horizonSettingsPath(values);
  const rest = args.positionals.slice(1);
  return {
    command: 'check-connection',
    paths: rest.length > 0 ? rest : ['.'],
    format: format === 'json' ? 'json' : 'text',
    timeoutMs: parseTimeout(values.timeout),
    quiet: values.quiet ?? false,
    horizonSettings,
    options: args.options,
    login: values.login ?? false,
    given: givenFlags(values),
  };
}

/** Linting the paths (or `--show-settings PATH`), with the checks between its flags. */
function lintCommand(args: CommonArgs): LintCommand {
  const { values, positionals, diff } = args;
  const showSettings = values['show-settings'];
  if (showSettings === '') throw new UsageError('--show-settings: expected a path');
  if (positionals.length === 0 && showSettings === undefined)
    throw new UsageError(`no paths given; for example: ${TOOL_NAME} .`);
  refuseBadStdin(args);
  const addNoqa = values['add-noqa'] ?? false;
  if (addNoqa && (values.fix || diff))
    throw new UsageError('--add-noqa cannot be combined with --fix or --diff');
  const horizonSettings = horizonSettingsPath(values);
  return {
    command: 'lint',
    paths: positionals,
    format: args.format,
    failOn: args.failOn,
    // --diff shows what --fix would write, so it implies --fix (as ruff's --diff does).
    fix: (values.fix ?? false) || diff,
    diff,
    stats: values.stats ?? false,
    noColor: values['no-color'] ?? false,
    quiet: values.quiet ?? false,
    debug: values.debug ?? false,
    showProjects: values['show-projects'] ?? false,
    horizonSettings,
    options: args.options,
    given: givenFlags(values),
    showSettings,
    stdinFilename: values['stdin-filename'],
    addNoqa,
    threads: parseThreads(values.threads),
  };
}

/** The path - (stdin) needs --stdin-filename, stands alone and is never written to. */
function refuseBadStdin({ values, positionals, diff }: CommonArgs): void {
  const stdinFilename = values['stdin-filename'];
  const stdin = positionals.includes('-');
  if (stdin && (stdinFilename === undefined || stdinFilename === ''))
    throw new UsageError('the path - (stdin) needs --stdin-filename NAME (the file the text stands for)');
  if (stdinFilename !== undefined && !stdin) throw new UsageError('--stdin-filename is only for the path -');
  if (stdin && positionals.length > 1)
    throw new UsageError('the path - (stdin) cannot be combined with other paths');
  const addNoqa = values['add-noqa'] ?? false;
  if (stdin && (addNoqa || ((values.fix ?? false) && !diff)))
    throw new UsageError(
      `${addNoqa ? '--add-noqa' : '--fix'} cannot write to stdin; use --diff to see the fixes`,
    );
}

/** `--horizon-settings PATH`; an empty PATH is refused. */
function horizonSettingsPath(values: Values): string | undefined {
  if (values['horizon-settings'] === '') throw new UsageError('--horizon-settings: expected a path');
  return values['horizon-settings'];
}

/** The flags given that a configuration file can also set. */
function givenFlags(v: object): string[] {
  return Object.entries(FLAG_OF_VALUE)
    .filter(([key]) => (v as Record<string, unknown>)[key] !== undefined)
    .map(([, flag]) => flag);
}
