/** The CLI on hostile input (issue #9): no crash loses the run, no huge line stalls the output. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

  it('a value nested 20,000 deep prints as JSON, text and SARIF without a stack overflow', () => {
    dir = makeProject({
      'local_settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {}\n" +
        "CACHES = {'default': CACHES, 'x': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n".repeat(
          20_000,
        ),
    });
    for (const format of ['json', 'text', 'sarif']) {
      const r = runCli(['.', '--format', format], dir);
      assert.doesNotMatch(r.stderr, /internal error|stack/i);
      assert.notEqual(r.status, 2, r.stderr);
      if (format === 'json') JSON.parse(r.stdout);
    }
  });

  it('values shared by reference (L = [L, L] x40: 2^40 leaves; 3^40) print in every format, masked, without a hang', () => {
    const engine = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
    const mc = "'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache'";
    dir = makeProject({
      'a/local_settings.py': `L = 'x'\n${'L = [L, L]\n'.repeat(40)}CACHES = {'default': {${mc}, 'LOCATION': L}}\n${engine}`,
      'b/local_settings.py': `D = {'PASSWORD': 'sekrit-shared-99'}\n${"D = {'a': D, 'b': D}\n".repeat(40)}CACHES = {'default': {${mc}, 'LOCATION': '10.0.0.1:11211', 'OPTIONS': D}}\n${engine}`,
      // Three copies a line, the whole of CACHES (3^40 paths: resolving its load-time BACKEND choices never ended).
      'c/local_settings.py': `C = [${mc}]\n${'C = [C, C, C]\n'.repeat(40)}CACHES = C\n${engine}`,
      'd/local_settings.py': `C = {${mc}, 'PASSWORD': 'sekrit-shared-99'}\n${"C = {'default': C, 'BACKEND': C, 'OPTIONS': C}\n".repeat(40)}CACHES = C\n${engine}`,
    });
    for (const format of ['json', 'text', 'sarif']) {
      const r = runCli(['a', 'b', 'c', 'd', '--format', format, '--no-color'], dir);
      assert.doesNotMatch(r.stderr, /internal error|stack/i);
      assert.notEqual(r.status, 2, r.stderr);
      assert.doesNotMatch(r.stdout, /sekrit-shared-99/);
      if (format === 'json') {
        const out = JSON.parse(r.stdout) as {
          projects: {
            effective: { CACHES: Record<string, Record<string, { known: boolean; reason?: string }>> };
          }[];
        };
        const location = out.projects
          .map((p) => p.effective.CACHES['default']?.['LOCATION'])
          .find((l) => l?.known === false);
        assert.match(location?.reason ?? '', /too large to print/);
      }
    }
  });

  it('names a FIFO and a link to /dev/zero as skipped, never blocks on them, and exits 2', () => {
    dir = makeProject({ 'b/local_settings.py': LOCMEM_SETTINGS, 'a/.keep': '', 'c/.keep': '' });
    const fifo = spawnSync('mkfifo', [path.join(dir, 'a', 'local_settings.py')]);
    assert.equal(fifo.status, 0, 'mkfifo (coreutils) is needed');
    fs.symlinkSync('/dev/zero', path.join(dir, 'c', 'local_settings.py'));
    const r = runCli(['a', 'b', 'c', '--no-color'], dir);
    assert.match(r.stderr, /a\/local_settings\.py: a FIFO \(named pipe\), not a regular file: skipped/);
    assert.match(r.stderr, /c\/local_settings\.py: a character device, not a regular file: skipped/);
    assert.match(r.stdout, /b\/local_settings\.py:\d+:\d+: DSL104/);
    assert.equal(r.status, 2);
  });

  it('names a FIFO named like a local_settings.d snippet as skipped instead of passing over it', () => {
    dir = makeProject({
      'local_settings.py': LOCMEM_SETTINGS,
      'local_settings.d/_10_ok.py': 'DEBUG = False\n',
    });
    const fifo = spawnSync('mkfifo', [path.join(dir, 'local_settings.d', '_90_x.py')]);
    assert.equal(fifo.status, 0, 'mkfifo (coreutils) is needed');
    const r = runCli(['.', '--no-color'], dir);
    assert.match(
      r.stderr,
      /error: local_settings\.d\/_90_x\.py: a FIFO \(named pipe\), not a regular file: skipped\n/,
    );
    assert.match(r.stdout, /local_settings\.py:\d+:\d+: DSL104/);
    assert.equal(r.status, 2);
  });

  it('escapes control characters of file names in every line it prints', () => {
    dir = makeProject({ 'evil\u001b]0;pwned\u0007\n/local_settings.py': LOCMEM_SETTINGS });
    const r = runCli(['.', '--no-color'], dir);
    const all = r.stdout + r.stderr;
    assert.ok(!all.includes('\u0007') && !all.includes('\u001b'), JSON.stringify(all.slice(0, 500)));
    assert.match(r.stdout, /evil\\x1b\]0;pwned\\x07\\x0a\/local_settings\.py:\d+:\d+: DSL104/);
  });

  it('names each path that yields nothing to analyse, reports the others, and exits 2', () => {
    dir = makeProject({ 'a/local_settings.py': LOCMEM_SETTINGS, 'b/README.md': 'no settings here\n' });
    const r = runCli(['a', 'b', '--no-color'], dir);
    assert.equal(r.stderr, 'django-session-lint: error: no Django settings files found in b\n');
    assert.match(r.stdout, /a\/local_settings\.py:\d+:\d+: DSL104/);
    assert.equal(r.status, 2);
    // A file analysed through the project of its directory counts as found.
    const both = runCli(['a', 'a/local_settings.py', '--no-color'], dir);
    assert.equal(both.stderr, '');
  });
});
