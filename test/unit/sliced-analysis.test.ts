/**
 * An analysis that pauses inside its phases (issue #12: between layers, between top-level statements of a
 * layer, between rules; `AnalyzeRequest.pause`) gives exactly what `analyze` gives at once, however often it
 * pauses and whether or not it resumes from the checkpoints of an earlier text (the language server's cache).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, analyzeInPhases, type Analysis, type AnalysisPhase } from '../../server/src/core/analyze';
import { ParseCache, type ProjectLayerInput } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { generateSettings } from '../bench/generate';
import { analysisView as view } from '../helpers/analysis-view';

const SETTINGS = '/p/mysite/settings.py';
const HORIZON = '/p/openstack_dashboard/settings.py';
const LOCAL = '/p/openstack_dashboard/local/local_settings.py';
const SNIPPET = '/p/openstack_dashboard/local/local_settings.d/_10_x.py';

interface Project {
  readonly kind: 'django' | 'horizon';
  readonly layers: readonly ProjectLayerInput[];
  readonly texts: Map<string, string>;
}

const head =
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n" +
  "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n";

const projects = (lines: number): Record<string, Project> => ({
  django: {
    kind: 'django',
    layers: [{ path: SETTINGS, role: 'settings' }],
    texts: new Map([[SETTINGS, head + generateSettings(lines)]]),
  },
  'horizon, built-in defaults': {
    kind: 'horizon',
    layers: [
      { path: LOCAL, role: 'local_settings' },
      { path: SNIPPET, role: 'local_settings.d' },
    ],
    texts: new Map([
      [LOCAL, head + generateSettings(lines)],
      [SNIPPET, "SECRET_KEY = 'generated-0123456789abcdef'\nCACHES['default']['TIMEOUT'] = 5\n"],
    ]),
  },
  // Horizon's settings.py applies the local layers inside its try statement: they run without pausing there.
  'horizon, its settings.py': {
    kind: 'horizon',
    layers: [
      { path: HORIZON, role: 'settings' },
      { path: LOCAL, role: 'local_settings' },
    ],
    texts: new Map([
      [
        HORIZON,
        `${generateSettings(lines / 2)}try:\n    from local.local_settings import *\nexcept ImportError:\n    pass\nDEBUG = not DEBUG\n`,
      ],
      [LOCAL, head + generateSettings(lines / 2)],
    ]),
  },
});

/** The analysis, pausing wherever `pauses` says (cycled); returns it with the phases it yielded. */
function sliced(
  p: Project,
  cache: ParseCache,
  pauses: readonly boolean[],
): { analysis: Analysis; phases: AnalysisPhase[] } {
  let k = 0;
  const steps = analyzeInPhases({
    project: { root: '/p', kind: p.kind, layers: p.layers, readFile: (f) => p.texts.get(f) },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    cache,
    pause: () => pauses[k++ % pauses.length] === true,
  });
  const phases: AnalysisPhase[] = [];
  for (;;) {
    const r = steps.next();
    if (r.done) return { analysis: r.value, phases };
    phases.push(r.value);
  }
}

const whole = (p: Project, cache = new ParseCache()): Analysis =>
  analyze({
    project: { root: '/p', kind: p.kind, layers: p.layers, readFile: (f) => p.texts.get(f) },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    cache,
  });

describe('an analysis paused inside its phases equals analyze', function () {
  this.timeout(120_000);

  for (const [name, p] of Object.entries(projects(1200))) {
    it(`${name}: pausing at every point, and at random ones`, () => {
      const expected = view(whole(p));
      const always = sliced(p, new ParseCache(), [true]);
      assert.equal(view(always.analysis), expected);
      // It did pause inside the evaluation (between the top-level statements of a layer) and the rules.
      const evaluating = always.phases.slice(
        always.phases.indexOf('parsed'),
        always.phases.indexOf('evaluated'),
      );
      const checking = always.phases.slice(
        always.phases.indexOf('evaluated'),
        always.phases.indexOf('checked'),
      );
      assert.ok(evaluating.length > 20, `${evaluating.length} pauses while evaluating`);
      assert.ok(checking.length > 10, `${checking.length} pauses while the rules ran`);
      // The fixes offered were verified (a trial analysis per fix, which never pauses) and are the same.
      assert.ok(always.analysis.findings.some((f) => f.fix));
      fc.assert(
        fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (pauses) => {
          assert.equal(view(sliced(p, new ParseCache(), pauses).analysis), expected);
        }),
        { numRuns: 5 },
      );
    });
  }

  it('resuming from the checkpoints of an earlier text while pausing gives the from-scratch result', () => {
    const p = projects(1200)['horizon, built-in defaults'] as Project;
    const cache = new ParseCache();
    sliced(p, cache, [true]);
    editsMatchFromScratch(
      p,
      LOCAL,
      cache,
      ['x', '\n', "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n", '('],
      10,
    );
  });

  it('an error-dense file: pausing inside its fresh parse (between segments, inside lezer) and after an edit in it', () => {
    // Issue #11: such a file once took one unpaused step of seconds (lezer's recovery on every statement).
    let broken = '';
    for (let i = 0; i < 300; i++) broken += `A${i} = [1,)\nB${i} = ${i}\nC${i} = \n`;
    const p: Project = {
      kind: 'django',
      layers: [{ path: SETTINGS, role: 'settings' }],
      texts: new Map([[SETTINGS, head + broken + generateSettings(300)]]),
    };
    const always = sliced(p, new ParseCache(), [true]);
    assert.equal(view(always.analysis), view(whole(p)));
    const parsing = always.phases.indexOf('parsed');
    // 900 lines: 5 segments; it pauses inside lezer's parse of each one too.
    assert.ok(parsing > 50, `${parsing} pauses while parsing`);
    const cache = new ParseCache();
    sliced(p, cache, [true]);
    editsMatchFromScratch(p, SETTINGS, cache, ['x', '\n', '(', ')', ']', 'A = [1,)\n', "'"], 8);
  });

  it('does not pause inside a phase unless asked', () => {
    const p = projects(400).django as Project;
    const steps = analyzeInPhases({
      project: { root: '/p', kind: p.kind, layers: p.layers, readFile: (f) => p.texts.get(f) },
      options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    });
    const phases: AnalysisPhase[] = [];
    for (let r = steps.next(); !r.done; r = steps.next()) phases.push(r.value);
    assert.deepEqual(phases, ['parsed', 'evaluated', 'checked']);
  });
});

/**
 * Random insertions into `file`, each analysed with a random pause schedule resuming from `cache`'s checkpoints of
 * the text before it: the result equals a from-scratch analysis of the edited project.
 */
function editsMatchFromScratch(
  p: Project,
  file: string,
  cache: ParseCache,
  insertions: readonly string[],
  numRuns: number,
): void {
  fc.assert(
    fc.property(
      fc.nat(),
      fc.constantFrom(...insertions),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
      (at, ins, pauses) => {
        const text = p.texts.get(file) as string;
        const i = at % text.length;
        p.texts.set(file, text.slice(0, i) + ins + text.slice(i));
        assert.equal(view(sliced(p, cache, pauses).analysis), view(whole(p)));
      },
    ),
    { numRuns },
  );
}
