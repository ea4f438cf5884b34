/** Property test for incremental parsing (the language server's ParseCache hands the previous parse to parsePython): after any edit, the tree, syntax error and template flag equal a full parse's, broken text included. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tree } from '@lezer/common';
import { ParseCache } from '../../server/src/core/layers/project';
import { parsePython } from '../../server/src/core/python/parse';

/** Every node as `name from-to`, in document order: equal lists mean equal trees. */
function shape(tree: Tree): string[] {
  const out: string[] = [];
  tree.iterate({ enter: (n) => void out.push(`${n.name} ${n.from}-${n.to}`) });
  return out;
}

const SEED = `import os
DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': os.environ.get('MEMCACHED', '127.0.0.1:11211'),
    },
}
if DEBUG:
    CACHES['default']['BACKEND'] = 'django.core.cache.backends.locmem.LocMemCache'

try:
    from .local import *
except ImportError:
    pass
NOTE = """multi
line"""
${Array.from({ length: 150 }, (_, i) => `# setting ${i}\nSETTING_${i} = {'name': 'value-${i}', 'items': [${i}, ${i + 1}]}`).join('\n')}
`;

/** Pieces users type: code, brackets and quotes that open or close constructs, indentation, template tags. */
const PIECE = fc.constantFrom(
  'x',
  ' ',
  '\n',
  '    ',
  "'",
  '"',
  '"""',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ':',
  '#',
  '=',
  'if DEBUG:\n    ',
  '{{ var }}',
  '\\',
  'CACHES = {}',
  ',',
  '('.repeat(210),
);

const EDIT = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.array(PIECE, { maxLength: 4 }).map((p) => p.join('')),
});

type Edit = typeof EDIT extends fc.Arbitrary<infer T> ? T : never;

/** Applies the edits one after another; after each, the incremental parse equals a full parse of that text. */
function assertMatchesFullParse(seed: string, edits: readonly Edit[]): void {
  const cache = new ParseCache();
  let text = seed;
  cache.get('/p/settings.py', text);
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
    const incremental = cache.get('/p/settings.py', text);
    const full = parsePython('/p/settings.py', text);
    const where = `after ${JSON.stringify(e)}`;
    assert.deepEqual(shape(incremental.tree), shape(full.tree), where);
    assert.deepEqual(incremental.syntaxError, full.syntaxError, where);
    assert.equal(incremental.syntaxErrorReason, full.syntaxErrorReason, where);
    assert.equal(incremental.template, full.template, where);
    assert.equal(incremental.source, full.source, where);
    assert.deepEqual(incremental.limit, full.limit, where);
  }
}

describe('incremental parsing', () => {
  it('gives the same result as a full parse after every edit', function () {
    this.timeout(120_000); // 150 runs of up to 8 edits, two parses each: CPU-bound, slow on a shared machine
    fc.assert(
      fc.property(fc.array(EDIT, { minLength: 1, maxLength: 8 }), (edits) =>
        assertMatchesFullParse(SEED, edits),
      ),
      { numRuns: 150 },
    );
  });
  it('gives the same result as a full parse after every edit of a file of many segments', function () {
    this.timeout(120_000);
    const long = SEED.repeat(4); // ~1,300 lines: seven segments, most of them unchanged by an edit
    fc.assert(
      fc.property(fc.array(EDIT, { minLength: 1, maxLength: 5 }), (edits) =>
        assertMatchesFullParse(long, edits),
      ),
      { numRuns: 30 },
    );
  });
});
