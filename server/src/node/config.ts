/**
 * The configuration file, shared by the CLI and the language server: `[tool.django-session-lint]` in
 * `pyproject.toml`, or the top level of `.django-session-lint.toml`, found by walking up from a file (nearest
 * wins, like ruff). One zod schema; every problem is a message with the file and line, never an exception.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { parse as Parse } from 'smol-toml' with { 'resolution-mode': 'import' };
// zod/mini, like core/options.ts: this schema is built on every CLI start, and zod's full API costs about as
// much as starting node (see esbuild.mjs).
import * as z from 'zod/mini';
import type { Analysis } from '../core/analyze';
import { OptionsSchema, type Options, type OptionsInput } from '../core/options';
import type { Finding } from '../core/types';

// smol-toml is an ES module with a CommonJS build: see core/versions/toml.ts for why this is a require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smolToml = require('smol-toml') as { readonly parse: typeof Parse };
/** Deeper nesting than this is not a configuration; it also bounds the parser's recursion. */
const MAX_TOML_DEPTH = 64;

export const STANDALONE_CONFIG = '.django-session-lint.toml';
export const PYPROJECT = 'pyproject.toml';
/** Both names, in the order they are tried in one directory: the standalone file wins over pyproject.toml. */
export const CONFIG_FILE_NAMES = [STANDALONE_CONFIG, PYPROJECT] as const;
const TOOL = 'django-session-lint';
export const FAIL_ON_VALUES = ['error', 'warning', 'information', 'never'] as const;

const code = z.string().check(z.regex(/^DSL\d{0,3}$/, 'expected a code like DSL104 or a prefix like DSL1'));

/** The one schema of the configuration file (kebab-case keys, as in ruff's). */
export const ConfigSchema = z.strictObject({
  select: z.optional(z.array(code)),
  ignore: z.optional(z.array(code)),
  /** Globs (relative to the configuration file's directory) → codes or prefixes not reported in those files. */
  'per-file-ignores': z.optional(
    z.record(z.string().check(z.minLength(1, 'expected a glob')), z.array(code)),
  ),
  /** Globs (relative to the configuration file's directory) of settings files not to analyse. */
  exclude: z.optional(z.array(z.string().check(z.minLength(1, 'expected a glob')))),
  profile: z.optional(OptionsSchema.shape.profile.def.innerType),
  'django-version': z.optional(OptionsSchema.shape.djangoVersion.def.innerType),
  'horizon-release': z.optional(OptionsSchema.shape.horizonRelease.def.innerType),
  /** A real `openstack_dashboard/settings.py`, relative to the configuration file. */
  'horizon-settings': z.optional(z.string().check(z.minLength(1, 'expected a path'))),
  'fail-on': z.optional(z.enum(FAIL_ON_VALUES)),
  /** `false` turns the connection check off (`check-connection` and the editor command contact nothing). */
  'connection-check': z.optional(z.boolean()),
});

export type ConfigValues = z.infer<typeof ConfigSchema>;
export type ConfigKey = keyof ConfigValues;
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as ConfigKey[];

export interface ConfigProblem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export interface LoadedConfig {
  /** Absolute path of the file. */
  readonly file: string;
  readonly dir: string;
  /** `[tool.django-session-lint]` or `.django-session-lint.toml`, for messages. */
  readonly where: string;
  /** The valid keys (an invalid one is left out and reported). */
  readonly values: ConfigValues;
  /** 1-based line of each key given. */
  readonly lines: Partial<Record<ConfigKey, number>>;
  readonly problems: readonly ConfigProblem[];
}

/** `file:line: message`, as the CLI prints it. */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

// ------------------------------------------------------------------ reading one file

