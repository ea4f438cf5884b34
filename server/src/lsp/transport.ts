/**
 * Defensive edges of the language server's transport (issue #9). vscode-jsonrpc's stream reader trusts the
 * framing: a negative Content-Length corrupts its buffer, a header block without a valid Content-Length or a
 * length a few bytes too long leaves it waiting or misaligned for good, while the process lives on, so no
 * editor restarts it. Over stdio the server reads through `FramingGuard`, which checks every header block;
 * on a framing it cannot trust it passes nothing more, lets the server answer every request it passed before
 * (`ResponseTracker` on the output says which are answered; at most `DRAIN_LIMIT_MS`), then ends the input, so
 * the server exits and the editor restarts it. And text edits with a null or out-of-range range give a defined
 * document instead of an exception.
 */
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** Larger messages are refused (a document over the analyser's size limit is useless anyway). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** A header block longer than this without its blank line is not a header block. */
const MAX_HEADER_BYTES = 8 * 1024;
/**
 * After a bad frame, how long the requests passed before it may take to be answered before the input ends
 * anyway (a handler waiting for a client answer that can no longer be read would otherwise keep the server).
 */
export const DRAIN_LIMIT_MS = 5_000;

const CRLF2 = Buffer.from('\r\n\r\n');

/** The key of a JSON-RPC id (numbers and strings kept apart). */
function idKey(id: unknown): string | undefined {
  return typeof id === 'number' || typeof id === 'string' ? JSON.stringify(id) : undefined;
}

/**
 * Passes LSP messages through unchanged while their framing is sound; on the first header block that is not
 * (no or several Content-Length, not a non-negative integer, too large, unterminated headers) it calls
 * `fail` with the reason and passes nothing more. A body that is not JSON (a Content-Length too long
 * swallows the next header) is caught by `checkBody` the same way. The input then ends once every request
 * passed before has been `answered` (or after `drainLimitMs`), so each complete message the client sent before
 * the bad frame gets its answer before the server exits.
 */
export class FramingGuard extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private need = -1;
  private failed = false;
  private ended = false;
  /** Ids of the requests passed and not answered yet. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly fail: (reason: string) => void,
    private readonly drainLimitMs = DRAIN_LIMIT_MS,
  ) {
    super();
  }

  /** The server answered the request with this id (a response went out). */
  answered(id: unknown): void {
    const key = idKey(id);
    if (key === undefined || !this.pending.delete(key)) return;
    if (this.failed && this.pending.size === 0) this.endInput();
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
    // The input ends once the requests passed before are answered: the server exits then (status 1 without a
    // shutdown request, as vscode-languageserver does when its input closes), and the editor restarts it.
    if (this.pending.size === 0) this.endInput();
    else setTimeout(() => this.endInput(), this.drainLimitMs).unref();
  }

  private endInput(): void {
    if (this.ended) return;
    this.ended = true;
    // Deferred a turn so the messages passed before (and their answers) are dispatched first.
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
      const body = inspectBody(message.subarray(bodyStart));
      if (body.problem !== undefined) return this.stop(body.problem);
      if (body.requestId !== undefined) this.pending.add(body.requestId);
      this.push(message);
      this.buffer = this.buffer.subarray(this.need);
      this.need = -1;
    }
  }
}

/** Why a message body cannot be a JSON-RPC message, or undefined. */
export function checkBody(body: Buffer): string | undefined {
  return inspectBody(body).problem;
}

/** A body's problem, or the id key of the request it is (a message with a method and an id). */
function inspectBody(body: Buffer): { problem?: string; requestId?: string } {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A length too long ends the body inside the next message's header: the stream is misaligned.
    return {
      problem: /Content-Length:/i.test(text)
        ? 'a Content-Length longer than its message (the next header was read as body)'
        : 'a message body that is not JSON',
    };
  }
  if (typeof parsed !== 'object' || parsed === null)
    return { problem: 'a message body that is not a JSON object' };
  const m = parsed as { id?: unknown; method?: unknown };
  const requestId = typeof m.method === 'string' ? idKey(m.id) : undefined;
  return requestId === undefined ? {} : { requestId };
}

/**
 * The server's output over stdio: writes every chunk through to `out` unchanged (synchronously, so nothing
 * is held back when the process exits) and reports the id of every response it frames to `answered`. A header
 * block written alone (vscode-jsonrpc writes a message's header, then its body) waits for its body, so that a
 * message goes out in one write: over a pipe each write is a system call that wakes the client, which would
 * otherwise read a header alone and wait again. What is held goes out at the latest on the next turn of the
 * event loop.
 */
export class ResponseTracker extends Writable {
  private buffer: Buffer = Buffer.alloc(0);
  private need = -1;
  private bodyStart = 0;
  private held: Buffer | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly answered: (id: unknown) => void,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, enc: BufferEncoding, done: (error?: Error | null) => void): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
    try {
      this.scan(bytes);
    } catch {
      // Tracking is best effort; the bytes go out regardless.
    }
    const out = this.held ? Buffer.concat([this.held, bytes]) : bytes;
    this.held = undefined;
    if (this.need > 0 && this.buffer.length === this.bodyStart && out.length === this.bodyStart) {
      // A whole header block and nothing else: its body follows in the next write, once the writer has seen
      // this one done (vscode-jsonrpc awaits it: a tick and a microtask later), else it goes out on its own.
      this.held = out;
      setImmediate(() => this.flushHeld());
      done();
      return;
    }
    this.out.write(out, (e) => done(e ?? null));
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flushHeld();
    done();
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = undefined;
    if (held) this.out.write(held);
  }

  private scan(bytes: Buffer): void {
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    for (;;) {
      if (this.need < 0) {
        const end = this.buffer.indexOf(CRLF2);
        if (end < 0) return;
        const length = /content-length:[ \t]*(\d+)/i.exec(
          this.buffer.subarray(0, end).toString('latin1'),
        )?.[1];
        this.bodyStart = end + CRLF2.length;
        this.need = this.bodyStart + Number(length ?? 0);
      }
      if (this.buffer.length < this.need) return;
      const id = responseId(this.buffer.subarray(this.bodyStart, this.need));
      if (id !== undefined) this.answered(id);
      this.buffer = this.buffer.subarray(this.need);
      this.need = -1;
    }
  }
}

/**
 * The id of a response body (vscode-jsonrpc writes `{"jsonrpc":"2.0","id":…,"result"|"error":…}`), read from
 * its head so a large result is not parsed again; undefined for requests and notifications.
 */
function responseId(body: Buffer): unknown {
  const head = body.subarray(0, 512).toString('utf8');
  const m = /^\{"jsonrpc":"2\.0","id":(-?\d+|"(?:[^"\\]|\\.)*"),"(?:result|error)":/.exec(head);
  if (!m?.[1]) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
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
  /**
   * TextDocument.create, with the line starts found now: TextDocument finds them on first use, which was the
   * first change's update (a scan of the whole text, unoptimised: 9-24 ms of the first keystroke in the
   * 10,000-line file, issue #11); every incremental change keeps them up to date after that.
   */
  create(uri: string, languageId: string, version: number, content: string): TextDocument {
    const doc = TextDocument.create(uri, languageId, version, content);
    doc.positionAt(0); // finds the line starts
    return doc;
  },
  update(document: TextDocument, changes: readonly unknown[], version: number): TextDocument {
    const sane = (Array.isArray(changes) ? changes : []).map(saneChange).filter((c) => c !== undefined);
    return TextDocument.update(document, sane, version);
  },
};
