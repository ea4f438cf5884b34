/**
 * Properties over generated input (issue #9): random bytes and mutated real files never throw and cost work
 * linear in their size (the evaluator's own work counter, not a clock); generated programs of the constructs
 * the evaluator supports get the values CPython computes (python3 runs the generated program, never the
 * analyser); every fix on generated projects leaves valid Python and keeps what it did not mean to change.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DEFAULT_WORK_BUDGET, evaluateModule } from '../../server/src/core/evaluate/evaluate';
import { parsePython } from '../../server/src/core/python/parse';
import { decodeSource } from '../../server/src/core/python/source-checks';
import type { Value } from '../../server/src/core/types';
import { REPO_ROOT } from '../helpers/repo';
import { fixAll } from '../../server/src/core/fixes';
import { lint } from '../helpers/rule-harness';
import { cpythonRun } from '../helpers/python';

/** Work units the evaluator spent on `text` (its budget counter: statements, expressions, environment copies). */
function workOf(text: string): number {
  const budget = { remaining: DEFAULT_WORK_BUDGET };
  const parsed = parsePython('local_settings.py', text);
  evaluateModule(parsed, { budget, moduleCache: new Map() });
  return DEFAULT_WORK_BUDGET - budget.remaining;
}

/** Real settings files of the repository (examples and fixtures), as mutation seeds. */
function realFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.py') && out.length < 60) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  for (const d of ['examples', 'test/fixtures']) walk(path.join(REPO_ROOT, d));
  return out;
}

/** Runs Python programs in one python3 process; returns, per program, the JSON of its upper-case names. */
function cpythonValues(programs: readonly string[]): (Record<string, unknown> | null)[] {
  const driver = `
import json, sys
out = []
for src in json.load(sys.stdin):
    ns = {}
    try:
        exec(compile(src, 'settings.py', 'exec'), ns)
        out.append({k: v for k, v in ns.items() if k.isupper()})
    except Exception:
        out.append(None)
print(json.dumps(out))
`;
  return JSON.parse(cpythonRun(driver, JSON.stringify(programs))) as (Record<string, unknown> | null)[];
}

/** A known value as JSON (tuples as lists, as json.dumps does), or undefined when any part is unknown. */
function toJson(v: Value): unknown {
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'int':
    case 'float':
      return v.value;
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'list':
    case 'tuple': {
      if (v.open) return undefined;
      const items = v.items.map(toJson);
      return items.some((i) => i === undefined) ? undefined : items;
    }
    case 'dict': {
      if (v.open) return undefined;
      const out: Record<string, unknown> = {};
      for (const e of v.entries) {
        if (e.key.kind !== 'str') return undefined;
        const d = toJson(e.value);
        if (d === undefined) return undefined;
        out[e.key.value] = d;
      }
      return out;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generated programs of supported constructs.

const NAMES = ['A', 'B', 'C', 'D'];
const atom = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.constantFrom("'x'", "'redis://h:6379/0'", '"a b"', 'True', 'False', 'None', "''"),
);
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    atom,
    fc.constantFrom(...NAMES),
    fc
      .tuple(tie('e'), fc.constantFrom(' + ', ' * ', ' or ', ' and ', ' == ', ' != '), tie('e'))
      .map(([a, op, b]) => `(${a}${op}${b})`),
    fc.array(tie('e'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc
      .array(fc.tuple(fc.constantFrom("'k'", "'default'", "'LOCATION'"), tie('e')), { maxLength: 3 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, c, b]) => `(${a} if ${c} else ${b})`),
  ),
})).e;
const statement = fc.oneof(
  fc.tuple(fc.constantFrom(...NAMES), expr).map(([n, e]) => `${n} = ${e}`),
  fc
    .tuple(fc.constantFrom(...NAMES), expr, fc.constantFrom(...NAMES), expr)
    .map(([n, e, m, f]) => `${n} = ${e}; ${m} = ${f}`),
  fc
    .tuple(fc.constantFrom('True', 'False', '1', '0'), fc.constantFrom(...NAMES), expr)
    .map(([c, n, e]) => `if ${c}:\n    ${n} = ${e}`),
  fc.tuple(fc.constantFrom(...NAMES), expr).map(([n, e]) => `${n} = {'default': ${e}}\n${n}['extra'] = 1`),
);
const program = fc
  .array(statement, { minLength: 1, maxLength: 6 })
  .map((stmts) => `${NAMES.map((n) => `${n} = 0`).join('\n')}\n${stmts.join('\n')}\n`);

