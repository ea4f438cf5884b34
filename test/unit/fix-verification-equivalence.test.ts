/**
 * The fix verification `analyze` runs (core/fixes.ts verifyFixes over trial analyses that reuse the parse
 * cache, the evaluation checkpoints and the per-segment parse results, and a judgement that compares only the
 * settings that can decide it) accepts and rejects exactly what the plain procedure does: apply the fix with
 * vscode-languageserver-textdocument, re-analyse the whole project from nothing, and compare every setting of
 * the two analyses (`referenceRejection`, the judgement as first written). Generated projects: a Django
 * settings file (short, or long enough for segmented parsing and checkpoints) and Horizon layouts
 * (local_settings.py and a snippet), each with a random mix of fixable and harmless statements.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis, type AnalyzeRequest } from '../../server/src/core/analyze';
import { describedAlike } from '../../server/src/core/evaluate/values';
import { applyEdits } from '../../server/src/core/fixes';
import { ParseCache, type ProjectLayerInput } from '../../server/src/core/layers/project';
import { DEFAULT_OPTIONS } from '../../server/src/core/options';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { generateSettings } from '../bench/generate';

/** Statements with fixable findings, near misses and statements that make other fixes fail. */
const STATEMENTS = [
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
  "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'",
  "SESSION_ENGINE = os.environ.get('ENGINE', 'django.contrib.sessions.backends.cache')",
  "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
  "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache', 'LOCATION': '127.0.0.1:11211'}}",
  "CACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},\n    'other': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'},\n}",
  "CACHES['default']['LOCATION'] = '127.0.0.1:11211'",
  "SESSION_CACHE_ALIAS = 'sessions'",
  'SESSION_COOKIE_SECURE = False',
  'SESSION_COOKIE_SECURE = True',
  'CSRF_COOKIE_SECURE = False',
  'SESSION_COOKIE_HTTPONLY = False',
  "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'",
  "SESSION_COOKIE_AGE = '3600'",
  'SESSION_COOKIE_AGE = 60 * 60',
  "SESSION_COOKIE_SAMESITE = 'Nonee'",
  'DEBUG = True',
  'DEBUG = False',
  `SECRET_KEY = '${'k3y-'.repeat(15)}'`,
  "SECRET_KEY = 'short'",
  'if DEBUG:\n    SESSION_COOKIE_SECURE = False',
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db'}}",
  'SESSION_SAVE_EVERY_REQUEST = 1',
];

const LOCAL = '/p/openstack_dashboard/local/local_settings.py';
const SNIPPET = '/p/openstack_dashboard/local/local_settings.d/_20_site.py';
const SETTINGS = '/p/mysite/settings.py';

// ------------------------------------------------------------------------------- the plain procedure

function messageKey(f: Finding): string {
  return `${f.code}\u0000${f.message.replace(/:\d+\b/g, ':N')}`;
}

/** The judgement as first written: every setting of both analyses compared. */
function referenceRejection(
  before: Analysis,
  finding: Finding,
  after: Analysis,
  editedFiles: ReadonlySet<string>,
): string | undefined {
  const countCode = (a: Analysis): number => a.findings.filter((f) => f.code === finding.code).length;
  if (countCode(after) >= countCode(before)) return `${finding.code} is still reported after the fix`;
  const changed = new Set<string>();
  const names = new Set([...before.model.env.keys(), ...after.model.env.keys()]);
  for (const name of names) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const was = before.model.effective(name);
    const now = after.model.effective(name);
    if (!was || !now || !describedAlike(was.value, now.value, 100_000)) changed.add(name);
    else if (was.origin.kind !== now.origin.kind) changed.add(name);
    else if (
      was.origin.kind === 'file' &&
      now.origin.kind === 'file' &&
      was.origin.span.file !== now.origin.span.file
    )
      changed.add(name);
  }
  const old = new Map<string, number>();
  for (const f of before.findings) old.set(messageKey(f), (old.get(messageKey(f)) ?? 0) + 1);
  for (const f of after.findings) {
    if (f.severity !== 'error' && f.severity !== 'warning') continue;
    const k = messageKey(f);
    const n = old.get(k) ?? 0;
    if (n > 0) {
      old.set(k, n - 1);
      continue;
    }
    if (f.settings.length === 0 || f.code === finding.code || f.settings.some((x) => changed.has(x)))
      return `the fix adds ${f.code}: ${f.message}`;
  }
  for (const name of changed) {
    const was = before.model.effective(name);
    if (was?.origin.kind !== 'file') continue;
    const from = was.origin.span.file;
    if (editedFiles.has(from)) continue;
    if (!finding.settings.includes(name)) return `the fix changes ${name}, set in ${from}`;
    const role = before.model.roleOf(from);
    if (role === 'local_settings' || role === 'local_settings.d')
      return `the fix overrides ${name} from a later file instead of editing ${from}`;
  }
  return undefined;
}

function documentEdits(text: string, edits: readonly TextEdit[]): string {
  const doc = TextDocument.create('memory://fix', 'python', 0, text);
  return TextDocument.applyEdits(
    doc,
    edits.map((e) => ({
      range: { start: doc.positionAt(e.from), end: doc.positionAt(e.to) },
      newText: e.newText,
    })),
  );
}

