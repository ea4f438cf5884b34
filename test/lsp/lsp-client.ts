/** A real JSON-RPC client for the bundled language server, started as editors start it (`node --v8-pool-size=1 dist/server-start.js --stdio`, common/server-start.ts): starts it, answers its requests, and waits for its notifications (never for a fixed time). */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_NODE_FLAGS, SERVER_START } from '../../common/server-start';
import { REPO_ROOT } from '../helpers/repo';

export { REPO_ROOT };
export const SERVER_BUNDLE = path.join(REPO_ROOT, SERVER_START);

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export interface StartOptions {
  /** The `djangoSessionLint` section answered to workspace/configuration. */
  readonly settings?: Record<string, unknown>;
  /** Workspace root (rootUri). */
  readonly root?: string;
  /** Turn off client features to test the fallbacks. */
  readonly resolveSupport?: boolean;
  /** Sent as `initializationOptions`. */
  readonly initializationOptions?: Record<string, unknown>;
  /** When workspace/configuration is answered: at once (default), after a delay, or never. */
  readonly configurationAnswer?: 'never' | { readonly afterMs: number };
  /** Extra node flags for the server process (e.g. `--cpu-prof` when profiling the benchmark). */
  readonly nodeArgs?: readonly string[];
}

interface Waiter<T> {
  readonly test: (value: T) => boolean;
  readonly resolve: (value: T) => void;
}

const DEFAULT_TIMEOUT_MS = 15000;

/** Resolves when `test` holds for a value pushed to the list, or rejects with `describe()` after the timeout. */
function waitFor<T>(
  waiters: Waiter<T>[],
  seen: readonly T[],
  test: (v: T) => boolean,
  what: string,
  describe: () => string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const hit = seen.find(test);
  if (hit !== undefined) return Promise.resolve(hit);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1);
      reject(new Error(`timed out waiting for ${what}; seen:\n${describe()}`));
    }, timeoutMs);
    const waiter: Waiter<T> = {
      test,
      resolve: (v) => {
        clearTimeout(timer);
        resolve(v);
      },
    };
    waiters.push(waiter);
  });
}

function deliver<T>(waiters: Waiter<T>[], value: T): void {
  for (const w of [...waiters]) {
    if (w.test(value)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(value);
    }
  }
}

