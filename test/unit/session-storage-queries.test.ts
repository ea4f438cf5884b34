/**
 * The session-storage query layer (core/queries/): engine → alias → CACHES entry → BACKEND/LOCATION/OPTIONS and
 * DATABASES['default'], resolved once per analysis, branch-aware, with origins; and the front ends that read it
 * (status bar label, the diagnostic hover's chain, the CLI's `effective`) agreeing with the rules.
 */
import assert from 'node:assert/strict';
import type { Analysis } from '../../server/src/core/analyze';
import { effectiveChain } from '../../server/src/core/features/layers';
import { dictListing, storageLabel } from '../../server/src/core/queries/effective-listing';
import {
  aliasLabel,
  lookupEverywhere,
  settingDicts,
  valueOrigin,
} from '../../server/src/core/queries/entries';
import { entryString, sessionStorage, settingEntries } from '../../server/src/core/queries/session-storage';
import { knownStrings } from '../../server/src/core/queries/judge';
import { effectiveJson } from '../../server/src/cli/effective';
import { Redactor } from '../../server/src/core/secrets';
import { effectiveConfiguration } from '../../server/src/lsp/effective-configuration';
import { lint, type Files } from '../helpers/rule-harness';

const CACHE_ENGINE = "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n";
const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';

/** CACHES set by an if/else on an environment lookup with a visible default (decided by that default). */
function branching(defaultKind: 'local' | 'shared'): Files {
  return {
    'local_settings.py': `import os
${CACHE_ENGINE}if os.environ.get('CACHE_KIND', '${defaultKind}') == 'shared':
    CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '10.0.0.1:11211', 'OPTIONS': {'ignore_exc': True}}}
else:
    CACHES = {'default': {'BACKEND': '${LOCMEM}'}}
`,
  };
}

function line(a: Analysis, span: { file: string; from: number } | undefined): string {
  return span ? `${span.file.replace('/project/', '')}:${a.lineOf({ ...span, to: span.from })}` : 'none';
}

function codes(a: Analysis): string[] {
  return a.findings.map((f) => f.code);
}

