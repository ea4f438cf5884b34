/** Wraps handlers so that no text and no bug can crash the server: errors are logged to the client's console and the handler answers empty. */
import type { Connection } from 'vscode-languageserver/node';
import { traceMark } from './trace';

/** A handler that logs and returns `fallback` instead of throwing or rejecting. */
export function guarded<A extends unknown[], R>(
  connection: Connection,
  what: string,
  fallback: R,
  handler: (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    traceMark(`req ${what}`);
    try {
      return await handler(...args);
    } catch (e) {
      connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}
