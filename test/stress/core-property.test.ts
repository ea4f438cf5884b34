/** Property tests: the core never throws and stays well-formed on any text (generated and mutated files). */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lint } from '../helpers/rule-harness';
import { parsePython } from '../../server/src/core/python/parse';
import { evaluateModule } from '../../server/src/core/evaluate/evaluate';

const SEEDS = [
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {\n  'default' : {\n    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'\n  }\n}\n",
  'CACHES = {\n    "default": {\n        "BACKEND": "redis_cache.cache.RedisCache",\n        "LOCATION": "127.0.0.1:6379:1",\n        "OPTIONS": {\n            "CLIENT_CLASS": "redis_cache.client.DefaultClient",\n        }\n    }\n}\n',
  "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n        'NAME': 'dash',\n        'USER': 'dash',\n        'PASSWORD': 'DASH_DBPASS',\n        'HOST': 'localhost',\n        'default-character-set': 'utf8'\n    }\n}\n",
  "import os\nDEBUG = os.environ.get('DEBUG', 'False') == 'True'\nif DEBUG:\n    SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\nelse:\n    SESSION_ENGINE = f\"django.contrib.sessions.backends.{os.getenv('E', 'cache')}\"\ntry:\n    from .local import *\nexcept ImportError:\n    pass\nCACHES['default']['LOCATION'] += ';x'\n",
];

const TOKENS = [
  'CACHES',
  'SESSION_ENGINE',
  ' = ',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ':',
  ',',
  "'default'",
  "'BACKEND'",
  '"x"',
  'f"{a}"',
  '\n',
  '    ',
  'if ',
  'else',
  'try',
  'except ImportError',
  'from . import *',
  'import os',
  'os.environ.get("X", "d")',
  '**',
  '+',
  '%',
  '.update(',
  'del ',
  '#',
  '\\',
  '"""',
  "'",
  '{{ x }}',
  '{% if %}',
  '<%= y %>',
  'lambda',
  'for x in y',
  'with a as b',
  '1',
  '1.5e3',
  '0x',
  'None',
  'True',
];

function mutate(text: string, ops: { at: number; del: number; ins: string }[]): string {
  let t = text;
  for (const op of ops) {
    const at = Math.min(op.at, t.length);
    t = t.slice(0, at) + op.ins + t.slice(at + op.del);
  }
  return t;
}

function checkWellFormed(text: string, snippet = "CACHES['default']['TIMEOUT'] = 1\n"): void {
  const a = lint(
    { 'local_settings.py': text, 'local_settings.d/_0006.py': snippet },
    { horizonRelease: '2024.2' },
  );
  for (const f of a.findings) {
    const len = f.span.file.endsWith('local_settings.py')
      ? text.length
      : f.span.file.endsWith('_0006.py')
        ? snippet.length
        : Infinity;
    assert.ok(
      f.span.from >= 0 && f.span.from <= f.span.to && f.span.to <= len,
      `span out of bounds for ${f.code}`,
    );
    assert.match(f.code, /^DSL\d{3}$/);
    assert.ok(f.message.length > 0);
    for (const e of f.fix?.edits ?? []) assert.ok(e.from <= e.to);
  }
}

describe('core properties', () => {
  it('never throws on arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => checkWellFormed(s)),
      { numRuns: 150 },
    );
  });
  it('never throws on token soup that looks like settings', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }), (toks) =>
        checkWellFormed(toks.join(''), toks.reverse().join('')),
      ),
      { numRuns: 200 },
    );
  });
  it('never throws on mutated real settings files', () => {
    const op = fc.record({
      at: fc.nat(600),
      del: fc.nat(8),
      ins: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(op, { maxLength: 6 }), (seed, ops) =>
        checkWellFormed(mutate(seed, ops)),
      ),
      { numRuns: 300 },
    );
  });
  it('terminates on pathological nesting and long files, reporting the limit', () => {
    const deep = 'X = ' + '('.repeat(5000) + ')'.repeat(5000) + '\n';
    const ifs =
      Array.from({ length: 80 }, (_, i) => ' '.repeat(i * 2) + 'if a:\n').join('') +
      ' '.repeat(160) +
      'Y = 1\n';
    for (const text of [deep, ifs, 'A = 1\n'.repeat(50_000)]) {
      const parsed = parsePython('x.py', text);
      const ev = evaluateModule(parsed);
      assert.ok(ev.env instanceof Map);
    }
    const ev = evaluateModule(parsePython('x.py', deep));
    assert.match(ev.limit?.reason ?? '', /nested deeper/);
  });
});