describe('properties: hostile bytes and mutated files', () => {
  it('random bytes never throw, and the work is linear in their size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const text = decodeSource(bytes);
        const a = lint({ 'local_settings.py': text });
        assert.ok(Array.isArray(a.findings));
        assert.ok(workOf(text) <= 20 * text.length + 100, `work ${workOf(text)} for ${text.length} chars`);
      }),
      { numRuns: 150 },
    );
  });

  it('mutated real files never throw, and the work is linear in their size', () => {
    const seeds = realFiles();
    assert.ok(seeds.length >= 5, 'the repository holds real settings files');
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      at: fc.nat(),
      cut: fc.nat({ max: 40 }),
      insert: fc.constantFrom(
        '(',
        '['.repeat(300),
        '\f',
        '\u0000',
        ';',
        "'",
        '"""',
        '\\',
        '{{ x }}',
        'if X:\n',
        'X = 1; ',
        '\udc80',
        'a.b' + '.c'.repeat(500),
      ),
      repeat: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, at, cut, insert, repeat }) => {
        const base = seeds[seed] ?? '';
        const i = at % (base.length + 1);
        const text = base.slice(0, i) + insert.repeat(repeat) + base.slice(i + cut);
        const a = lint({ 'local_settings.py': text, 'local_settings.d/_10_x.py': text });
        assert.ok(Array.isArray(a.findings));
        assert.ok(workOf(text) <= 20 * text.length + 100, `work ${workOf(text)} for ${text.length} chars`);
      }),
      { numRuns: 120 },
    );
  });

  it('work grows linearly with repetition (a quadratic path shows as a growing ratio)', () => {
    for (const unit of [
      'X = 1\n',
      'if A:\n    X = 1\n',
      "D = {'a': [1, 2, (3, 4)]}; E = D\n",
      'import os\n',
    ]) {
      const small = workOf(`A = 1\n${unit.repeat(500)}`);
      const large = workOf(`A = 1\n${unit.repeat(4000)}`);
      assert.ok(large <= 10 * small, `${JSON.stringify(unit)}: ${small} → ${large}`);
    }
  });
});

describe('properties: generated programs get the values CPython computes', () => {
  it('for assignments, semicolons, static ifs, operators, containers and subscript writes', () => {
    const programs = fc.sample(program, { numRuns: 200, seed: 9 });
    const truth = cpythonValues(programs);
    let compared = 0;
    programs.forEach((src, i) => {
      const want = truth[i];
      if (!want) return; // Python raised (e.g. 'x' * 'x'): nothing to compare
      const ev = evaluateModule(parsePython('settings.py', src), { moduleCache: new Map() });
      for (const name of NAMES) {
        const b = ev.env.get(name);
        assert.ok(b, `${name} unset in:\n${src}`);
        const got = toJson(b.value);
        if (got === undefined) continue; // unknown is never wrong
        assert.deepEqual(got, want[name], `${name} in:\n${src}`);
        compared++;
      }
    });
    assert.ok(compared > 300, `only ${compared} values compared`);
  });
});

