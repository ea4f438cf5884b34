/**
 * Everything an analysis shows, as one JSON string (values with their spans and origins, findings with their
 * fixes and edits, per-file diagnostics, imports, limits, dependencies and effective values): tests that an
 * incremental, resumed or paused analysis equals a whole one compare these.
 */
import type { Analysis } from '../../server/src/core/analyze';
import { diagnosticsForFile } from '../../server/src/core/features/diagnostics';

export function analysisView(a: Analysis): string {
  return JSON.stringify({
    findings: a.findings,
    diagnostics: a.model.files.map((f) => diagnosticsForFile(a, f.path, { reportSyntaxErrors: true })),
    events: a.model.events,
    env: [...a.model.env],
    files: a.model.files.map((f) => ({
      path: f.path,
      env: [...f.evaluation.env],
      imports: f.evaluation.imports,
      unresolved: f.evaluation.unresolvedStarImports,
      limit: f.evaluation.limit,
      dependencies: f.evaluation.dependencies,
    })),
    dependencies: a.model.dependencies,
    summary: a.summary,
    effective: ['SESSION_ENGINE', 'CACHES', 'SECRET_KEY', 'SERVICES', 'DEBUG'].map((n) =>
      a.model.effective(n),
    ),
  });
}
