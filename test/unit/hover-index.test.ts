/** Hover's per-analysis index (core/features/hover.ts): the value or key under each offset is the one a walk over every value finds. */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { displayValue, hoverIndexInSteps, locate, type Located } from '../../server/src/core/features/hover';
import { ParseCache } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import type { Span, Value } from '../../server/src/core/types';
import { generateSettings } from '../bench/generate';

const FILE = '/project/settings.py';

function analysisOf(text: string, cache?: ParseCache): Analysis {
  return analyze({
    ...(cache ? { cache, verifyFixes: false } : {}),
    project: {
      root: '/project',
      kind: 'django',
      layers: [{ path: FILE, role: 'settings' }],
      readFile: (f) => (f === FILE ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
  });
}

/** The walk hover did on every request before the index: every value of the file, the innermost span wins. */
function reference(analysis: Analysis, file: string, offset: number): Located | undefined {
  const fm = analysis.model.files.find((f) => f.path === file);
  if (!fm) return undefined;
  const inside = (s: Span | undefined): s is Span =>
    !!s && s.file === file && s.from <= offset && offset <= s.to;
  let best: Located | undefined;
  const consider = (l: Located): void => {
    if (!best || l.span.to - l.span.from < best.span.to - best.span.from) best = l;
  };
  const walk = (v: Value, path: string[], depth: number): void => {
    if (depth > 8) return;
    if (inside(v.span) && (v.kind === 'str' || v.kind === 'unknown' || v.kind === 'dict'))
      consider({ path, value: v, onKey: false, span: v.span });
    if (v.kind === 'dict') {
      for (const e of v.entries) {
        const child = [...path, e.key.kind === 'str' ? e.key.value : '?'];
        if (inside(e.keySpan)) consider({ path: child, value: e.value, onKey: true, span: e.keySpan });
        walk(e.value, child, depth + 1);
      }
    } else if (v.kind === 'list' || v.kind === 'tuple') {
      for (const i of v.items) walk(i, path, depth + 1);
    } else if (v.kind === 'oneOf') {
      for (const o of v.options) walk(o, path, depth + 1);
    }
  };
  for (const [name, b] of fm.evaluation.env) walk(b.value, [name], 0);
  return best;
}

const NESTED = `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': ['10.0.0.1:11211', '10.0.0.2:11211'],
        'OPTIONS': {'ignore_exc': True, 'nested': {'deep': {'deeper': 'x'}}},
    },
}
CACHES['sessions'] = {'BACKEND': os.environ.get('SESSION_BACKEND', 'django.core.cache.backends.locmem.LocMemCache')}
if os.environ.get('PROD'):
    DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'a'}}
else:
    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'b'}}
PAIRS = ({'a': 'b'}, ['c', {'d': 'e'}])
X = Y = 'same'
`;

/** One value in several containers, reached again at lesser and greater depths (the walk stops at 8). */
const SHARED = `A = {'k': 'v', 'n': {'deep': 'x'}}
B = [A, {'a': A}, (A, A)]
C = {'one': B, 'two': A, 'three': [B, B]}
D = {'x': {'y': {'z': {'w': {'v': {'u': C}}}}}}
E = [D, C, A]
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'OPTIONS': E}, 'again': D}
`;

describe('hover index', () => {
  for (const [name, text] of [
    ['nested dicts, lists, branches and subscript assignments', NESTED],
    ['values shared by several containers at different depths', SHARED],
    ['a generated 400-line settings file', generateSettings(400)],
  ] as const) {
    it(`finds at every offset what the full walk finds: ${name}`, () => {
      const analysis = analysisOf(text);
      let found = 0;
      for (let offset = 0; offset <= text.length; offset++) {
        const want = reference(analysis, FILE, offset);
        const got = locate(analysis, FILE, offset);
        assert.deepEqual(got, want, `offset ${offset}`);
        if (got) found++;
      }
      assert.ok(found > text.length / 4, `hover targets at ${found} offsets`);
    });
  }

  it('after edits, an analysis resumed from the last one (sharing its unchanged bindings) finds what the full walk finds', () => {
    const cache = new ParseCache();
    // Long enough for checkpoints and replay (evaluate/checkpoints.ts); every 31st offset and the edited lines.
    let text = generateSettings(2000);
    const first = analysisOf(text, cache);
    locate(first, FILE, 0);
    // Typing inside a string in the middle, a line added there and removed again: bindings before each edit are shared,
    // those after it replayed (not read yet: hover shifts the positions of the bindings they were made from).
    const at = text.indexOf("'", text.indexOf('\nFEATURE_', text.length / 2) + 1) + 1;
    const line = "\nNEW_SETTING = {'k': 'v'}\n";
    for (const [del, edit] of [
      [0, 'x'],
      [0, 'yz\n'],
      [0, line],
      [line.length, ''],
    ] as const) {
      text = text.slice(0, at) + edit + text.slice(at + del);
      const next = analysisOf(text, cache);
      // Compared as shown (a replayed value not read yet keeps its earlier spans: hover shows its content).
      const shown = (l: Located | undefined): unknown =>
        l && { span: l.span, path: l.path, onKey: l.onKey, value: displayValue(l.path, l.value) };
      const offsets = [...Array(text.length + 1).keys()].filter(
        (o) => o % 31 === 0 || Math.abs(o - at) < 200,
      );
      const got = offsets.map((offset) => shown(locate(next, FILE, offset)));
      // The full walk of a whole analysis (walking the resumed one would make its replayed names).
      const scratch = analysisOf(text);
      let found = 0;
      offsets.forEach((offset, i) => {
        const want = shown(reference(scratch, FILE, offset));
        assert.deepEqual(got[i], want, `offset ${offset} after ${JSON.stringify(edit)}`);
        if (want) found++;
      });
      assert.ok(found > offsets.length / 4, `hover targets at ${found} of ${offsets.length} offsets`);
    }
  });

  it('made in steps (paused between every two bindings), is the index hover reads', () => {
    const analysis = analysisOf(NESTED);
    const steps = hoverIndexInSteps(analysis, FILE, () => true);
    let pauses = 0;
    while (!steps.next().done) pauses++;
    assert.ok(pauses >= 5, `${pauses} pauses`);
    for (let offset = 0; offset <= NESTED.length; offset++)
      assert.deepEqual(locate(analysis, FILE, offset), reference(analysis, FILE, offset), `offset ${offset}`);
    assert.equal(hoverIndexInSteps(analysis, '/elsewhere.py', () => true).next().value, undefined);
  });

  it('left part-way and started again (a hover whose budget ran out, lsp/hover.ts), goes on and is the same index', () => {
    const analysis = analysisOf(NESTED);
    let starts = 0;
    for (;;) {
      starts++;
      let asks = 0;
      // Each start gets two bindings past its first ask, then is dropped, as a hover drops it.
      if (hoverIndexInSteps(analysis, FILE, () => ++asks > 2).next().done) break;
      assert.ok(starts < 10_000, 'no progress');
    }
    assert.ok(starts >= 3, `${starts} starts`);
    for (let offset = 0; offset <= NESTED.length; offset++)
      assert.deepEqual(locate(analysis, FILE, offset), reference(analysis, FILE, offset), `offset ${offset}`);
    // Two walks taking turns (the background's paused between two bindings, a hover's meanwhile): one index.
    const other = analysisOf(NESTED);
    const background = hoverIndexInSteps(other, FILE, () => true);
    background.next();
    background.next();
    let asks = 0;
    assert.equal(hoverIndexInSteps(other, FILE, () => ++asks > 3).next().done, false);
    while (!background.next().done);
    for (let offset = 0; offset <= NESTED.length; offset++)
      assert.deepEqual(locate(other, FILE, offset), reference(other, FILE, offset), `offset ${offset}`);
  });

  it('each analysis has its own index', () => {
    const first = analysisOf(NESTED);
    const at = NESTED.indexOf('PyMemcacheCache');
    assert.deepEqual(locate(first, FILE, at)?.path, ['CACHES', 'default', 'BACKEND']);
    const edited = NESTED.replace('PyMemcacheCache', 'PyLibMCCache');
    const second = analysisOf(edited);
    assert.equal(
      (locate(second, FILE, at)?.value as { value?: string }).value,
      'django.core.cache.backends.memcached.PyLibMCCache',
    );
    assert.equal(locate(first, FILE, at)?.value.kind, 'str');
    assert.equal(locate(first, '/elsewhere.py', at), undefined);
  });
});
