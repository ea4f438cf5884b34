/**
 * Loads a CommonJS bundle through V8's code cache, so a run after the first skips parsing and compiling it
 * (the CLI starts on every commit under pre-commit; the language server's parse of its bundle leaves ~5 MB of
 * freed compiler memory resident in the C heap, issue #11). Node ≥ 22.1 has this built in (`module.enableCompileCache`,
 * used when present); for older Node this does the same with `vm.Script` cached data, kept per user under
 * `$XDG_CACHE_HOME/django-session-lint` (never a shared temp directory: cached data is code). Any problem
 * (unwritable cache, rejected data) only costs speed: the bundle is then compiled as usual.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

type ModuleWithInternals = typeof nodeModule & {
  enableCompileCache?: () => unknown;
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
};
const Module = nodeModule as ModuleWithInternals;

/** Turns on Node's own compile cache (Node ≥ 22.1); false when this Node has none or it is disabled. */
export function enableNodeCompileCache(env: NodeJS.ProcessEnv = process.env): boolean {
  if (typeof Module.enableCompileCache !== 'function' || env['NODE_DISABLE_COMPILE_CACHE']) return false;
  try {
    Module.enableCompileCache();
    return true;
  } catch {
    return false;
  }
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'django-session-lint', `v8-${process.version}-${process.arch}`);
}

function readOwnFile(file: string): Buffer | undefined {
  try {
    const st = fs.statSync(file);
    // Only data this user wrote: cached data runs as code.
    if (!st.isFile() || (process.getuid && st.uid !== process.getuid())) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, data: Buffer, stalePrefix: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Data for earlier builds of the same bundle at the same path is of no more use.
  for (const name of fs.readdirSync(dir))
    if (name.startsWith(stalePrefix) && name !== path.basename(file))
      fs.rmSync(path.join(dir, name), { force: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * When the cached data is made: at exit it also holds the functions the run compiled lazily (most of a short CLI
 * run); right after compiling it holds the bundle's top level only, and is made before the code runs, so V8
 * flags the code sets later (lsp/heap.ts) do not change the flag hash V8 checks the data against (a long-running
 * server would otherwise have its data rejected and rewritten at every exit).
 */
export type CodeCacheWhen = 'exit' | 'compiled';

/** `require(file)`, but through a V8 code cache when Node has no compile cache of its own. */
export function requireWithCodeCache(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  when: CodeCacheWhen = 'exit',
): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (enableNodeCompileCache(env) || env['NODE_DISABLE_COMPILE_CACHE']) return require(file);
  let source: string;
  let stat: fs.Stats;
  try {
    source = fs.readFileSync(file, 'utf8');
    stat = fs.statSync(file);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file);
  }
  // One entry per installed copy (its path), so copies of different versions do not evict each other, and per
  // set of node flags: V8 rejects data made under other flags, so two ways of starting the same bundle (an
  // editor's, a profiler's or the heap probe's `--expose-gc`) would otherwise reject and rewrite each other's.
  const where = crypto
    .createHash('sha256')
    .update([file, ...process.execArgv].join('\0'))
    .digest('hex')
    .slice(0, 12);
  const prefix = `${path.basename(file, '.js')}-${where}-`;
  const cacheFile = path.join(cacheDir(env), `${prefix}${stat.size}-${Math.floor(stat.mtimeMs)}.bin`);
  const cached = readOwnFile(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached });
  const stale = cached === undefined || script.cachedDataRejected === true;
  if (stale && when === 'compiled') saveCodeCache(cacheFile, script, prefix);
  const mod = new nodeModule.Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, nodeModule.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  if (stale && when === 'exit') process.once('exit', () => saveCodeCache(cacheFile, script, prefix));
  return mod.exports;
}

function saveCodeCache(cacheFile: string, script: vm.Script, prefix: string): void {
  try {
    writeAtomically(cacheFile, script.createCachedData(), prefix);
  } catch {
    // no cache: slower next time, nothing else
  }
}
