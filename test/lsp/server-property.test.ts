/**
 * A property test over the real language server (issue #11: parked projects, paused parses, request budgets,
 * replayed changes must not change what the server answers). fast-check drives random sequences over 10-14 small
 * Horizon projects (local_settings.py + local_settings.d snippets, texts from a small grammar of real settings,
 * a syntax error now and then): opens, incremental and full-sync edits, a line typed character by character,
 * undo, hover / definition / CodeLens / inlay hint / code action requests (which restore parked projects), closes,
 * and files changed on disk with a watched-file notification. Once it settles, every open file's last published
 * diagnostics and its hovers equal what a fresh server gives for the same texts, every request was answered,
 * nothing failed in the server log, and no output shows a secret. Seeded (FC_SEED picks another seed; a failure
 * prints the seed and the shrunk sequence).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { FileChangeType } from 'vscode-languageserver/node';
import { LspClient, uriOf } from './lsp-client';

const SETTINGS = { djangoVersion: '4.2', horizonRelease: '2024.1' };
const SECRET = 'sup3r-s3cret';
const FILES = ['local_settings.py', 'local_settings.d/_10_a.py', 'local_settings.d/_20_b.py'] as const;

const ENGINES = ['cache', 'db', 'cached_db', 'file', 'signed_cookies'];
const BACKENDS = [
  'locmem.LocMemCache',
  'memcached.PyMemcacheCache',
  'memcached.PyLibMCCache',
  'redis.RedisCache',
  'db.DatabaseCache',
  'filebased.FileBasedCache',
  'dummy.DummyCache',
];

/** One line of settings from a small grammar of what Horizon deployments write. */
const LINE: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ENGINES).map((e) => `SESSION_ENGINE = 'django.contrib.sessions.backends.${e}'`),
  fc
    .tuple(fc.constantFrom(...BACKENDS), fc.integer({ min: 1, max: 9 }))
    .map(
      ([b, n]) =>
        `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.${b}', 'LOCATION': '10.0.0.${n}:11211'}}`,
    ),
  fc
    .integer({ min: 0, max: 99 })
    .map((n) => `CACHES['default']['LOCATION'] = 'redis://:pw@10.0.1.${n}:6379/0'`),
  fc
    .integer({ min: 0, max: 99 })
    .map((n) => `SECRET_KEY = '${SECRET}-${n}-abcdefghijklmnopqrstuvwxyz0123456789'`),
  fc.boolean().map((b) => `DEBUG = ${b ? 'True' : 'False'}`),
  fc.boolean().map((b) => `SESSION_COOKIE_SECURE = ${b ? 'True' : 'False'}`),
  fc.integer({ min: 0, max: 100000 }).map((n) => `SESSION_COOKIE_AGE = ${n}`),
  fc.constantFrom(
    'import os',
    'from openstack_dashboard.settings import *',
    "OPENSTACK_HOST = os.environ.get('OS_HOST', 'controller')",
    "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'",
    'SESSION_EXPIRE_AT_BROWSER_CLOSE = True',
    'if DEBUG:',
    "    SESSION_ENGINE = 'django.contrib.sessions.backends.db'",
    '',
  ),
  // A syntax error now and then.
  fc.constantFrom('X = [1,)', 'CACHES = {', "SESSION_ENGINE = 'django.contrib.sessions", 'def ('),
);
const TEXT = fc.array(LINE, { minLength: 1, maxLength: 7 }).map((lines) => lines.join('\n') + '\n');

type Action =
  | { k: 'open'; p: number; f: number }
  | { k: 'edit'; p: number; f: number; line: number; text: string }
  | { k: 'full'; p: number; f: number; text: string }
  | { k: 'type'; p: number; f: number; line: number; text: string }
  | { k: 'undo'; p: number; f: number }
  | { k: 'request'; p: number; f: number; line: number; method: (typeof METHODS)[number] }
  | { k: 'close'; p: number; f: number }
  | { k: 'disk'; p: number; f: number; text: string }
  | { k: 'wait'; ms: number };

const METHODS = [
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/codeLens',
  'textDocument/inlayHint',
  'textDocument/codeAction',
] as const;

