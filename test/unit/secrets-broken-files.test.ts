/**
 * The masker and a file with a syntax error: lezer's recovery may read a secret's literal as the value of
 * another name (`X = [1,)` then `SECRET_KEY = '…'`: X holds the key), which hover then shows as X's effective
 * value. The masker knows every string literal assigned to a secret-looking name in such a file, whatever the
 * recovery made of it (found by the language server's property test, test/lsp/server-property.test.ts).
 */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { hover } from '../../server/src/core/features/hover';
import { ParseCache } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { redactorFor } from '../../server/src/core/secrets';
import { generateSettings } from '../bench/generate';

const FILE = '/project/local_settings.py';
const KEY = 'sup3r-s3cret-0-abcdefghijklmnopqrstuvwxyz0123456789';

function analyzeOne(text: string, cache = new ParseCache()): Analysis {
  return analyze({
    project: {
      root: '/project',
      kind: 'horizon',
      layers: [{ path: FILE, role: 'local_settings' }],
      readFile: (f) => (f === FILE ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    cache,
  });
}

/** Every hover of the file, masked as the language server masks it. */
function hovers(text: string): string[] {
  const analysis = analyzeOne(text);
  const masker = redactorFor(analysis);
  const out: string[] = [];
  for (let offset = 0; offset < text.length; offset++) {
    const h = hover(analysis, FILE, offset);
    if (h) out.push(masker.text(h.markdown));
  }
  return out;
}

describe('masking secrets of a file with a syntax error', () => {
  for (const [what, text] of [
    ['an unclosed list before SECRET_KEY', `X = [1,)\nSECRET_KEY = '${KEY}'\nimport os\n`],
    ['an unclosed dict before a PASSWORD key', `X = {\nDATABASES = {'default': {'PASSWORD': "${KEY}"}}\n`],
    ['an unclosed call before a token', `X = f(\nAPI_TOKEN = '${KEY}'\nDEBUG = True\n`],
  ] as const) {
    it(`hover shows no secret after ${what}`, () => {
      const shown = hovers(text);
      assert.ok(shown.length > 0, 'something is hovered');
      for (const h of shown) assert.ok(!h.includes('s3cret'), h);
    });
  }

  it('knows the literals of every segment of a long file, also after an edit re-parses one (each scanned once)', () => {
    // A long file is scanned segment by segment, each segment's literals kept with its tree: an edit's analysis
    // scans only its new segments and knows what a fresh one knows.
    const body = generateSettings(1500).split('\n');
    const secrets = [0.1, 0.5, 0.9].map((f, k) => {
      let line = Math.floor(body.length * f);
      while (!/^FEATURE_/.test(body[line] ?? '')) line++;
      // lezer's recovery reads the secret's line into X's statement: only the scan of the text knows it.
      body.splice(line, 0, `X${k} = [1,)`, `DB${k}_PASSWORD = '${KEY}-${k}'`);
      return `${KEY}-${k}`;
    });
    const broken = body.join('\n');
    const cache = new ParseCache();
    const first = analyzeOne(broken, cache);
    assert.ok(first.model.files[0]?.parsed.segments, 'parsed in segments');
    for (const secret of secrets) assert.ok(redactorFor(first).known.includes(secret), secret);
    // A keystroke in the middle, and a quote left open there: the literals after it are still known.
    const middle = broken.indexOf('\nFEATURE_', broken.length >> 1);
    for (const typed of ['Z = 1', "Z = 'open"]) {
      const edited = broken.slice(0, middle) + `\n${typed}` + broken.slice(middle);
      const known = redactorFor(analyzeOne(edited, cache)).known.sort();
      assert.deepEqual(known, redactorFor(analyzeOne(edited)).known.sort());
      for (const secret of secrets) assert.ok(known.includes(secret), `${typed}: ${secret}`);
    }
  });

  it('masks nothing more in a file without a syntax error', () => {
    const text = `X = 'not-a-secret-value-1234'\nY = X\n`;
    const analysis = analyzeOne(text);
    assert.deepEqual(redactorFor(analysis).known, []);
  });
});
