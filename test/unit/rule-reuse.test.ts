/**
 * Rules run again only when what they read changed (analyze.ts runRules, rule-reads.ts): an analysis given the
 * previous one keeps the findings of every rule whose reads give the same answers, and the result equals a
 * from-scratch analysis after random edits; a comparison that misses a change is caught by that property.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { ParseCache } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { reuse } from '../../server/src/core/rule-reads';
import { generateSettings } from '../bench/generate';
import { analysisView as view } from '../helpers/analysis-view';

const SETTINGS = '/p/mysite/settings.py';
const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
const MEMCACHED = 'django.core.cache.backends.memcached.PyMemcacheCache';

/** A long settings file (the bench's) whose sessions live in a per-process cache (DSL104), set at its top. */
const START = `SESSION_COOKIE_AGE = 60\n${generateSettings(800)}`;

function analyzeText(text: string, cache: ParseCache, previous?: Analysis): Analysis {
  return analyze({
    project: {
      root: '/p',
      kind: 'django',
      layers: [{ path: SETTINGS, role: 'settings' }],
      readFile: (f) => (f === SETTINGS ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    cache,
    verifyFixes: false,
    previous,
  });
}

/** Edits that keep the file valid: typing far from the settings rules read, and changing what they read. */
const EDITS: readonly ((text: string) => string)[] = [
  (t) => t.replace("'feature-20", "'feature-20x"),
  (t) => t.replace("'feature-3", "'feature-3y"),
  (t) => t.replace(LOCMEM, MEMCACHED),
  (t) => t.replace(MEMCACHED, LOCMEM),
  (t) => t.replace('SESSION_COOKIE_AGE = 60', "SESSION_COOKIE_AGE = '60'"),
  (t) => t.replace("SESSION_COOKIE_AGE = '60'", 'SESSION_COOKIE_AGE = 60'),
  (t) => t.replace('backends.cache', 'backends.cached_db'),
  (t) => t.replace('backends.cached_db', 'backends.cache'),
  (t) => `# a comment\n${t}`,
];

/** Applies the edits, analysing with the previous analysis each time; each result equals a fresh one. */
function checkSequence(edits: readonly number[]): void {
  let text = START;
  const cache = new ParseCache();
  let last = analyzeText(text, cache);
  for (const [k, e] of edits.entries()) {
    text = (EDITS[e] as (t: string) => string)(text);
    last = analyzeText(text, cache, last);
    assert.equal(view(last), view(analyzeText(text, new ParseCache())), `after edit ${k + 1}: ${e}`);
  }
}

const sequences = fc.array(fc.nat(EDITS.length - 1), { minLength: 1, maxLength: 6 });

describe('rules re-run only when what they read changed', () => {
  it('holds the runs compactly: one object per setting read across rules, no container for nothing read', () => {
    // The language server keeps every open project's runs (issue #11: 100 open files, ≤ 80 MB resident).
    const runs = [...(analyzeText(START, new ParseCache()).ruleRuns?.runs.values() ?? [])];
    assert.ok(runs.length > 20);
    const settings = new Map<unknown, unknown>();
    const empty = new Set<unknown>();
    for (const run of runs) {
      for (let i = 0; i < run.settings.length; i += 2) {
        const [name, setting] = [run.settings[i], run.settings[i + 1]];
        if (settings.has(name)) assert.equal(setting, settings.get(name), `${String(name)} is one object`);
        settings.set(name, setting);
      }
      for (const reads of [run.settings, run.roles, run.texts, run.props, run.lines, run.findings])
        if (reads.length === 0) empty.add(reads);
    }
    assert.ok(settings.size > 5, 'rules read settings');
    assert.ok(settings.size < runs.length, 'rules read the same settings');
    assert.equal(empty.size, 1, 'what no rule read is one shared empty array');
  });

  it('keeps the findings of rules whose reads did not change, and runs the one whose setting changed', () => {
    const cache = new ParseCache();
    const first = analyzeText(START, cache);
    const locmem = first.findings.find((f) => f.code === 'DSL104');
    assert.ok(locmem, 'the per-process session cache is reported');
    // Typing far below: every recorded rule is kept, its findings the very same objects.
    const typed = START.replace("'feature-20", "'feature-20x");
    const second = analyzeText(typed, cache, first);
    assert.ok((first.ruleRuns?.runs.size ?? 0) > 20, 'most rules read only what they are tracked for');
    for (const [code, run] of second.ruleRuns?.runs ?? [])
      assert.equal(run, first.ruleRuns?.runs.get(code), code);
    assert.equal(
      second.findings.find((f) => f.code === 'DSL104'),
      locmem,
    );
    // The backend changed: DSL104 runs again and its finding goes.
    const fixed = typed.replace(LOCMEM, MEMCACHED);
    const third = analyzeText(fixed, cache, second);
    assert.notEqual(third.ruleRuns?.runs.get('DSL104'), second.ruleRuns?.runs.get('DSL104'));
    assert.equal(
      third.findings.find((f) => f.code === 'DSL104'),
      undefined,
    );
    assert.equal(view(third), view(analyzeText(fixed, new ParseCache())));
  });

  it('equals a from-scratch analysis after random edits', () => {
    fc.assert(fc.property(sequences, checkSequence), { numRuns: 25 });
  });

  it('a comparison that misses a changed value is caught (the property fails)', () => {
    const right = reuse.sameSetting;
    reuse.sameSetting = (a, b) => a?.name === b?.name; // wrong: a new value under the same name is "the same"
    try {
      assert.throws(() => fc.assert(fc.property(sequences, checkSequence), { numRuns: 25 }));
    } finally {
      reuse.sameSetting = right;
    }
  });
});