/** A table header's dotted name, quotes removed: `[tool."django-session-lint"]` → `tool.django-session-lint`. */
function headerName(line: string): string | undefined {
  const m = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
  if (!m?.[1]) return undefined;
  return m[1]
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

function keyPattern(key: string): RegExp {
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(?:${esc}|"${esc}"|'${esc}')\\s*=`);
}

/**
 * The 1-based line where `keys` (a path inside the configuration table) is written: a key of the table, or of
 * one of its sub-tables (`[tool.django-session-lint.per-file-ignores]`); the deepest found, else the table's
 * header, else line 1. A line scan: smol-toml gives values, not positions.
 */
export function lineOf(text: string, table: string, keys: readonly string[]): number {
  const lines = text.split(/\r?\n/);
  let current = '';
  let best = 0;
  let bestDepth = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = headerName(line);
    if (header !== undefined) {
      current = header;
      if (header === table && bestDepth < 0) {
        best = i + 1;
        bestDepth = 0;
      }
      // `[tool.django-session-lint.per-file-ignores]` is where the key `per-file-ignores` is written.
      for (let depth = 0; depth < keys.length; depth++) {
        const name = [table, ...keys.slice(0, depth + 1)].filter((s) => s !== '').join('.');
        if (header === name && depth + 1 > bestDepth) {
          best = i + 1;
          bestDepth = depth + 1;
        }
      }
      continue;
    }
    for (let depth = 0; depth < keys.length; depth++) {
      const tableHere = [table, ...keys.slice(0, depth)].filter((s) => s !== '').join('.');
      const key = keys[depth];
      if (current === tableHere && key !== undefined && keyPattern(key).test(line) && depth + 1 > bestDepth) {
        best = i + 1;
        bestDepth = depth + 1;
      }
    }
  }
  return best > 0 ? best : 1;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** The known key nearest to a misspelt one (`selct` → `select`, `django_version` → `django-version`). */
export function suggestKey(key: string): string | undefined {
  const normal = key.toLowerCase().replace(/_/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of CONFIG_KEYS) {
    const d = editDistance(normal, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function describeGiven(value: unknown): string {
  if (typeof value === 'string') return ` (got '${value}')`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${String(value)})`;
  return '';
}

function valueAt(raw: unknown, at: readonly PropertyKey[]): unknown {
  let cur = raw;
  for (const k of at)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[k] : undefined;
  return cur;
}

/**
 * Parses a configuration file's text. `undefined` for a pyproject.toml without `[tool.django-session-lint]`
 * (skipped, as ruff skips a pyproject.toml without `[tool.ruff]`); otherwise the valid values and the problems.
 */
export function parseConfig(file: string, text: string): LoadedConfig | undefined {
  const isPyproject = path.basename(file) === PYPROJECT;
  const table = isPyproject ? `tool.${TOOL}` : '';
  const where = isPyproject ? `[tool.${TOOL}]` : STANDALONE_CONFIG;
  const base = { file, dir: path.dirname(file), where };
  let doc: Record<string, unknown>;
  try {
    doc = smolToml.parse(text, { maxDepth: MAX_TOML_DEPTH }) as Record<string, unknown>;
  } catch (e) {
    const at = (e as { line?: unknown }).line;
    const line = typeof at === 'number' && at >= 1 ? at : 1;
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'invalid TOML';
    const problem = { file, line, message: `invalid TOML: ${first.replace(/^Invalid TOML document: /, '')}` };
    // A pyproject.toml that is not TOML may or may not be meant for us: only report it when it mentions us.
    if (isPyproject && !text.includes(TOOL)) return undefined;
    return { ...base, values: {}, lines: {}, problems: [problem] };
  }
  let raw: unknown = doc;
  if (isPyproject) {
    const tool = doc['tool'];
    raw =
      tool !== null && typeof tool === 'object' && Object.prototype.hasOwnProperty.call(tool, TOOL)
        ? (tool as Record<string, unknown>)[TOOL]
        : undefined;
    if (raw === undefined) return undefined;
  }
  const lines: Partial<Record<ConfigKey, number>> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ...base,
      values: {},
      lines,
      problems: [{ file, line: lineOf(text, table, []), message: `${where} must be a table` }],
    };
  }
  const record = raw as Record<string, unknown>;
  for (const k of CONFIG_KEYS) if (k in record) lines[k] = lineOf(text, table, [k]);

  const problems: ConfigProblem[] = [];
  const cleaned: Record<string, unknown> = { ...record };
  const result = ConfigSchema.safeParse(record);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const hint = suggestKey(key);
          problems.push({
            file,
            line: lineOf(text, table, [key]),
            message: `unknown key '${key}' in ${where}${hint ? `, did you mean '${hint}'?` : ` (known keys: ${CONFIG_KEYS.join(', ')})`}`,
          });
          delete cleaned[key];
        }
        continue;
      }
      const at = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      const key = String(at[0] ?? '');
      const shown = at
        .map((p, i) =>
          typeof p === 'number' ? `[${p}]` : i === 0 || /^[\w-]+$/.test(p) ? `.${p}` : `."${p}"`,
        )
        .join('')
        .replace(/^\./, '');
      const message = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
      problems.push({
        file,
        line: lineOf(
          text,
          table,
          at.filter((p): p is string => typeof p === 'string'),
        ),
        message: `invalid value for '${shown}' in ${where}: ${message}${describeGiven(valueAt(record, at))}`,
      });
      delete cleaned[key];
    }
  }
  const retry = ConfigSchema.safeParse(cleaned);
  return { ...base, values: retry.success ? retry.data : {}, lines, problems };
}

