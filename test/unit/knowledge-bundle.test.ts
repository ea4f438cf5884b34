/** The bundles skip knowledge-table validation at start (esbuild.mjs): this proves that is lossless and that no knowledge module reads a schema as data at run time. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import * as knowledge from '../../server/src/core/knowledge';
import { REPO_ROOT } from '../helpers/repo';

interface EsbuildConfig {
  readonly common: esbuild.BuildOptions;
}

/** Exports that are zod schemas (validated under tsc; inert in the bundle) or functions. */
function isData(name: string, value: unknown): boolean {
  return !/Schema$/.test(name) && typeof value !== 'function' && name !== 'SEVERITY_OVERRIDE';
}

describe('knowledge tables in the bundles', () => {
  let dir: string;
  let bundled: Record<string, unknown>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-knowledge-bundle-'));
    const config = (await import(path.join(REPO_ROOT, 'esbuild.mjs'))) as EsbuildConfig;
    const outfile = path.join(dir, 'knowledge.js');
    const result = await esbuild.build({
      ...config.common,
      sourcemap: false,
      entryPoints: [path.join(REPO_ROOT, 'server', 'src', 'core', 'knowledge', 'index.ts')],
      outfile,
      metafile: true,
    });
    assert.ok(
      !Object.keys(result.metafile.inputs).some((f) => /node_modules[\\/]zod[\\/]/.test(f)),
      'the knowledge bundle loads no zod at all',
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bundled = require(outfile) as Record<string, unknown>;
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('every table is the same with and without load-time validation (validation changes nothing)', () => {
    const names = Object.keys(knowledge).filter((n) => isData(n, (knowledge as Record<string, unknown>)[n]));
    assert.ok(names.length > 20, `only ${names.length} data exports`);
    for (const name of names)
      assert.deepEqual(
        bundled[name],
        (knowledge as Record<string, unknown>)[name],
        `${name} differs in the bundle`,
      );
  });

  it('the lookups answer the same in the bundle', () => {
    type Lookup = (s: string) => unknown;
    for (const [fn, arg] of [
      ['findCacheBackend', 'django.core.cache.backends.locmem.LocMemCache'],
      ['findSessionEngine', 'django.contrib.sessions.backends.cache'],
      ['findDatabaseEngine', 'django.db.backends.mysql'],
    ] as const) {
      const here = (knowledge as unknown as Record<string, Lookup>)[fn];
      const there = bundled[fn] as Lookup | undefined;
      assert.ok(here && there, fn);
      assert.ok(here(arg) !== undefined, `${fn}(${arg})`);
      assert.deepEqual(there(arg), here(arg), fn);
    }
  });

  it('a schema read as data in a bundle fails loudly instead of yielding a stand-in', () => {
    const schema = bundled['CacheBackendSchema'] as { safeParse(x: unknown): unknown };
    assert.throws(() => [...(schema as unknown as Iterable<unknown>)], /knowledge schema used at run time/);
  });
});
