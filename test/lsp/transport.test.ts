/** The server's transport on hostile framing and edits (issue #9): it answers, or exits so the editor restarts it. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StreamMessageWriter, type Message } from 'vscode-languageserver/node';
import { Writable } from 'node:stream';
import { checkBody, FramingGuard, ResponseTracker, SafeTextDocument } from '../../server/src/lsp/transport';
import { SERVER_BUNDLE } from './lsp-client';

function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { processId: null, rootUri: null, capabilities: {} },
});
const SHUTDOWN = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'shutdown' });

/** The ids of the responses (not requests) in a server's stdout, in order. */
function responseIds(stdout: string): unknown[] {
  const ids: unknown[] = [];
  for (const part of stdout.split(/Content-Length: \d+\r\n\r\n/)) {
    if (part === '') continue;
    const m = JSON.parse(part) as { id?: unknown; method?: unknown };
    if (m.id !== undefined && m.method === undefined) ids.push(m.id);
  }
  return ids;
}

/**
 * Runs the real server over stdio with `input` written at once; resolves with its exit status and output, or,
 * with `until`, as soon as its output matches (the server is then stopped and `status` is 'answered').
 */
function runServer(
  input: string,
  until?: RegExp,
): Promise<{ status: number | null | 'answered'; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (until && !answered && until.test(stdout)) {
        answered = true;
        child.kill();
        resolve({ status: 'answered', stdout, stderr });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (status) => {
      if (!answered) resolve({ status, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the server may exit before it read everything
    child.stdin.write(input);
  });
}

describe('lsp transport: framing the reader would hang on', () => {
  for (const [name, bad] of [
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}'],
    ['a header block without Content-Length', 'Content-Type: application/json\r\n\r\n{}'],
    ['a Content-Length that is not a number', 'Content-Length: ten\r\n\r\n{}'],
    ['two Content-Length headers', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    [
      'a Content-Length a few bytes too long, then the next message',
      frame(SHUTDOWN, Buffer.byteLength(SHUTDOWN) + 5) + frame(SHUTDOWN),
    ],
    ['an endless header line', 'X'.repeat(20_000)],
  ] as const) {
    it(`answers the request before ${name}, then exits with status 1`, async () => {
      const r = await runServer(frame(INIT) + bad);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /unusable message framing/);
      assert.deepEqual(responseIds(r.stdout), [1], r.stdout);
    });
  }

  it('answers every request queued before a bad frame (written in one go), then exits', async () => {
    const uri = 'file:///tmp/dsl-transport/local_settings.py';
    const open = {
      jsonrpc: '2.0',
      method: 'textDocument/didOpen',
      params: { textDocument: { uri, languageId: 'python', version: 1, text: "SESSION_ENGINE = 'x'\n" } },
    };
    const at = { textDocument: { uri }, position: { line: 0, character: 3 } };
    const input =
      frame(INIT) +
      frame(JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} })) +
      frame(JSON.stringify(open)) +
      frame(JSON.stringify({ jsonrpc: '2.0', id: 'h', method: 'textDocument/hover', params: at })) +
      frame(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'textDocument/completion', params: at })) +
      frame(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'no/suchMethod', params: {} })) +
      frame(SHUTDOWN) +
      'Content-Length: -1\r\n\r\n' +
      frame(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'shutdown' }));
    const r = await runServer(input);
    assert.deepEqual(responseIds(r.stdout).sort(), [1, 2, 3, 4, 'h'].sort(), r.stdout);
    // The shutdown request came before the bad frame: the input's end is then a normal exit.
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /unusable message framing/);
  });

  it('ends the input only once the requests passed before the bad frame are answered', async () => {
    const failures: string[] = [];
    const guard = new FramingGuard((r) => failures.push(r), 60_000);
    let ended = false;
    guard.on('end', () => (ended = true));
    guard.resume();
    guard.write(Buffer.from(frame(INIT) + frame(SHUTDOWN) + 'Content-Length: x\r\n\r\n'));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(failures.length, 1);
    assert.equal(ended, false, 'two requests are unanswered');
    guard.answered(1);
    guard.answered('2'); // a string id is another request than the number 2
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ended, false);
    guard.answered(2);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ended, true);
  });

  it('ends the input after its limit when a request passed before the bad frame is never answered', async () => {
    const guard = new FramingGuard(() => undefined, 50);
    let ended = false;
    guard.on('end', () => (ended = true));
    guard.resume();
    guard.write(Buffer.from(frame(INIT) + 'Content-Length: -5\r\n\r\n'));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(ended, false);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(ended, true);
  });

  it('the output tracker passes bytes unchanged and names each response, split anywhere', async () => {
    const written: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        written.push(chunk);
        done();
      },
    });
    const ids: unknown[] = [];
    const tracker = new ResponseTracker(sink, (id) => ids.push(id));
    const output = Buffer.from(
      frame('{"jsonrpc":"2.0","id":1,"result":{"capabilities":{}}}') +
        frame('{"jsonrpc":"2.0","method":"window/logMessage","params":{"message":"\\"id\\":7"}}') +
        frame('{"jsonrpc":"2.0","id":0,"method":"workspace/configuration","params":{}}') +
        frame('{"jsonrpc":"2.0","id":"a\\"b","error":{"code":-32601,"message":"é"}}') +
        frame('{"jsonrpc":"2.0","id":5,"result":null}'),
    );
    for (let i = 0; i < output.length; i += 5) tracker.write(output.subarray(i, i + 5));
    await new Promise<void>((resolve) => tracker.end(resolve));
    assert.equal(Buffer.concat(written).toString(), output.toString());
    assert.deepEqual(ids, [1, 'a"b', 5]);
  });

  it('writes each message of vscode-jsonrpc in one write, header and body together', async () => {
    const written: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const tracker = new ResponseTracker(sink, () => undefined);
    // The writer the server uses: it writes a header, awaits it, then writes the body.
    const writer = new StreamMessageWriter(tracker);
    const messages = [
      { jsonrpc: '2.0', id: 1, result: null },
      {
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri: 'file:///x', diagnostics: [] },
      },
    ];
    for (const m of messages) await writer.write(m as Message);
    assert.deepEqual(
      written,
      messages.map((m) => frame(JSON.stringify(m))),
    );
    // A header whose body does not follow still goes out, on the next turn of the event loop.
    tracker.write('Content-Length: 2\r\n\r\n', 'ascii');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(written.at(-1), 'Content-Length: 2\r\n\r\n');
  });

  it('passes well-framed messages, split anywhere, unchanged', () => {
    const out: Buffer[] = [];
    const failures: string[] = [];
    const guard = new FramingGuard((r) => failures.push(r));
    guard.on('data', (d: Buffer) => out.push(d));
    const input = Buffer.from(
      frame(INIT) + frame('{"jsonrpc":"2.0","method":"x","params":{"t":"é"}}') + frame(SHUTDOWN),
    );
    for (let i = 0; i < input.length; i += 7) guard.write(input.subarray(i, i + 7));
    assert.deepEqual(failures, []);
    assert.equal(Buffer.concat(out).toString(), input.toString());
  });

  it('says why a body is not a message', () => {
    assert.equal(checkBody(Buffer.from('{"a":1}')), undefined);
    assert.match(checkBody(Buffer.from('{"a":1}Content-Length: 3')) ?? '', /longer than its message/);
    assert.match(checkBody(Buffer.from('42')) ?? '', /not a JSON object/);
  });
});

