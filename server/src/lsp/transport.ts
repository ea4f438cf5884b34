/**
 * Defensive edges of the language server's transport (issue #9). vscode-jsonrpc's stream reader trusts the
 * framing: a negative Content-Length corrupts its buffer, a header block without a valid Content-Length or a
 * length a few bytes too long leaves it waiting or misaligned for good, while the process lives on, so no
 * editor restarts it. Over stdio the server reads through `FramingGuard`, which checks every header block
 * and ends the input on a framing it cannot trust, so the server exits and the editor restarts it. And text edits with a
 * null or out-of-range range give a defined document instead of an exception.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** Larger messages are refused (a document over the analyser's size limit is useless anyway). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** A header block longer than this without its blank line is not a header block. */
const MAX_HEADER_BYTES = 8 * 1024;

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * Passes LSP messages through unchanged while their framing is sound; on the first header block that is not
 * (no or several Content-Length, not a non-negative integer, too large, unterminated headers) it calls
 * `fail` with the reason and passes nothing more. A body that is not JSON (a Content-Length too long
 * swallows the next header) is caught by `checkBody` the same way.
 */
export class FramingGuard extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private need = -1;
  private failed = false;

  constructor(private readonly fail: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      this.drain();
    } catch (e) {
      this.stop(e instanceof Error ? e.message : String(e));
    }
    done();
  }

  private stop(reason: string): void {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    this.fail(reason);
    // The input ends here: the server finishes what it read before and exits (status 1 without a shutdown
    // request, as vscode-languageserver does when its input closes), and the editor restarts it. Deferred a
    // turn so the messages passed before are dispatched first.
    setImmediate(() => this.push(null));
  }

  private drain(): void {
    while (!this.failed) {
      if (this.need < 0) {
        const end = this.buffer.indexOf(CRLF2);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) this.stop('a header block without an end');
          return;
        }
        const header = this.buffer.subarray(0, end).toString('latin1');
        const lengths = header
          .split('\r\n')
          .map((line) => /^content-length:[ \t]*(.*?)[ \t]*$/i.exec(line)?.[1])
          .filter((v): v is string => v !== undefined);
        if (lengths.length !== 1)
          return this.stop(`a header block with ${lengths.length} Content-Length headers`);
        const value = lengths[0] ?? '';
        if (!/^\d{1,10}$/.test(value))
          return this.stop(`Content-Length '${value.slice(0, 40)}' is not a byte count`);
        const length = Number(value);
        if (length > MAX_MESSAGE_BYTES)
          return this.stop(`Content-Length ${length} exceeds ${MAX_MESSAGE_BYTES}`);
        this.need = end + CRLF2.length + length;
      }
      if (this.buffer.length < this.need) return;
      const message = this.buffer.subarray(0, this.need);
      const bodyStart = message.indexOf(CRLF2) + CRLF2.length;
      const problem = checkBody(message.subarray(bodyStart));
      if (problem) return this.stop(problem);
      this.push(message);
      this.buffer = this.buffer.subarray(this.need);
      this.need = -1;
    }
  }
}

/** Why a message body cannot be a JSON-RPC message, or undefined. */
export function checkBody(body: Buffer): string | undefined {
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return 'a message body that is not a JSON object';
    return undefined;
  } catch {
    // A length too long ends the body inside the next message's header: the stream is misaligned.
    return /Content-Length:/i.test(text)
      ? 'a Content-Length longer than its message (the next header was read as body)'
      : 'a message body that is not JSON';
  }
}

/** A range usable by TextDocument.update: integers clamped at 0, or undefined (whole-text) when absent. */
function saneChange(change: unknown): TextDocumentContentChangeEvent | undefined {
  if (typeof change !== 'object' || change === null) return undefined;
  const c = change as { text?: unknown; range?: unknown };
  if (typeof c.text !== 'string') return undefined;
  const r = c.range as { start?: unknown; end?: unknown } | null | undefined;
  if (r === undefined || r === null) return { text: c.text };
  const pos = (p: unknown): { line: number; character: number } => {
    const q = (typeof p === 'object' && p !== null ? p : {}) as { line?: unknown; character?: unknown };
    const n = (v: unknown): number =>
      typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.floor(v)) : 0;
    return { line: n(q.line), character: n(q.character) };
  };
  let start = pos(r.start);
  let end = pos(r.end);
  if (end.line < start.line || (end.line === start.line && end.character < start.character))
    [start, end] = [end, start];
  return { range: { start, end }, text: c.text };
}

/**
 * TextDocument's create/update for TextDocuments, defined for every change a client may send: a change without
 * text is ignored, a missing or null range replaces the whole text, positions past the end are clamped (as
 * TextDocument does) and negative, fractional or non-numeric ones are clamped to 0.
 */
export const SafeTextDocument = {
  create: TextDocument.create,
  update(document: TextDocument, changes: readonly unknown[], version: number): TextDocument {
    const sane = (Array.isArray(changes) ? changes : []).map(saneChange).filter((c) => c !== undefined);
    return TextDocument.update(document, sane, version);
  },
};