describe('session-storage queries', () => {
  it('resolves engine → alias → entry → BACKEND/LOCATION/OPTIONS and the database, each with its origin', () => {
    const a = lint({
      'local_settings.py': `${CACHE_ENGINE}SESSION_CACHE_ALIAS = 'sessions'
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'horizon'}}
`,
      'local_settings.d/_50_cache.py': `CACHES = {
    'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '10.0.0.2:11211'},
    'sessions': {
        'BACKEND': '${PYMEMCACHE}',
        'LOCATION': ['10.0.0.1:11211'],
        'OPTIONS': {'ignore_exc': True},
    },
}
`,
    });
    const s = sessionStorage(a);
    assert.deepEqual(
      s.engine?.judged.map((j) => j.value),
      ['django.contrib.sessions.backends.cache'],
    );
    assert.equal(
      line(a, s.engineSetting?.origin.kind === 'file' ? s.engineSetting.origin.span : undefined),
      'local_settings.py:1',
    );
    assert.equal(s.alias?.alias, 'sessions');
    assert.equal(s.cache?.alias, 'sessions');
    assert.equal(line(a, s.cache?.item.keySpan ?? s.cache?.item.key.span), 'local_settings.d/_50_cache.py:3');
    assert.deepEqual(
      s.backend?.judged.map((j) => j.value),
      [PYMEMCACHE],
    );
    assert.equal(line(a, s.backend?.value.span), 'local_settings.d/_50_cache.py:4');
    assert.equal(s.location?.kind, 'list');
    assert.equal(line(a, s.location?.span), 'local_settings.d/_50_cache.py:5');
    assert.equal(s.options?.kind, 'dict');
    assert.equal(line(a, s.options?.span), 'local_settings.d/_50_cache.py:6');
    assert.equal(s.database?.alias, 'default');
    assert.equal(knownStrings(s.database?.field('ENGINE'))?.[0]?.value, 'django.db.backends.mysql');
    assert.equal(s.usesCache(), true);
    assert.equal(entryString(a, 'CACHES', 'default', 'LOCATION'), '10.0.0.2:11211');
    assert.equal(entryString(a, 'DATABASES', 'default', 'NAME'), 'horizon');
    // An origin is the value's literal; a value without a span falls back to the setting's assignment.
    const caches = a.model.effective('CACHES');
    assert.ok(caches);
    const at = valueOrigin(caches.origin, s.backend?.value);
    assert.equal(at.kind === 'file' ? line(a, at.span) : at.by, 'local_settings.d/_50_cache.py:4');
    assert.deepEqual(valueOrigin(caches.origin, { kind: 'str', value: 'x' }), caches.origin);
  });

  it('is resolved once per analysis: a rule context and the analysis share one result', () => {
    const a = lint(branching('local'));
    const s = sessionStorage(a);
    assert.equal(sessionStorage({ project: a.model }), s);
    assert.equal(s.cacheEntry('default'), s.cache);
    assert.equal(s.cacheEntries(), s.cacheEntries());
    // A new analysis (another model) gets its own.
    assert.notEqual(sessionStorage(lint(branching('local'))), s);
  });

  for (const kind of ['local', 'shared'] as const) {
    it(`branching CACHES (if/else on an environment default, ${kind}): status bar, hover and diagnostics agree`, () => {
      const a = lint(branching(kind));
      const s = sessionStorage(a);
      assert.deepEqual(
        s.backend?.judged.map((j) => [j.value, j.ifUnset]),
        [[kind === 'local' ? LOCMEM : PYMEMCACHE, 'CACHE_KIND']],
      );
      const statusBar = effectiveConfiguration(a).storage.label;
      assert.equal(statusBar, storageLabel(a));
      const dsl104 = a.findings.find((f) => f.code === 'DSL104');
      const chain = dsl104 ? effectiveChain(a, dsl104) : effectiveChain(a, { settings: ['CACHES'] });
      if (kind === 'local') {
        assert.equal(statusBar, 'local memory (cache), if CACHE_KIND is unset');
        assert.ok(dsl104, `DSL104 expected, got ${codes(a).join(' ')}`);
        assert.match(dsl104.message, /LocMemCache \(if CACHE_KIND is unset\)/);
        assert.match(chain ?? '', /LocMemCache/);
      } else {
        assert.equal(statusBar, 'memcached (cache), if CACHE_KIND is unset');
        assert.deepEqual(
          codes(a).filter((c) => /^DSL1/.test(c)),
          [],
        );
        assert.match(chain ?? '', /PyMemcacheCache/);
      }
    });
  }

  it('a CACHES the analyser cannot decide: counted only where every branch agrees', () => {
    const twoWays = (other: string): Files => ({
      'local_settings.py': `import sys
${CACHE_ENGINE}if 'runserver' in sys.argv:
    CACHES = {'default': {'BACKEND': '${other}'}, 'extra': {'BACKEND': '${LOCMEM}'}}
else:
    CACHES = {'default': {'BACKEND': '${LOCMEM}'}}
`,
    });
    const same = lint(twoWays(LOCMEM));
    const s = sessionStorage(same);
    assert.equal(s.caches?.dicts.length, 2);
    assert.deepEqual(
      s.cacheEntries().map((e) => e.alias),
      ['default'],
    );
    assert.equal(s.cache?.branches, 2);
    assert.equal(s.cache?.itemOf('BACKEND'), undefined);
    assert.equal(storageLabel(same), 'local memory (cache)');
    assert.ok(codes(same).includes('DSL104'));

    const differ = lint(twoWays(PYMEMCACHE));
    assert.deepEqual(
      sessionStorage(differ).backend?.judged.map((j) => j.value),
      [PYMEMCACHE, LOCMEM],
    );
    assert.equal(storageLabel(differ), 'memcached or local memory (cache)');
    assert.ok(!codes(differ).includes('DSL104'), 'DSL104 judges only what every branch agrees on');
  });

  it('lookupEverywhere: the value itself for one dict; Unknown where a branch lacks the key', () => {
    const a = lint({
      'local_settings.py': `import sys
if 'x' in sys.argv:
    CACHES = {'default': {'BACKEND': '${LOCMEM}', 'KEY_PREFIX': 'a'}}
else:
    CACHES = {'default': {'BACKEND': '${LOCMEM}'}}
`,
    });
    const caches = settingDicts(a, 'CACHES');
    assert.equal(caches?.dicts.length, 2);
    const entry = lookupEverywhere(caches?.setting.value, 'default');
    assert.deepEqual(
      knownStrings(lookupEverywhere(entry, 'BACKEND'))?.map((j) => j.value),
      [LOCMEM, LOCMEM],
    );
    const prefix = lookupEverywhere(entry, 'KEY_PREFIX');
    assert.equal(prefix?.kind, 'oneOf');
    assert.equal(knownStrings(prefix), undefined, 'a key missing in one branch is never judged');
    assert.equal(lookupEverywhere(entry, 'LOCATION'), undefined);
    const one = caches?.dicts[0];
    assert.equal(lookupEverywhere(one, 'default'), one?.entries[0]?.value);
  });

  it('DATABASES entries: branch-aware fields, key items only where one literal holds them', () => {
    const a = lint({
      'local_settings.py': `import sys
if 'x' in sys.argv:
    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'a'}}
else:
    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'b'}}
`,
    });
    const [db] = settingEntries(a, 'DATABASES');
    assert.equal(db?.alias, 'default');
    assert.equal(db?.branches, 2);
    assert.deepEqual(
      knownStrings(db?.field('ENGINE'))?.map((j) => j.value),
      ['django.db.backends.sqlite3', 'django.db.backends.sqlite3'],
    );
    assert.deepEqual(
      knownStrings(db?.field('NAME'))?.map((j) => j.value),
      ['a', 'b'],
    );
    assert.equal(db?.itemOf('NAME'), undefined);
    const single = settingEntries(
      lint({ 'local_settings.py': "DATABASES = {'default': {'NAME': 'a'}}\n" }),
      'DATABASES',
    );
    assert.equal(single[0]?.itemOf('NAME')?.key.kind, 'str');
  });

  it('aliasLabel: one wording, saying whose default CACHES is when no file set it', () => {
    const fromFile = lint(branching('local'));
    const own = sessionStorage(fromFile).cache;
    assert.ok(own);
    assert.equal(aliasLabel(own), "CACHES['default']");
    const horizonDefault = lint({ 'local_settings.py': CACHE_ENGINE });
    const dflt = sessionStorage(horizonDefault).cache;
    assert.ok(dflt);
    assert.equal(aliasLabel(dflt), "Horizon's default CACHES['default']");
    const django = lint({ 'settings.py': CACHE_ENGINE }, { kind: 'django' });
    const dj = sessionStorage(django).cache;
    assert.ok(dj);
    assert.equal(aliasLabel(dj), "Django's default CACHES['default']");
  });

  it('dictListing: what both effective configurations print, alias by alias', () => {
    const a = lint({
      'local_settings.py': `CACHES = {
    'default': {'BACKEND': '${LOCMEM}', 'LOCATION': 'a', 'LOCATION': 'b'},
    1: {'BACKEND': '${LOCMEM}'},
    'other': 'not a dict',
    'default': {'BACKEND': '${PYMEMCACHE}'},
}
`,
    });
    const listing = dictListing(a, 'CACHES');
    assert.equal(listing?.kind, 'dict');
    if (listing?.kind !== 'dict') return;
    assert.deepEqual(
      listing.aliases.map((x) => [x.alias, x.fields?.map((f) => f.key)]),
      [
        ['default', ['BACKEND']],
        ['other', undefined],
      ],
    );
    const json = effectiveJson(a, new Redactor());
    assert.deepEqual(Object.keys(json.CACHES), ['default', 'other']);
    const rows = effectiveConfiguration(a).rows.filter((r) => r.name.startsWith('CACHES'));
    assert.deepEqual(
      rows.map((r) => r.name),
      ['CACHES.default.BACKEND', 'CACHES.other'],
    );
    const unsure = lint(branching('local'));
    assert.equal(dictListing(unsure, 'CACHES')?.kind, 'dict');
    const djangoDefault = dictListing(lint({ 'settings.py': 'X = 1\n' }, { kind: 'django' }), 'DATABASES');
    assert.deepEqual(
      djangoDefault?.kind === 'dict' ? [djangoDefault.setting.origin, djangoDefault.aliases] : undefined,
      [{ kind: 'default', by: 'django' }, []],
    );
  });
});