describe('lsp transport: edits with null or out-of-range ranges', () => {
  const doc = (): TextDocument => TextDocument.create('file:///x.py', 'python', 1, 'A = 1\nB = 2\n');
  it('a null or missing range replaces the whole text', () => {
    assert.equal(SafeTextDocument.update(doc(), [{ range: null, text: 'C = 3\n' }], 2).getText(), 'C = 3\n');
    assert.equal(SafeTextDocument.update(doc(), [{ text: 'D\n' }], 2).getText(), 'D\n');
  });
  it('positions past the end, negative, fractional or junk are clamped', () => {
    const far = { start: { line: 99, character: 99 }, end: { line: 100, character: 0 } };
    assert.equal(SafeTextDocument.update(doc(), [{ range: far, text: 'E' }], 2).getText(), 'A = 1\nB = 2\nE');
    const junk = { start: { line: -4, character: 'x' }, end: { line: 0.7, character: Number.NaN } };
    assert.equal(
      SafeTextDocument.update(doc(), [{ range: junk, text: 'F' }], 2).getText(),
      'FA = 1\nB = 2\n',
    );
    const reversed = { start: { line: 1, character: 0 }, end: { line: 0, character: 0 } };
    assert.equal(SafeTextDocument.update(doc(), [{ range: reversed, text: '' }], 2).getText(), 'B = 2\n');
    assert.equal(SafeTextDocument.update(doc(), [null, { range: far }, 7], 3).version, 3);
  });
  it('a document is made with its line starts (not found by the first change)', () => {
    const lineStarts = (d: TextDocument): unknown =>
      (d as unknown as { _lineOffsets?: number[] })._lineOffsets;
    assert.equal(lineStarts(doc()), undefined); // TextDocument finds them on first use
    const made = SafeTextDocument.create('file:///x.py', 'python', 1, 'A = 1\nB = 2\n');
    assert.deepEqual(lineStarts(made), [0, 6, 12]);
    const edited = SafeTextDocument.update(
      made,
      [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'C = 3\n' }],
      2,
    );
    assert.equal(edited.getText(), 'A = 1\nC = 3\nB = 2\n');
    assert.deepEqual(edited.positionAt(14), { line: 2, character: 2 });
  });
  it('the server answers after such edits', async () => {
    const open = JSON.stringify({
      jsonrpc: '2.0',
      method: 'textDocument/didOpen',
      params: {
        textDocument: {
          uri: 'file:///tmp/local_settings.py',
          languageId: 'python',
          version: 1,
          text: 'A = 1\n',
        },
      },
    });
    const change = JSON.stringify({
      jsonrpc: '2.0',
      method: 'textDocument/didChange',
      params: {
        textDocument: { uri: 'file:///tmp/local_settings.py', version: 2 },
        contentChanges: [
          { range: null, text: 'B = 2\n' },
          { range: { start: null, end: { line: -1 } }, text: 'x' },
        ],
      },
    });
    const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} });
    const hover = JSON.stringify({
      jsonrpc: '2.0',
      id: 3,
      method: 'textDocument/hover',
      params: { textDocument: { uri: 'file:///tmp/local_settings.py' }, position: { line: 0, character: 0 } },
    });
    const r = await runServer(
      frame(INIT) + frame(initialized) + frame(open) + frame(change) + frame(hover),
      /"id":3,"result"/,
    );
    assert.equal(r.status, 'answered', r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /Cannot read properties/);
  });
});
