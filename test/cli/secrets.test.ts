/** Secrets never reach CLI output (ARCHITECTURE.md, "Secrets stay secret"): end-to-end over text/JSON/SARIF, and the Redactor's masking rules. */
import assert from 'node:assert/strict';
import { presentDiagnostics } from '../../server/src/cli/diagnostics';
import { Redactor, urlPasswordRanges, urlPasswords } from '../../server/src/core/secrets';
import { analyze } from '../../server/src/core/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import { defineRule } from '../../server/src/core/rules/framework';
import { assertBundle, makeProject, removeProject, runCli } from './cli-harness';

const DB_PASSWORD = 'hunter2-very-secret';
const REDIS_PASSWORD = 's3cr3t';
const SECRET_KEY = 'k3y-0f-the-kingd0m-that-nobody-may-read';
const SETTINGS = `SECRET_KEY = '${SECRET_KEY}'
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': 'redis://:${REDIS_PASSWORD}@cache.example.net:6379/0'}}
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'app', 'PASSWORD': '${DB_PASSWORD}', 'OPTIONS': {'passwd': '${DB_PASSWORD}'}}}
CACHES['other'] = {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://user:${REDIS_PASSWORD}@r:6379/1'}
`;

describe('cli: secrets are masked everywhere', () => {
  let dir = '';
  before(() => {
    assertBundle();
    dir = makeProject({ 'settings.py': SETTINGS });
  });
  after(() => removeProject(dir));

  for (const format of ['text', 'json', 'sarif']) {
    it(`--format ${format} never shows a password, a URL password or the secret key`, () => {
      const r = runCli(['settings.py', '--format', format, '--stats'], dir);
      const out = r.stdout + r.stderr;
      for (const secret of [DB_PASSWORD, REDIS_PASSWORD, SECRET_KEY])
        assert.ok(!out.includes(secret), `${format} output contains ${secret}`);
      assert.ok(r.stdout.length > 0);
    });
  }

  it('shows the masked forms where the values appear (so the test above can fail)', () => {
    const text = runCli(['settings.py', '--select', 'DSL104', '--quiet'], dir).stdout;
    assert.ok(
      text.includes(
        "3 | CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': 'redis://:***@cache.example.net:6379/0'}}\n",
      ),
      text,
    );
    const doc = JSON.parse(runCli(['settings.py', '--format', 'json'], dir).stdout) as {
      projects: {
        effective: {
          CACHES: Record<string, Record<string, { value: unknown }>>;
          DATABASES: Record<string, Record<string, { value: unknown }>>;
        };
      }[];
    };
    const eff = doc.projects[0]?.effective;
    assert.equal(eff?.CACHES['default']?.['LOCATION']?.value, 'redis://:***@cache.example.net:6379/0');
    assert.equal(eff?.CACHES['other']?.['LOCATION']?.value, 'redis://user:***@r:6379/1');
    assert.equal(eff?.DATABASES['default']?.['PASSWORD']?.value, 'hu***');
    assert.deepEqual(eff?.DATABASES['default']?.['OPTIONS']?.value, { passwd: 'hu***' });
  });

  it('the unified diff of --diff is the user’s own file and is not masked', () => {
    const d = makeProject({
      'settings.py': `${SETTINGS}SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'  # ${DB_PASSWORD}\n`,
    });
    try {
      const r = runCli(['settings.py', '--diff', '--select', 'DSL101'], d);
      assert.equal(r.status, 1);
      assert.ok(r.stdout.includes(`# ${DB_PASSWORD}`));
    } finally {
      removeProject(d);
    }
  });
});