const P = fc.nat(13);
const F = fc.nat(FILES.length - 1);
const ACTION: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('open' as const), p: P, f: F }), weight: 4 },
  {
    arbitrary: fc.record({ k: fc.constant('edit' as const), p: P, f: F, line: fc.nat(8), text: LINE }),
    weight: 3,
  },
  { arbitrary: fc.record({ k: fc.constant('full' as const), p: P, f: F, text: TEXT }), weight: 1 },
  {
    arbitrary: fc.record({ k: fc.constant('type' as const), p: P, f: F, line: fc.nat(8), text: LINE }),
    weight: 1,
  },
  { arbitrary: fc.record({ k: fc.constant('undo' as const), p: P, f: F }), weight: 1 },
  {
    arbitrary: fc.record({
      k: fc.constant('request' as const),
      p: P,
      f: F,
      line: fc.nat(8),
      method: fc.constantFrom(...METHODS),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant('close' as const), p: P, f: F }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('disk' as const), p: P, f: F, text: TEXT }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('wait' as const), ms: fc.nat(30) }), weight: 1 },
);

const SCENARIO = fc.record({
  projects: fc.integer({ min: 10, max: 14 }),
  texts: fc.array(fc.tuple(TEXT, TEXT, TEXT), { minLength: 14, maxLength: 14 }),
  actions: fc.array(ACTION, { minLength: 5, maxLength: 40 }),
});

type Scenario = typeof SCENARIO extends fc.Arbitrary<infer T> ? T : never;

const lineCount = (text: string): number => text.split('\n').length;

function endOf(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

/** A request's parameters at a line of an open document (the line clamped to the text). */
function requestParams(method: string, uri: string, text: string, line: number): unknown {
  const l = Math.min(line, lineCount(text) - 1);
  const position = { line: l, character: Math.min(1, text.split('\n')[l]!.length) };
  const textDocument = { uri };
  switch (method) {
    case 'textDocument/hover':
    case 'textDocument/definition':
      return { textDocument, position };
    case 'textDocument/codeLens':
      return { textDocument };
    case 'textDocument/inlayHint':
      return { textDocument, range: { start: { line: 0, character: 0 }, end: endOf(text) } };
    default:
      return { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } };
  }
}

/** Hover answers at a few positions of every line (the first name, the value); null where none. */
async function hovers(client: LspClient, uri: string): Promise<unknown[]> {
  const text = client.text(uri);
  const out: unknown[] = [];
  for (const [line, l] of text.split('\n').entries()) {
    for (const character of [1, l.indexOf('=') + 3]) {
      if (character <= 0 || character > l.length) continue;
      const h = (await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line, character },
      })) as Hover | null;
      out.push({ line, character, hover: h });
    }
  }
  return out;
}

/** Hovers read again until they hold still: a request that restores a parked project may, on a loaded machine, run out of its budget and answer nothing once. */
async function settledHovers(client: LspClient, uri: string): Promise<string> {
  let last = JSON.stringify(await hovers(client, uri));
  for (let i = 0; i < 3; i++) {
    const again = JSON.stringify(await hovers(client, uri));
    if (again === last) return again;
    last = again;
  }
  return last;
}

/** Diagnostics without the document versions their fixes' edits name (the two servers saw different versions). */
function unversioned(diagnostics: unknown): unknown {
  return JSON.parse(JSON.stringify(diagnostics, (k, v: unknown) => (k === 'version' ? undefined : v)));
}

function assertCleanLog(client: LspClient, what: string): void {
  const failed = client.logs.filter((l) => /failed|Error|exception/i.test(l));
  assert.deepEqual(failed, [], `${what}: the server log shows a failure`);
}

