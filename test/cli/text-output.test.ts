/** End-to-end tests of the text format: ruff-like blocks with source line, underline, help and note lines, the summary, --quiet and colour. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PresentedDiagnostic } from '../../server/src/cli/diagnostics';
import { cellWidth, renderDiagnostic, renderSummary, visible } from '../../server/src/cli/output-text';
import { assertBundle, makeProject, removeProject, runCli } from './cli-harness';

// Built from the escape's code so the patterns hold no literal control character.
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[`);

const ETC = 'etc/openstack-dashboard';
const HORIZON_FILES = {
  [`${ETC}/local_settings.py`]:
    "# Horizon local settings\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
  [`${ETC}/local_settings.d/_0006_debian_cache.py`]:
    "# Debian's cache snippet\nCACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',\n    },\n}\n",
};

interface JsonDiagnostic {
  message: string;
  fix: { title: string } | null;
}

/** The rule's own wording comes from the JSON of the same run: these tests are about the layout around it. */
function wording(dir: string, args: string[]): JsonDiagnostic[] {
  const r = runCli([...args, '--format', 'json'], dir);
  return (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

describe('cli: text output', () => {
  let dir = '';
  before(() => {
    assertBundle();
    dir = makeProject(HORIZON_FILES);
  });
  after(() => removeProject(dir));

  it('prints a DSL104 block with the source line, underline, help and note lines, then the summary', () => {
    const args = [ETC, '--select', 'DSL104'];
    const [d] = wording(dir, args);
    assert.ok(d?.fix, 'DSL104 here carries a fix');
    const r = runCli(args, dir);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0, 'a warning does not fail with the default --fail-on error');
    assert.equal(
      r.stdout,
      `${ETC}/local_settings.d/_0006_debian_cache.py:4:20: DSL104 ${d.message}
  |
4 |         'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
  |                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning
  |
  = help: ${d.fix.title} (unsafe)
  = note: SESSION_ENGINE set here: ${ETC}/local_settings.py:2
  = note: CACHES set here: ${ETC}/local_settings.d/_0006_debian_cache.py:2

0 errors, 1 warning, 0 infos in 2 files
1 more fix available with --fix --unsafe-fixes
`,
    );
  });

  it('shows paths relative to the working directory when given absolute paths under it', () => {
    const relative = runCli([ETC, '--select', 'DSL104'], dir);
    const absolute = runCli([path.join(dir, ETC), '--select', 'DSL104'], dir);
    assert.equal(absolute.stdout, relative.stdout);
  });

  it('shows paths as given when they are outside the working directory, relative when under it', () => {
    const r = runCli(
      [path.join(dir, ETC), '--select', 'DSL104', '--quiet'],
      path.join(dir, ETC, 'local_settings.d'),
    );
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^_0006_debian_cache\.py:4:20: DSL104 /);
    assert.equal(
      lines[6],
      `  = note: SESSION_ENGINE set here: ${path.join(dir, ETC, 'local_settings.py')}:2`,
    );
    assert.equal(lines[7], '  = note: CACHES set here: _0006_debian_cache.py:2');
  });

  it('--quiet prints only the diagnostics', () => {
    const full = runCli([ETC, '--select', 'DSL104'], dir);
    const quiet = runCli([ETC, '--select', 'DSL104', '--quiet'], dir);
    const blockEnd = full.stdout.indexOf('\n\n') + 1;
    assert.equal(quiet.stdout, full.stdout.slice(0, blockEnd));
  });

  it('counts profile severities: development makes DSL104 an info', () => {
    const r = runCli([ETC, '--select', 'DSL104', '--profile', 'development', '--quiet'], dir);
    assert.match(r.stdout, /\^ information\n/);
    const summary = runCli([ETC, '--select', 'DSL104', '--profile', 'development'], dir)
      .stdout.split('\n')
      .filter(Boolean);
    assert.equal(summary[summary.length - 2], '0 errors, 0 warnings, 1 info in 2 files');
  });

  it('prints no colour when stdout is not a terminal, even without --no-color', () => {
    const r = runCli([ETC], dir);
    assert.doesNotMatch(r.stdout, ANSI);
  });

  it('writes --stats timings to stderr for text', () => {
    const r = runCli([ETC, '--select', 'DSL104', '--stats', '--quiet'], dir);
    assert.match(
      r.stderr,
      /^stats: 2 files; parse \d+\.\d ms, evaluate \d+\.\d ms, rules \d+\.\d ms; total \d+\.\d ms\n$/,
    );
  });
});

