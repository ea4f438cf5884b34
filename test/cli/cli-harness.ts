/** Test harness for the CLI: temp projects under os.tmpdir() and spawning the built bundle (dist/cli.js); never touches the repository's files. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cpythonParseFile } from '../helpers/python';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails loudly (never skips) when the bundle has not been built. */
export function assertBundle(): void {
  if (!fs.existsSync(CLI_BUNDLE))
    throw new Error(`${CLI_BUNDLE} is missing: run \`npm run build\` first (npm test does)`);
}

/** Runs `node dist/cli.js …args` in `cwd` with a clean colour environment. */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base['NO_COLOR'];
  delete base['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...base, ...env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory holding `files` (path → text); returns its real path. */
export function makeProject(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-cli-')));
  // A .git marker stops the search for requirements files at the temp project, whatever /tmp holds.
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The temporary projects of one suite (call it inside `describe`): each one the returned function makes is removed after the suite. */
export function suiteProjects(): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  after(() => dirs.splice(0).forEach(removeProject));
  return (files) => {
    const dir = makeProject(files);
    dirs.push(dir);
    return dir;
  };
}

/** The seeded DSL104 case: cache sessions over LocMemCache. */
export const LOCMEM_SETTINGS = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
`;

/** A shared cache for the sessions, so fixing the engine adds no other problem (fixes are verified). */
export const SHARED_CACHES = `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'memcached.internal:11211', 'OPTIONS': {'ignore_exc': True}}}
`;

/** The seeded DSL101 case: a class path where the module is meant (safe fix). */
export const CLASS_PATH_ENGINE = `${SHARED_CACHES}SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'
`;

/** Parses Python with the real interpreter: the fixed file must still be valid Python. */
export function pythonParses(file: string): { ok: boolean; message: string } {
  const r = cpythonParseFile(file);
  return { ok: r.ok, message: r.error };
}
