/**
 * The masker's walk of an analysis (`Redactor.addAnalysis`: values remembered, dicts made by `dictSet`/`dictDelete`
 * read as versions of one store) finds exactly the secrets a plain recursive walk of every value finds.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Analysis } from '../../server/src/core/analyze';
import { dictDelete, dictSet, str, unknown } from '../../server/src/core/evaluate/values';
import {
  isSecretName,
  mayBeSecretName,
  Redactor,
  schemelessPasswords,
  urlPasswords,
} from '../../server/src/core/secrets';
import { isPlaceholder } from '../../server/src/core/knowledge';
import type { Binding } from '../../server/src/core/evaluate/model';
import type { DictValue, Value } from '../../server/src/core/types';

const SECRET_ENV_VAR = /passw(?:or)?d|passwd|secret|token|api_?key|credential/i;

/** Every secret under `v`, walked without memory or shortcuts (values here are trees, so this stays small). */
function reference(v: Value, secret: boolean, out: Set<string>): void {
  switch (v.kind) {
    case 'str':
      if (secret) out.add(v.value);
      for (const s of [...urlPasswords(v.value), ...schemelessPasswords(v.value)]) out.add(s);
      return;
    case 'unknown':
      if (v.default)
        reference(v.default, secret || (v.envVar !== undefined && SECRET_ENV_VAR.test(v.envVar)), out);
      for (const part of v.parts ?? []) if (part !== null) for (const s of urlPasswords(part)) out.add(s);
      return;
    case 'oneOf':
      for (const o of v.options) reference(o, secret, out);
      return;
    case 'list':
    case 'tuple':
      for (const item of v.items) reference(item, secret, out);
      return;
    case 'dict':
      for (const e of v.entries)
        reference(e.value, secret || (e.key.kind === 'str' && isSecretName(e.key.value)), out);
      return;
    default:
      return;
  }
}

const word = fc.constantFrom(
  'app',
  'x',
  'hunter22',
  's3cr3t-value',
  'PASSWORD',
  'password',
  'name',
  'TOKEN',
  '',
);
const text = fc.oneof(
  word,
  fc.tuple(word, word).map(([u, p]) => `redis://${u}:${p}@cache.internal:6379/0`),
  fc.tuple(word, word).map(([u, p]) => `${u}:${p}@host:11211`),
  fc.string({ maxLength: 6 }),
);
const key = fc.constantFrom('PASSWORD', 'password', 'NAME', 'HOST', 'api_key', 'secret', 'LOCATION', 'k');

/** Values as the evaluator makes them, dicts through `dictSet`/`dictDelete` (versions sharing one store). */
const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text.map((s) => str(s)),
    fc.constantFrom<Value>({ kind: 'int', value: 3 }, { kind: 'bool', value: true }, { kind: 'none' }),
    fc.array(tie('v'), { maxLength: 20 }).map((items): Value => ({ kind: 'list', items })),
    fc.array(tie('v'), { maxLength: 4 }).map((items): Value => ({ kind: 'tuple', items })),
    fc.array(fc.tuple(key, tie('v'), fc.boolean()), { maxLength: 20 }).map((ops): Value => {
      let d: DictValue = { kind: 'dict', entries: [] };
      for (const [k, v, del] of ops) d = del ? dictDelete(d, str(k)) : dictSet(d, str(k), v);
      return d;
    }),
    fc
      .tuple(fc.constantFrom('DB_PASSWORD', 'HOST', 'API_TOKEN'), tie('v'))
      .map(([envVar, d]): Value =>
        unknown(`environment variable ${envVar}`, undefined, { envVar, default: d }),
      ),
    // Nothing under it (a call's result), or the literal parts of an f-string.
    fc.constant<Value>(unknown('call to f()')),
    fc
      .array(fc.option(text, { nil: null }), { maxLength: 3 })
      .map((parts): Value => unknown('f-string', undefined, { parts })),
    fc
      .array(tie('v'), { minLength: 1, maxLength: 3 })
      .map((options): Value => ({ kind: 'oneOf', options, condition: 'c' })),
  ),
})).v;

const SPAN = { file: 'settings.py', from: 0, to: 0 };

function analysisOf(env: Map<string, Binding>): Analysis {
  return { model: { files: [], env } } as unknown as Analysis;
}

describe('Redactor walk', () => {
  it('finds the secrets a plain walk of every value finds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('SECRET_KEY', 'CACHES', 'DB', 'X', 'API_TOKEN', 'Db_Passwd'), value),
          {
            maxLength: 6,
          },
        ),
        (names) => {
          const env = new Map<string, Binding>();
          for (const [name, v] of names)
            env.set(name, { value: v, origin: { kind: 'file', span: SPAN } } as Binding);
          const expected = new Set<string>();
          for (const [name, b] of env) reference(b.value, isSecretName(name), expected);
          const r = new Redactor();
          r.addAnalysis(analysisOf(env));
          const want = [...expected].filter((s) => s.trim() !== '' && !isPlaceholder(s)).sort();
          assert.deepEqual([...r.known].sort(), want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('passes over a name only when isSecretName says no (mayBeSecretName)', () => {
    const words = ['password', 'passwd', 'pwd', 'pass', 'secret', 'secret_key', 'secret_key_fallbacks'];
    const more = ['secret_access_key', 'api_key', 'token', 'auth_token', 'credential', 'credentials'];
    const randomCase = (s: string, flips: readonly boolean[]): string =>
      [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c)).join('');
    const name = fc.oneof(
      fc
        .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('', '_', '-'), fc.constantFrom(...words, ...more))
        .chain(([prefix, sep, w]) =>
          fc.array(fc.boolean(), { maxLength: 8 }).map((flips) => randomCase(prefix + sep + w, flips)),
        ),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        'PASSWORD_AUTOCOMPLETE',
        'FEATURE_1_ENABLED',
        'x',
        '',
        'DB_PASSWORD',
        'EMAIL_HOST_PASSWORD',
      ),
    );
    fc.assert(
      fc.property(name, (n) => {
        if (isSecretName(n)) assert.ok(mayBeSecretName(n), n);
      }),
      { numRuns: 2000 },
    );
    for (const w of [...words, ...more]) assert.ok(mayBeSecretName(`X_${w.toUpperCase()}`), w);
    assert.ok(!mayBeSecretName('FEATURE_1_ENABLED') && !mayBeSecretName('x'));
  });

  it('finds the secrets of lists shared many times, each once', () => {
    const small: Value = { kind: 'list', items: [str('redis://:pw1@h')] };
    const large: Value = {
      kind: 'list',
      items: Array.from({ length: 100 }, (_, i) => str(`redis://:pw${i}@h`)),
    };
    const many: Value = {
      kind: 'list',
      items: Array.from({ length: 1000 }, (_, i) => (i % 2 ? small : large)),
    };
    const r = new Redactor();
    r.addAnalysis(
      analysisOf(new Map([['X', { value: many, origin: { kind: 'file', span: SPAN } } as Binding]])),
    );
    assert.equal(r.known.length, 100);
    assert.ok(r.known.includes('pw1') && r.known.includes('pw99'));
  });
});
