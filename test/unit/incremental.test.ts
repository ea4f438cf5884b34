/**
 * Incremental analysis (issue #11): after random edit sequences, analysing with the language server's parse
 * cache (which resumes each layer's evaluation from its checkpoints, evaluate/checkpoints.ts, and replays the
 * unchanged statements after the edit whose reads did not change, evaluate/replay.ts) gives exactly
 * what a from-scratch analysis gives: findings and their fixes, per-file diagnostics, every assignment event,
 * the final namespace (values and origins), each file's imports and limits, and the effective values.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { displayValue, hover, locate } from '../../server/src/core/features/hover';
import { Redactor, redactorInSteps } from '../../server/src/core/secrets';
import { finish } from '../../server/src/core/steps';
import { CHECKPOINT_MIN_CHARS } from '../../server/src/core/evaluate/checkpoints';
import { rawBinding } from '../../server/src/core/evaluate/environment';
import { Lazy, shiftedFrom } from '../../server/src/core/evaluate/replay';
import { ParseCache, type ProjectLayerInput } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import type { Value } from '../../server/src/core/types';
import { generateSettings } from '../bench/generate';
import { TYPING_SCENARIOS } from '../bench/typing';
import { analysisView as view } from '../helpers/analysis-view';

const SETTINGS = '/p/mysite/settings.py';
const LOCAL = '/p/openstack_dashboard/local/local_settings.py';
const SNIPPET = '/p/openstack_dashboard/local/local_settings.d/_10_x.py';
const BASE = '/p/mysite/base.py';
const ENV = '/p/mysite/.env';

/** A long settings file (past CHECKPOINT_MIN_CHARS) in the shapes real ones use, with a few extra ones. */
function longFile(): string {
  let text =
    "SECRET_KEY = 'k-0123456789abcdef'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n" +
    generateSettings(560);
  // An undecided branch in the middle: the namespace after it is a merge (a new map, not the journal).
  const middle = text.indexOf('\nFEATURE_25_ENABLED');
  text =
    text.slice(0, middle + 1) +
    "if probe():\n    FEATURE_1_NAME = 'x'\nelse:\n    SERVICES = {}\n" +
    text.slice(middle + 1);
  // A delete the journal must log.
  const before = text.indexOf('\nFEATURE_12_ENABLED');
  text = text.slice(0, before + 1) + 'del FEATURE_2_HOSTS\n' + text.slice(before + 1);
  text +=
    "CACHES['default']['LOCATION'] = FEATURE_3_URL\nSESSION_ENGINE = FEATURE_2_NAME and SESSION_ENGINE\n" +
    // Secrets no rule reads: after an edit before them, only the masker reads them (replayed, not made).
    "EMAIL_HOST_PASSWORD = 'late-secret-pw'\nBROKER_URL = 'redis://u:late-url-pw@h/0'\n";
  assert.ok(text.length > CHECKPOINT_MIN_CHARS && middle > 0 && before > 0);
  return text;
}

/** What is inserted: statements and pieces that change structure, names read later, imports, errors. */
const PIECES = [
  'z',
  "'",
  '"""',
  '\n',
  '    ',
  ':',
  '(',
  ')',
  '[',
  '{',
  '}',
  '#',
  '\\',
  ',',
  'X = 1\n',
  'FEATURE_2_NAME = 7\n',
  "SERVICES = {'a': 1}\n",
  "SERVICES['feature-3'] = None\n",
  'del FEATURE_4_OPTIONS\n',
  "FEATURE_5_OPTIONS.update({'retries': 9})\n",
  'if DEBUG:\n    FEATURE_6_NAME = 1\n',
  'if DEBUG or X:\n    FEATURE_6_NAME = DEBUG\nelif FEATURE_2_NAME:\n    X = 4\n',
  'DEBUG = X\n',
  'else:\n    X = 2\n',
  'elif X:\n',
  'try:\n    import foo\nexcept ImportError:\n    FEATURE_7_NAME = 3\n',
  'from .base import *\n',
  'from base import BASE_VALUE\n',
  'import environ\nenviron.Env.read_env()\n',
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n",
  "DEBUG = os.environ.get('DEBUG', 'x') == 'x'\n",
  'for i in range(3):\n    FEATURE_8_NAME = i\n',
  "if probe():\n    FEATURE_9_NAME = 'y'\n",
  "SECRET_KEY = 'another-secret-value'\n",
  '{{ tag }}',
];

interface Edit {
  readonly at: number;
  readonly del: number;
  readonly ins: string;
}

function apply(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.ins + text.slice(at + e.del);
}

function analyzeTexts(
  texts: ReadonlyMap<string, string>,
  layers: readonly ProjectLayerInput[],
  kind: 'django' | 'horizon',
  cache: ParseCache,
  previous?: Analysis,
  pause?: () => boolean,
): Analysis {
  return analyze({
    project: { root: '/p', kind, layers, readFile: (f) => texts.get(f) },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    cache,
    verifyFixes: false,
    previous,
    pause,
  });
}

