/** Tests the diagnostics a file shows (core/features/diagnostics.ts): own findings, findings of other layers mirrored onto this file's assignments once, syntax errors on request, and the "Disable for this line" edit. */
import assert from 'node:assert/strict';
import { diagnosticsForFile, suppressionEdit } from '../../server/src/core/features/diagnostics';
import { applyEdits } from '../../server/src/core/fixes';
import { lint, type Files } from '../helpers/rule-harness';

const LOCAL = '/project/local_settings.py';
const SNIPPET = '/project/local_settings.d/_0006_debian_cache.py';

const DEBIAN: Files = {
  'local_settings.py': `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',
        'OPTIONS': {'ignore_exc': True},
    },
}
`,
  'local_settings.d/_0006_debian_cache.py': `CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
`,
};

const OPTS = { horizonRelease: '2024.2', djangoVersion: '4.2' } as const;

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

describe('diagnostics for a file', () => {
  it('shows a finding of a later snippet on the assignment it overrides, once, pointing at the snippet', () => {
    const a = lint(DEBIAN, OPTS);
    const inSnippet = a.findings.filter((f) => f.code === 'DSL104');
    assert.equal(inSnippet.length, 1);
    assert.equal(inSnippet[0]?.span.file, SNIPPET);

    const shown = diagnosticsForFile(a, LOCAL).filter((d) => d.code === 'DSL104');
    assert.equal(shown.length, 1, JSON.stringify(shown, null, 1));
    const d = shown[0]!;
    assert.equal(d.span.file, LOCAL);
    assert.equal(DEBIAN['local_settings.py']!.slice(d.span.from, d.span.to), 'CACHES');
    assert.deepEqual(d.mirroredFrom, inSnippet[0]?.span);
    assert.equal(d.related[0]?.span.file, SNIPPET);
    assert.match(d.message, /\(reported in local_settings\.d\/_0006_debian_cache\.py:3\)$/);
    // The snippet shows its own finding, not a mirror.
    const own = diagnosticsForFile(a, SNIPPET).filter((x) => x.code === 'DSL104');
    assert.equal(own.length, 1);
    assert.equal(own[0]?.mirroredFrom, undefined);
  });

  it('never shows the same code twice on one line', () => {
    const a = lint(DEBIAN, OPTS);
    for (const file of [LOCAL, SNIPPET]) {
      const text =
        file === LOCAL ? DEBIAN['local_settings.py']! : DEBIAN['local_settings.d/_0006_debian_cache.py']!;
      const keys = diagnosticsForFile(a, file).map((d) => `${d.code}:${lineOf(text, d.span.from)}`);
      assert.deepEqual(keys, [...new Set(keys)]);
    }
  });

  it('does not mirror a finding whose settings this file does not assign', () => {
    const files: Files = {
      'local_settings.py': 'DEBUG = False\n',
      'local_settings.d/_10_sessions.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    };
    const a = lint(files, OPTS);
    assert.ok(a.findings.some((f) => f.code === 'DSL104'));
    assert.deepEqual(
      diagnosticsForFile(a, LOCAL).filter((d) => d.code === 'DSL104'),
      [],
    );
  });

  it('leaves syntax errors to the editor unless asked', () => {
    const a = lint(
      { 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nCACHES = {\n" },
      OPTS,
    );
    assert.ok(a.findings.some((f) => f.code === 'DSL001'));
    assert.ok(!diagnosticsForFile(a, LOCAL).some((d) => d.code === 'DSL001'));
    assert.ok(diagnosticsForFile(a, LOCAL, { reportSyntaxErrors: true }).some((d) => d.code === 'DSL001'));
  });

  it('honours an ignore comment on the line a mirror would be shown on', () => {
    const files: Files = {
      ...DEBIAN,
      'local_settings.py': DEBIAN['local_settings.py']!.replace(
        'CACHES = {',
        'CACHES = {  # session-lint: ignore[DSL104]',
      ),
    };
    const a = lint(files, OPTS);
    assert.ok(!diagnosticsForFile(a, LOCAL).some((d) => d.code === 'DSL104'));
    assert.ok(diagnosticsForFile(a, SNIPPET).some((d) => d.code === 'DSL104'));
  });
});

describe('"Disable for this line" edit', () => {
  const TEXT = `SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'
SESSION_COOKIE_SECURE = False  # session-lint: ignore[DSL501]
NOTE = """a
multi-line string"""
X = 1 + \\
    2
`;
  const files: Files = { 'local_settings.py': TEXT };

  function disabled(line: number, code: string): string | undefined {
    const a = lint(files, OPTS);
    const edit = suppressionEdit(a, LOCAL, line, code);
    return edit ? applyEdits(TEXT, [edit]) : undefined;
  }

  it('appends the comment, which then silences the code', () => {
    const after = disabled(0, 'DSL101');
    assert.equal(
      after?.split('\n')[0],
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'  # session-lint: ignore[DSL101]",
    );
    assert.ok(lint({ 'local_settings.py': TEXT }, OPTS).findings.some((f) => f.code === 'DSL101'));
    assert.ok(!lint({ 'local_settings.py': after! }, OPTS).findings.some((f) => f.code === 'DSL101'));
  });

  it('extends an existing list, and does nothing when the code is already there', () => {
    assert.equal(
      disabled(1, 'DSL504')?.split('\n')[1],
      'SESSION_COOKIE_SECURE = False  # session-lint: ignore[DSL501, DSL504]',
    );
    assert.equal(disabled(1, 'DSL501'), undefined);
  });

  it('refuses where a comment would not be a comment', () => {
    assert.equal(disabled(2, 'DSL101'), undefined, 'inside a multi-line string');
    assert.equal(disabled(4, 'DSL101'), undefined, 'after a line continuation');
  });
});
