/**
 * Whole-workspace problems over plain LSP: workspace/diagnostic reports every settings file of the workspace's
 * projects that is not open (open documents get their diagnostics pushed, so their pull reports are empty and
 * nothing shows twice); textDocument/diagnostic answers the same per file. The "check all settings" server
 * command recomputes now, and publishes the closed files' problems to clients that do not pull. Discovery and
 * analysis are the CLI's and the core's; results are reused while no file changed (clients pull every few
 * seconds).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import {
  DocumentDiagnosticReportKind,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { SERVER_COMMAND_CHECK_WORKSPACE, type CheckWorkspaceResult } from '../../../common/protocol';
import type { Analysis } from '../core/analyze';
import { diagnosticsForFile } from '../core/features/diagnostics';
import { discoverProjects } from '../node/discover';
import { toLspDiagnostics } from './diagnostics';
import { uriToPath } from './files';
import { guarded } from './guard';
import type { LspProject } from './project-for-file';
import type { Workspace } from './workspace';

/** Server commands this module implements (registerPullDiagnostics returns their handlers). */
export const PULL_COMMANDS = [SERVER_COMMAND_CHECK_WORKSPACE];

export const DIAGNOSTIC_PROVIDER = {
  identifier: 'django-session-lint',
  interFileDependencies: true,
  workspaceDiagnostics: true,
} as const;

interface FileReport {
  readonly uri: string;
  readonly file: string;
  readonly items: readonly Diagnostic[];
  readonly resultId: string;
}

interface Snapshot {
  readonly fingerprint: string;
  readonly projects: number;
  readonly reports: ReadonlyMap<string, FileReport>;
  /** Files the snapshot read (layers and imports), for the fingerprint. */
  readonly reads: readonly string[];
}

function stamp(workspace: Workspace, file: string): string {
  const doc = workspace.files.openDocument(file);
  if (doc) return `${file}@v${doc.version}`;
  try {
    const st = fs.statSync(file);
    return `${file}@${st.mtimeMs}:${st.size}`;
  } catch {
    return `${file}@-`;
  }
}

function resultIdOf(items: readonly Diagnostic[]): string {
  return createHash('sha1').update(JSON.stringify(items)).digest('hex').slice(0, 16);
}

/** One project's reports and what they read (a project is reported again only when one of its files changed). */
interface ProjectReports {
  readonly fingerprint: string;
  readonly reads: readonly string[];
  readonly reports: readonly FileReport[];
}

/**
 * How long a workspace discovery is trusted without a watcher event. File watchers lose events (a folder copied
 * in at once may be reported as the folder alone, inotify has limits): the workspace's projects are found again
 * at most this often while clients pull, so files that appeared unannounced reach the Problems panel anyway.
 * Projects whose files did not change keep their reports (no second analysis).
 */
export const REDISCOVER_AFTER_MS = 10_000;

export class WorkspaceDiagnostics {
  private discovered: Promise<LspProject[]> | undefined;
  private discoveredAt = 0;
  private snapshot: Snapshot | undefined;
  /** The computation under way and the generation it started in. */
  private computing: { readonly generation: number; readonly run: Promise<Snapshot> } | undefined;
  private perProject = new Map<string, ProjectReports>();
  /**
   * Counts invalidations. A computation that an invalidation overtook (files appeared while it discovered or
   * analysed) answers its pull but is not kept: kept, its fingerprint (of the files it read, which may not
   * include the new ones) would hold and the workspace would be reported without them until the next change.
   */
  private generation = 0;

  constructor(private readonly workspace: Workspace) {
    workspace.invalidated.push((why) => this.invalidate(why !== 'files'));
  }

  private invalidate(structure: boolean): void {
    this.generation++;
    if (structure) this.discovered = undefined;
    this.snapshot = undefined;
    this.perProject = new Map();
  }

  /** Discovery is found again when older than REDISCOVER_AFTER_MS; unchanged projects keep their reports. */
  private expireDiscovery(): void {
    if (this.discovered === undefined || Date.now() - this.discoveredAt < REDISCOVER_AFTER_MS) return;
    this.generation++;
    this.discovered = undefined;
    this.snapshot = undefined;
  }