/**
 * Asked whether to pause as the language server is (`AnalyzeRequest.pause`): the evaluation then replays in runs
 * between its questions (statements.ts `replayAligned`); says yes every third time.
 */
function pausing(): () => boolean {
  let k = 0;
  return () => ++k % 3 === 0;
}

/** Applies the edits one by one to `file`, analysing incrementally and from scratch after each. */
function checkSequence(
  start: ReadonlyMap<string, string>,
  file: string,
  layers: readonly ProjectLayerInput[],
  kind: 'django' | 'horizon',
  edits: readonly Edit[],
): void {
  const texts = new Map(start);
  const cache = new ParseCache();
  // Incremental as the language server runs it: the parse cache and the last analysis (whose rule runs are
  // kept where their reads did not change).
  let last = analyzeTexts(texts, layers, kind, cache);
  // The language server's masker: each one takes over the walk of the one before (secrets.ts WalkState).
  finish(redactorInSteps(last));
  for (const [k, e] of edits.entries()) {
    texts.set(file, apply(texts.get(file) as string, e));
    // Every other edit analysed pausing, as the language server does.
    const incremental = analyzeTexts(texts, layers, kind, cache, last, k % 2 === 1 ? pausing() : undefined);
    const masker = finish(redactorInSteps(incremental, k % 2 === 1 ? pausing() : undefined));
    last = incremental;
    const scratch = analyzeTexts(texts, layers, kind, new ParseCache());
    // Replayed names are made when first read, after the evaluation (evaluate/environment.ts LazyEnv): first
    // what reads them without making them (the masker, hover's walk), then everything (the view).
    assert.deepEqual(secretsOf(incremental), secretsOf(scratch), `secrets after edit ${k + 1}`);
    assert.deepEqual(masker.known.sort(), secretsOf(scratch), `kept masker's secrets after edit ${k + 1}`);
    assert.equal(hovers(incremental, file), hovers(scratch, file), `hovers after edit ${k + 1}`);
    // JSON: dict entries are read through their getters; `undefined` fields drop out on both sides alike.
    assert.equal(view(incremental), view(scratch), `after edit ${k + 1} of ${edits.length}`);
  }
}

/** The secrets the masker finds in an analysis (it walks replayed names unshifted). */
function secretsOf(a: Analysis): string[] {
  const r = new Redactor();
  r.addAnalysis(a);
  return r.known.sort();
}

/**
 * What hover finds inside every 9th string literal of `file`, on SESSION_ENGINE's value and on every 5th assigned
 * name (hover walks replayed names and events unshifted, shifting their spans): where, the path, the value as shown.
 */
function hovers(a: Analysis, file: string): string {
  const text = a.model.files.find((f) => f.path === file)?.parsed.text ?? '';
  const offsets = [...text.matchAll(/'/g)].filter((_, i) => i % 9 === 0).map((m) => (m.index ?? 0) + 2);
  const shown = offsets.map((o) => {
    const l = locate(a, file, o);
    return l && { span: l.span, path: l.path, onKey: l.onKey, value: displayValue(l.path, l.value) };
  });
  const engine = text.lastIndexOf("SESSION_ENGINE = '") + 20;
  // On every 5th assigned name: the setting card, found among the events without shifting replayed ones.
  const names = [...text.matchAll(/^[A-Za-z_]\w* *=/gm)].filter((_, i) => i % 5 === 0);
  const onNames = names.map((m) => hover(a, file, (m.index ?? 0) + 1));
  return JSON.stringify([shown, hover(a, file, engine), onNames]);
}

/** `text` after an editor's changes (line and character ranges, applied in order, as a didChange). */
function applyChanges(
  text: string,
  changes: readonly {
    range?: { start: { line: number; character: number }; end: { line: number; character: number } };
    text: string;
  }[],
): string {
  for (const c of changes) {
    if (!c.range) {
      text = c.text;
      continue;
    }
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const offset = (p: { line: number; character: number }): number =>
      (starts[p.line] ?? text.length) + p.character;
    text = text.slice(0, offset(c.range.start)) + c.text + text.slice(offset(c.range.end));
  }
  return text;
}

/** One keystroke at the cursor `at` of SETTINGS: a character typed (`ins`) or one erased before it (`del`: 1); the new cursor. */
function typeKey(
  texts: Map<string, string>,
  at: number,
  key: { readonly del: number; readonly ins: string },
): number {
  const before = texts.get(SETTINGS) as string;
  const from = key.del ? at - 1 : at;
  texts.set(SETTINGS, before.slice(0, from) + key.ins + before.slice(from + key.del));
  return key.del ? from : from + key.ins.length;
}

const edit = (max: number): fc.Arbitrary<Edit> =>
  fc.record({
    at: fc.nat(max),
    del: fc.oneof(fc.constant(0), fc.nat(3), fc.nat(60)),
    ins: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })),
  });