/** Each fix of an unverified analysis judged on a from-nothing re-analysis: the fix's title, or why not. */
function referenceVerdicts(req: AnalyzeRequest): string[] {
  const before = analyze({ ...req, cache: new ParseCache(), verifyFixes: false });
  return before.findings.map((f) => {
    if (!f.fix) return `${f.code}: no fix`;
    const overlay = new Map<string, string>();
    for (const file of new Set(f.fix.edits.map((e) => e.file))) {
      const text = req.project.readFile(file);
      if (text === undefined) return `${f.code}: unreadable`;
      overlay.set(
        file,
        documentEdits(
          text,
          f.fix.edits.filter((e) => e.file === file),
        ),
      );
    }
    const after = analyze({
      ...req,
      cache: new ParseCache(),
      verifyFixes: false,
      project: { ...req.project, readFile: (p) => overlay.get(p) ?? req.project.readFile(p) },
    });
    const why = referenceRejection(before, f, after, new Set(overlay.keys()));
    return why === undefined ? `${f.code}: ${f.fix.title}` : `${f.code}: no fix`;
  });
}

/** The same, from `analyze`'s own verification (with a cache that saw `warm` first, as while typing). */
function verdicts(req: AnalyzeRequest, warm: ReadonlyMap<string, string> | undefined): string[] {
  const cache = new ParseCache();
  if (warm)
    analyze({
      ...req,
      cache,
      project: { ...req.project, readFile: (p) => warm.get(p) ?? req.project.readFile(p) },
    });
  return analyze({ ...req, cache }).findings.map((f) =>
    f.fix ? `${f.code}: ${f.fix.title}` : `${f.code}: no fix`,
  );
}

// ------------------------------------------------------------------------------- generated projects

const statements = fc.array(fc.constantFrom(...STATEMENTS), { minLength: 1, maxLength: 8 });

function request(
  files: ReadonlyMap<string, string>,
  layers: ProjectLayerInput[],
  kind: 'django' | 'horizon',
): AnalyzeRequest {
  return {
    project: { root: '/p', kind, layers, readFile: (f) => files.get(f) },
    options: {
      ...DEFAULT_OPTIONS,
      djangoVersion: '4.2',
      ...(kind === 'horizon' ? { horizonRelease: '2024.2' } : {}),
    },
  };
}

/** A file of the statements, before and after a long generated body when `long` (segments, checkpoints). */
function fileOf(head: readonly string[], tail: readonly string[], long: boolean): string {
  const body = long ? generateSettings(700) : '';
  return ['import os', ...head, body, ...tail].join('\n') + '\n';
}

function check(
  files: Map<string, string>,
  layers: ProjectLayerInput[],
  kind: 'django' | 'horizon',
  warmDrop: number,
): void {
  const req = request(files, layers, kind);
  // The warm-up sees the first file with one of its lines left out (an earlier text of it, as while typing).
  const first = layers[0]?.path as string;
  const lines = (files.get(first) ?? '').split('\n');
  const warm =
    warmDrop >= 0
      ? new Map([[first, lines.filter((_, i) => i !== warmDrop % lines.length).join('\n')]])
      : undefined;
  assert.deepEqual(verdicts(req, warm), referenceVerdicts(req));
}

describe('fix verification: the cheap way decides as the plain re-analysis does', function () {
  this.timeout(300_000);

  it('Django settings files, short and long (generated)', () => {
    fc.assert(
      fc.property(statements, statements, fc.boolean(), fc.integer({ min: -1, max: 40 }), (h, t, long, w) => {
        const files = new Map([[SETTINGS, fileOf(h, t, long)]]);
        check(files, [{ path: SETTINGS, role: 'settings' }], 'django', w);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('Horizon layouts: local_settings.py and a snippet (generated)', () => {
    fc.assert(
      fc.property(
        statements,
        statements,
        statements,
        fc.boolean(),
        fc.integer({ min: -1, max: 40 }),
        (local, tail, snippet, long, w) => {
          const files = new Map([
            [LOCAL, fileOf(local, tail, long)],
            [SNIPPET, ['import os', ...snippet].join('\n') + '\n'],
          ]);
          check(
            files,
            [
              { path: LOCAL, role: 'local_settings' },
              { path: SNIPPET, role: 'local_settings.d' },
            ],
            'horizon',
            w,
          );
        },
      ),
      { numRuns: 40, seed: 12 },
    );
  });

  it('some generated cases offer fixes and some reject them (the property is not vacuous)', () => {
    const offered = referenceVerdicts(
      request(
        new Map([[SETTINGS, fileOf([STATEMENTS[12] as string, STATEMENTS[13] as string], [], true)]]),
        [{ path: SETTINGS, role: 'settings' }],
        'django',
      ),
    );
    assert.ok(offered.some((v) => !v.endsWith('no fix')));
  });
});

describe('applyEdits: the same text as vscode-languageserver-textdocument', () => {
  const texts = fc
    .array(fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '\r', 'é', '😀'), { maxLength: 40 })
    .map((a) => a.join(''));
  it('on random texts (CR, LF, CRLF, surrogate pairs) and random edits, overlapping ones included', () => {
    fc.assert(
      fc.property(
        texts,
        fc.array(fc.tuple(fc.nat(50), fc.nat(6), fc.constantFrom('', 'x', 'yz\n')), { maxLength: 4 }),
        (text, raw) => {
          const edits: TextEdit[] = raw.map(([at, len, newText]) => ({
            file: 'f',
            from: Math.min(at, text.length),
            to: Math.min(at + len, text.length),
            newText,
          }));
          const outcome = (f: () => string): string => {
            try {
              return `ok ${f()}`;
            } catch (e) {
              return `throws ${e instanceof Error ? e.message : String(e)}`;
            }
          };
          assert.equal(
            outcome(() => applyEdits(text, edits)),
            outcome(() => documentEdits(text, edits)),
          );
        },
      ),
      { numRuns: 500, seed: 13 },
    );
  });
});
