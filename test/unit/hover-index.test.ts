/** Hover's per-analysis index (core/features/hover.ts): the value or key under each offset is the one a walk over every value finds. */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { locate, type Located } from '../../server/src/core/features/hover';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import type { Span, Value } from '../../server/src/core/types';
import { generateSettings } from '../bench/generate';

const FILE = '/project/settings.py';

function analysisOf(text: string): Analysis {
  return analyze({
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

describe('hover index', () => {
  for (const [name, text] of [
    ['nested dicts, lists, branches and subscript assignments', NESTED],
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