describe('incremental analysis equals a from-scratch analysis', () => {
  const text = longFile();

  it('checkpoints are taken and used on a long file (the path the property exercises)', () => {
    const cache = new ParseCache();
    const texts = new Map([[SETTINGS, text]]);
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const first = analyzeTexts(texts, layers, 'django', cache);
    const cps = first.model.files[0]?.evaluation.checkpoints;
    assert.ok(cps && cps.list.length >= 3, 'a long file gets checkpoints');
    // An edit near the end resumes from the last checkpoint: the statements before it are not evaluated again,
    // so the bindings they made are the very same objects.
    const at = text.lastIndexOf('FEATURE_');
    texts.set(SETTINGS, text.slice(0, at) + 'Z' + text.slice(at));
    const second = analyzeTexts(texts, layers, 'django', cache);
    assert.equal(second.model.env.get('FEATURE_1_NAME'), first.model.env.get('FEATURE_1_NAME'));
    const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
    assert.notEqual(scratch.model.env.get('FEATURE_1_NAME'), first.model.env.get('FEATURE_1_NAME'));
    assert.equal(view(second), view(scratch));
  });

  it('a Django settings file edited at random', () => {
    fc.assert(
      fc.property(fc.array(edit(text.length), { minLength: 1, maxLength: 6 }), (edits) =>
        checkSequence(
          new Map([
            [SETTINGS, text],
            [BASE, "BASE_VALUE = 'b'\nSESSION_ENGINE = 'django.contrib.sessions.backends.file'\n"],
            [ENV, 'DEBUG=1\n'],
          ]),
          SETTINGS,
          [{ path: SETTINGS, role: 'settings' }],
          'django',
          edits,
        ),
      ),
      { numRuns: 20 },
    );
  });

  /**
   * Analyses `start`, then types two characters ('x', 'y') inside FEATURE_20_NAME's string (everything after it
   * moves), handing `check` the incremental analysis and one from scratch after each.
   */
  function typeInFeature20(
    start: string,
    check: (incremental: Analysis, scratch: Analysis, ch: string) => void,
  ): void {
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const texts = new Map([[SETTINGS, start]]);
    analyzeTexts(texts, layers, 'django', cache);
    const at = start.indexOf("'feature-20'") + 5;
    for (const ch of ['x', 'y']) {
      const before = texts.get(SETTINGS) as string;
      texts.set(SETTINGS, before.slice(0, at) + ch + before.slice(at));
      check(
        analyzeTexts(texts, layers, 'django', cache),
        analyzeTexts(texts, layers, 'django', new ParseCache()),
        ch,
      );
    }
  }

  it('after the edit, statements whose reads did not change are replayed, those reading an edited name evaluated', () => {
    const start =
      text +
      "LATE = {'name': FEATURE_20_NAME}\nOTHER = {'url': FEATURE_31_URL}\nREAD_LATER = FEATURE_20_NAME\n";
    typeInFeature20(start, (incremental, scratch, ch) => {
      assert.equal(view(incremental), view(scratch));
      const env = incremental.model.files[0]?.evaluation.env;
      // Replayed: a dict made after the edit that reads nothing the edit changed is the earlier one, shifted.
      assert.ok(shiftedFrom(env?.get('OTHER')?.value as Value), 'OTHER is replayed');
      assert.ok(
        shiftedFrom(env?.get('FEATURE_30_OPTIONS')?.value as Value),
        'FEATURE_30_OPTIONS is replayed',
      );
      // Evaluated again: it reads the edited name.
      assert.equal(shiftedFrom(env?.get('LATE')?.value as Value), undefined, 'LATE is evaluated');
      assert.match(JSON.stringify(env?.get('LATE')?.value), new RegExp(`feat${ch}`));
    });
  });

  it('a replayed value deeper than the walkers go is shifted whole, read after the evaluation (A = [A] ×1000)', () => {
    const start = text + 'A = []\n' + 'A = [A]\n'.repeat(1000) + 'SESSION_COOKIE_AGE = len(A)\n';
    typeInFeature20(start, (incremental, scratch) => {
      // Read first here, after the evaluation: the replayed A, 1001 lists deep, shifted on that read.
      const a = incremental.model.env.get('A')?.value as Value;
      assert.ok(shiftedFrom(a), 'A is replayed');
      assert.equal(JSON.stringify(a), JSON.stringify(scratch.model.env.get('A')?.value));
      assert.equal(view(incremental), view(scratch));
      assert.equal(incremental.model.files[0]?.evaluation.limit, undefined);
    });
  });

  it('an edit before the first checkpoint resumes from the first statement and replays the rest (a fix trial)', () => {
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const texts = new Map([[SETTINGS, text]]);
    analyzeTexts(texts, layers, 'django', cache);
    // Inside a string before the first checkpoint, after `import os` (as DSL104's fix rewrites CACHES at line 7
    // of the benchmark file: an import after the edit is evaluated again, and what it binds becomes dirty).
    const at = text.indexOf("'feature-1'") + 3;
    assert.ok(at > text.indexOf('import os') && at < text.indexOf('FEATURE_4_NAME'));
    texts.set(SETTINGS, text.slice(0, at) + 'X' + text.slice(at));
    const incremental = analyzeTexts(texts, layers, 'django', cache);
    const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
    assert.equal(view(incremental), view(scratch));
    const env = incremental.model.files[0]?.evaluation.env;
    assert.ok(shiftedFrom(env?.get('FEATURE_30_OPTIONS')?.value as Value), 'FEATURE_30_OPTIONS is replayed');
    // The replayed evaluation takes checkpoints before the edit again, none after it: the next edit further
    // down replays from the start too, and still equals a from-scratch analysis.
    const later = (texts.get(SETTINGS) as string).indexOf("'feature-30'") + 3;
    texts.set(
      SETTINGS,
      (texts.get(SETTINGS) as string).slice(0, later) + 'Y' + (texts.get(SETTINGS) as string).slice(later),
    );
    assert.equal(
      view(analyzeTexts(texts, layers, 'django', cache)),
      view(analyzeTexts(texts, layers, 'django', new ParseCache())),
    );
  });

  it('an undecided branch after the edit: what it changes is dirty, what it keeps stays unread', () => {
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    // The edit two statements after `import os`: the statement before an edit is evaluated again (the next one
    // decides where a block ends), and an import evaluated again makes `os` dirty.
    const generated = generateSettings(560);
    const cut = generated.indexOf('SESSION_ENGINE');
    const start =
      generated.slice(0, cut) +
      'EDITED = 1\n' +
      generated.slice(cut) +
      'if probe():\n    MERGED = EDITED\nelse:\n    MERGED = 0\nREADS_MERGED = [MERGED]\nKEPT = [FEATURE_31_URL]\n';
    const texts = new Map([[SETTINGS, start]]);
    analyzeTexts(texts, layers, 'django', cache);
    for (const v of ['2', '33']) {
      texts.set(SETTINGS, (texts.get(SETTINGS) as string).replace(/^EDITED = \d+/m, `EDITED = ${v}`));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      // Before anything reads it: replayed before the branch and moved by the edit, still unmade after the merge.
      const raw = rawBinding(incremental.model.env, 'FEATURE_30_OPTIONS');
      if (v === '33') assert.ok(raw instanceof Lazy && !raw.made, 'FEATURE_30_OPTIONS is left unread');
      assert.deepEqual(secretsOf(incremental), secretsOf(scratch));
      assert.equal(view(incremental), view(scratch), `EDITED = ${v}`);
      assert.match(
        JSON.stringify(incremental.model.env.get('READS_MERGED')?.value),
        new RegExp(`"value":${v}`),
      );
    }
  });

  it('a module the long file star-imports before the edit changes: what it binds is evaluated again', () => {
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    // No undecided branch (evaluated after the import, it would end the replaying): the statements after the
    // import are replayed, and the one reading what the import binds is evaluated again.
    const start =
      'from .base import *\n' +
      generateSettings(560) +
      'LATE_BASE = [BASE_VALUE]\nOTHER_LATE = [FEATURE_31_URL]\n';
    const texts = new Map([
      [SETTINGS, start],
      [BASE, "BASE_VALUE = 'b'\n"],
    ]);
    const first = analyzeTexts(texts, layers, 'django', cache);
    const before = new Set(first.model.files[0]?.evaluation.checkpoints?.records);
    for (const [k, base] of ["BASE_VALUE = 'c'\n", "BASE_VALUE = 'dd'\nEXTRA = 1\n"].entries()) {
      texts.set(BASE, base);
      // The settings file itself unchanged, then edited after the import.
      if (k === 1) texts.set(SETTINGS, start.replace("'feature-40'", "'feature-40x'"));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      assert.equal(view(incremental), view(scratch), `base.py version ${k + 2}`);
      const replayed = incremental.model.files[0]?.evaluation.checkpoints?.records.filter((r) =>
        before.has(r),
      );
      assert.ok(replayed && replayed.length > 100, 'the statements after the import are replayed');
    }
  });

  it('a Django settings file edited at random without syntax errors (the replay path)', () => {
    // Edits that keep the file valid: a letter typed into a string, a statement inserted or removed at a line
    // start, a name rebound before later statements read it.
    const lineStarts = [...text.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1);
    const quotes = [...text.matchAll(/'feature-/g)].map((m) => (m.index ?? 0) + 3);
    const valid = fc.oneof(
      fc.record({
        at: fc.constantFrom(...quotes),
        del: fc.constant(0),
        ins: fc.constantFrom('a', 'b', 'zz'),
      }),
      fc.record({
        at: fc.constantFrom(...lineStarts),
        del: fc.constant(0),
        ins: fc.constantFrom(
          'X = 1\n',
          'FEATURE_2_NAME = 7\n',
          "SERVICES = {'a': 1}\n",
          "SERVICES['feature-3'] = None\n",
          'FEATURE_26_URL = FEATURE_2_NAME\n',
          "FEATURE_27_OPTIONS['retries'] = FEATURE_2_NAME\n",
          "FEATURE_5_OPTIONS.update({'retries': 9})\n",
          'del FEATURE_28_OPTIONS\n',
          "if probe():\n    FEATURE_29_NAME = 'y'\n",
          "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n",
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(valid, { minLength: 1, maxLength: 6 }), (edits) =>
        checkSequence(
          new Map([
            [SETTINGS, text + 'READS = [FEATURE_2_NAME, FEATURE_26_URL, FEATURE_29_NAME, SERVICES]\n'],
          ]),
          SETTINGS,
          [{ path: SETTINGS, role: 'settings' }],
          'django',
          edits,
        ),
      ),
      { numRuns: 20 },
    );
  });

  it('an edit inside one statement dirties only the names it binds differently (`import os` -> `import os, sys`)', () => {
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    // `os` is read by the os.environ lookups of every section, copied (OS_COPY), handed to an unknown call and
    // read with its copy (LATE); each keystroke's analysis must equal a from-scratch one.
    const start =
      generateSettings(560) + 'OS_COPY = os\nprobe(os)\nLATE = [os, OS_COPY]\nKEPT = [FEATURE_31_URL]\n';
    const texts = new Map([[SETTINGS, start]]);
    let last = analyzeTexts(texts, layers, 'django', cache);
    let at = start.indexOf('import os') + 'import os'.length;
    const keys = [...', sys'].map((c) => ({ del: 0, ins: c }));
    const back = [...', sys'].map(() => ({ del: 1, ins: '' }));
    for (const [k, key] of [...keys, ...back].entries()) {
      at = typeKey(texts, at, key);
      const incremental = analyzeTexts(texts, layers, 'django', cache, last);
      last = incremental;
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      assert.deepEqual(secretsOf(incremental), secretsOf(scratch));
      assert.equal(view(incremental), view(scratch), `keystroke ${k + 1}`);
      // `import os, s` -> `import os, sy`: os keeps its binding, what reads it is replayed.
      if (k === 3) {
        const env = incremental.model.files[0]?.evaluation.env;
        assert.ok(shiftedFrom(env?.get('FEATURE_30_URL')?.value as Value), 'FEATURE_30_URL is replayed');
        assert.ok(shiftedFrom(env?.get('KEPT')?.value as Value), 'KEPT is replayed');
      }
    }
  });

  it('typing at the very end of a statement leaves the spans that end there where they are', () => {
    // `A = [1, 2]` then `  # c`, `+ [3]` typed after it and erased: A's list ends where the typing starts;
    // COPY and NESTED (copies of A's value, spans included) are replayed only while A's value is the same.
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const cut = text.indexOf('\nFEATURE_30_ENABLED');
    const start =
      text.slice(0, cut + 1) + 'A = [1, 2]\n' + text.slice(cut + 1) + 'COPY = A\nNESTED = {"a": A}\n';
    const texts = new Map([[SETTINGS, start]]);
    let last = analyzeTexts(texts, layers, 'django', cache);
    let at = start.indexOf('A = [1, 2]') + 'A = [1, 2]'.length;
    const typed = [...' + [3]', ...'  # c'];
    const steps = [...typed.map((c) => ({ del: 0, ins: c })), ...typed.map(() => ({ del: 1, ins: '' }))];
    for (const [k, step] of steps.entries()) {
      at = typeKey(texts, at, step);
      const incremental = analyzeTexts(texts, layers, 'django', cache, last);
      last = incremental;
      assert.equal(
        view(incremental),
        view(analyzeTexts(texts, layers, 'django', new ParseCache())),
        `step ${k + 1}`,
      );
    }
  });

  it('a branch after the edit is replayed only when what it read is unchanged: its reads go to the namespace', () => {
    // Branches run on what they change over the namespace (evaluate/environment.ts BranchEnv): an `if` reads
    // only the names it uses, so one after the edit may be replayed. What its arm deletes depends on whether the
    // namespace has the name (`Y = 3; del Y` leaves Y unset on that path only when it was set before), and an
    // edit that sets Y before it must have the branch evaluated again; a loop's deletes alike.
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const start =
      text +
      'if probe():\n    Y = 3\n    del Y\nfor i in range(2):\n    Z = 1\n    del Z\nREADS = [FEATURE_31_URL]\n';
    const texts = new Map([[SETTINGS, start]]);
    analyzeTexts(texts, layers, 'django', cache);
    const at = start.indexOf('\nFEATURE_20_ENABLED') + 1;
    for (const ins of ['Y = 1\n', 'Y = 1\nZ = 2\n', '']) {
      texts.set(SETTINGS, start.slice(0, at) + ins + start.slice(at));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      assert.equal(view(incremental), view(scratch), JSON.stringify(ins));
      assert.equal(incremental.model.env.has('Y'), ins !== '', JSON.stringify(ins));
    }
    // Typing in a string before a branch that reads nothing it changes: the branch is replayed (its merged
    // binding is the earlier one, shifted).
    const branchy = text + 'if probe():\n    W = [FEATURE_31_URL]\nelse:\n    W = None\n';
    typeInFeature20(branchy, (incremental, scratch) => {
      assert.equal(view(incremental), view(scratch));
      const w = incremental.model.files[0]?.evaluation.env.get('W')?.value as Value;
      assert.ok(shiftedFrom(w), 'W is replayed');
    });
  });

  it('an `if` whose conditions alone read a changed name is replayed while they decide as before', () => {
    // `DEBUG = False` typed over, character by character: each state binds DEBUG anew (False, the unknown
    // names `Fals`, `Fal`, …, a syntax error, True), and the `if`s after it read it. One whose conditions read
    // only changed names and decide as before (undecidable again, false again) is replayed; one whose body reads
    // DEBUG, or whose conditions decide otherwise, is evaluated.
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const start =
      text +
      'DEBUG = False\nMODE = os.environ.get("MODE", "dev") == "dev"\nBETWEEN = [FEATURE_30_URL]\n' +
      'if DEBUG:\n    COND_ONLY = [FEATURE_31_URL]\nelse:\n    COND_ONLY = None\n' +
      'if DEBUG:\n    BODY_READS = DEBUG\n' +
      "if FEATURE_2_NAME == 'x':\n    CHAIN = 1\nelif DEBUG or MODE:\n    CHAIN = [FEATURE_31_URL]\nelse:\n    CHAIN = 3\n" +
      'if MODE and DEBUG:\n    BY_DEFAULT = [FEATURE_31_URL]\n';
    const texts = new Map([[SETTINGS, start]]);
    analyzeTexts(texts, layers, 'django', cache);
    const at = text.length + 'DEBUG = '.length;
    const states = ['Fals', 'Fal', '', 'T', 'True', 'Tru', 'Fa', 'False', "os.environ.get('D', '')", 'False'];
    let replayed = 0;
    let previousState = 'False';
    for (const state of states) {
      texts.set(SETTINGS, start.slice(0, at) + state + start.slice(at + 'False'.length));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      assert.equal(view(incremental), view(scratch), state);
      const env = incremental.model.files[0]?.evaluation.env;
      const value = (name: string): Value | undefined => env?.get(name)?.value;
      // The body reading DEBUG is evaluated whenever DEBUG changed (and the `if` ran it).
      const body = value('BODY_READS');
      if (body) assert.ok(!shiftedFrom(body), `BODY_READS is evaluated (${state})`);
      // Undecidable before and after (unknown names, not True or False): the `if` is replayed.
      const undecided = (s: string): boolean => !['True', 'False', ''].includes(s);
      if (undecided(state) && undecided(previousState)) {
        assert.ok(shiftedFrom(value('COND_ONLY') as Value), `COND_ONLY is replayed (${state})`);
        assert.ok(shiftedFrom(value('CHAIN') as Value), `CHAIN is replayed (${state})`);
        replayed++;
      }
      previousState = state;
    }
    assert.ok(replayed >= 2);
  });

  it('typing character by character anywhere, through syntax errors (an incomplete value, import, bracket)', () => {
    // As an editor sends it: one analysis per keystroke, each state from the last one's; most states of an
    // assignment or import being typed are syntax errors, after which statements are still replayed.
    const lines = text.split('\n');
    const lineEnds: number[] = [];
    for (let i = 0, at = 0; i < lines.length; at += (lines[i] as string).length + 1, i++)
      lineEnds.push(at + (lines[i] as string).length);
    const debug = text.indexOf('DEBUG = False') + 'DEBUG = '.length;
    const importOs = text.indexOf('import os') + 'import os'.length;
    const typing = fc.oneof(
      fc.record({
        at: fc.constantFrom(...lineEnds),
        typed: fc.constantFrom(
          "\nEXTRA_HOSTS = ['a', 'b']",
          '\n\nNEW_SETTING = 1',
          '\nSERVICES = {',
          "\nFEATURE_2_NAME = 'x",
          '\nif DEBUG:\n    FEATURE_3_NAME = 1',
          ' + 1',
        ),
      }),
      fc.record({ at: fc.constant(importOs), typed: fc.constantFrom(', sys', ' as o', '.path') }),
      fc.record({ at: fc.constant(debug), typed: fc.constantFrom('not ', '0 and ', '(') }),
    );
    fc.assert(
      fc.property(typing, fc.boolean(), ({ at, typed }, erase) => {
        const edits: Edit[] = [];
        for (let k = 0; k < typed.length; k++) edits.push({ at: at + k, del: 0, ins: typed.charAt(k) });
        if (erase) for (let k = typed.length - 1; k >= 0; k--) edits.push({ at: at + k, del: 1, ins: '' });
        checkSequence(
          new Map([[SETTINGS, text]]),
          SETTINGS,
          [{ path: SETTINGS, role: 'settings' }],
          'django',
          edits,
        );
      }),
      { numRuns: 6 },
    );
  });

  it('a bracket left open: the statements after the broken one are still evaluated, DSL001 at the bracket', () => {
    const at = text.indexOf('\nFEATURE_30_TIMEOUT = ');
    const typed = "\nEXTRA_HOSTS = ['a', ";
    const edits: Edit[] = [...typed].map((ch, k) => ({ at: at + k, del: 0, ins: ch }));
    checkSequence(
      new Map([[SETTINGS, text]]),
      SETTINGS,
      [{ path: SETTINGS, role: 'settings' }],
      'django',
      edits,
    );
    const broken = text.slice(0, at) + typed + text.slice(at);
    const a = analyzeTexts(
      new Map([[SETTINGS, broken]]),
      [{ path: SETTINGS, role: 'settings' }],
      'django',
      new ParseCache(),
    );
    const env = a.model.files[0]?.evaluation.env;
    for (const name of ['FEATURE_30_TIMEOUT', 'FEATURE_30_OPTIONS', 'FEATURE_31_NAME'])
      assert.ok(env?.get(name), `${name} is evaluated after the broken statement`);
    const dsl001 = a.findings.find((f) => f.code === 'DSL001');
    assert.ok(dsl001);
    assert.equal(a.lineOf(dsl001.span), broken.slice(0, at + 1).split('\n').length);
    assert.match(dsl001.message, /'\[' was never closed/);
  });

  it('typing inside a bracket left open (the error before the change): the statements after it are replayed', () => {
    const at = text.indexOf('\nFEATURE_30_TIMEOUT = ');
    const typed = "\nEXTRA_HOSTS = ['a', 'b'";
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const cache = new ParseCache();
    const texts = new Map([[SETTINGS, text]]);
    analyzeTexts(texts, layers, 'django', cache);
    let checked = 0;
    for (let k = 0; k < typed.length; k++) {
      const before = texts.get(SETTINGS) as string;
      texts.set(SETTINGS, before.slice(0, at + k) + typed.charAt(k) + before.slice(at + k));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      assert.equal(view(incremental), view(analyzeTexts(texts, layers, 'django', new ParseCache())));
      const dsl001 = incremental.findings.find((f) => f.code === 'DSL001');
      // A keystroke after the bracket whose error is before its change (not a string it opens).
      if (k <= typed.indexOf('[') || !dsl001 || dsl001.span.from >= at + k) continue;
      const env = incremental.model.files[0]?.evaluation.env;
      for (const name of ['FEATURE_30_OPTIONS', 'FEATURE_31_OPTIONS'])
        assert.ok(shiftedFrom(env?.get(name)?.value as Value), `keystroke ${k + 1}: ${name} is replayed`);
      checked++;
    }
    assert.ok(checked >= 5);
  });

  it('a statement evaluated again that writes what it wrote (shifted) leaves its names clean: `import os` edited', () => {
    // `import os` → `import os, sys` rebinds os to the value it had (its origin, the statement, grew): only the
    // import is evaluated again (statements.ts editedAsBefore), what reads os is replayed.
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const texts = new Map([[SETTINGS, text]]);
    analyzeTexts(texts, layers, 'django', cache);
    const at = text.indexOf('import os') + 'import os'.length;
    for (const typed of [', sys', ', s', '']) {
      texts.set(SETTINGS, text.slice(0, at) + typed + text.slice(at));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      assert.equal(view(incremental), view(scratch), JSON.stringify(typed));
      const env = incremental.model.files[0]?.evaluation.env;
      // os's value is what it was (`, sys` typed right after `os`: its span still ends where it ended, and the
      // shift leaves that position, replayPlan's shiftFrom): FEATURE_30_TIMEOUT (reading os) is replayed, and
      // so are FEATURE_30_OPTIONS['timeout'] = FEATURE_30_TIMEOUT and SERVICES['feature-30'] = {…}.
      if (typed !== '')
        assert.ok(shiftedFrom(env?.get('FEATURE_30_TIMEOUT')?.value as Value), 'FEATURE_30_TIMEOUT replayed');
      if (typed !== '')
        assert.ok(shiftedFrom(env?.get('FEATURE_30_OPTIONS')?.value as Value), 'FEATURE_30_OPTIONS replayed');
    }
  });

  it('typing in a multi-line dict: the statement before it, evaluated again, wrote the same and dirties nothing', () => {
    // FEATURE_30_HOSTS precedes the edited FEATURE_30_OPTIONS: evaluated again (the next statement decides where
    // a block ends) but equal, so SERVICES['feature-30'] (reading it) is replayed and SERVICES stays clean —
    // before, every later SERVICES[…] = … was evaluated again.
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const texts = new Map([[SETTINGS, text]]);
    analyzeTexts(texts, layers, 'django', cache);
    const at = text.indexOf("    'name': 'feature-30',") + "    'name': 'feature-30".length;
    for (const typed of ['x', 'xy', 'x']) {
      texts.set(SETTINGS, text.slice(0, at) + typed + text.slice(at));
      const incremental = analyzeTexts(texts, layers, 'django', cache);
      const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
      assert.equal(view(incremental), view(scratch), typed);
      const services = incremental.model.files[0]?.evaluation.env.get('SERVICES')?.value as Value;
      assert.ok(shiftedFrom(services), 'SERVICES is replayed');
      // SERVICES['feature-30'] itself too: its event is the earlier one, shifted (not a plain new record).
      const event = incremental.model.files[0]?.evaluation.events.find(
        (e) => e.name === 'SERVICES' && e.path[0] === 'feature-30',
      );
      assert.ok(
        event && Object.getPrototypeOf(event) !== Object.prototype,
        "SERVICES['feature-30'] is replayed",
      );
    }
  });

  it('a section pasted before itself and undone: the later `SERVICES[…] = …` set their entries again, unevaluated', () => {
    // The copy assigns SERVICES['feature-20'] first (its key's span moves), so SERVICES differs from there on and
    // each later `SERVICES['feature-n'] = {…}` reads a changed name — but only that one: its key and value are
    // the earlier ones, shifted (evaluate/statements.ts `replayEntry`). One that reads SERVICES twice, or a
    // changed name in its value, is evaluated.
    const cache = new ParseCache();
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const start =
      generateSettings(560) +
      "SERVICES['self'] = len(SERVICES)\nSERVICES['name'] = {'n': FEATURE_20_NAME}\nSERVICES['late'] = {'u': FEATURE_31_URL}\n";
    const texts = new Map([[SETTINGS, start]]);
    let last = analyzeTexts(texts, layers, 'django', cache);
    const title = start.indexOf('# ----- Section 20:');
    const section = start.slice(title, start.indexOf('# ----- Section 21:'));
    for (const [k, now] of [start.slice(0, title) + section + start.slice(title), start].entries()) {
      texts.set(SETTINGS, now);
      const incremental = analyzeTexts(texts, layers, 'django', cache, last, k === 1 ? pausing() : undefined);
      last = incremental;
      assert.equal(view(incremental), view(analyzeTexts(texts, layers, 'django', new ParseCache())), `${k}`);
      const services = incremental.model.files[0]?.evaluation.env.get('SERVICES')?.value;
      const entry = (key: string): Value | undefined =>
        services?.kind === 'dict'
          ? services.entries.find((e) => e.key.kind === 'str' && e.key.value === key)?.value
          : undefined;
      // Set again from the earlier entry (a shifted value), not evaluated (a new dict).
      for (const key of ['feature-30', 'late']) assert.ok(shiftedFrom(entry(key) as Value), `${key} ${k}`);
      // Evaluated: its value reads SERVICES itself.
      assert.equal(shiftedFrom(entry('self') as Value), undefined, `self ${k}`);
    }
  });

  it("the benchmark's typing rounds, keystroke by keystroke (a condition flipping, a section pasted and undone, …)", () => {
    // test/bench/typing.ts's scenarios on a shorter file of the same shapes: `top` flips DEBUG, read by every
    // `if DEBUG:` (its blocks are evaluated again, the rest replayed); `paste` copies a section before itself and
    // undoes it (an existing SERVICES key's first assignment moves, so every later `SERVICES[…] = …` reads a
    // changed dict); the others type in a dict, at the end, in an import, delete lines, leave brackets open.
    const layers: ProjectLayerInput[] = [{ path: SETTINGS, role: 'settings' }];
    const start = generateSettings(560, { blockEvery: 2 });
    for (const scenario of TYPING_SCENARIOS) {
      const cache = new ParseCache();
      const texts = new Map([[SETTINGS, start]]);
      let last = analyzeTexts(texts, layers, 'django', cache);
      for (let round = 0; round < 2; round++) {
        for (const [k, changes] of scenario.round(start.split('\n'), round).entries()) {
          texts.set(SETTINGS, applyChanges(texts.get(SETTINGS) as string, changes));
          const incremental = analyzeTexts(
            texts,
            layers,
            'django',
            cache,
            last,
            k % 2 ? pausing() : undefined,
          );
          last = incremental;
          const scratch = analyzeTexts(texts, layers, 'django', new ParseCache());
          const where = `${scenario.name}, round ${round + 1}, keystroke ${k + 1}`;
          assert.deepEqual(secretsOf(incremental), secretsOf(scratch), where);
          assert.equal(view(incremental), view(scratch), where);
        }
        assert.equal(texts.get(SETTINGS), start, `${scenario.name}: a round restores the text`);
      }
    }
  });

  it('a Horizon local_settings.py edited at random, with a snippet reading what it sets', () => {
    const snippet = "CACHES['default']['TIMEOUT'] = FEATURE_9_TIMEOUT\nSESSION_ENGINE = FEATURE_1_NAME\n";
    fc.assert(
      fc.property(fc.array(edit(text.length), { minLength: 1, maxLength: 5 }), (edits) =>
        checkSequence(
          new Map([
            [LOCAL, text],
            [SNIPPET, snippet],
          ]),
          LOCAL,
          [
            { path: LOCAL, role: 'local_settings' },
            { path: SNIPPET, role: 'local_settings.d' },
          ],
          'horizon',
          edits,
        ),
      ),
      { numRuns: 6 },
    );
  });
});
