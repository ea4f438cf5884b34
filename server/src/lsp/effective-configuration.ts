/** The `djangoSessionLint/effectiveConfiguration` request: the effective session settings of a document's project (who set each, secrets masked) for the client's status bar and report. */
import type { Connection } from 'vscode-languageserver/node';
import {
  EFFECTIVE_CONFIGURATION_REQUEST,
  type EffectiveConfigurationParams,
  type EffectiveConfigurationResult,
  type EffectiveConfigurationRow,
} from '../../../common/protocol';
import { isSecretName, maskSecretValue, Redactor } from '../core/secrets';
import type { Analysis } from '../core/analyze';
import { describe, dictLookup } from '../core/evaluate/values';
import {
  CACHES,
  DATABASES,
  DEFAULT_ALIAS,
  SESSION_CACHE_ALIAS,
  SESSION_COOKIE_AGE,
  SESSION_COOKIE_HTTPONLY,
  SESSION_COOKIE_SAMESITE,
  SESSION_COOKIE_SECURE,
  SESSION_ENGINE,
  SESSION_FILE_PATH,
  SESSION_SERIALIZER,
  cacheFamily,
  findDatabaseEngine,
  findSessionEngine,
} from '../core/knowledge';
import type { LayerRole } from '../core/layers/project';
import type { Origin, Value } from '../core/types';
import { guarded } from './guard';
import type { Workspace } from './workspace';

const TOP_LEVEL = [
  SESSION_ENGINE,
  SESSION_CACHE_ALIAS,
  SESSION_SERIALIZER,
  SESSION_FILE_PATH,
  SESSION_COOKIE_SECURE,
  SESSION_COOKIE_HTTPONLY,
  SESSION_COOKIE_SAMESITE,
  SESSION_COOKIE_AGE,
];
const MAX_VALUE = 160;

const CACHE_LABEL: Record<string, string> = {
  memcached: 'memcached',
  redis: 'Redis',
  locmem: 'local memory',
  dummy: 'dummy cache',
  filebased: 'file cache',
  database: 'database cache',
};

function knownString(v: Value | undefined): string | undefined {
  return v?.kind === 'str' ? v.value.trim() : undefined;
}

function field(analysis: Analysis, setting: string, alias: string, key: string): string | undefined {
  const v = analysis.model.effective(setting)?.value;
  if (v?.kind !== 'dict') return undefined;
  const entry = dictLookup(v, { kind: 'str', value: alias });
  if (entry.found !== true || entry.entry.value.kind !== 'dict') return undefined;
  const f = dictLookup(entry.entry.value, { kind: 'str', value: key });
  return f.found === true ? knownString(f.entry.value) : undefined;
}

/** `memcached (cache)`, `MySQL + memcached (cached_db)`, `signed cookies`, or `unknown`. */
export function storageLabel(analysis: Analysis): string {
  const engine = findSessionEngine(knownString(analysis.model.effective(SESSION_ENGINE)?.value) ?? '');
  if (!engine) return 'unknown';
  const alias = knownString(analysis.model.effective(SESSION_CACHE_ALIAS)?.value) ?? DEFAULT_ALIAS;
  const backend = field(analysis, CACHES, alias, 'BACKEND');
  const family = backend ? cacheFamily(backend) : undefined;
  const cache = family ? (CACHE_LABEL[family] ?? family) : 'cache';
  const dbEngine = field(analysis, DATABASES, DEFAULT_ALIAS, 'ENGINE');
  const db = (dbEngine ? findDatabaseEngine(dbEngine)?.vendor : undefined) ?? 'database';
  switch (engine.shortName) {
    case 'cache':
      return `${cache} (cache)`;
    case 'cached_db':
      return `${db} + ${cache} (cached_db)`;
    case 'db':
      return `${db} (db)`;
    case 'file':
      return 'files (file)';
    case 'signed_cookies':
      return 'signed cookies';
  }
}