describe('properties: fixes keep what they did not mean to change', () => {
  const BACKENDS = [
    'django.core.cache.backends.locmem.LocMemCache',
    'django.core.cache.backends.memcached.PyMemcacheCache',
    'django.core.cache.backends.redis.RedisCache',
    'django.core.cache.backends.dummy.DummyCache',
  ];
  const ENGINES = [
    'django.contrib.sessions.backends.cache',
    'django.contrib.sessions.backends.cache.SessionStore',
    'django.contrib.sessions.backends.cached_db',
    'django.contrib.sessions.backends.signed_cookies',
  ];
  const projectArb = fc.record({
    engine: fc.constantFrom(...ENGINES),
    aliases: fc.uniqueArray(fc.constantFrom('default', 'thumbnails', 'sessions', 'api'), {
      minLength: 1,
      maxLength: 3,
    }),
    backends: fc.array(fc.constantFrom(...BACKENDS), { minLength: 3, maxLength: 3 }),
    secure: fc.constantFrom('True', 'False'),
    extra: fc.constantFrom(
      '',
      "HORIZON_CONFIG = {'password_autocomplete': 'False'}\n",
      'TIME_ZONE = "UTC"\n',
    ),
  });

  /**
   * What a fix must keep, as CPython sees the settings: every setting name, and every alias of CACHES and
   * DATABASES — kept under its name, or renamed (a new alias holding the same entry: DSL102 names the only
   * cache 'default'). An alias that disappears with its entry was dropped (DSL104 replacing all of CACHES).
   */
  function dropped(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    const out = Object.keys(before)
      .filter((k) => !(k in after))
      .map((k) => `setting ${k}`);
    for (const dictName of ['CACHES', 'DATABASES']) {
      const b = (before[dictName] ?? {}) as Record<string, unknown>;
      const a = (after[dictName] ?? {}) as Record<string, unknown>;
      const added = Object.keys(a).filter((k) => !(k in b));
      for (const alias of Object.keys(b)) {
        if (alias in a) continue;
        const renamed = added.some((k) => JSON.stringify(a[k]) === JSON.stringify(b[alias]));
        if (!renamed) out.push(`${dictName}['${alias}']`);
      }
    }
    return out;
  }

  it('every fix leaves valid Python and every setting and alias it found', () => {
    const samples = fc.sample(projectArb, { numRuns: 25, seed: 8 });
    const sources: string[] = [];
    const fixedSources: string[] = [];
    for (const p of samples) {
      const caches = p.aliases
        .map(
          (a, i) =>
            `    '${a}': {'BACKEND': '${p.backends[i] ?? BACKENDS[0]}', 'LOCATION': '127.0.0.1:11211'},`,
        )
        .join('\n');
      const src = `SESSION_ENGINE = '${p.engine}'\nCACHES = {\n${caches}\n}\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'x.db'}}\nSESSION_COOKIE_SECURE = ${p.secure}\n${p.extra}`;
      sources.push(src);
      // Fix-all as --fix --unsafe-fixes does.
      const files = { 'local_settings.py': src };
      const result = fixAll(
        (overlay) => lint(files, {}, overlay),
        (file) => (file.endsWith('/local_settings.py') ? src : undefined),
        { unsafe: true },
      );
      fixedSources.push([...result.changed.values()][0] ?? src);
    }
    const before = cpythonValues(sources);
    const after = cpythonValues(fixedSources);
    sources.forEach((src, i) => {
      const b = before[i];
      const a = after[i];
      assert.ok(b, `the generated project is valid Python:\n${src}`);
      assert.ok(a, `not valid Python after the fixes:\n${fixedSources[i] ?? ''}`);
      const lost = dropped(b, a);
      assert.deepEqual(
        lost,
        [],
        `fixes dropped ${lost.join(', ')}:\n--- before\n${src}--- after\n${fixedSources[i] ?? ''}`,
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Dict updates and deletes against CPython (deletes are amortised O(1): evaluate/dict-store.ts).

/** Python source of the dict keys generated below, and their identity as Python compares them (1 == True). */
const DICT_KEYS: readonly (readonly [string, string])[] = [
  ["'a'", 's:a'],
  ["'b'", 's:b'],
  ["'c'", 's:c'],
  ["''", 's:'],
  ['0', 'n:0'],
  ['1', 'n:1'],
  ['2', 'n:2'],
  ['True', 'n:1'],
  ['False', 'n:0'],
  ['None', 'none'],
];

type DictOp =
  | { op: 'set' | 'setdefault' | 'pop-default'; key: number; value: number }
  | { op: 'del' | 'pop'; key: number }
  | { op: 'update'; pairs: [number, number][] }
  | { op: 'update-kw'; name: 'a' | 'b' | 'z'; value: number };

const dictOpArb: fc.Arbitrary<DictOp> = fc.oneof(
  fc.record({
    op: fc.constantFrom('set' as const, 'setdefault' as const, 'pop-default' as const),
    key: fc.nat(DICT_KEYS.length - 1),
    value: fc.nat(99),
  }),
  fc.record({ op: fc.constantFrom('del' as const, 'pop' as const), key: fc.nat(DICT_KEYS.length - 1) }),
  fc.record({
    op: fc.constant('update' as const),
    pairs: fc.array(fc.tuple(fc.nat(DICT_KEYS.length - 1), fc.nat(99)), { maxLength: 3 }),
  }),
  fc.record({
    op: fc.constant('update-kw' as const),
    name: fc.constantFrom('a', 'b', 'z'),
    value: fc.nat(99),
  }),
);

/**
 * A program of dict operations that CPython runs without error: `del D[k]` and `D.pop(k)` only when the key is
 * there (tracked by Python's key equality). Every statement is a plain statement (`D.pop(k)`, not `x = D.pop(k)`).
 */
function dictProgram(start: readonly [number, number][], ops: readonly DictOp[]): string {
  const present = new Set<string>();
  const lines: string[] = [];
  const lit = start.map(([k, v]) => {
    present.add((DICT_KEYS[k] as readonly [string, string])[1]);
    return `${(DICT_KEYS[k] as readonly [string, string])[0]}: ${v}`;
  });
  lines.push(`D = {${lit.join(', ')}}`);
  for (const o of ops) {
    if (o.op === 'update-kw') {
      lines.push(`D.update(${o.name}=${o.value})`);
      present.add(`s:${o.name}`);
      continue;
    }
    if (o.op === 'update') {
      lines.push(`D.update({${o.pairs.map(([k, v]) => `${DICT_KEYS[k]?.[0]}: ${v}`).join(', ')}})`);
      for (const [k] of o.pairs) present.add((DICT_KEYS[k] as readonly [string, string])[1]);
      continue;
    }
    const [src, id] = DICT_KEYS[o.key] as readonly [string, string];
    if (o.op === 'set') lines.push(`D[${src}] = ${o.value}`);
    else if (o.op === 'setdefault') lines.push(`D.setdefault(${src}, ${o.value})`);
    else if (o.op === 'pop-default') lines.push(`D.pop(${src}, ${o.value})`);
    else if (present.has(id)) lines.push(o.op === 'del' ? `del D[${src}]` : `D.pop(${src})`);
    if (o.op === 'set' || o.op === 'setdefault') present.add(id);
    else if (o.op !== 'pop-default' || present.has(id)) present.delete(id);
  }
  lines.push('ITEMS = [[k, v] for k, v in D.items()]');
  return lines.join('\n') + '\n';
}

describe('properties: dict updates and deletes give the dict CPython builds', () => {
  it('random sequences of set / del / pop / update / setdefault, in order and with re-inserted keys', () => {
    const programs = fc.sample(
      fc
        .tuple(
          fc.array(fc.tuple(fc.nat(DICT_KEYS.length - 1), fc.nat(99)), { maxLength: 5 }),
          fc.array(dictOpArb, { minLength: 1, maxLength: 40 }),
        )
        .map(([start, ops]) => dictProgram(start, ops)),
      { numRuns: 300, seed: 11 },
    );
    const truth = cpythonValues(programs);
    let compared = 0;
    let deletes = 0;
    programs.forEach((src, i) => {
      const want = truth[i];
      assert.ok(want, `CPython refused:\n${src}`);
      const ev = evaluateModule(parsePython('settings.py', src), { moduleCache: new Map() });
      const d = ev.env.get('D')?.value;
      assert.equal(d?.kind, 'dict', src);
      if (d?.kind !== 'dict') return;
      const got = d.entries.map((e) => [toJson(e.key), toJson(e.value)]);
      assert.deepEqual(got, want['ITEMS'], `D in:\n${src}`);
      compared++;
      if (/^(del D|D\.pop)/m.test(src)) deletes++;
    });
    assert.equal(compared, programs.length);
    assert.ok(deletes > 150, `only ${deletes} programs delete`);
  });
});
