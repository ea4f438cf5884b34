/** `check-connection [path]`: discovery → analysis → the connection checker (server/src/connection/) → text or JSON; exit 0 when every server answered, 1 when one failed or could not be checked. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from '../core/analyze';
import { ParseCache } from '../core/layers/project';
import {
  checkConnections,
  renderConnectionText,
  summarize,
  type ProjectConnectionReport,
} from '../connection/check';
import type { CheckConnectionCommand } from './args';
import { discoverProjects } from '../node/discover';
import { displayPath } from '../node/paths';
import { Redactor } from '../core/secrets';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';
import { VersionFileFinder } from '../node/version-files';

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

/** The JSON document `check-connection --format json` prints. */
export interface ConnectionJson {
  readonly version: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly timeoutMs: number;
  readonly projects: readonly ProjectConnectionReport[];
  readonly summary: { readonly ok: number; readonly failed: number; readonly notChecked: number };
}

export async function checkConnectionCommand(cmd: CheckConnectionCommand, io: Io): Promise<number> {
  const { cwd } = io;
  const discovery = await discoverProjects(cmd.paths, {
    ...(cmd.horizonSettings !== undefined ? { horizonSettings: cmd.horizonSettings } : {}),
    forceHorizon: cmd.options.horizonRelease !== '' || cmd.horizonSettings !== undefined,
    cwd,
  });
  let failed = false;
  for (const e of discovery.errors) {
    io.stderr(`${TOOL_NAME}: error: ${displayPath(e.path, cwd)}: ${e.message}\n`);
    failed = true;
  }
  if (discovery.projects.length === 0 && !failed) {
    io.stderr(`${TOOL_NAME}: error: no Django settings files found in ${cmd.paths.join(', ')}\n`);
    return 2;
  }
  if (failed) return 2;
  const texts = new Map<string, string | undefined>();
  const read = (file: string): string | undefined => {
    if (!texts.has(file)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
      } catch {
        text = undefined;
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
  const finder = new VersionFileFinder(cwd);
  const cache = new ParseCache();
  const projects: { root: string; analysis: Analysis }[] = [];
  for (const p of discovery.projects) {
    const root = displayPath(p.root, cwd);
    const layers = p.layers.map((l) => ({ path: displayPath(l.path, cwd), role: l.role }));
    for (const l of layers)
      if (read(l.path) === undefined) {
        io.stderr(`${TOOL_NAME}: error: ${l.path}: cannot be read\n`);
        return 2;
      }
    const analysis = analyze({
      project: { root, kind: p.kind, layers, readFile: read },
      options: cmd.options,
      versionFiles: finder.filesFor(root),
      horizonVersionHint: p.horizonVersionHint,
      cache,
    });
    projects.push({ root, analysis });
  }
  const reports = await checkConnections(projects, { timeoutMs: cmd.timeoutMs }, new Redactor());
  const summary = summarize(reports);
  if (cmd.format === 'json') {
    const doc: ConnectionJson = {
      version: 1,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      timeoutMs: cmd.timeoutMs,
      projects: reports,
      summary,
    };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  } else io.stdout(renderConnectionText(reports, cmd.quiet));
  return summary.failed > 0 || summary.notChecked > 0 ? 1 : 0;
}
