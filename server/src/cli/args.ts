/** Command-line arguments → a validated command; options go through the core's OptionsSchema. Pure: no I/O, throws only UsageError. */
import { parseArgs } from 'node:util';
import { OptionsSchema, type Options } from '../core/options';
import { TOOL_NAME } from '../node/version';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'information', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** A mistake in the command line: reported as one line, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Whether to point at --help (not for path or value problems whose message says it all). */
    readonly hint = true,
  ) {
    super(message);
  }
}

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
/** --timeout bounds (seconds): per endpoint, all endpoints in parallel. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
const MAX_TIMEOUT_SECONDS = 60;

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

const OPTION_FLAGS: Readonly<Record<string, string>> = {
  profile: '--profile',
  djangoVersion: '--django-version',
  horizonRelease: '--horizon-release',
  select: '--select',
  ignore: '--ignore',
  unsafeFixes: '--unsafe-fixes',
};

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

/** Parses argv (without `node` and the script). Throws UsageError. */
export function parseCliArgs(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
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
      },
    });
  } catch (e) {
    throw new UsageError(describeParseError(e));
  }
  const v = parsed.values;
  if (v.help) return { command: 'help' };
  if (v.version) return { command: 'version' };

  const format = oneOf('--format', v.format, FORMATS, 'text');
  const positionals = parsed.positionals;
  // `rule DSL104` (like `ruff rule F401`); a directory named `rule` is still linted when no code follows.
  if (
    v.explain !== undefined ||
    (positionals[0] === 'rule' && positionals.length === 2 && /^DSL/i.test(positionals[1] ?? ''))
  ) {
    const code = (v.explain ?? positionals[1] ?? '').trim().toUpperCase();
    return { command: 'explain', code, format };
  }

  const checking = positionals[0] === CHECK_CONNECTION;
  if (!checking && v.timeout !== undefined)
    throw new UsageError(`--timeout is an option of ${CHECK_CONNECTION}`);
  if (!checking && v.login !== undefined) throw new UsageError(`--login is an option of ${CHECK_CONNECTION}`);
  if (checking) {
    for (const [flag, given] of [
      ['--fix', v.fix],
      ['--diff', v.diff],
      ['--unsafe-fixes', v['unsafe-fixes']],
      ['--fail-on', v['fail-on']],
      ['--stats', v.stats],
      ['--threads', v.threads],
      ['--show-projects', v['show-projects']],
      ['--add-noqa', v['add-noqa']],
      ['--stdin-filename', v['stdin-filename']],
      ['--show-settings', v['show-settings']],
    ] as const)
      if (given !== undefined) throw new UsageError(`${flag} cannot be used with ${CHECK_CONNECTION}`);
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`${CHECK_CONNECTION} prints text or json, not ${format}`, false);
  }

  const failOn = oneOf('--fail-on', v['fail-on'], FAIL_ON, 'error');
  const diff = v.diff ?? false;
  if (diff && format !== 'text') {
    throw new UsageError(`--diff prints a unified diff and cannot be combined with --format ${format}`);
  }
  const raw = {
    profile: v.profile,
    djangoVersion: v['django-version'],
    horizonRelease: v['horizon-release'],
    select: codeList(v.select),
    ignore: codeList(v.ignore),
    unsafeFixes: v['unsafe-fixes'] ?? false,
  };
  const result = OptionsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = typeof issue?.path[0] === 'string' ? issue.path[0] : '';
    const flag = OPTION_FLAGS[key] ?? key;
    const given = valueAt(raw, issue?.path ?? []);
    const got = typeof given === 'string' ? ` (got '${given}')` : '';
    throw new UsageError(`${flag}: ${lowerFirst(issue?.message ?? 'invalid value')}${got}`, false);
  }
  if (v['show-projects'] && format !== 'text' && format !== 'json')
    throw new UsageError(`--show-projects prints text or JSON, not ${format}`, false);
  if (checking) {
    if (v['horizon-settings'] === '') throw new UsageError('--horizon-settings: expected a path');
    const rest = positionals.slice(1);
    return {
      command: 'check-connection',
      paths: rest.length > 0 ? rest : ['.'],
      format: format === 'json' ? 'json' : 'text',
      timeoutMs: parseTimeout(v.timeout),
      quiet: v.quiet ?? false,
      horizonSettings: v['horizon-settings'],
      options: result.data,
      login: v.login ?? false,
      given: givenFlags(v),
    };
  }
  const showSettings = v['show-settings'];
  if (showSettings === '') throw new UsageError('--show-settings: expected a path');
  if (positionals.length === 0 && showSettings === undefined)
    throw new UsageError(`no paths given; for example: ${TOOL_NAME} .`);
  const stdinFilename = v['stdin-filename'];
  const stdin = positionals.includes('-');
  if (stdin && (stdinFilename === undefined || stdinFilename === ''))
    throw new UsageError('the path - (stdin) needs --stdin-filename NAME (the file the text stands for)');
  if (stdinFilename !== undefined && !stdin) throw new UsageError('--stdin-filename is only for the path -');
  if (stdin && positionals.length > 1)
    throw new UsageError('the path - (stdin) cannot be combined with other paths');
  const addNoqa = v['add-noqa'] ?? false;
  if (stdin && (addNoqa || ((v.fix ?? false) && !diff)))
    throw new UsageError(
      `${addNoqa ? '--add-noqa' : '--fix'} cannot write to stdin; use --diff to see the fixes`,
    );
  if (addNoqa && (v.fix || diff)) throw new UsageError('--add-noqa cannot be combined with --fix or --diff');
  const given = givenFlags(v);
  if (v['horizon-settings'] === '') throw new UsageError('--horizon-settings: expected a path');
  return {
    command: 'lint',
    paths: positionals,
    format,
    failOn,
    // --diff shows what --fix would write, so it implies --fix (as ruff's --diff does).
    fix: (v.fix ?? false) || diff,
    diff,
    stats: v.stats ?? false,
    noColor: v['no-color'] ?? false,
    quiet: v.quiet ?? false,
    debug: v.debug ?? false,
    showProjects: v['show-projects'] ?? false,
    horizonSettings: v['horizon-settings'],
    options: result.data,
    given,
    showSettings,
    stdinFilename,
    addNoqa,
    threads: parseThreads(v.threads),
  };
}

