/** For tests that drive the language server's Workspace in this process instead of over JSON-RPC. */
import type { Connection, PublishDiagnosticsParams } from 'vscode-languageserver/node';

/** One event-loop turn (the analysis runs its steps a turn or more apart). */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A connection that keeps the diagnostics published to it and ignores everything else. */
export function recordingConnection(published: PublishDiagnosticsParams[]): Connection {
  const ignore = (): void => undefined;
  return {
    sendDiagnostics: (p: PublishDiagnosticsParams) => {
      published.push(p);
      return Promise.resolve();
    },
    sendNotification: () => Promise.resolve(),
    console: { error: ignore, warn: ignore, info: ignore, log: ignore },
  } as unknown as Connection;
}
