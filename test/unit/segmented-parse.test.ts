/** Segmented parsing: long files parse without @lezer/python's false errors, and segments never change the tree. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { ParseCache } from '../../server/src/core/layers/project';
import { parsePython, parsePythonInSteps } from '../../server/src/core/python/parse';
import { MAX_BRACKET_DEPTH } from '../../server/src/core/python/source-checks';
import {
  commonPrefix,
  commonSuffix,
  parseSegmented,
  parseSegmentedInSteps,
  resegment,
  segmentsAndDepth,
  segmentsAndDepthInSteps,
  topLevelSegments,
} from '../../server/src/core/python/segmented-parse';
import { generateSettings } from '../bench/generate';

function shape(tree: Tree): string {
  const out: string[] = [];
  tree.iterate({ enter: (n) => void out.push(`${n.name}@${n.from}-${n.to}`) });
  return out.join(' ');
}

const STATEMENTS = [
  'X = 1\n',
  '\n',
  '# a comment\n',
  "CACHES = {\n    'default': {\n        'BACKEND': 'b',\n    },\n}\n",
  'if DEBUG:\n    A = 1\nelse:\n    A = 2\n',
  'try:\n    import x\nexcept ImportError:\n    pass\nfinally:\n    pass\n',
  "S = '''\nNOT_A_STATEMENT = 1\n'''\n",
  'L = [\n1,\n2]\n',
  'Y = 1 + \\\n    2\n',
  '@decorator\ndef f():\n    return 1\n',
  'class K:\n    A = 1\n\n    B = 2\n',
  "T = f'{a}'\n",
];

describe('segmented parsing', () => {
  it("parses thousands of blank-line-separated statements without lezer's false error", () => {
    for (const unit of ['\nX = 1\n', '# c\nX = [\n  1,\n]\n', '\n\n\nX = 1\n']) {
      const text = unit.repeat(2000);
      assert.ok(
        hasErrorWhole(text),
        'the upstream bug this works around no longer reproduces: remove segmentation',
      );
      const parsed = parsePython('settings.py', text);
      assert.equal(parsed.syntaxError, undefined);
      assert.equal(parsed.tree.topNode.getChildren('AssignStatement').length, 2000);
    }
  });
  it('cuts only before top-level statements', () => {
    const text =
      "A = 1\nif x:\n    B = 1\nelse:\n    B = 2\nC = {\n'k': 1}\n@d\ndef f(): pass\nD = '''\nE = 1\n'''\nF = 1\n";
    const cuts = topLevelSegments(text, 1).map((s) => text.slice(s.from, s.to).split('\n')[0]);
    assert.deepEqual(cuts, ['A = 1', 'if x:', 'C = {', '@d', "D = '''", 'F = 1']);
  });
  it('gives the same tree as a whole parse for valid files, however they are cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATEMENTS), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (parts, maxLines) => {
          const text = parts.join('');
          const whole = parser.parse(text);
          if (hasError(whole)) return;
          assert.equal(shape(parseSegmented(text, undefined, maxLines).tree), shape(whole));
        },
      ),
      { numRuns: 300 },
    );
  });
  it('finds an error exactly when a whole parse does, without one where no cut can have split a construct', () => {
    // Segments with an error: the whole text is parsed again only when a cut next to one may have split a
    // construct (cutsHold); the answer must stay the whole parse's, on texts with and without errors.
    const broken = [
      'X = \n',
      'else:\n    A = 3\n',
      'Y = (\n',
      "Z = '''\n",
      'W = 1 + \\\n',
      '@d\n',
      'V = ]\n',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATEMENTS, ...broken), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (parts, maxLines) => {
          const text = parts.join('');
          const whole = parser.parse(text);
          const segmented = parseSegmented(text, undefined, maxLines);
          assert.equal(hasError(segmented.tree), hasError(whole), JSON.stringify(text));
          if (!hasError(whole)) assert.equal(shape(segmented.tree), shape(whole));
        },
      ),
      { numRuns: 500 },
    );
    // `X = ` inside a long file: its segment keeps its error and no other segment is involved.
    const long = 'A = 1\n'.repeat(30) + 'X = \n' + 'B = 2\n'.repeat(30);
    const parsed = parseSegmented(long, undefined, 10);
    assert.ok(
      parsed.error && parsed.segments && parsed.segments.size > 3,
      'the joined segments are the answer',
    );
  });
  it('finds an error exactly when a whole parse does in texts whose compound statements are split at random lines', () => {
    // A block of lines pasted elsewhere (the bench's `paste`) or lines deleted can cut a `try:` from its `except`,
    // an `if` from its `elif`/`else`: a segment then ends unfinished and is joined with the next ones
    // (joinedCutsHold) instead of the whole text being parsed again.
    const compound = [
      'try:\n    A = 1\nexcept KeyError:\n    A = 2\nelse:\n    A = 3\nfinally:\n    B = 1\n',
      'if X:\n    C = 1\nelif Y:\n    C = 2\nelse:\n    C = 3\n',
      'try:\n    import x\nexcept ImportError:\n    x = None\n',
      'for k in L:\n    D = k\nelse:\n    D = 0\n',
      'E = {\n    1: 2,\n}\n',
      'F = 1\n',
      '# comment\n',
      '\n',
      '@d\ndef f():\n    return 1\n',
      "G = '''\nH = 1\n'''\n",
      'I = 1 + \\\n    2\n',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...compound), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (parts, maxLines, a, b, c, paste) => {
          const lines = parts.join('').split('\n');
          const from = a % lines.length;
          const to = from + (b % (lines.length - from));
          const block = lines.slice(from, to);
          const at = c % lines.length;
          const edited = paste
            ? [...lines.slice(0, at), ...block, ...lines.slice(at)]
            : [...lines.slice(0, from), ...lines.slice(to)];
          const text = edited.join('\n');
          const whole = parser.parse(text);
          const segmented = parseSegmented(text, undefined, maxLines);
          assert.equal(hasError(segmented.tree), hasError(whole), JSON.stringify(text));
          if (!hasError(whole)) assert.equal(shape(segmented.tree), shape(whole));
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('a `try:` cut from its block by a segment boundary: the segments around the cut are joined, not the text parsed whole', () => {
    // The segment ends with `try:` (an error at its end: no block), the next starts at column 0.
    const text = 'A = 1\n'.repeat(19) + 'try:\n' + 'B = 2\n'.repeat(20);
    const cut = topLevelSegments(text, 10);
    assert.ok(cut.some((r) => text.slice(r.from, r.to).endsWith('try:\n') && text.startsWith('B = 2', r.to)));
    const parsed = parseSegmented(text, undefined, 10);
    assert.ok(hasErrorWhole(text) && parsed.error);
    assert.equal(parsed.wholeMayHelp, false, 'the text was parsed again whole');
    // At most MAX_JOINED segments are joined: when every joined piece still ends unfinished, a whole parse decides.
    const far = ('A = 1\n'.repeat(9) + 'try:\n').repeat(6);
    assert.equal(topLevelSegments(far, 10).length, 6);
    assert.equal(parseSegmented(far, undefined, 10).wholeMayHelp, true);
  });
  it('re-parses only the edited segment of a file cut at a limit, giving the tree a fresh parse gives', () => {
    // Fix verification re-parses an edited copy of the file: after a limit cut the text (a file over MAX_FILE_CHARS,
    // brackets nested too deep) it used to parse it all again. Cut here by brackets: same path, small text.
    const unit = "OPTIONS = {\n    'name': 'x',\n    'limits': [1, 2, 3],\n}\n\n# section\nN = 1\n";
    const text =
      unit.repeat(300) +
      'DEEP = ' +
      '['.repeat(MAX_BRACKET_DEPTH + 1) +
      ']'.repeat(MAX_BRACKET_DEPTH + 1) +
      '\n';
    const first = parsePython('settings.py', text);
    assert.ok(first.limit && first.segments && first.segments.size > 2, 'a segmented parse cut at a limit');
    const edited = text.replace("'x'", "'y'"); // in the first segment
    const again = parsePython('settings.py', edited, first);
    const fresh = parsePython('settings.py', edited);
    assert.equal(again.source, fresh.source);
    assert.deepEqual(again.limit, fresh.limit);
    assert.equal(shape(again.tree), shape(fresh.tree));
    // Every segment but the edited one is the previous parse's tree itself.
    const previous = new Set([...(first.segments?.values() ?? [])].map((s) => s.tree));
    const trees = [...(again.segments?.values() ?? [])].map((s) => s.tree);
    assert.equal(trees.filter((t) => !previous.has(t)).length, 1);
  });
  it('cuts after an unclosed bracket only where lezer finds the whole text an error, never in a valid text', () => {
    // Lines a bracket may or may not hold at column 0: keyword arguments, parameters with defaults and
    // annotations, lambda parameters, `yield from`, conditional expressions, comprehensions, strings.
    const LINES = [
      'X = [',
      'X = (',
      'X = f(',
      'X = {',
      'def f(',
      'def f(a:',
      'class K(',
      'X = [lambda',
      'X = [lambda a,',
      'a = 1',
      'a = 1,',
      'a=1)',
      'a.b = 1',
      "a['k'] = 1",
      'a[1] = 2]',
      'import os',
      'from a import b',
      'from a',
      'lambda',
      '1,',
      '1',
      ')',
      ']',
      '}',
      '(yield',
      'x: int |',
      'x: int',
      'if a else',
      'for a in b',
      '"s"',
      "'''",
      '"""',
      '#c',
      '',
      '    x,',
      'a',
      'f(a,',
      'try:',
      'pass',
      'return',
      '@d',
      'x = (yield',
      'b ==1',
      'del x',
      'with a:',
      'X = \\',
      'async def f(',
      'case = 1',
      'not',
      'x.',
      'a or',
      'f(a',
      "f'{",
      'd = dict(',
    ];
    let cuts = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 14 }), (lines) => {
        const text = lines.join('\n') + '\n';
        const ranges = topLevelSegments(text, 1000);
        if (ranges.some((r) => r.unclosedAt !== undefined)) {
          cuts++;
          assert.ok(hasErrorWhole(text), JSON.stringify(text));
        }
        // A valid text is never cut there, and parses as before.
        if (!hasErrorWhole(text))
          assert.equal(shape(parsePython('settings.py', text).tree), shape(parser.parse(text)));
      }),
      { numRuns: 3000, seed: 11 },
    );
    assert.ok(cuts > 500, `${cuts} texts cut after an unclosed bracket`);
  });
  it('typing a line with a bracket left open re-parses the broken statement alone, as a fresh parse does', () => {
    const base = generateSettings(2000);
    const at = base.indexOf('\nFEATURE_40_TIMEOUT = ');
    const line = "\nEXTRA_HOSTS = ['a', 'b']";
    const texts: string[] = [];
    for (let k = 1; k <= line.length; k++) texts.push(base.slice(0, at) + line.slice(0, k) + base.slice(at));
    texts.push(...texts.slice(0, -1).reverse(), base);
    let previous = parsePython('settings.py', base);
    let withBracket = 0;
    let wasOpen = false;
    for (const text of texts) {
      const again = parsePython('settings.py', text, previous);
      const fresh = parsePython('settings.py', text);
      const typed = text.slice(at, text.indexOf('\n', at + 1));
      assert.equal(shape(again.tree), shape(fresh.tree), typed);
      assert.deepEqual(again.syntaxError, fresh.syntaxError, typed);
      assert.equal(again.syntaxErrorReason, fresh.syntaxErrorReason, typed);
      assert.deepEqual(again.ranges, fresh.ranges, typed);
      assert.ok(again.edited, `parsed from the previous segments: ${typed}`);
      const old = new Set([...(previous.segments?.values() ?? [])].map((s) => s.tree));
      const parsed = [...(again.segments?.values() ?? [])].filter((s) => !old.has(s.tree));
      // Opening or closing the bracket cuts or joins segments: the statements before the broken one, the broken
      // one, those after it. While it stays open, only the broken statement (its own segment) is parsed again.
      const open = typed.includes('[') && !typed.includes(']');
      if (open && wasOpen) {
        assert.equal(parsed.length, 1, typed);
        assert.ok(
          (again.ranges ?? []).some((r) => r.broken && r.from === at + 1),
          typed,
        );
      } else assert.ok(parsed.length <= 3, `${parsed.length} segments parsed for ${typed}`);
      wasOpen = open;
      if (open && typed.split("'").length % 2 === 1) {
        // As CPython says it: "'[' was never closed", at the bracket.
        withBracket++;
        assert.equal(again.syntaxErrorReason, "'[' was never closed", typed);
        assert.equal(again.syntaxError?.from, at + typed.indexOf('['), typed);
        // The statements after the broken one keep their tree.
        const next = again.tree.topNode.childAfter(at + typed.length + 1);
        assert.equal(text.slice(next?.from, next?.to).split(' ')[0], 'FEATURE_40_TIMEOUT', typed);
        assert.equal(next?.name, 'AssignStatement');
      }
      previous = again;
    }
    assert.equal(withBracket, 10);
  });
  it('a bracket left open inside an indented block cuts before the top-level statement holding it', () => {
    const block = 'if DEBUG:\n    C = 1\n    HOSTS = [\n';
    const text = 'A = 1\n'.repeat(5) + block + 'Z = 1\n' + 'B = 2\n'.repeat(5);
    const broken = topLevelSegments(text).filter((r) => r.broken);
    assert.deepEqual(
      broken.map((r) => text.slice(r.from, r.to)),
      [block],
      'typing in HOSTS re-parses its if statement alone',
    );
    // Not before a clause of the statement (`else:` cannot start a segment): no such cut then.
    const clause = 'if DEBUG:\n    C = 1\nelse:\n    HOSTS = [\n';
    const other = 'A = 1\n'.repeat(5) + clause + 'Z = 1\n';
    assert.deepEqual(
      topLevelSegments(other).filter((r) => r.broken),
      [],
    );
  });

  it('finds the segments of an edited text from the old ones as a full scan does (resegment)', () => {
    const pieces = [...STATEMENTS, 'else:\n', 'e', '@', '(', ')', "'", '"""', '\\', '#', ' ', '    ', 'x'];
    // Brackets left open before lines that can only begin a statement (cuts after an unclosed bracket).
    pieces.push('[', '{', 'X = [', 'f(', 'lambda', 'import os\n');
    const edit = fc.record({
      at: fc.nat(),
      del: fc.nat(20),
      ins: fc.array(fc.constantFrom(...pieces), { maxLength: 3 }).map((p) => p.join('')),
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATEMENTS), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(edit, { minLength: 1, maxLength: 5 }),
        (parts, maxLines, edits) => {
          let text = parts.join('');
          let ranges = topLevelSegments(text, maxLines);
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            const next = text.slice(0, at) + e.ins + text.slice(at + e.del);
            ranges = resegment(text, ranges, next, maxLines);
            text = next;
            assert.deepEqual(ranges, topLevelSegments(text, maxLines), JSON.stringify(text));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('segment cuts found by the text around them (boundary lines)', () => {
  // Past a segment's first eighth of lines, a statement start whose line hashes to a boundary ends it; at
  // maxLines any statement start does. A cut moved by lines added or removed before it is found again.
  const named = fc
    .tuple(fc.nat(9999), fc.constantFrom(...STATEMENTS))
    .map(([n, s]) => `SETTING_${n}_OF_A_LONGER_NAME = ${n}\n${s}`);
  const lineEdit = fc.record({
    at: fc.nat(),
    del: fc.nat(3),
    ins: fc.array(named, { maxLength: 4 }).map((p) => p.join('')),
    inLine: fc.boolean(),
  });

  it('finds the segments of an edited text from the old ones as a full scan does, lines added and removed', () => {
    let boundaryCuts = 0;
    fc.assert(
      fc.property(
        fc.array(named, { minLength: 20, maxLength: 120 }),
        fc.integer({ min: 8, max: 40 }),
        fc.array(lineEdit, { minLength: 1, maxLength: 4 }),
        (parts, maxLines, edits) => {
          let text = parts.join('');
          let ranges = topLevelSegments(text, maxLines);
          for (const r of ranges.slice(0, -1))
            if (text.slice(r.from, r.to).split('\n').length - 1 < maxLines) boundaryCuts++;
          for (const e of edits) {
            // Whole lines removed and inserted, or characters typed in a line (a boundary line's hash changes).
            const lines = text.split('\n');
            const line = e.at % lines.length;
            // Typed in a line where a segment starts (its first characters decide whether it is a cut).
            const cutAt = (ranges[e.at % ranges.length] as { from: number }).from;
            const cutLine = text.indexOf('\n', cutAt) < 0 ? text.length : text.indexOf('\n', cutAt);
            const typedAt = cutAt + ((e.at >> 3) % (cutLine - cutAt + 1));
            const next = e.inLine
              ? text.slice(0, typedAt) + 'x' + text.slice(typedAt)
              : [...lines.slice(0, line), e.ins.replace(/\n$/, ''), ...lines.slice(line + e.del)]
                  .filter((l, k, all) => k < all.length - 1 || l !== '')
                  .join('\n') + '\n';
            ranges = resegment(text, ranges, next, maxLines);
            text = next;
            assert.deepEqual(ranges, topLevelSegments(text, maxLines), JSON.stringify(text));
          }
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(boundaryCuts > 100, `${boundaryCuts} cuts before a segment was full`);
  });

  it('a block of lines pasted in a long file re-parses the segments around it, not every segment after it', () => {
    const base = generateSettings(4000);
    const lines = base.split('\n');
    const at = lines.findIndex((l, i) => i > lines.length / 3 && l.startsWith('# ----- Section'));
    const pasted = [...lines.slice(0, at), ...lines.slice(at, at + 20), ...lines.slice(at)].join('\n');
    const before = parsePython('settings.py', base);
    for (const [from, to] of [
      [base, pasted],
      [pasted, base],
    ] as const) {
      const previous = from === base ? before : parsePython('settings.py', from);
      const again = parsePython('settings.py', to, previous);
      assert.deepEqual(again.ranges, parsePython('settings.py', to).ranges);
      const old = new Set(previous.segmentTexts);
      const parsed = (again.segmentTexts ?? []).filter((t) => !old.has(t));
      assert.ok(
        parsed.length <= 3,
        `${parsed.length} of ${again.segmentTexts?.length} segments parsed again`,
      );
    }
  });
});

describe('segmented parsing in steps (issue #11: no unpaused step on an error-dense file)', () => {
  const broken = [
    'X = \n',
    'Y = (\n',
    "Z = '''\n",
    'A = [1,)\n',
    'A = [1,]]\n',
    'A = "abc\n',
    'V = ]\n',
    '@d\n',
  ];
  /** Runs `make`'s steps to their end, asking `pauses` (cycled) at every opportunity; the value and the pauses. */
  function paused<T>(
    make: (pause: () => boolean) => Generator<void, T, void>,
    pauses: readonly boolean[],
  ): { value: T; yields: number } {
    let k = 0;
    const steps = make(() => pauses[k++ % pauses.length] === true);
    for (let yields = 0; ; yields++) {
      const r = steps.next();
      if (r.done) return { value: r.value, yields };
    }
  }
  const summary = (p: ReturnType<typeof parseSegmented>): string =>
    JSON.stringify({
      tree: shape(p.tree),
      error: p.error,
      firstError: p.firstError,
      ranges: p.ranges,
      wholeMayHelp: p.wholeMayHelp,
      segments: p.segments && [...p.segments.values()].map((s) => s.error),
    });

  it('gives what parseSegmented gives however often it pauses (segments, their lezer parses, the whole parse)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATEMENTS, ...broken), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        (parts, maxLines, pauses) => {
          const text = parts.join('');
          const expected = summary(parseSegmented(text, undefined, maxLines));
          const got = paused(
            (pause) =>
              parseSegmentedInSteps(text, undefined, maxLines, undefined, undefined, true, undefined, pause),
            pauses,
          );
          assert.equal(summary(got.value), expected, JSON.stringify(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the segments and bracket depth a one-go scan finds, pausing at cuts (segmentsAndDepthInSteps)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STATEMENTS, ...broken, '[', '(', ')'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        (parts, maxLines, chunk, pauses) => {
          const text = parts.join('');
          const got = paused((pause) => segmentsAndDepthInSteps(text, maxLines, pause, chunk), pauses);
          assert.deepEqual(got.value, segmentsAndDepth(text, maxLines), JSON.stringify(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a parse dropped part-way leaves the segments it parsed to the next parse of the file (ParseCache)', () => {
    let text = '';
    for (let i = 0; i < 3000; i++) text += `A${i} = [1,)\nB${i} = 2\n`;
    const run = (
      cache: ParseCache,
      t: string,
      limit = Infinity,
    ): { yields: number; parsed?: ReturnType<typeof parsePython> } => {
      const steps = cache.getInSteps('/p/settings.py', t, () => true);
      for (let yields = 0; yields < limit; yields++) {
        const r = steps.next();
        if (r.done) return { yields, parsed: r.value };
      }
      return { yields: limit };
    };
    const fresh = run(new ParseCache(), text);
    const cache = new ParseCache();
    assert.equal(run(cache, text, fresh.yields / 2).parsed, undefined); // dropped half-way
    const edited = text + 'C = 1\n';
    const resumed = run(cache, edited);
    assert.ok(resumed.yields < fresh.yields * 0.7, `${resumed.yields} pauses, ${fresh.yields} afresh`);
    const expected = parsePython('/p/settings.py', edited);
    assert.equal(shape(resumed.parsed!.tree), shape(expected.tree));
    assert.deepEqual(resumed.parsed!.syntaxError, expected.syntaxError);
    assert.equal(cache.size, 1, 'the parsed file alone (what the dropped parse kept is let go)');
  });

  it('pauses many times inside the parse of an error-dense file and gives the tree and error parsePython gives', () => {
    // 3,000 broken statements, 6,000 lines: 30 segments or more, each a long recovery for lezer.
    let text = '';
    for (let i = 0; i < 3000; i++) text += `A${i} = [1,)\nB${i} = 2\n`;
    const expected = parsePython('settings.py', text);
    const got = paused((pause) => parsePythonInSteps('settings.py', text, undefined, pause), [true]);
    assert.equal(shape(got.value.tree), shape(expected.tree));
    assert.deepEqual(got.value.syntaxError, expected.syntaxError);
    assert.deepEqual(got.value.ranges, expected.ranges);
    const segments = topLevelSegments(text).length;
    assert.ok(segments >= 30, `${segments} segments`); // at most 200 lines each
    // Between segments alone it would pause ~30 times: it pauses inside lezer's parse of each one too.
    assert.ok(got.yields > 4 * segments, `${got.yields} pauses`);
    // Each segment's error is in its first statement, so no cut can be wrong: the text is not parsed again whole.
    assert.equal(
      parseSegmented(text).wholeMayHelp,
      false,
      'an error-dense file was parsed a second time, whole',
    );
  });
});

function hasError(tree: Tree): boolean {
  let found = false;
  tree.iterate({ enter: (n) => (n.type.isError ? ((found = true), false) : !found) });
  return found;
}

function hasErrorWhole(text: string): boolean {
  return hasError(parser.parse(text));
}

describe('commonPrefix / commonSuffix (compared 1,024 characters at a time)', () => {
  const naivePrefix = (a: string, b: string): number => {
    let i = 0;
    while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
    return i;
  };
  const naiveSuffix = (a: string, b: string, max: number): number => {
    let i = 0;
    while (i < max && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
    return i;
  };
  it('equal the character-by-character scan on texts that differ anywhere, across chunk boundaries', () => {
    const long = 'abcdefghij'.repeat(400);
    fc.assert(
      fc.property(
        fc.nat(long.length),
        fc.nat(long.length),
        fc.string({ maxLength: 3 }),
        fc.nat(30),
        (at, cut, ins, del) => {
          const a = long.slice(0, cut + 1500);
          const b = a.slice(0, at) + ins + a.slice(at + del);
          const p = commonPrefix(a, b);
          assert.equal(p, naivePrefix(a, b));
          const max = Math.min(a.length, b.length) - p;
          assert.equal(commonSuffix(a, b, max), naiveSuffix(a, b, max));
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
