/**
 * Modules that nest one value several times a line (`a1 = [a0, a0, a0]` forty times: 3^40 paths over 40
 * values). Every walk over values must treat them as the shared values they are: the analysis with its fix
 * verification, the masker, hover on every name, the lens and inlay notes, Go to Definition. Before, resolving
 * `CACHES = a39`'s load-time BACKEND choices and hover's walk of every binding went down every path (the first
 * never finished; the second took seconds per hover).
 */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import { hover } from '../../server/src/core/features/hover';
import { defaultsFor, definitionAt, overridesIn } from '../../server/src/core/features/layers';
import { ParseCache } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { Redactor } from '../../server/src/core/secrets';

const FILE = '/project/local_settings.py';
const LEVELS = 40;

const LEAVES = {
  list: "['django.core.cache.backends.memcached.PyMemcacheCache']",
  dict: "{'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'PASSWORD': 'sekrit-dag-77'}",
  url: "os.environ.get('CACHE_URL', 'redis://user:sekrit-dag-77@cache:6379/0')",
} as const;

const NESTS = {
  list: (p: string) => `[${p}, ${p}, ${p}]`,
  dict: (p: string) => `{'BACKEND': ${p}, 'LOCATION': ${p}, 'OPTIONS': ${p}}`,
  tuple: (p: string) => `(${p}, ${p}, ${p})`,
} as const;

const PLACES = {
  caches: (v: string) => `CACHES = ${v}`,
  'caches default': (v: string) => `CACHES = {'default': ${v}}`,
  'cache options': (v: string) =>
    `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': ${v}, 'OPTIONS': ${v}}}`,
  databases: (v: string) =>
    `DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'OPTIONS': ${v}}}`,
  'session engine': (v: string) => `SESSION_ENGINE = ${v}`,
  'secret key': (v: string) => `SECRET_KEY = ${v}`,
  'a condition': (v: string) => `if ${v}:\n    SESSION_ENGINE = 'django.contrib.sessions.backends.cache'`,
  'an f-string': (v: string) => `SESSION_ENGINE = f'{${v}}'`,
  'a sum': (v: string) => `INSTALLED_APPS = ${v} + ${v}`,
} as const;

function module(leaf: string, nest: (p: string) => string, place: (v: string) => string): string {
  const lines = ['import os', `a0 = ${leaf}`];
  for (let i = 1; i < LEVELS; i++) lines.push(`a${i} = ${nest(`a${i - 1}`)}`);
  return `${lines.join('\n')}\n${place(`a${LEVELS - 1}`)}\n`;
}

/** One settings file (`FILE`) analysed alone: Horizon's local_settings.py or a Django settings module. */
function analyzeOne(text: string, kind: 'horizon' | 'django'): Analysis {
  return analyze({
    project: {
      root: '/project',
      kind,
      layers: [{ path: FILE, role: kind === 'horizon' ? 'local_settings' : 'settings' }],
      readFile: (f) => (f === FILE ? text : undefined),
    },
    options: { ...DEFAULT_OPTIONS, djangoVersion: '4.2' },
    cache: new ParseCache(),
  });
}

describe('values shared by reference (3^40 paths)', () => {
  for (const [leafName, leaf] of Object.entries(LEAVES))
    for (const [nestName, nest] of Object.entries(NESTS))
      for (const [placeName, place] of Object.entries(PLACES)) {
        it(`${leafName} leaves, ${nestName} nests, in ${placeName}: analysed, masked, hovered, annotated`, () => {
          const text = module(leaf, nest, place);
          const analysis = analyzeOne(text, 'horizon');
          const file = analysis.model.files.find((f) => f.path === FILE);
          assert.equal(file?.evaluation.limit, undefined, 'no limit stopped the evaluation');
          const masker = new Redactor();
          masker.addAnalysis(analysis);
          if (leafName !== 'list')
            assert.ok(masker.known.includes('sekrit-dag-77'), 'the shared secret is known');
          let hovered = 0;
          for (const m of text.matchAll(/^a\d+|^[A-Z_]+/gm)) {
            const h = hover(analysis, FILE, (m.index ?? 0) + 1);
            if (h) {
              hovered++;
              assert.doesNotMatch(h.markdown, /sekrit-dag-77/);
            }
            definitionAt(analysis, FILE, (m.index ?? 0) + 1);
          }
          assert.ok(hovered >= 1, 'the setting has a hover');
          overridesIn(analysis, FILE);
          defaultsFor(analysis, FILE);
          for (const f of analysis.findings) assert.doesNotMatch(f.message, /sekrit-dag-77/);
        });
      }
});

describe('hover cuts a long value to length after masking it', () => {
  it('shows no part of a secret or URL password wherever the cut falls', () => {
    for (let pad = 150; pad <= 260; pad += 3)
      for (const entry of [
        "'PASSWORD': 'sekrit-cut-9876543210'",
        "'URL': 'redis://u:sekrit-cut-9876543210@h/0'",
      ]) {
        const text = `X = {'a': '${'x'.repeat(pad)}', ${entry}}\n`;
        const analysis = analyzeOne(text, 'django');
        const h = hover(analysis, FILE, 1);
        assert.ok(h, `a hover on X (pad ${pad})`);
        assert.doesNotMatch(h.markdown, /sek/, `pad ${pad}: ${h.markdown}`);
      }
  });
});
