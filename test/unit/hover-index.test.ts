/** Hover's per-analysis index (core/features/hover.ts): the value or key under each offset is the one a walk over every value finds. */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import {
  displayValue,
  hoverIndexInSteps,
  locate,
  settingEventAt,
  type Located,
} from '../../server/src/core/features/hover';
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

/** Every kind of statement that makes an event, repeated past the length from which a file gets checkpoints. */
function statementKinds(copies: number): string {
  const block = (i: number): string => `import os
from os import path as p${i}
A${i} = B${i} = {'k': 'v', 'n': ${i}}
(C${i}, D${i}) = 'c', 'd'
A${i}['k'] = 'w'
A${i}[os.environ.get('X')] = 1
A${i}['n'] += 1
E${i} = 1
E${i} += 2
A${i}.update({'u': 'v'})
del B${i}
del A${i}['k']
with open('f') as F${i}: pass
def G${i}(): pass
class H${i}: pass
for L${i} in [1, 2]:
    M${i} = L${i}
if os.environ.get('Y'):
    N${i} = 'a'
else:
    N${i} = 'b'
try:
    from missing import *
except ImportError:
    O${i} = 'o'
if (W${i} := 3): pass
P${i} = 1; del P${i};Q${i} = 2;R${i} = {};R${i}['x']=1
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
`;
  return Array.from({ length: copies }, (_, i) => block(i)).join('');
}

/** The scan hover did before `settingEventAt`: the first event of the model naming a setting at `offset`. */
function scanned(analysis: Analysis, offset: number): unknown {
  const e = analysis.model.events.find(
    (ev) =>
      ev.path.length === 0 &&
      ev.kind !== 'import' &&
      ev.target.file === FILE &&
      ev.target.from <= offset &&
      offset <= ev.target.to,
  );
  return e && { name: e.name, target: e.target };
}

describe('setting name under the cursor (settingEventAt)', () => {
  const found = (analysis: Analysis, offset: number): unknown => {
    const e = settingEventAt(analysis, FILE, offset);
    return e && { name: e.name, target: e.target };
  };

  it('is the event the scan of every event finds, at every offset, in a short file and in a long one', () => {
    for (const text of [NESTED, statementKinds(1), statementKinds(60)]) {
      const analysis = analysisOf(text);
      let hits = 0;
      for (let offset = 0; offset <= text.length; offset++) {
        const want = scanned(analysis, offset);
        assert.deepEqual(found(analysis, offset), want, `offset ${offset}`);
        if (want) hits++;
      }
      assert.ok(hits > text.length / 20, `setting names at ${hits} offsets`);
    }
  });

  it('in a long file, reads the events of the statement at the cursor only (its records), not every event', () => {
    const text = statementKinds(60);
    const analysis = analysisOf(text);
    // Without the model's list of events, the records still find the name: the scan is not what answered.
    const blind = { ...analysis, model: { ...analysis.model, events: [] } } as unknown as Analysis;
    const at = text.lastIndexOf('SESSION_ENGINE') + 3;
    assert.equal(settingEventAt(blind, FILE, at)?.name, 'SESSION_ENGINE');
    // A short file has no records: the scan answers.
    assert.equal(
      settingEventAt({ ...blind, model: { ...blind.model, files: [] } } as Analysis, FILE, at),
      undefined,
    );
  });

  it('after edits, in an analysis resumed from the last one (replayed statements, shifted events), is what the scan finds', () => {
    const cache = new ParseCache();
    let text = statementKinds(60);
    analysisOf(text, cache);
    const at = text.indexOf("'v'", text.length / 2) + 1;
    for (const [del, edit] of [
      [0, 'x'],
      [0, "'\nNEW = {'k': 1}\nQ = '"],
      [0, 'yz'],
      [3, ''],
    ] as const) {
      text = text.slice(0, at) + edit + text.slice(at + del);
      const next = analysisOf(text, cache);
      for (let offset = 0; offset <= text.length; offset += offset > at - 300 && offset < at + 300 ? 1 : 7)
        assert.deepEqual(
          found(next, offset),
          scanned(next, offset),
          `offset ${offset} after ${JSON.stringify(edit)}`,
        );
      assert.ok(found(next, text.lastIndexOf('SESSION_ENGINE')));
    }
  });
});