describe('cli: text rendering', () => {
  const diagnostic: PresentedDiagnostic = {
    path: 'local_settings.py',
    line: 12,
    column: 12,
    endLine: 12,
    endColumn: 15,
    severity: 'error',
    code: 'DSL101',
    name: 'invalid-session-engine',
    message: 'bad \u001b[31mvalue',
    url: undefined,
    related: [],
    fix: { title: "Use 'x'", applicability: 'safe', edits: [], redacted: false },
    // A tab, then an emoji (two cells, two UTF-16 units) before the underlined 'abc'.
    excerpt: { text: '\tX = "🎉" + abc', from: 12, to: 15 },
  };

  it('expands tabs, counts wide characters, and makes control characters visible', () => {
    assert.equal(
      renderDiagnostic(diagnostic, { color: false }),
      `local_settings.py:12:12: DSL101 bad \\x1b[31mvalue
   |
12 |     X = "🎉" + abc
   |                ^^^ error
   |
   = help: Use 'x'
`,
    );
  });

  it('colours only when asked', () => {
    assert.doesNotMatch(renderDiagnostic(diagnostic, { color: false }), ANSI);
    assert.ok(renderDiagnostic(diagnostic, { color: true }).includes(`${ESC}[31m^^^${ESC}[39m`));
    assert.match(
      renderSummary({ errors: 1, warnings: 0, infos: 0, hints: 0, fixable: 1, unsafeFixable: 0 }, 1, {
        color: true,
      }),
      new RegExp(`${ESC}\\[1m`),
    );
  });

  it('cuts a very long line around the underlined part', () => {
    const long = 'x'.repeat(500) + 'TARGET' + 'y'.repeat(500);
    const text = renderDiagnostic(
      { ...diagnostic, fix: null, message: 'm', excerpt: { text: long, from: 500, to: 506 } },
      { color: false },
    );
    const [, , source, underline] = text.split('\n');
    assert.ok(source !== undefined && underline !== undefined);
    assert.ok(source.length < 260, `excerpt is cut (${source.length} chars)`);
    assert.equal(source.indexOf('TARGET'), underline.indexOf('^'));
    assert.match(underline, /\^{6} error$/);
  });

  it('pluralises the summary and leaves out the fixable part when nothing is fixable', () => {
    assert.equal(
      renderSummary({ errors: 1, warnings: 2, infos: 1, hints: 0, fixable: 0, unsafeFixable: 0 }, 1, {
        color: false,
      }),
      '1 error, 2 warnings, 1 info in 1 file\n',
    );
    assert.equal(
      renderSummary({ errors: 2, warnings: 0, infos: 3, hints: 1, fixable: 2, unsafeFixable: 1 }, 4, {
        color: false,
      }),
      '2 errors, 0 warnings, 3 infos in 4 files (2 fixable with --fix)\n1 more fix available with --fix --unsafe-fixes\n',
    );
  });

  it('knows the width of common characters', () => {
    assert.equal(cellWidth('a'.codePointAt(0) ?? 0), 1);
    assert.equal(cellWidth('🎉'.codePointAt(0) ?? 0), 2);
    assert.equal(cellWidth('漢'.codePointAt(0) ?? 0), 2);
    assert.equal(cellWidth(0x301), 0);
    assert.equal(visible('a\u0007b\u009bc'), 'a\\x07b\\x9bc');
  });
});
