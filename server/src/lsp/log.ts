/** Puts the server's log (window/logMessage) behind the one secret masker: an error can quote a settings line or a URL with its password. */
import { Redactor } from '../core/secrets';

type LogLevel = 'error' | 'warn' | 'info' | 'log';
type Console = Record<LogLevel, (message: string) => void>;

/** Replaces each log method of `console` by one that masks the message first (secret-looking literals and URL passwords). */
export function maskConsole(console: Console): void {
  const redactor = new Redactor();
  for (const level of ['error', 'warn', 'info', 'log'] as const) {
    const write = console[level].bind(console);
    console[level] = (message: string) => write(redactor.sourceLine(message).text);
  }
}
