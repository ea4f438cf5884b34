/** The read-only documents of built-in defaults (core/features/defaults-document.ts): what each line says is the table's value, and where Go to Definition of a default lands. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  builtInDefinition,
  defaultsDocumentAt,
  djangoDefaultsDocument,
  horizonDefaultsDocument,
} from '../../server/src/core/features/defaults-document';
import { toPyData } from '../../server/src/core/evaluate/values';
import { DJANGO_DEFAULTS, findHorizonRelease, HORIZON_RELEASES } from '../../server/src/core/knowledge';
import { evaluateText, valueOf } from '../helpers/evaluate-text';
import { lint } from '../helpers/rule-harness';

/** Every setting of a document, evaluated as Python, equals the table's value, on the line the document says. */
function assertSaysTable(
  doc: ReturnType<typeof djangoDefaultsDocument>,
  table: Readonly<Record<string, unknown>>,
): void {
  const ev = evaluateText(doc.text);
  assert.deepEqual([...doc.lines.keys()].sort(), Object.keys(table).sort());
  const lines = doc.text.split('\n');
  for (const [name, data] of Object.entries(table)) {
    const v = valueOf(ev, name);
    assert.ok(v, `${name} is not set in ${doc.path}`);
    assert.deepEqual(toPyData(v), data, name);
    assert.ok(lines[doc.lines.get(name)!]?.startsWith(`${name} = `), `${name}'s line in ${doc.path}`);
    assert.match(lines[doc.lines.get(name)!]!, / {2}# \S+\.py/);
  }
}

describe('defaults documents', () => {
  it("Django's: every default the rules read, as global_settings.py has it", () => {
    const doc = djangoDefaultsDocument();
    assert.equal(doc.path, '/django/global_settings.py');
    assertSaysTable(doc, DJANGO_DEFAULTS);
    assert.match(
      doc.text,
      /^SECRET_KEY_FALLBACKS = \[\] {2}# django\/conf\/global_settings\.py; Django 4\.1 and later$/m,
    );
  });

  it("Horizon's: each release's table, with the file that really defines each setting", () => {
    for (const release of HORIZON_RELEASES.filter((r) => r.stableBranch)) {
      const doc = horizonDefaultsDocument(release);
      assert.equal(doc.path, `/horizon/${release.series}/settings.py`);
      assertSaysTable(doc, release.defaults);
      assert.equal(defaultsDocumentAt(doc.path), doc);
    }
    const doc = horizonDefaultsDocument(findHorizonRelease('2024.1')!);
    assert.match(doc.text, /^SESSION_TIMEOUT = 3600 {2}# openstack_auth\/defaults\.py$/m);
    assert.match(
      doc.text,
      /^SESSION_ENGINE = 'django\.contrib\.sessions\.backends\.cache' {2}# openstack_dashboard\/settings\.py$/m,
    );
    assert.match(doc.text, /Horizon 2024\.1 \(Caracal\) defaults/);
  });

  it('is valid Python (CPython parses every document)', () => {
    const docs = [djangoDefaultsDocument(), ...HORIZON_RELEASES.map((r) => horizonDefaultsDocument(r))];
    const py = process.env.PYTHON ?? 'python3';
    // One interpreter for all: prints the path of each document it cannot parse.
    const script =
      'import ast,json,sys\nfor d in json.load(sys.stdin):\n  try: ast.parse(d["text"])\n  except SyntaxError as e: print(d["path"], e)';
    const r = spawnSync(py, ['-c', script], {
      input: JSON.stringify(docs.map((d) => ({ path: d.path, text: d.text }))),
      encoding: 'utf8',
    });
    assert.ok(!r.error, `python3 is needed: ${r.error?.message ?? ''}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('names no document for other paths', () => {
    for (const p of [
      '/horizon/1999.1/settings.py',
      '/horizon/caracal/settings.py',
      '/django/settings.py',
      '',
    ])
      assert.equal(defaultsDocumentAt(p), undefined, p);
  });

  it('places a default that no file sets on its line; a setting a file sets has no built-in definition', () => {
    const a = lint(
      { 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n" },
      {
        horizonRelease: '2024.1',
        djangoVersion: '4.2',
      },
    );
    const horizon = horizonDefaultsDocument(findHorizonRelease('2024.1')!);
    assert.deepEqual(builtInDefinition(a, 'SESSION_SERIALIZER'), {
      path: horizon.path,
      line: horizon.lines.get('SESSION_SERIALIZER'),
    });
    const django = djangoDefaultsDocument();
    assert.deepEqual(builtInDefinition(a, 'SESSION_COOKIE_AGE'), {
      path: django.path,
      line: django.lines.get('SESSION_COOKIE_AGE'),
    });
    assert.equal(builtInDefinition(a, 'SESSION_ENGINE'), undefined);
    assert.equal(builtInDefinition(a, 'NOT_A_SETTING'), undefined);
  });
});
