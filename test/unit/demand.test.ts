/**
 * Demand-driven evaluation (core/evaluate/demand.ts, `AnalyzeRequest.demand`, the CLI's check) shows what the
 * whole evaluation shows: on generated modules whose statements pass values between names, build secrets from
 * parts, read the namespace by name, mutate through calls and branch, the findings (with their verified fixes),
 * the CLI's presented diagnostics and effective settings, and every secret the masker learns are the same as
 * with every statement evaluated; and statements nothing reads are left out.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { demandPlan } from '../../server/src/core/evaluate/demand';
import { childrenOf, parsePython } from '../../server/src/core/python/parse';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { Redactor } from '../../server/src/core/secrets';
import { presentProject } from '../../server/src/cli/diagnostics';
import { effectiveJson } from '../../server/src/cli/effective';
import { RULES } from '../../server/src/core/rules';
import type { Rule } from '../../server/src/core/rules/framework';
import { generateSettings } from '../bench/generate';

const FILE = '/p/mysite/settings.py';
const FIXTURES = path.join(__dirname, '../../../test/fixtures');
const NAMES = ['A', 'B', 'FEATURE_X', 'K', 'URL', 'SESSION_ENGINE', 'DEBUG', 'A_PASSWORD'];

type Template = (a: string, b: string) => string;

/** Statements: plain ones that may be left out, and every kind that must not be or that taints a name. */
const TEMPLATES: Template[] = [
  (a) => `${a} = 'value-${a.toLowerCase()}'`,
  (a, b) => `${a} = ${b}`,
  (a, b) => `${a} = {'k': ${b}, 'n': 1}`,
  (a, b) => `${a} = [${b}, 'x']`,
  (a, b) => `${a}['k'] = ${b}`,
  (a) => `${a} = os.environ.get('${a}_VAR', 'dflt')`,
  (a) => `${a} = int(os.environ.get('N', '3'))`,
  (a, b) => `${a} = ${b} + '@host'`,
  (a) => `${a} = 'user:pw9@host:6379'`,
  (a) => `${a} = 'pa' + 'ss'`,
  (a) => `${a} = 'pa' 'ss'`,
  (a) => `${a} = f'{${a}}x'`,
  (a, b) => `${a} = {${b}: 'hunter4-${a.toLowerCase()}'}`,
  (a, b) => `${a} = {'password': ${b}}`,
  (a, b) => `f(${a}, ${b})`,
  (a, b) => `${a} = g(${b})`,
  (a, b) => `${a}.update(${b})`,
  (a, b) => `${a}.update({'token': ${b}})`,
  (a) => `del ${a}`,
  (a, b) => `if DEBUG:\n    ${a} = ${b}`,
  (a, b) => `try:\n    ${a} = os.environ['X']\nexcept KeyError:\n    ${a} = ${b}`,
  (a, b) => `if ${b}:\n    ${a} = [${b}]\nelif DEBUG:\n    pass\nelse:\n    ${a}['k'] = 'v'`,
  (a, b) => `if DEBUG:\n    if ${a}:\n        ${b} = {'x': ${a}}\n    ${a} = 1`,
  (a, b) => `if f(${a}):\n    ${b} = 2`,
  (a, b) => `if ${a} == 'x':\n    ${b} = ${a} + '@h'`,
  (a, b) => `try:\n    ${a} = ${b}['k']\nexcept KeyError as ${b}:\n    pass\nfinally:\n    ${a} = ${a}`,
  (a, b) => `if DEBUG:\n    ${a}.update(${b})`,
  (a, b) => `if DEBUG:\n    for x in ${b}:\n        ${a} = x`,
  (a, b) => `if DEBUG:\n    ${a} = 'pa' 'ss'\n    ${b} = {${a}: 'hunter6'}`,
  (a) => `SESSION_ENGINE = ${a}`,
  (a) =>
    `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': ${a}}}`,
  (a, b) => `CACHES['default']['LOCATION'] = [${a}, ${b}]`,
  (a) => `SECRET_KEY = ${a}`,
  (a) => `SESSION_CACHE_ALIAS = ${a}`,
  (a, b) => `DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': ${a}, 'HOST': ${b}}}`,
  (a) => `${a}_PASSWORD = 'hunter5'`,
  (a, b) => `${a} = globals()['${b}']`,
  (a, b) => `${a} = (${b} := 'walrus')`,
  () => 'from nowhere import *',
  (a, b) => `${a}, ${b} = ${b}, ${a}`,
  (a) => `${a}: str = 'annotated'`,
  (a, b) => `${a} = ${b} = 'chain'`,
  (a, b) => `${a} = dict(${b}=1)`,
  (a, b) => `${a} = [${b}] * 2`,
  (a) => `${a} = '${'['.repeat(3)}'`,
  (a) => `${a} = ${'['.repeat(45)}1${']'.repeat(45)}`,
  (a, b) => `${a} = ${b}.upper()`,
  (a, b) => `${a} = '\\x40' + ${b}`,
  (a) => `SESSION_COOKIE_SECURE = ${a}`,
  (a) => `SESSION_COOKIE_AGE = ${a}`,
  () => 'DEBUG = True',
  (a, b) => `${a} = str(${b})`,
  // A builtin rebound: calling it may mutate the names passed to it.
  () => 'str = g',
];

