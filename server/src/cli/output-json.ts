/** The `--format json` document (version 1; extra fields only where marked as extensions); renders a string, no I/O. */
import type { Analysis } from '../core/analyze';
import type { PresentedDiagnostic } from './diagnostics';
import { effectiveJson, type EffectiveJson } from './effective';
import type { Redactor } from '../core/secrets';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';

export interface Stats {
  readonly files: number;
  readonly parseMs: number;
  readonly evaluateMs: number;
  readonly rulesMs: number;
  readonly totalMs: number;
}

export interface ProjectView {
  readonly analysis: Analysis;
  readonly redactor: Redactor;
}

interface JsonLayer {
  readonly path: string | null;
  readonly role: string;
  /** Extension: what a built-in layer holds ("Django global_settings", "Horizon 2024.1 defaults (built in)"). */
  readonly description?: string;
}

export interface JsonProject {
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  readonly horizonRelease: string | null;
  /** Extension: where the Horizon release came from (option, workspace, installed, newest-known). */
  readonly horizonReleaseSource: string | null;
  readonly djangoVersion: string | null;
  readonly djangoVersionSource: string;
  /** Extension: the requirements/lock file that pinned Django, when the workspace did. */
  readonly djangoVersionFile: string | null;
  readonly profile: string;
  readonly layers: readonly JsonLayer[];
  readonly effective: EffectiveJson;
}

export function projectJson(view: ProjectView): JsonProject {
  const s = view.analysis.summary;
  return {
    root: s.root,
    kind: s.kind,
    horizonRelease: s.horizonRelease ?? null,
    horizonReleaseSource: s.horizonReleaseSource ?? null,
    djangoVersion: s.djangoVersion ?? null,
    djangoVersionSource: s.djangoVersionSource,
    djangoVersionFile: s.djangoVersionFile ?? null,
    profile: s.profile,
    layers: view.analysis.model.layers.map((l) => {
      const layer: JsonLayer = { path: l.path ?? null, role: l.role };
      return l.description !== undefined ? { ...layer, description: l.description } : layer;
    }),
    effective: effectiveJson(view.analysis, view.redactor),
  };
}

export function diagnosticJson(d: PresentedDiagnostic): object {
  return {
    path: d.path,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    severity: d.severity,
    code: d.code,
    name: d.name,
    message: d.message,
    // Extension: the rule's documentation.
    url: d.url ?? null,
    // column/endLine/endColumn of related locations are extensions (the core fields are path, line, message).
    related: d.related.map((r) => ({
      path: r.path,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      message: r.message,
    })),
    fix: d.fix
      ? {
          title: d.fix.title,
          applicability: d.fix.applicability,
          edits: d.fix.edits.map((e) => ({
            path: e.path,
            line: e.line,
            column: e.column,
            endLine: e.endLine,
            endColumn: e.endColumn,
            newText: e.newText,
          })),
          // Extension, only when true: an edit held a secret that is masked here, so do not apply it from JSON.
          ...(d.fix.redacted ? { redacted: true } : {}),
        }
      : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The document from projects already rendered (by `projectJson`, perhaps in a worker thread). */
export function renderJsonDocument(
  projects: readonly JsonProject[],
  diagnostics: readonly PresentedDiagnostic[],
  stats: Stats | undefined,
): string {
  const doc: Record<string, unknown> = {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    projects,
    diagnostics: diagnostics.map(diagnosticJson),
  };
  if (stats) {
    doc['stats'] = {
      files: stats.files,
      parseMs: round(stats.parseMs),
      evaluateMs: round(stats.evaluateMs),
      rulesMs: round(stats.rulesMs),
      totalMs: round(stats.totalMs),
    };
  }
  return JSON.stringify(doc, null, 2) + '\n';
}