describe('language server: random sequences against a fresh server (property)', function () {
  this.timeout(600_000);
  let root = '';
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-lsp-prop-')));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  let run = 0;
  async function check(scenario: Scenario): Promise<void> {
    const tmp = path.join(root, `run${run++}`);
    const fileOf = (p: number, f: number): string =>
      path.join(tmp, `deploy${p}`, 'openstack_dashboard', 'local', FILES[f]!);
    for (let p = 0; p < scenario.projects; p++) {
      fs.mkdirSync(path.dirname(fileOf(p, 1)), { recursive: true });
      for (let f = 0; f < FILES.length; f++) fs.writeFileSync(fileOf(p, f), scenario.texts[p]![f]!);
    }
    const client = await LspClient.start({ root: tmp, settings: SETTINGS });
    let fresh: LspClient | undefined;
    try {
      await client.waitForRegistration('workspace/didChangeWatchedFiles');
      const history = new Map<string, string[]>();
      const answers: Promise<unknown>[] = [];
      for (const a of scenario.actions) {
        if (a.k === 'wait') {
          await new Promise((r) => setTimeout(r, a.ms));
          continue;
        }
        const file = fileOf(a.p % scenario.projects, a.f);
        const uri = uriOf(file);
        const open = client.texts.has(uri);
        const text = client.text(uri);
        const remember = (): void => {
          const h = history.get(uri) ?? [];
          h.push(text);
          history.set(uri, h);
        };
        switch (a.k) {
          case 'open':
            if (!open) client.open(file);
            break;
          case 'edit': {
            if (!open) break;
            remember();
            const line = a.line % lineCount(text);
            const old = text.split('\n')[line]!;
            client.change(uri, [
              {
                range: { start: { line, character: 0 }, end: { line, character: old.length } },
                text: a.text,
              },
            ]);
            break;
          }
          case 'full':
            if (!open) break;
            remember();
            client.change(uri, [{ text: a.text }]);
            break;
          case 'type': {
            if (!open) break;
            remember();
            const line = a.line % lineCount(text);
            const typed = a.text + '\n';
            for (let i = 0; i < typed.length; i++) {
              const at = { line, character: i };
              client.change(uri, [{ range: { start: at, end: at }, text: typed[i]! }]);
            }
            break;
          }
          case 'undo': {
            const previous = history.get(uri)?.pop();
            if (!open || previous === undefined) break;
            client.change(uri, [
              { range: { start: { line: 0, character: 0 }, end: endOf(text) }, text: previous },
            ]);
            break;
          }
          case 'request':
            if (!open) break;
            answers.push(client.connection.sendRequest(a.method, requestParams(a.method, uri, text, a.line)));
            break;
          case 'close':
            if (open) client.close(uri);
            history.delete(uri);
            break;
          case 'disk':
            fs.writeFileSync(file, a.text);
            void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
              changes: [{ uri, type: FileChangeType.Changed }],
            });
            break;
        }
      }
      // Every request is answered, and no answer shows the secret.
      const answered = await Promise.all(answers);
      assert.ok(!JSON.stringify(answered).includes(SECRET), 'an answer shows a secret');

      // Settle: one more (unchanged) full-sync version of every open file, published for each.
      const openUris = [...client.texts.keys()];
      const versions = openUris.map((uri) => client.change(uri, [{ text: client.text(uri) }]));
      const last = new Map<string, PublishDiagnosticsParams>();
      for (const [i, uri] of openUris.entries())
        last.set(uri, await client.waitForVersion(uri, versions[i]!));
      const ours = new Map<string, string>();
      for (const uri of openUris) ours.set(uri, await settledHovers(client, uri));

      fresh = await LspClient.start({ root: tmp, settings: SETTINGS });
      for (const uri of openUris) fresh.open(new URL(uri).pathname, client.text(uri));
      for (const uri of openUris) {
        const theirs = await fresh.waitForVersion(uri, 1);
        assert.deepEqual(
          unversioned(last.get(uri)!.diagnostics),
          unversioned(theirs.diagnostics),
          `diagnostics of ${uri} differ from a fresh server's for:\n${client.text(uri)}`,
        );
      }
      for (const uri of openUris) {
        const theirs = await settledHovers(fresh, uri);
        assert.equal(ours.get(uri), theirs, `hovers of ${uri} differ from a fresh server's`);
        assert.ok(!theirs.includes(SECRET), 'a hover shows a secret');
      }
      assert.ok(!JSON.stringify(client.publishes).includes(SECRET), 'a diagnostic shows a secret');
      assertCleanLog(client, 'the server under test');
      assertCleanLog(fresh, 'the fresh server');
    } finally {
      await client.stop();
      await fresh?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  it('publishes and hovers as a fresh server does after any sequence', async () => {
    const seed = Number(process.env['FC_SEED'] ?? 20261207);
    await fc.assert(
      fc.asyncProperty(SCENARIO, (s) => check(s)),
      { numRuns: Number(process.env['FC_RUNS'] ?? 20), seed },
    );
  });
});