  /** The workspace's projects, found the way the CLI finds them for the workspace folder (cached). */
  private projects(): Promise<LspProject[]> {
    if (this.discovered === undefined) this.discoveredAt = Date.now();
    this.discovered ??= discoverProjects([this.workspace.root], { cwd: this.workspace.root })
      .then((r) =>
        r.projects.map((p) => ({
          key: p.layers.map((l) => `${l.role}:${l.path}`).join('\n'),
          root: p.root,
          kind: p.kind,
          layers: p.layers.map((l) => ({ path: l.path, role: l.role })),
          horizonVersionHint: p.horizonVersionHint,
        })),
      )
      .catch((e: unknown) => {
        this.workspace.log('workspace discovery failed', e);
        return [];
      });
    return this.discovered;
  }

  private fingerprint(reads: readonly string[]): string {
    return reads.map((f) => stamp(this.workspace, f)).join('\n');
  }

  /** Every settings file's report, recomputed only when a file it read changed (or `force`). */
  async reports(force = false): Promise<Snapshot> {
    if (force) this.invalidate(true);
    else this.expireDiscovery();
    const last = this.snapshot;
    if (last && this.fingerprint(last.reads) === last.fingerprint) return last;
    if (this.computing?.generation !== this.generation) {
      const computing = {
        generation: this.generation,
        run: this.compute(this.generation).finally(() => {
          if (this.computing === computing) this.computing = undefined;
        }),
      };
      this.computing = computing;
    }
    return this.computing.run;
  }

  /**
   * Reports of every project: a project none of whose files changed keeps its reports; one the editor shows
   * (a file of it is open and being edited) reuses the editor's current analysis; the others are analysed.
   * While you type only the edited project is reported again, without a second analysis.
   */
  private async compute(generation: number): Promise<Snapshot> {
    const projects = await this.projects();
    const reports = new Map<string, FileReport>();
    const reads = new Set<string>();
    const kept = new Map<string, ProjectReports>();
    for (const project of projects) {
      let done = this.perProject.get(project.key);
      if (!done || this.fingerprint(done.reads) !== done.fingerprint) {
        // The editor's analysis of this project, once done (awaited a few times while you type: analysing the
        // same texts again here would only hold up the requests behind it).
        let analysis = this.workspace.currentAnalysis(project.key);
        for (let i = 0; i < 3 && !analysis; i++) {
          await this.workspace.settled(project.key);
          analysis = this.workspace.currentAnalysis(project.key);
        }
        if (!analysis) {
          try {
            ({ analysis } = await this.workspace.analyzeProject(project));
          } catch (e) {
            this.workspace.log(`analysis of ${project.root} failed`, e);
            continue;
          }
        }
        done = this.reportsOf(project, analysis);
      }
      kept.set(project.key, done);
      for (const f of done.reads) reads.add(f);
      for (const r of done.reports) if (!reports.has(r.file)) reports.set(r.file, r);
    }
    const readList = [...reads].sort();
    const snapshot: Snapshot = {
      fingerprint: this.fingerprint(readList),
      projects: projects.length,
      reports,
      reads: readList,
    };
    if (generation === this.generation) {
      this.perProject = kept;
      this.snapshot = snapshot;
    }
    return snapshot;
  }

  private reportsOf(project: LspProject, analysis: Analysis): ProjectReports {
    const reads = [...new Set([...analysis.model.dependencies, ...project.layers.map((l) => l.path)])].sort();
    const files = new Set([
      ...project.layers.map((l) => l.path),
      ...analysis.findings.map((f) => f.span.file),
    ]);
    const reports: FileReport[] = [];
    for (const file of files) {
      // Open documents' diagnostics are pushed: an empty report keeps them from showing twice.
      const items = this.workspace.isOpen(file)
        ? []
        : toLspDiagnostics(analysis, diagnosticsForFile(analysis, file), {
            uriOf: (f) => this.workspace.files.uriOf(f),
            guardOf: (f) => this.workspace.guardFor(analysis, f),
          });
      reports.push({ uri: this.workspace.files.uriOf(file), file, items, resultId: resultIdOf(items) });
    }
    return { fingerprint: this.fingerprint(reads), reads, reports };
  }
}

/** What the pull handlers and the "check all settings" command work with. */
interface PullContext {
  readonly connection: Connection;
  readonly workspace: Workspace;
  readonly diagnostics: WorkspaceDiagnostics;
}