export class LspClient {
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly logs: string[] = [];
  readonly texts = new Map<string, TextDocument>();
  initializeResult: InitializeResult | undefined;
  settings: Record<string, unknown>;
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private readonly messageWaiters: Waiter<ShowMessageParams>[] = [];
  private readonly registrationWaiters: Waiter<{ method: string }>[] = [];
  /** Edits the server asked to apply (workspace/applyEdit), applied to the texts held here. */
  readonly appliedEdits: WorkspaceEdit[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    assertBundle();
    const child = spawn(
      process.execPath,
      [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), SERVER_BUNDLE, '--stdio'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, connection, options.settings ?? {});
    child.stderr?.on('data', (b: Buffer) => client.logs.push(b.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.publishes.push(p);
      deliver(client.diagnosticWaiters, p);
    });
    connection.onNotification('window/showMessage', (p: ShowMessageParams) => {
      client.messages.push(p);
      deliver(client.messageWaiters, p);
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      const answer = (): unknown[] => p.items.map(() => client.settings);
      const when = options.configurationAnswer;
      if (when === 'never') return new Promise<never>(() => undefined);
      if (when) return new Promise((resolve) => setTimeout(() => resolve(answer()), when.afterMs));
      return answer();
    });
    connection.onRequest(
      'client/registerCapability',
      (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
        for (const r of p.registrations) {
          client.registrations.push(r);
          deliver(client.registrationWaiters, r);
        }
        return null;
      },
    );
    connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      client.appliedEdits.push(p.edit);
      client.applyLocally(p.edit);
      return { applied: true };
    });
    connection.listen();
    const root = options.root ?? process.cwd();
    const capabilities: ClientCapabilities = {
      window: { showDocument: { support: true } },
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
        applyEdit: true,
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        publishDiagnostics: {
          relatedInformation: true,
          versionSupport: true,
          codeDescriptionSupport: true,
          dataSupport: true,
        },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown'] } },
        codeAction: {
          dataSupport: true,
          isPreferredSupport: true,
          ...(options.resolveSupport === false ? {} : { resolveSupport: { properties: ['edit'] } }),
          codeActionLiteralSupport: {
            codeActionKind: {
              valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source', 'source.fixAll'],
            },
          },
        },
      },
    };
    client.initializeResult = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      capabilities,
      ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
    })) as InitializeResult;
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const uri = uriOf(file);
    this.texts.set(uri, TextDocument.create(uri, 'python', 1, text));
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'python', version: 1, text },
    });
    return uri;
  }

  /** Sends incremental changes and returns the new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const doc = this.texts.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    const next = TextDocument.update(doc, changes, doc.version + 1);
    this.texts.set(uri, next);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: next.version },
      contentChanges: changes,
    });
    return next.version;
  }

  /** Applies LSP edits to an open document here and sends them as one incremental didChange. */
  edit(uri: string, edits: readonly TextEdit[]): number {
    // Applied back to front so earlier ranges stay valid.
    const sorted = [...edits].sort(
      (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
    );
    return this.change(
      uri,
      sorted.map((e) => ({ range: e.range, text: e.newText })),
    );
  }

  text(uri: string): string {
    return this.texts.get(uri)?.getText() ?? '';
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    this.texts.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The edits of a WorkspaceEdit for one URI (documentChanges or changes). */
  static editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
    const out: TextEdit[] = [];
    for (const dc of edit.documentChanges ?? [])
      if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
    out.push(...(edit.changes?.[uri] ?? []));
    return out;
  }

  static urisOf(edit: WorkspaceEdit): string[] {
    const uris = new Set<string>();
    for (const dc of edit.documentChanges ?? []) if ('textDocument' in dc) uris.add(dc.textDocument.uri);
    for (const uri of Object.keys(edit.changes ?? {})) uris.add(uri);
    return [...uris];
  }

  /** Applies a WorkspaceEdit: open documents get a didChange, other files are written to disk. */
  applyLocally(edit: WorkspaceEdit): void {
    for (const uri of LspClient.urisOf(edit)) {
      const edits = LspClient.editsFor(edit, uri);
      if (this.texts.has(uri)) {
        this.edit(uri, edits);
      } else {
        const file = new URL(uri);
        const before = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, TextDocument.applyEdits(TextDocument.create(uri, 'python', 0, before), edits));
      }
    }
  }

  waitForDiagnostics(
    uri: string,
    test: (d: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<PublishDiagnosticsParams> {
    return waitFor(
      this.diagnosticWaiters,
      [],
      (p) => p.uri === uri && test(p),
      `diagnostics for ${uri}`,
      () => this.describePublishes(uri),
      timeoutMs,
    );
  }

  /** The latest published diagnostics for a URI that satisfy `test` (including ones already received). */
  waitForLatestDiagnostics(
    uri: string,
    test: (d: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<PublishDiagnosticsParams> {
    const latest = [...this.publishes].reverse().find((p) => p.uri === uri);
    if (latest && test(latest)) return Promise.resolve(latest);
    return this.waitForDiagnostics(uri, test);
  }

  /** Waits for the diagnostics of exactly this document version (`timeoutMs`: for files that take long to analyse). */
  waitForVersion(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return waitFor(
      this.diagnosticWaiters,
      this.publishes,
      (p) => p.uri === uri && p.version === version,
      `diagnostics for ${uri} version ${version}`,
      () => this.describePublishes(uri),
      timeoutMs,
    );
  }

  waitForMessage(test: (m: ShowMessageParams) => boolean): Promise<ShowMessageParams> {
    return waitFor(this.messageWaiters, this.messages, test, 'window/showMessage', () =>
      this.messages.map((m) => m.message).join('\n'),
    );
  }

  waitForRegistration(method: string): Promise<{ method: string }> {
    return waitFor(
      this.registrationWaiters,
      this.registrations,
      (r) => r.method === method,
      `registration of ${method}`,
      () => this.registrations.map((r) => r.method).join('\n'),
    );
  }

  describePublishes(uri: string): string {
    return (
      this.publishes
        .filter((p) => p.uri === uri)
        .map(
          (p) =>
            `v${p.version ?? '?'}: ${p.diagnostics.map((d) => `${d.range.start.line + 1} ${String(d.code)}`).join(', ')}`,
        )
        .join('\n') + (this.logs.length > 0 ? `\nserver log:\n${this.logs.join('\n')}` : '')
    );
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone; it is killed below.
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

function assertBundle(): void {
  if (!fs.existsSync(SERVER_BUNDLE))
    throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first`);
}
