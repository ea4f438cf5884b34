/** `--show-projects` (and `--debug`): the projects found and their layers in load order, as text or JSON; renders strings, no I/O. */
import type { Analysis } from '../core/analyze';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';

export interface ProjectsJson {
  readonly root: string;
  readonly kind: 'horizon' | 'django';
  readonly horizonRelease: string | null;
  /** In load order: built-in defaults (path null, with a description), then files. */
  readonly layers: readonly { path: string | null; role: string; description?: string }[];
  /** Modules a layer star-imports or execs (checked through that layer), with the role of the layer. */
  readonly imported: readonly { path: string; by: string }[];
}

export function projectsJson(analysis: Analysis): ProjectsJson {
  const m = analysis.model;
  const layerFiles = new Set(m.files.map((f) => f.path));
  return {
    root: analysis.summary.root,
    kind: analysis.summary.kind,
    horizonRelease: analysis.summary.horizonRelease ?? null,
    layers: m.layers.map((l) => ({
      path: l.path ?? null,
      role: l.role,
      ...(l.description !== undefined ? { description: l.description } : {}),
    })),
    imported: m.dependencies
      .filter((d) => !layerFiles.has(d) && !m.layers.some((l) => l.path === d))
      .map((d) => ({ path: d, by: m.roleOf(d) ?? 'settings' })),
  };
}

export function renderProjectsJson(
  analyses: readonly Analysis[],
  errors: readonly { path: string; message: string }[],
): string {
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    projects: analyses.map(projectsJson),
    errors,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function renderProjectsText(analyses: readonly Analysis[]): string {
  const out: string[] = [];
  for (const a of analyses) {
    const p = projectsJson(a);
    const release = p.horizonRelease !== null ? `, Horizon ${p.horizonRelease}` : '';
    out.push(`${p.root} (${p.kind}${release}): ${p.layers.length} layers in load order`);
    const width = Math.max(...p.layers.map((l) => l.role.length));
    p.layers.forEach((l, i) => {
      out.push(`  ${i + 1}. ${l.role.padEnd(width)}  ${l.path ?? l.description ?? ''}`);
    });
    for (const d of p.imported) out.push(`     imported by ${d.by}: ${d.path}`);
  }
  if (analyses.length === 0) out.push('no projects found');
  return out.join('\n') + '\n';
}