/** The flags given that a configuration file can also set. */
function givenFlags(v: object): string[] {
  return Object.entries(FLAG_OF_VALUE)
    .filter(([key]) => (v as Record<string, unknown>)[key] !== undefined)
    .map(([, flag]) => flag);
}

/** `--threads N`: a whole number from 1 to 64. */
function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\s*\d{1,2}\s*$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 64))
    throw new UsageError(`--threads: expected a whole number from 1 to 64 (got '${text}')`, false);
  return n;
}

/** `--timeout 2`, `0.5`, `500ms`, `2s` → milliseconds. */
export function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?\s*$/.exec(text);
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 10 || ms > MAX_TIMEOUT_SECONDS * 1000)
    throw new UsageError(
      `--timeout: expected seconds between 0.01 and ${MAX_TIMEOUT_SECONDS} (like 2, 0.5 or 500ms) (got '${text}')`,
      false,
    );
  return Math.round(ms);
}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: expected one of ${allowed.join(', ')} (got '${value}')`, false);
}

/** `--select DSL1,DSL401 --select dsl5` → ['DSL1', 'DSL401', 'DSL5']. */
function codeList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
}

function valueAt(raw: Record<string, unknown>, at: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const k of at)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[k] : undefined;
  return cur;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** node's parseArgs messages, reworded into one short line. */
function describeParseError(e: unknown): string {
  const code =
    typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = e instanceof Error ? e.message : String(e);
  const option = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = option.split(/[ ,]+/).find((s) => s.startsWith('--')) ?? option.split(' ')[0] ?? option;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${flag}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('argument missing') ? `${flag} needs a value` : `${flag} does not take a value`;
    default:
      return lowerFirst(message.split('\n')[0] ?? message);
  }
}