// ------------------------------------------------------------------ finding the nearest file

/** Most directories walked up from a file. */
const MAX_DEPTH = 128;

/**
 * Finds and reads configuration files, caching each directory's answer (the language server drops the cache
 * when a configuration file changes). `readFile` returns undefined for a missing or unreadable file.
 */
export class ConfigFinder {
  private readonly byDir = new Map<string, LoadedConfig | null>();

  constructor(
    private readonly readFile: (file: string) => string | undefined = (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  ) {}

  /** The configuration nearest to `file` (walking up from its directory), if any. */
  forFile(file: string): LoadedConfig | undefined {
    return this.forDirectory(path.dirname(path.resolve(file)));
  }

  /** The configuration nearest to `dir` (this directory first), if any. */
  forDirectory(dir: string): LoadedConfig | undefined {
    const visited: string[] = [];
    let cur = path.resolve(dir);
    let found: LoadedConfig | null = null;
    for (let i = 0; i < MAX_DEPTH; i++) {
      const cached = this.byDir.get(cur);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(cur);
      found = this.inDirectory(cur) ?? null;
      if (found) break;
      const parent = path.dirname(cur);
      if (parent === cur) break;
      cur = parent;
    }
    for (const d of visited) this.byDir.set(d, found);
    return found ?? undefined;
  }

  /** Forgets every answer (a configuration file appeared, changed or went). */
  clear(): void {
    this.byDir.clear();
  }

  private inDirectory(dir: string): LoadedConfig | undefined {
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      const text = this.readFile(file);
      if (text === undefined) continue;
      const config = parseConfig(file, text);
      if (config) return config;
    }
    return undefined;
  }
}

export function isConfigFile(file: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(file));
}

// ------------------------------------------------------------------ applying it

/** The analysis options a configuration gives (only the keys it sets). */
export function configOptions(config: LoadedConfig | undefined): Partial<OptionsInput> {
  const v = config?.values ?? {};
  const out: Partial<OptionsInput> = {};
  if (v.select !== undefined) out.select = v.select;
  if (v.ignore !== undefined) out.ignore = v.ignore;
  if (v.profile !== undefined) out.profile = v.profile;
  if (v['django-version'] !== undefined) out.djangoVersion = v['django-version'];
  if (v['horizon-release'] !== undefined) out.horizonRelease = v['horizon-release'];
  return out;
}

/** Defaults ← configuration file ← the flags given on the command line (`given` names them: `--profile`, …). */
export function mergedOptions(
  fromFlags: Options,
  given: readonly string[],
  config: LoadedConfig | undefined,
): Options {
  const fromCli: Partial<OptionsInput> = {};
  if (given.includes('--profile')) fromCli.profile = fromFlags.profile;
  if (given.includes('--django-version')) fromCli.djangoVersion = fromFlags.djangoVersion;
  if (given.includes('--horizon-release')) fromCli.horizonRelease = fromFlags.horizonRelease;
  if (given.includes('--select')) fromCli.select = fromFlags.select;
  if (given.includes('--ignore')) fromCli.ignore = fromFlags.ignore;
  return OptionsSchema.parse({ ...fromFlags, ...configOptions(config), ...fromCli });
}

