/** End-to-end tests of `--format sarif`: a structurally valid SARIF 2.1.0 log with rules, results, related locations and fixes. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import {
  assertBundle,
  CLASS_PATH_ENGINE,
  LOCMEM_SETTINGS,
  makeProject,
  removeProject,
  runCli,
} from './cli-harness';

describe('cli: SARIF output', () => {
  let dir = '';
  let log: sarif.Log;
  before(() => {
    assertBundle();
    dir = makeProject({ 'app/settings.py': LOCMEM_SETTINGS, 'legacy/settings.py': CLASS_PATH_ENGINE });
    const r = runCli(['app', 'legacy', '--select', 'DSL101,DSL104', '--format', 'sarif'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1, 'the DSL101 error fails the run');
    log = JSON.parse(r.stdout) as sarif.Log;
  });
  after(() => removeProject(dir));

  it('is a SARIF 2.1.0 log with one run of this tool', () => {
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema ?? '', /sarif-schema-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0]?.tool.driver;
    assert.equal(driver?.name, 'django-session-lint');
    assert.equal(driver?.version, '0.1.0');
    assert.equal(log.runs[0]?.columnKind, 'utf16CodeUnits');
    assert.deepEqual(log.runs[0]?.originalUriBaseIds, {
      '%SRCROOT%': { uri: pathToFileURL(dir).href + '/' },
    });
  });

  it('describes every rule, with level, help URI and descriptions', () => {
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    const ids = rules.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort(), 'in code order');
    assert.ok(ids.includes('DSL101') && ids.includes('DSL104'));
    for (const r of rules) {
      assert.match(r.id, /^DSL\d{3}$/);
      assert.ok(r.name && r.shortDescription?.text && r.fullDescription?.text, r.id);
      assert.match(r.helpUri ?? '', new RegExp(`#${r.id.toLowerCase()}$`));
      assert.ok(['error', 'warning', 'note', 'none'].includes(r.defaultConfiguration?.level ?? ''), r.id);
    }
    const dsl104 = rules.find((r) => r.id === 'DSL104');
    assert.equal(dsl104?.defaultConfiguration?.level, 'warning');
  });

  it('has one result per diagnostic, located relative to %SRCROOT%, with ruleIndex, related locations and fixes', () => {
    const run = log.runs[0];
    assert.ok(run);
    const results = run.results ?? [];
    assert.deepEqual(
      results.map((r) => [r.ruleId, r.level]),
      [
        ['DSL104', 'warning'],
        ['DSL101', 'error'],
      ],
    );
    for (const r of results) {
      assert.equal(run.tool.driver.rules?.[r.ruleIndex ?? -1]?.id, r.ruleId);
      assert.ok(r.message.text);
    }
    const [locmem, engine] = results;
    assert.deepEqual(locmem?.locations?.[0]?.physicalLocation, {
      artifactLocation: { uri: 'app/settings.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 34, endLine: 2, endColumn: 81 },
    });
    assert.deepEqual(
      locmem?.relatedLocations?.map((l) => [l.id, l.physicalLocation?.region?.startLine, l.message?.text]),
      [
        [1, 1, 'SESSION_ENGINE set here'],
        [2, 2, 'CACHES set here'],
      ],
    );
    assert.deepEqual(engine?.fixes?.[0]?.artifactChanges, [
      {
        artifactLocation: { uri: 'legacy/settings.py', uriBaseId: '%SRCROOT%' },
        replacements: [
          {
            deletedRegion: { startLine: 2, startColumn: 18, endLine: 2, endColumn: 71 },
            insertedContent: { text: "'django.contrib.sessions.backends.cache'" },
          },
        ],
      },
    ]);
    assert.match(locmem?.fixes?.[0]?.description?.text ?? '', /\(unsafe\)$/);
  });

  it('uses absolute file URIs for files outside the working directory, and notes unreadable paths', () => {
    const r = runCli(
      [path.join(dir, 'app'), 'missing', '--select', 'DSL104', '--format', 'sarif'],
      path.join(dir, 'legacy'),
    );
    assert.equal(r.status, 2);
    const other = JSON.parse(r.stdout) as sarif.Log;
    const loc = other.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    assert.deepEqual(loc, { uri: pathToFileURL(path.join(dir, 'app/settings.py')).href });
    assert.deepEqual(other.runs[0]?.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'missing: no such file or directory' } },
        ],
      },
    ]);
  });
});
