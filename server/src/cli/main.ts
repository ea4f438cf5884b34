/** Entry point of the command-line tool (bundled to dist/cli.js): wires process streams to run() and turns any internal error into one line and exit code 2; no logic of its own. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as V8 from 'node:v8';
import { requireWithCodeCache } from '../node/code-cache';
import type * as RunModule from './run';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';

// The run (arguments, discovery, the analyser) is the separate bundle dist/cli-run.js, loaded only when needed
// (`--version` answers from this small file) and through a code cache (node/code-cache.ts).
const EXIT_ERROR = 2;

/**
 * A CLI run is over before most of its code is hot: what costs it is V8's optimising compiler, which inlines
 * callees into the functions it optimises and builds their graphs on worker threads that, on two cores, take
 * turns with the main thread. Without inlining, the analysis of the 10,000-line benchmark file in a fresh
 * process spends ~30% less CPU (all threads) in its parse and evaluation, and its main thread no more (issue
 * #11). Set before the run's bundle is compiled (its code cache is checked against V8's flags); the editor's
 * server, which runs long enough for inlining to pay, does not set it.
 */
function tuneV8(): void {
  // Required here, not imported at the top: `--version` does not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof V8).setFlagsFromString('--no-turbo-inlining');
}

function loadRun(): typeof RunModule {
  tuneV8();
  const bundle = path.join(__dirname, 'cli-run.js');
  // Under tsc (out/, the tests) there is no separate bundle: a plain require of the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!fs.existsSync(bundle)) return require('./run') as typeof RunModule;
  return requireWithCodeCache(bundle) as typeof RunModule;
}

/** All of standard input as UTF-8 (the path `-`, for editors that lint unsaved buffers). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`);
    return;
  }
  const debug = argv.includes('--debug');
  // `django-session-lint … | head` closes stdout early; that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  try {
    const { run } = loadRun();
    process.exitCode = await run(argv, {
      stdout: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
      cwd: process.cwd(),
      isTTY: process.stdout.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
      env: process.env,
      readStdin,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      `${TOOL_NAME}: error: internal error: ${message.split('\n')[0]}${debug ? '' : ' (run with --debug for the stack trace)'}\n`,
    );
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = EXIT_ERROR;
  }
}

void main();