describe('cli: Redactor', () => {
  it('finds URL passwords with or without a user, percent-encoded, and holding @', () => {
    assert.deepEqual(urlPasswords('redis://:pw@h:6379/0'), ['pw']);
    assert.deepEqual(urlPasswords('redis://user:p%40ss@h'), ['p%40ss', 'p@ss']);
    assert.deepEqual(urlPasswords('redis://u:p@ss@h:1 and rediss://:two@h2'), ['p@ss', 'two']);
    assert.deepEqual(urlPasswords('redis://h:6379/0'), []);
    assert.deepEqual(urlPasswords('no url: user@example.com'), []);
    const s = "'redis://:aa@h', 'redis://:bb@h'";
    assert.deepEqual(
      urlPasswordRanges(s).map(([a, b]) => s.slice(a, b)),
      ['aa', 'bb'],
    );
  });

  it('masks known secrets in text, short ones only where quoted', () => {
    const r = new Redactor();
    r.add('hunter2-very-secret');
    r.add('ab');
    r.add('CHANGEME'); // a documentation placeholder, not a secret (DSL123 shows it)
    assert.equal(
      r.text("password 'hunter2-very-secret' and hunter2-very-secret"),
      "password 'hu***' and hu***",
    );
    assert.equal(r.text("'ab' about abc"), "'***' about abc");
    assert.equal(r.text('CHANGEME'), 'CHANGEME');
    assert.equal(r.text('see redis://:pw@h:1/0.'), 'see redis://:***@h:1/0.');
  });

  it('masks a short secret bare only as a whole word, not inside a file name', () => {
    const r = new Redactor();
    r.add('test');
    assert.equal(
      r.text("SESSION_COOKIE_SECURE is False (set in test_settings.py:6), key 'test', key test."),
      "SESSION_COOKIE_SECURE is False (set in test_settings.py:6), key 't***', key t***.",
    );
  });

  it('masks secret-named literals in source lines and keeps underline offsets in place', () => {
    const r = new Redactor();
    const line = "DATABASES = {'default': {'PASSWORD': 'topsecretvalue', 'HOST': 'db'}}";
    const m = r.sourceLine(line);
    assert.equal(m.text, "DATABASES = {'default': {'PASSWORD': 'to***', 'HOST': 'db'}}");
    const host = line.indexOf("'db'");
    assert.equal(m.text.slice(m.map(host), m.map(host + 4, true)), "'db'");
    const secret = line.indexOf('topsecretvalue');
    assert.equal(m.text.slice(m.map(secret), m.map(secret + 'topsecretvalue'.length, true)), 'to***');
    assert.equal(r.sourceLine("SECRET_KEY = r'abcdefghijklmnop'").text, "SECRET_KEY = r'ab***'");
    // An escaped quote does not end the literal: the whole body is one secret.
    assert.equal(r.sourceLine('EMAIL_HOST_PASSWORD = "x\\"yz12"').text, 'EMAIL_HOST_PASSWORD = "x***"');
  });

  it('masks secrets in messages, related messages and fix texts a rule produces', () => {
    const text = `DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': 'p4ssw0rd-xyz'}}\n`;
    const leaky = defineRule({
      code: 'DSL999',
      name: 'leaky',
      title: 'test rule that quotes a secret',
      severity: { production: 'warning', development: 'warning' },
      versionDependent: false,
      fix: 'safe',
      docs: { what: '', why: '', example: '', useInstead: '', fixSafety: '' },
      check(ctx) {
        const at = {
          file: 'settings.py',
          from: text.indexOf("'p4ssw0rd-xyz'"),
          to: text.indexOf("'p4ssw0rd-xyz'") + 14,
        };
        ctx.report({
          at,
          message: "PASSWORD 'p4ssw0rd-xyz' is weak",
          settings: ['DATABASES'],
          related: [{ span: at, message: 'p4ssw0rd-xyz here' }],
          fix: { title: 'Replace p4ssw0rd-xyz', edits: [{ ...at, newText: "'p4ssw0rd-xyz2'" }] },
        });
      },
    });
    const analysis = analyze({
      project: {
        root: '.',
        kind: 'django',
        layers: [{ path: 'settings.py', role: 'settings' }],
        readFile: (f) => (f === 'settings.py' ? text : undefined),
      },
      options: DEFAULT_OPTIONS,
      rules: [leaky],
      // The leaky rule reports whatever the text: its fix would fail verification, and masking is the point.
      verifyFixes: false,
    });
    const redactor = new Redactor();
    redactor.addAnalysis(analysis);
    const [d] = presentDiagnostics([analysis], redactor);
    assert.ok(d);
    assert.equal(JSON.stringify(d).includes('p4ssw0rd-xyz'), false, JSON.stringify(d));
    assert.equal(d.message, "PASSWORD 'p4***' is weak");
    assert.equal(d.fix?.redacted, true, 'a fix whose text was masked is marked');
    assert.equal(
      d.excerpt?.text,
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': 'p4***'}}",
    );
    assert.equal(d.excerpt?.text.slice(d.excerpt.from, d.excerpt.to), "'p4***'");
  });
});
