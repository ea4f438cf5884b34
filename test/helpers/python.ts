/**
 * CPython for the tests, asked synchronously: one python3 process per test process answers every question
 * (does `ast.parse` accept this text; what does this test program print), instead of one launch per question
 * (a launch costs ~0.1 s of CPU, several hundred per `npm run test:unit`). A worker thread owns the process;
 * the test thread blocks on a shared flag until the answer is posted (Atomics.wait + receiveMessageOnPort),
 * so a failing check still fails the test that made it, where it made it.
 * The programs run here are the tests' own generated data, never a user's settings.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** The server: one JSON request a line in, one JSON answer a line out. */
const SERVER = String.raw`
import ast, base64, contextlib, io, json, sys, traceback
answers = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    source = base64.b64decode(request['source'])
    if request['op'] == 'parse-file':
        try:
            # A file as open(path, encoding='utf-8').read() gives it (universal newlines, strict UTF-8).
            with open(source.decode('utf-8'), encoding='utf-8') as f:
                ast.parse(f.read())
            answer = {'ok': True, 'error': ''}
        except BaseException:
            answer = {'ok': False, 'error': traceback.format_exc(limit=0)}
    elif request['op'] == 'parse':
        try:
            # Bytes as a file holds them (coding cookie, BOM), or text as sys.stdin.read() decodes it.
            ast.parse(source if request['bytes'] else source.decode('utf-8'))
            answer = {'ok': True, 'error': ''}
        except BaseException:
            answer = {'ok': False, 'error': traceback.format_exc(limit=0)}
    else:
        out, err = io.StringIO(), io.StringIO()
        status = 0
        sys.stdin = io.StringIO(base64.b64decode(request['input']).decode('utf-8'))
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                exec(compile(source.decode('utf-8'), '<test program>', 'exec'), {'__name__': '__main__'})
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            err.write(traceback.format_exc())
            status = 1
        finally:
            sys.stdin = sys.__stdin__
        answer = {'ok': status == 0, 'status': status, 'stdout': out.getvalue(), 'error': err.getvalue()}
    answers.write(json.dumps(answer) + '\n')
    answers.flush()
`;

/** The worker (plain JS, run with eval): spawns the server, forwards requests, posts answers and wakes the test thread. */
const WORKER = String.raw`
const { spawn } = require('node:child_process');
const { workerData } = require('node:worker_threads');
const { port, flag, python, server } = workerData;
let child;
let buffered = '';
let pending = false;
function answer(message) {
  if (!pending) return;
  pending = false;
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
function start() {
  const proc = spawn(python, ['-u', '-c', server], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = proc;
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  proc.stdin.on('error', () => {}); // the exit event reports a dead interpreter
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (d) => {
    buffered += d;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      answer(JSON.parse(line));
    }
  });
  const gone = (message) => {
    if (child === proc) child = undefined;
    buffered = '';
    answer(message);
  };
  // No interpreter at all: the question cannot be answered. A crash (a segfault on hostile input) answers
  // the question that caused it, as a failed launch per question did: not ok, with the reason.
  proc.on('error', (e) => gone({ failed: python + ' is needed: ' + e.message }));
  proc.on('exit', (code, signal) =>
    gone({ ok: false, status: code ?? 1, error: python + ' exited (' + (signal ?? code) + ')' + (stderr ? ': ' + stderr : '') }),
  );
}
// A fault here must still answer, or the test thread would wait for the timeout.
process.on('uncaughtException', (e) => {
  pending = true;
  answer({ failed: 'the python3 helper failed: ' + (e && e.stack ? e.stack : String(e)) });
});
port.on('message', (request) => {
  if (!child) start();
  pending = true;
  child.stdin.write(JSON.stringify(request) + '\n');
});
`;

interface Answer {
  readonly ok: boolean;
  readonly error: string;
  readonly status?: number;
  readonly stdout?: string;
  readonly failed?: string;
}

/** How long one answer may take: generous, as a hung interpreter must still end the test run. */
const ANSWER_TIMEOUT_MS = 120_000;

let channel: { port: MessagePort; flag: Int32Array } | undefined;

function ask(request: Record<string, unknown>): Answer {
  if (channel === undefined) {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { port: port2, flag, python: process.env.PYTHON ?? 'python3', server: SERVER },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    channel = { port: port1, flag };
  }
  const { port, flag } = channel;
  while (receiveMessageOnPort(port) !== undefined); // nothing stale: one question, one answer
  Atomics.store(flag, 0, 0);
  port.postMessage(request);
  if (Atomics.wait(flag, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out')
    throw new Error(`python3 gave no answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
  const received = receiveMessageOnPort(port);
  if (received === undefined) throw new Error('python3 answer lost');
  const answer = received.message as Answer;
  if (answer.failed !== undefined) throw new Error(answer.failed);
  return answer;
}

const base64 = (data: string | Buffer): string =>
  (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64');

/**
 * Whether CPython's `ast.parse` accepts the text: a string as `ast.parse(sys.stdin.read())` sees it, a Buffer
 * as the bytes of a file (its coding cookie decides). `error` is Python's one-line reason when not.
 */
export function cpythonParse(source: string | Buffer): { ok: boolean; error: string } {
  const { ok, error } = ask({ op: 'parse', source: base64(source), bytes: typeof source !== 'string' });
  return { ok, error };
}

/** Whether CPython's `ast.parse` accepts the file at `file` as `open(file, encoding='utf-8').read()` reads it. */
export function cpythonParseFile(file: string): { ok: boolean; error: string } {
  const { ok, error } = ask({ op: 'parse-file', source: base64(file) });
  return { ok, error };
}

/** Runs a test program as `python3 -c program` with `input` on stdin would; its stdout, or throws with its stderr. */
export function cpythonRun(program: string, input = ''): string {
  const a = ask({ op: 'run', source: base64(program), input: base64(input) });
  if (!a.ok) throw new Error(`python3 exited with ${a.status ?? '?'}:\n${a.error}`);
  return a.stdout ?? '';
}