function originOf(
  analysis: Analysis,
  origin: Origin,
  value?: Value,
): { layer: LayerRole; path?: string; line?: number } {
  const span = value?.span ?? (origin.kind === 'file' ? origin.span : undefined);
  const layer: LayerRole =
    origin.kind === 'default'
      ? origin.by === 'horizon'
        ? 'horizon-defaults'
        : 'django-defaults'
      : (analysis.model.roleOf(origin.span.file) ?? 'settings');
  return span ? { layer, path: span.file, line: analysis.lineOf(span) } : { layer };
}

function shown(v: Value, secret: boolean, redactor: Redactor): string {
  if (secret && v.kind === 'str') return maskSecretValue(v.value);
  if (secret) return '***';
  const text =
    v.kind === 'unknown'
      ? `(unknown: ${v.reason})`
      : v.kind === 'oneOf'
        ? `(depends on ${v.condition}) ${describe(v, MAX_VALUE)}`
        : describe(v, MAX_VALUE);
  return redactor.text(text);
}

export function effectiveConfiguration(analysis: Analysis): EffectiveConfigurationResult {
  const redactor = new Redactor();
  redactor.addAnalysis(analysis);
  const rows: EffectiveConfigurationRow[] = [];
  for (const name of TOP_LEVEL) {
    const eff = analysis.model.effective(name);
    if (!eff) continue;
    rows.push({
      name,
      value: shown(eff.value, isSecretName(name), redactor),
      ...originOf(analysis, eff.origin),
    });
  }
  for (const name of [CACHES, DATABASES]) {
    const eff = analysis.model.effective(name);
    if (!eff) continue;
    const v = eff.value;
    if (v.kind !== 'dict') {
      rows.push({ name, value: shown(v, false, redactor), ...originOf(analysis, eff.origin) });
      continue;
    }
    for (const e of v.entries) {
      const alias = e.key.kind === 'str' ? e.key.value : '?';
      if (e.value.kind !== 'dict') {
        rows.push({
          name: `${name}.${alias}`,
          value: shown(e.value, false, redactor),
          ...originOf(analysis, eff.origin, e.value),
        });
        continue;
      }
      for (const f of e.value.entries) {
        const key = f.key.kind === 'str' ? f.key.value : '?';
        rows.push({
          name: `${name}.${alias}.${key}`,
          value: shown(f.value, isSecretName(key), redactor),
          ...originOf(analysis, eff.origin, f.value),
        });
      }
    }
  }
  const s = analysis.summary;
  const summary = [
    s.kind === 'horizon' ? `Horizon ${s.horizonRelease ?? '(unknown release)'}` : 'Django project',
    `Django ${s.djangoVersion ?? 'unknown'}`,
    s.profile,
  ].join(' · ');
  const engine = rows.find((r) => r.name === SESSION_ENGINE);
  const setBy = engine?.path
    ? `${engine.path}:${engine.line ?? 1}`
    : engine
      ? `${engine.layer === 'horizon-defaults' ? "Horizon's" : "Django's"} default`
      : 'not set';
  const storage = { label: storageLabel(analysis), setBy };
  return { summary, rows, storage, markdown: markdownOf(summary, storage, rows) };
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownOf(
  summary: string,
  storage: { label: string; setBy: string },
  rows: readonly EffectiveConfigurationRow[],
): string {
  const lines = [
    '# Effective session configuration',
    '',
    summary,
    '',
    `**Session storage:** ${storage.label} (SESSION_ENGINE: ${storage.setBy})`,
    '',
    '| Setting | Value | Set by |',
    '|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${cell(r.name)}\` | \`${cell(r.value)}\` | ${cell(r.path ? `${r.path}:${r.line ?? 1}` : r.layer)} |`,
    ),
  ];
  return lines.join('\n') + '\n';
}

export function registerEffectiveConfiguration(connection: Connection, workspace: Workspace): void {
  connection.onRequest(
    EFFECTIVE_CONFIGURATION_REQUEST,
    guarded(
      connection,
      'effective configuration',
      null as EffectiveConfigurationResult | null,
      (params: EffectiveConfigurationParams) => {
        const view = workspace.analysisFor(params.uri);
        return view ? effectiveConfiguration(view.analysis) : null;
      },
    ),
  );
}