const statement = fc
  .tuple(fc.nat(TEMPLATES.length - 1), fc.constantFrom(...NAMES), fc.constantFrom(...NAMES))
  .map(([t, a, b]) => (TEMPLATES[t] as Template)(a, b));

const generatedModule = fc
  .array(statement, { minLength: 1, maxLength: 25 })
  .map((s) => `import os\n${s.join('\n')}\n`);

function run(text: string, demand: boolean): Analysis {
  return analyze({
    project: {
      root: '/p',
      kind: 'django',
      layers: [{ path: FILE, role: 'settings' }],
      readFile: (f) => (f === FILE ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    demand,
  });
}

/** What the CLI shows of an analysis, and every secret its masker learns. */
function shown(a: Analysis): string {
  const redactor = new Redactor();
  redactor.addAnalysis(a);
  return JSON.stringify({
    findings: a.findings,
    presented: presentProject(a, redactor),
    effective: effectiveJson(a, redactor),
    secrets: redactor.known.sort(),
  });
}

describe('demand-driven evaluation', () => {
  it('shows what the whole evaluation shows, on generated modules', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(generatedModule, (text) => {
        assert.equal(shown(run(text, true)), shown(run(text, false)), text);
      }),
      { numRuns: 400 },
    );
  });

  it('shows what the whole evaluation shows on the benchmark file, and leaves out what nothing reads', () => {
    const text = generateSettings(600);
    const demanded = run(text, true);
    assert.equal(shown(demanded), shown(run(text, false)));
    assert.equal(demanded.model.files[0]?.evaluation.demanded, true);
    // Features nothing reads are left out, the `if DEBUG:` and `try:` blocks writing them too.
    assert.equal(demanded.model.env.has('FEATURE_1_URL'), false);
    assert.equal(demanded.model.env.has('FEATURE_5_OPTIONS'), false);
    assert.equal(demanded.model.env.has('SESSION_ENGINE'), true);
  });

  it('shows what the whole evaluation shows on every settings file of the fixtures, and reads only demanded names', () => {
    const files = fs
      .readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.py'));
    assert.ok(files.length > 100);
    let demanded: ReadonlySet<string> | undefined;
    const read = new Map<string, string>();
    for (const f of files) {
      const text = fs.readFileSync(path.join(FIXTURES, f), 'utf8');
      const a = run(text, true);
      const whole = run(text, false);
      assert.equal(shown(a), shown(whole), f);
      demanded ??= a.model.demand?.names;
      for (const r of whole.ruleRuns?.runs.values() ?? [])
        for (let k = 0; k < r.settings.length; k += 2) read.set(r.settings[k] as string, f);
    }
    assert.ok(demanded);
    // Every setting a rule read is demanded (else the project is analysed again whole: right, but slow).
    for (const [name, f] of read) assert.ok(demanded.has(name), `${name} (${f})`);
  });

  it('evaluates a module with a name its patterns cannot read whole', () => {
    const text = "import os\nÄ = 'x'\nSESSION_ENGINE = Ä\n";
    const parsed = parsePython(FILE, text);
    assert.equal(demandPlan(text, childrenOf(parsed.tree.topNode), new Set(['SESSION_ENGINE'])), undefined);
    assert.equal(shown(run(text, true)), shown(run(text, false)));
  });

  it('keeps a plain statement whose value reaches a demanded name, and any that may hold a secret', () => {
    const text = [
      "A = 'django.contrib.sessions.backends.cache'",
      'B = A',
      "C = 'unread'",
      "H = '@host'",
      "U = 'user:pw' + H",
      "D = {'x': U}",
      'SESSION_ENGINE = B',
    ].join('\n');
    const top = childrenOf(parsePython(FILE, text).tree.topNode);
    const plan = demandPlan(text, top, new Set(['SESSION_ENGINE']));
    assert.deepEqual([...(plan ?? [])], [1, 1, 0, 1, 1, 1, 1]);
  });

  it('keeps what reads any of many tainted names (past the one-pattern limit)', () => {
    // 40 names tainted by a URL password's `@` (and 80 plain statements), then statements reading the first, the 17th and the last of them
    // (no secret word of their own), and one reading none: only the last is left out.
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(`N${i} = 'u:pw${i}@host'`, `P${i} = ${i}`, `Q${i} = ${i}`);
    lines.push('A = N0', 'B = N16', 'C = [N39]', "D = 'unread'");
    const text = lines.join('\n');
    const top = childrenOf(parsePython(FILE, text).tree.topNode);
    const plan = [...(demandPlan(text, top, new Set(['SESSION_ENGINE'])) ?? [])];
    assert.deepEqual(plan.slice(120), [1, 1, 1, 0]);
    assert.equal(shown(run(text, true)), shown(run(text, false)));
  });

  it('plans 20,000 tainted assignments (one pattern per growth of the tainted set once took 76 s there)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `PASSWORD_${i} = "x${i}"`).join('\n');
    const top = childrenOf(parsePython(FILE, many).tree.topNode);
    // Every statement is tainted: past half of them the plan gives up, and the module is evaluated whole.
    assert.equal(demandPlan(many, top, new Set(['SESSION_ENGINE'])), undefined);
    assert.equal(shown(run(many, true)), shown(run(many, false)));
  });

  it('keeps a call that may mutate a name passed to it bare', () => {
    const text = [
      'str = g',
      "B = ['127.0.0.1:11211']",
      'A = str(B)',
      'C = str(B.x)',
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': B}}",
    ].join('\n');
    const top = childrenOf(parsePython(FILE, text).tree.topNode);
    assert.deepEqual([...(demandPlan(text, top, new Set(['CACHES'])) ?? [])], [1, 1, 1, 0, 1]);
    assert.equal(shown(run(text, true)), shown(run(text, false)));
  });

  it('analyses the project again whole when a rule reads a setting outside the demanded names', () => {
    const text = "OTHER = 'x-other'\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
    const project = {
      root: '/p',
      kind: 'django' as const,
      layers: [{ path: FILE, role: 'settings' as const }],
      readFile: (f: string) => (f === FILE ? text : undefined),
    };
    const [base] = RULES;
    assert.ok(base);
    const other: Rule = {
      ...base,
      code: 'DSL999',
      check(ctx) {
        const v = ctx.effective('OTHER')?.value;
        if (v?.kind === 'str') ctx.report({ at: v, message: `OTHER is ${v.value}`, settings: ['OTHER'] });
      },
    };
    const plain = analyze({ project, options: DEFAULT_OPTIONS, rules: [], demand: true });
    assert.equal(plain.model.env.has('OTHER'), false);
    const a = analyze({ project, options: DEFAULT_OPTIONS, rules: [other], demand: true });
    assert.deepEqual(
      a.findings.map((f) => f.message),
      ['OTHER is x-other'],
    );
    assert.equal(a.model.demand, undefined);
  });
});
