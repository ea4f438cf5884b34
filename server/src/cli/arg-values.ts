/** Each flag's value checked on its own, and UsageError, the one way the command line is refused. Pure: no I/O. */
import { OptionsSchema, type Options } from '../core/options';

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

/** --timeout bounds (seconds): per endpoint, all endpoints in parallel. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
const MAX_TIMEOUT_SECONDS = 60;

/** The parseArgs values the core's options are read from. */
interface AnalysisFlagValues {
  readonly profile?: string | undefined;
  readonly 'django-version'?: string | undefined;
  readonly 'horizon-release'?: string | undefined;
  readonly select?: readonly string[] | undefined;
  readonly ignore?: readonly string[] | undefined;
  readonly 'unsafe-fixes'?: boolean | undefined;
}

const OPTION_FLAGS: Readonly<Record<string, string>> = {
  profile: '--profile',
  djangoVersion: '--django-version',
  horizonRelease: '--horizon-release',
  select: '--select',
  ignore: '--ignore',
  unsafeFixes: '--unsafe-fixes',
};

/** The core's options from their flags, validated by OptionsSchema; its first complaint names the flag. */
export function analysisOptions(values: AnalysisFlagValues): Options {
  const raw = {
    profile: values.profile,
    djangoVersion: values['django-version'],
    horizonRelease: values['horizon-release'],
    select: codeList(values.select),
    ignore: codeList(values.ignore),
    unsafeFixes: values['unsafe-fixes'] ?? false,
  };
  const result = OptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = typeof issue?.path[0] === 'string' ? issue.path[0] : '';
  const flag = OPTION_FLAGS[key] ?? key;
  const given = valueAt(raw, issue?.path ?? []);
  const got = typeof given === 'string' ? ` (got '${given}')` : '';
  throw new UsageError(`${flag}: ${lowerFirst(issue?.message ?? 'invalid value')}${got}`, false);
}

/** `--threads N`: a whole number from 1 to 64. */
export function parseThreads(text: string | undefined): number | undefined {
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

/** A flag's value that must be one of `allowed`; `fallback` when not given. */
export function oneOf<T extends string>(
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
export function describeParseError(e: unknown): string {
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
