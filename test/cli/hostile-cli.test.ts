/** The CLI on hostile input (issue #9): no crash loses the run, no huge line stalls the output. */
import assert from 'node:assert/strict';
import { assertBundle, LOCMEM_SETTINGS, makeProject, removeProject, runCli } from './cli-harness';

describe('cli: hostile input', () => {
  before(assertBundle);
  let dir = '';
  afterEach(() => {
    if (dir) removeProject(dir);
    dir = '';
  });

  it('20,000 nested brackets in one file: DSL003 there, the other project still reported', () => {
    dir = makeProject({
      'a/local_settings.py': `X = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      'b/local_settings.py': `X = ${'('.repeat(20_000)}\n`,
      'c/local_settings.py': LOCMEM_SETTINGS,
    });
    const r = runCli(['a', 'b', 'c', '--format', 'json'], dir);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; path: string; message: string }[] };
    const limits = out.diagnostics.filter((d) => d.code === 'DSL003');
    assert.deepEqual(limits.map((d) => d.path).sort(), ['a/local_settings.py', 'b/local_settings.py']);
    for (const d of limits) assert.match(d.message, /nested deeper than 200/);
    assert.ok(out.diagnostics.some((d) => d.code === 'DSL104' && d.path === 'c/local_settings.py'));
    assert.equal(r.status, 0); // warnings only: no internal error (2)
  });

  it('a 5 MB line and a 1.9 MB secret-bearing literal are printed as short, masked excerpts', () => {
    dir = makeProject({
      'local_settings.py': `SECRET_KEY = 'k'\nX = '${'a'.repeat(5_000_000)}'\n`,
      'b/local_settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': 'redis://:hunter2-pw@h/0${'a'.repeat(1_900_000)}'}}\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n`,
    });
    const r = runCli(['.', 'b', '--no-color'], dir);
    assert.ok(r.stdout.length < 20_000, `output of ${r.stdout.length} characters`);
    assert.match(r.stdout, /DSL003/);
    assert.doesNotMatch(r.stdout, /hunter2/);
  });
});