/** The configuration for a command-line path: from the directory itself, or from a file's directory. */
export function configForPath(configs: ConfigFinder, abs: string): LoadedConfig | undefined {
  let dir = false;
  try {
    dir = fs.statSync(abs).isDirectory();
  } catch {
    // A missing path: discovery reports it; its parent's configuration still applies.
  }
  return dir ? configs.forDirectory(abs) : configs.forFile(abs);
}

/** The file a project's configuration is looked up from: its local_settings.py, else its settings module. */
export function configEntryFile(p: {
  readonly root: string;
  readonly layers: readonly { readonly path: string; readonly role: string }[];
}): string {
  return (
    p.layers.find((l) => l.role === 'local_settings')?.path ??
    p.layers.find((l) => l.role === 'settings')?.path ??
    p.root
  );
}

/** Where `connection-check = false` turns the connection check off (`file:line`), or undefined when it is on. */
export function connectionCheckOffBy(config: LoadedConfig | undefined): string | undefined {
  if (config?.values['connection-check'] !== false) return undefined;
  return `${config.file}:${config.lines['connection-check'] ?? 1}`;
}

/** `horizon-settings` as an absolute path (relative to the configuration file's directory). */
export function configHorizonSettings(config: LoadedConfig | undefined): string | undefined {
  const p = config?.values['horizon-settings'];
  return p === undefined || config === undefined ? undefined : path.resolve(config.dir, p);
}

/** A path relative to the configuration's directory, with `/` separators; undefined when outside it. */
function relativeTo(config: LoadedConfig, file: string): string | undefined {
  const rel = path.relative(config.dir, path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** Whether a glob (relative to the configuration's directory) matches the file or one of its directories. */
function globMatches(globs: readonly string[], rel: string): boolean {
  try {
    return globMatchesUnguarded(globs, rel);
  } catch {
    // picomatch refuses some patterns (empty ones); the schema keeps those out, and no pattern may crash a run.
    return false;
  }
}

function globMatchesUnguarded(globs: readonly string[], rel: string): boolean {
  const match = picomatch([...globs], { dot: true });
  const slashless = globs.filter((g) => !g.includes('/'));
  const matchName = slashless.length > 0 ? picomatch(slashless, { dot: true }) : undefined;
  const parts = rel.split('/');
  for (let i = parts.length; i >= 1; i--) {
    if (match(parts.slice(0, i).join('/'))) return true;
    // A pattern without a slash matches a file or directory name at any depth (`build`, `*.j2`).
    if (matchName?.(parts[i - 1] ?? '')) return true;
  }
  return false;
}

/** Whether `exclude` leaves out this settings file. */
export function isExcluded(config: LoadedConfig | undefined, file: string): boolean {
  const globs = config?.values.exclude;
  if (!config || !globs || globs.length === 0) return false;
  const rel = relativeTo(config, file);
  return rel !== undefined && globMatches(globs, rel);
}

/** Whether `per-file-ignores` silences `code` in `file`. */
export function isIgnoredInFile(config: LoadedConfig | undefined, file: string, code: string): boolean {
  const table = config?.values['per-file-ignores'];
  if (!config || !table) return false;
  const rel = relativeTo(config, file);
  if (rel === undefined) return false;
  for (const [glob, codes] of Object.entries(table)) {
    if (codes.some((c) => code.startsWith(c)) && globMatches([glob], rel)) return true;
  }
  return false;
}

/**
 * The analysis without what `per-file-ignores` silences and what lies in an excluded file (unless that file is
 * in `named`: given on the command line). `resolve` turns a layer path into an absolute one.
 */
export function configFiltered(
  a: Analysis,
  config: LoadedConfig | undefined,
  resolve: (file: string) => string = (f) => path.resolve(f),
  named: ReadonlySet<string> = new Set(),
): Analysis {
  if (!config) return a;
  const findings = a.findings.filter((f) => {
    const abs = resolve(f.span.file);
    return !isIgnoredInFile(config, abs, f.code) && (named.has(abs) || !isExcluded(config, abs));
  });
  return findings.length === a.findings.length ? a : withFindings(a, findings);
}

/** The same analysis with other findings. */
export function withFindings(a: Analysis, findings: readonly Finding[]): Analysis {
  return {
    summary: a.summary,
    model: a.model,
    findings,
    timings: a.timings,
    lineOf: (span) => a.lineOf(span),
    lines: (file) => a.lines(file),
  };
}