export function registerPullDiagnostics(
  connection: Connection,
  workspace: Workspace,
  caps: { readonly refresh: boolean },
): Record<string, () => Promise<unknown>> {
  const ctx: PullContext = { connection, workspace, diagnostics: new WorkspaceDiagnostics(workspace) };
  connection.languages.diagnostics.on(
    guarded(
      connection,
      'textDocument/diagnostic',
      { kind: DocumentDiagnosticReportKind.Full, items: [] } as DocumentDiagnosticReport,
      (p: DocumentDiagnosticParams) => documentReport(ctx, p),
    ),
  );
  connection.languages.diagnostics.onWorkspace(
    guarded(
      connection,
      'workspace/diagnostic',
      { items: [] } as WorkspaceDiagnosticReport,
      (p: WorkspaceDiagnosticParams) => workspaceReport(ctx, p),
    ),
  );
  const check = new WorkspaceCheck(ctx, caps.refresh);
  return { [SERVER_COMMAND_CHECK_WORKSPACE]: () => check.run() };
}

/** textDocument/diagnostic: a closed settings file's report (unchanged when the client has it already). */
async function documentReport(
  ctx: PullContext,
  p: DocumentDiagnosticParams,
): Promise<DocumentDiagnosticReport> {
  const file = uriToPath(p.textDocument.uri);
  if (!file || ctx.workspace.isOpen(file)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const r = (await ctx.diagnostics.reports()).reports.get(file);
  if (r && p.previousResultId === r.resultId)
    return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: r.resultId };
  return {
    kind: DocumentDiagnosticReportKind.Full,
    resultId: r?.resultId,
    items: [...(r?.items ?? [])],
  };
}

/** workspace/diagnostic: every settings file's report, unchanged for those the client has already. */
async function workspaceReport(
  ctx: PullContext,
  p: WorkspaceDiagnosticParams,
): Promise<WorkspaceDiagnosticReport> {
  const previous = new Map(p.previousResultIds.map((r) => [r.uri, r.value]));
  const snapshot = await ctx.diagnostics.reports();
  const items: WorkspaceDocumentDiagnosticReport[] = [];
  for (const r of snapshot.reports.values()) {
    if (previous.get(r.uri) === r.resultId) {
      items.push({
        kind: DocumentDiagnosticReportKind.Unchanged,
        uri: r.uri,
        version: null,
        resultId: r.resultId,
      });
    } else {
      items.push({
        kind: DocumentDiagnosticReportKind.Full,
        uri: r.uri,
        version: null,
        resultId: r.resultId,
        items: [...r.items],
      });
    }
  }
  return { items };
}

/**
 * The "check all settings" command: every report recomputed now and counted; clients that pull are asked to
 * pull again, the others get the closed files' problems published.
 */
class WorkspaceCheck {
  /** URIs this server published for closed files (clients that do not pull), cleared when checked again. */
  private published = new Set<string>();

  constructor(
    private readonly ctx: PullContext,
    /** Whether the client pulls and can be asked to pull again (workspace/diagnostic/refresh). */
    private readonly refresh: boolean,
  ) {}

  async run(): Promise<CheckWorkspaceResult> {
    const snapshot = await this.ctx.diagnostics.reports(true);
    const byFile = this.problemsByFile(snapshot);
    if (this.refresh) void this.ctx.connection.languages.diagnostics.refresh().catch(() => undefined);
    else this.publishClosed(snapshot);
    const problems = byFile.reduce((sum, f) => sum + f.problems, 0);
    return { projects: snapshot.projects, files: snapshot.reports.size, problems, byFile };
  }

  /** The files with problems and how many each has. */
  private problemsByFile(snapshot: Snapshot): { uri: string; problems: number }[] {
    const byFile: { uri: string; problems: number }[] = [];
    for (const r of snapshot.reports.values()) {
      let n = r.items.length;
      if (this.ctx.workspace.isOpen(r.file)) {
        // Its pushed diagnostics are the analysis of the open text; count those.
        const view = this.ctx.workspace.analysisFor(r.uri, false);
        n = view ? diagnosticsForFile(view.analysis, r.file).length : 0;
      }
      if (n > 0) byFile.push({ uri: r.uri, problems: n });
    }
    return byFile;
  }

  /** For clients that do not pull: the closed files' problems, and empty lists where a problem went away. */
  private publishClosed(snapshot: Snapshot): void {
    const { connection, workspace } = this.ctx;
    const nowPublished = new Set<string>();
    for (const r of snapshot.reports.values()) {
      if (workspace.isOpen(r.file) || r.items.length === 0) continue;
      void connection.sendDiagnostics({ uri: r.uri, diagnostics: [...r.items] });
      nowPublished.add(r.uri);
    }
    for (const uri of this.published) {
      const file = uriToPath(uri);
      if (!nowPublished.has(uri) && file && !workspace.isOpen(file))
        void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.published = nowPublished;
  }
}
