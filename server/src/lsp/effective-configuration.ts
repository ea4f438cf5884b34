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
import { describe } from '../core/evaluate/values';
import { dictListing, storageLabel } from '../core/queries/effective-listing';
import { valueOrigin } from '../core/queries/entries';
import {
  CACHES,
  DATABASES,
  SESSION_CACHE_ALIAS,
  SESSION_COOKIE_AGE,
  SESSION_COOKIE_HTTPONLY,
  SESSION_COOKIE_SAMESITE,
  SESSION_COOKIE_SECURE,
  SESSION_ENGINE,
  SESSION_FILE_PATH,
  SESSION_SERIALIZER,
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

/** The layer of the setting's origin, and the file/line of the value (its literal, else the assignment). */
function originOf(
  analysis: Analysis,
  origin: Origin,
  value?: Value,
): { layer: LayerRole; path?: string; line?: number } {
  const at = value ? valueOrigin(origin, value) : origin;
  const span = at.kind === 'file' ? at.span : undefined;
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
  for (const name of [CACHES, DATABASES] as const) {
    const listing = dictListing(analysis, name);
    if (!listing) continue;
    const origin = listing.setting.origin;
    if (listing.kind === 'whole') {
      rows.push({
        name,
        value: shown(listing.setting.value, false, redactor),
        ...originOf(analysis, origin),
      });
      continue;
    }
    for (const a of listing.aliases) {
      if (!a.fields) {
        rows.push({
          name: `${name}.${a.alias}`,
          value: shown(a.value, false, redactor),
          ...originOf(analysis, origin, a.value),
        });
        continue;
      }
      for (const f of a.fields) {
        rows.push({
          name: `${name}.${a.alias}.${f.key}`,
          value: shown(f.value, isSecretName(f.key), redactor),
          ...originOf(analysis, origin, f.value),
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
      async (params: EffectiveConfigurationParams) => {
        const view = await workspace.analysisForCommand(params.uri);
        return view ? effectiveConfiguration(view.analysis) : null;
      },
    ),
  );
}
