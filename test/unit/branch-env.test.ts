/**
 * Branches run on `BranchEnv` (evaluate/environment.ts): what an arm changes, over the namespace, merged or
 * committed name by name into the namespace itself (evaluate/control-flow.ts). They must give what branches on
 * copies of the namespace, merged over every name, give (`branchMode.copies`): the same names in the same order
 * with the same bindings, and the same events — on generated modules of undecidable and default-decided `if`s,
 * `elif`/`else`, deletes, loops, `try` around imports, nested to a few levels.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { branchMode } from '../../server/src/core/evaluate/control-flow';
import { evaluateModule } from '../../server/src/core/evaluate/evaluate';
import { parsePython } from '../../server/src/core/python/parse';

const NAMES = ['A', 'B', 'C', 'D', 'E'];

/** A statement (with its nested lines) at `indent`, `depth` levels of blocks left. */
function statement(depth: number): fc.Arbitrary<string[]> {
  const name = fc.constantFrom(...NAMES);
  const simple = fc.oneof(
    fc.tuple(name, fc.nat(3)).map(([n, v]) => [`${n} = ${v}`]),
    fc.tuple(name, name).map(([n, m]) => [`${n} = [${m}]`]),
    name.map((n) => [`del ${n}`]),
    name.map((n) => [`${n}['k'] = 1`]),
    fc.tuple(name, name).map(([n, m]) => [`${n} = ${m} if probe() else 0`]),
  );
  if (depth === 0) return simple;
  const block = fc
    .array(statement(depth - 1), { minLength: 1, maxLength: 3 })
    .map((ls) => ls.flat().map((l) => `    ${l}`));
  const cond = fc.constantFrom('probe()', 'DEBUG', 'FLAG', 'A', 'True', 'False', 'not probe()');
  return fc.oneof(
    { weight: 3, arbitrary: simple },
    {
      weight: 2,
      arbitrary: fc
        .tuple(cond, block, fc.option(fc.tuple(cond, block)), fc.option(block))
        .map(([c, b, elif, els]) => [
          `if ${c}:`,
          ...b,
          ...(elif ? [`elif ${elif[0]}:`, ...elif[1]] : []),
          ...(els ? ['else:', ...els] : []),
        ]),
    },
    { weight: 1, arbitrary: block.map((b) => ['for i in range(3):', ...b]) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(block, block)
        .map(([b, h]) => ['try:', '    import memcache', ...b, 'except ImportError:', ...h]),
    },
  );
}

const generatedModule = fc
  .array(statement(2), { minLength: 1, maxLength: 8 })
  .map((ss) =>
    [
      'import os',
      "DEBUG = os.environ.get('DEBUG', '') == 'true'",
      "FLAG = os.environ.get('FLAG')",
      'A = {}',
      'B = 1',
      'C = 2',
      ...ss.flat(),
      '',
    ].join('\n'),
  );

/**
 * Values a serialization may visit. JSON writes a value shared by several others once for each, and values
 * merged over nested branches share a lot: generated modules three blocks deep once made 313 MB of JSON (and
 * one a test run of half an hour). Two blocks deep stays far below; a module over it is discarded, not compared.
 */
const MAX_SERIALIZED_NODES = 500_000;

class TooLarge extends Error {}

/** The module's namespace, events and limit as JSON, or undefined when that visits MAX_SERIALIZED_NODES. */
function evaluated(text: string, copies: boolean): string | undefined {
  branchMode.copies = copies;
  try {
    const ev = evaluateModule(parsePython('/p/settings.py', text), {});
    let nodes = 0;
    return JSON.stringify({ env: [...ev.env], events: ev.events, limit: ev.limit }, (_key, v: unknown) => {
      if (++nodes > MAX_SERIALIZED_NODES) throw new TooLarge();
      return v;
    });
  } catch (e) {
    if (e instanceof TooLarge) return undefined;
    throw e;
  } finally {
    branchMode.copies = false;
  }
}

describe('branches on BranchEnv equal branches on copies of the namespace', () => {
  it('generated modules: the same names, order, bindings and events', () => {
    fc.assert(
      fc.property(generatedModule, (text) => {
        const onBranchEnv = evaluated(text, false);
        const onCopies = evaluated(text, true);
        fc.pre(onBranchEnv !== undefined || onCopies !== undefined);
        assert.equal(onBranchEnv, onCopies, text);
      }),
      { numRuns: 200 },
    );
  });

  it('a name an arm deletes and sets again comes last, as in a copy; one every arm deletes is gone', () => {
    const text = [
      'A = 1',
      'B = 2',
      'C = 3',
      'if probe():',
      '    del A',
      '    A = 4',
      '    del B',
      'else:',
      '    del B',
      '    D = 5',
      '',
    ].join('\n');
    const names = (copies: boolean): string[] =>
      (JSON.parse(evaluated(text, copies) ?? '') as { env: [string, unknown][] }).env.map(([n]) => n);
    assert.deepEqual(names(false), ['C', 'A', 'D']);
    assert.deepEqual(names(true), names(false));
  });
});
