/** The layers where you type (core/features/layers.ts): load order, overrides, defaults, definition, references, links, the layers view and a finding's effective chain. */
import assert from 'node:assert/strict';
import {
  defaultsFor,
  definitionAt,
  effectiveChain,
  layersView,
  linkCandidates,
  linkCandidatesInText,
  overridesIn,
  referencesAt,
  writesOf,
} from '../../server/src/core/features/layers';
import type { Span } from '../../server/src/core/types';
import { lint, rel, type Files } from '../helpers/rule-harness';

const OPTS = { horizonRelease: '2024.1', djangoVersion: '4.2' } as const;
const LOCAL = '/project/local_settings.py';

const DEBIAN: Files = {
  'local_settings.py': `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '10.0.0.11:11211',
    },
}
SECRET_KEY = 'Xk3vQ9pL2mZ7rT5wY1nB8cF4hJ6dG0sA'
`,
  'local_settings.d/_0006_debian_cache.py': `# Debian's cache snippet
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
`,
  'local_settings.d/_0100_key.py': `SECRET_KEY = 'Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF'\n`,
};

const KOLLA: Files = {
  'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '127.0.0.1:11211',
    },
}
`,
  'local_settings.d/_9998-kolla-settings.py': `CACHES['default']['LOCATION'] = ['10.0.0.11:11211', '10.0.0.12:11211']\n`,
};

function text(files: Files, span: Span): string {
  return (files[rel(span.file)] ?? '').slice(span.from, span.to);
}

function offsetOf(files: Files, file: string, needle: string, delta = 1): number {
  const i = (files[file] ?? '').indexOf(needle);
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return i + delta;
}

describe('layers where you type', () => {
  it("tells local_settings.py that Debian's snippet overrides CACHES, with the overriding line and value", () => {
    const a = lint(DEBIAN, OPTS);
    const o = overridesIn(a, LOCAL);
    const caches = o.find((x) => x.at.name === 'CACHES');
    assert.ok(caches, JSON.stringify(o.map((x) => x.label)));
    assert.equal(caches.mode, 'overridden');
    assert.equal(caches.label, 'overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache');
    assert.equal(caches.by.span.file, '/project/local_settings.d/_0006_debian_cache.py');
    assert.equal(text(DEBIAN, caches.by.target), 'CACHES');
    // SESSION_ENGINE is set once: no lens. The snippet's own CACHES is the last word: no lens there either.
    assert.equal(
      o.find((x) => x.at.name === 'SESSION_ENGINE'),
      undefined,
    );
    assert.deepEqual(overridesIn(a, '/project/local_settings.d/_0006_debian_cache.py'), []);
  });

  it('says a mutation in a later snippet changes the entry, with the resulting value', () => {
    const a = lint(KOLLA, OPTS);
    const o = overridesIn(a, LOCAL).find((x) => x.at.name === 'CACHES');
    assert.ok(o);
    assert.equal(o.mode, 'changed');
    assert.match(o.label, /^changed by local_settings\.d\/_9998-kolla-settings\.py:1 → PyMemcacheCache$/);
  });

  it("lists the session settings whose value comes from Horizon's defaults, in local_settings.py and every snippet", () => {
    const a = lint({ 'local_settings.py': 'DEBUG = False\n', 'local_settings.d/_1.py': 'X = 1\n' }, OPTS);
    const notes = defaultsFor(a, LOCAL);
    const engine = notes.find((n) => n.name === 'SESSION_ENGINE');
    assert.equal(engine?.label, 'SESSION_ENGINE: cache — Horizon 2024.1 default');
    assert.ok(
      notes.some((n) => n.name === 'CACHES' && /PyMemcacheCache — Horizon 2024\.1 default$/.test(n.label)),
    );
    // A snippet that sets none of them is told the same.
    assert.deepEqual(
      defaultsFor(a, '/project/local_settings.d/_1.py').map((n) => n.label),
      notes.map((n) => n.label),
    );
    // A file that is not part of the project: nothing.
    assert.deepEqual(defaultsFor(a, '/elsewhere/x.py'), []);
    // Set here: not a default note.
    const b = lint({ 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n" }, OPTS);
    assert.equal(
      defaultsFor(b, LOCAL).find((n) => n.name === 'SESSION_ENGINE'),
      undefined,
    );
    // db sessions: the cache settings are not the sessions' business.
    assert.equal(
      defaultsFor(b, LOCAL).find((n) => n.name === 'CACHES'),
      undefined,
    );
  });

  it('shows the cache settings exactly when the session-storage query says sessions may use a cache', () => {
    const notesOf = (engine: string): string[] =>
      defaultsFor(lint({ 'local_settings.py': `import os\nSESSION_ENGINE = ${engine}\n` }, OPTS), LOCAL)
        .map((n) => n.name)
        .filter((n) => n === 'CACHES' || n === 'SESSION_CACHE_ALIAS');
    // An environment lookup is judged by its visible default, as the rules judge it: db sessions, no cache.
    assert.deepEqual(notesOf("os.environ.get('ENGINE', 'django.contrib.sessions.backends.db')"), []);
    // Two branches, neither cache-backed.
    assert.deepEqual(
      notesOf(
        "'django.contrib.sessions.backends.db' if os.environ.get('X') else 'django.contrib.sessions.backends.file'",
      ),
      [],
    );
    // One branch cache-backed, or an engine that is not Django's (it may use a cache): shown.
    assert.ok(
      notesOf(
        "'django.contrib.sessions.backends.db' if os.environ.get('X') else 'django.contrib.sessions.backends.cache'",
      ).includes('CACHES'),
    );
    assert.ok(notesOf("'myapp.sessions'").includes('CACHES'));
  });

  it("tells a file that does not set a setting which other layer does (and opens it): Debian's CACHES", () => {
    const files: Files = {
      'local_settings.py': "DEBUG = False\n#CACHES = {'default': {}}\n",
      'local_settings.d/_0006_debian_cache.py': DEBIAN['local_settings.d/_0006_debian_cache.py']!,
      'local_settings.d/_0100_key.py': DEBIAN['local_settings.d/_0100_key.py']!,
    };
    const a = lint(files, OPTS);
    const caches = defaultsFor(a, LOCAL).find((n) => n.name === 'CACHES');
    assert.equal(
      caches?.label,
      'CACHES: LocMemCache — local_settings.d/_0006_debian_cache.py:2 (overrides the Horizon 2024.1 default)',
    );
    assert.equal(rel(caches.span!.file), 'local_settings.d/_0006_debian_cache.py');
    assert.equal(text(files, caches.span!), 'CACHES');
    // The snippet after it is told too; the snippet that sets CACHES is not told about its own line.
    const key = '/project/local_settings.d/_0100_key.py';
    assert.equal(defaultsFor(a, key).find((n) => n.name === 'CACHES')?.label, caches.label);
    assert.equal(
      defaultsFor(a, '/project/local_settings.d/_0006_debian_cache.py').find((n) => n.name === 'CACHES'),
      undefined,
    );
    assert.equal(
      defaultsFor(a, key).find((n) => n.name === 'SESSION_ENGINE')?.label,
      'SESSION_ENGINE: cache — Horizon 2024.1 default',
    );
  });

  it('lists the Horizon and Django defaults in the layers view, each marked overridden when a later layer sets it', () => {
    const a = lint(DEBIAN, OPTS);
    const view = layersView(a);
    const [django, horizon] = view;
    assert.equal(horizon?.label, 'Horizon 2024.1 defaults (built in)');
    const row = (l: (typeof view)[number] | undefined, name: string) =>
      l?.settings.find((s) => s.name === name);
    // Every session setting Horizon's table sets.
    assert.deepEqual(
      horizon?.settings.map((s) => s.name),
      [
        'SESSION_ENGINE',
        'CACHES',
        'SESSION_SERIALIZER',
        'SESSION_COOKIE_HTTPONLY',
        'SESSION_EXPIRE_AT_BROWSER_CLOSE',
        'SESSION_COOKIE_SECURE',
        'SESSION_TIMEOUT',
        'SESSION_REFRESH',
        'SESSION_COOKIE_MAX_SIZE',
      ],
    );
    const caches = row(horizon, 'CACHES');
    assert.deepEqual([caches?.value, caches?.effective], ['PyMemcacheCache', false]);
    assert.equal(caches?.note, 'overridden by local_settings.d/_0006_debian_cache.py:2 → LocMemCache');
    assert.equal(rel(caches?.span?.file ?? ''), 'local_settings.d/_0006_debian_cache.py');
    const engine = row(horizon, 'SESSION_ENGINE');
    assert.equal(engine?.note, 'overridden by local_settings.py:2 → cache');
    assert.deepEqual(
      [row(horizon, 'SESSION_SERIALIZER')?.value, row(horizon, 'SESSION_SERIALIZER')?.effective],
      ['PickleSerializer', true],
    );
    // Django's: what Horizon's table sets is overridden by it; the rest stays effective.
    assert.equal(
      row(django, 'SESSION_SERIALIZER')?.note,
      'overridden by the Horizon 2024.1 defaults → PickleSerializer',
    );
    assert.equal(row(django, 'SESSION_SERIALIZER')?.effective, false);
    assert.deepEqual(
      [row(django, 'SESSION_COOKIE_NAME')?.value, row(django, 'SESSION_COOKIE_NAME')?.effective],
      ["'sessionid'", true],
    );
    assert.equal(row(django, 'SECRET_KEY')?.effective, false);
    // Exactly one effective row per setting over all layers.
    const effective = layersView(a).flatMap((l) => l.settings.filter((s) => s.effective).map((s) => s.label));
    assert.equal(new Set(effective).size, effective.length, effective.join(' '));
  });

  it("uses Horizon's real settings.py: SESSION_ENGINE's definition is its line, and it runs the local layers in the middle", () => {
    const files: Files = {
      'openstack_dashboard/settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache'}}
from local.local_settings import *
SESSION_COOKIE_HTTPONLY = True
`,
      'local_settings.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    };
    const a = lint(files, OPTS);
    const defs = definitionAt(a, LOCAL, 0);
    assert.equal(defs.length, 1);
    assert.equal(defs[0]?.file, '/project/local_settings.py');
    const engineDef = definitionAt(a, '/project/openstack_dashboard/settings.py', 1);
    assert.equal(rel(engineDef[0]!.file), 'openstack_dashboard/settings.py');
    assert.equal(text(files, engineDef[0]!), 'SESSION_ENGINE');
    const notes = defaultsFor(a, LOCAL);
    const engine = notes.find((n) => n.name === 'SESSION_ENGINE');
    assert.equal(
      engine?.label,
      'SESSION_ENGINE: cache — Horizon default (openstack_dashboard/settings.py:1)',
    );
    assert.equal(engine?.span?.file, '/project/openstack_dashboard/settings.py');
    // Load order: settings.py before its import line, local_settings.py, then settings.py's tail.
    const order = writesOf(a, 'CACHES').map((w) => rel(w.span.file));
    assert.deepEqual(order, ['openstack_dashboard/settings.py', 'local_settings.py']);
    const tail = writesOf(a, 'SESSION_COOKIE_HTTPONLY');
    assert.equal(tail.length, 1);
    const all = layersView(a);
    assert.deepEqual(
      all.map((l) => l.label),
      ['Django 4.2 defaults', 'openstack_dashboard/settings.py', 'local_settings.py'],
    );
  });

  it('Go to Definition: on a name the winning assignment; on the alias the CACHES key that wins', () => {
    const files: Files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
SESSION_CACHE_ALIAS = 'sessions'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
print(SESSION_ENGINE)
`,
      'local_settings.d/_50.py': `CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},
    'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache'},
}
`,
    };
    const a = lint(files, OPTS);
    const onCaches = definitionAt(a, LOCAL, offsetOf(files, 'local_settings.py', 'CACHES ='));
    assert.equal(onCaches.length, 1);
    assert.equal(rel(onCaches[0]!.file), 'local_settings.d/_50.py');
    assert.equal(text(files, onCaches[0]!), 'CACHES');
    // A use of the name, not only its assignment.
    const use = definitionAt(a, LOCAL, offsetOf(files, 'local_settings.py', 'print(SESSION_ENGINE', 7));
    assert.equal(text(files, use[0]!), 'SESSION_ENGINE');
    const alias = definitionAt(a, LOCAL, offsetOf(files, 'local_settings.py', "'sessions'", 3));
    assert.equal(alias.length, 1);
    assert.equal(rel(alias[0]!.file), 'local_settings.d/_50.py');
    assert.equal(text(files, alias[0]!), "'sessions'");
    // The 'default' key in local_settings.py's CACHES jumps to the snippet's, which wins.
    const key = definitionAt(a, LOCAL, offsetOf(files, 'local_settings.py', "'default'", 3));
    assert.equal(rel(key[0]!.file), 'local_settings.d/_50.py');
    assert.equal(text(files, key[0]!), "'default'");
    // Nothing under the cursor: no definition.
    assert.deepEqual(definitionAt(a, LOCAL, offsetOf(files, 'local_settings.py', 'print', 2)), []);
  });

  it("Find All References lists every layer's assignment and mutation in load order", () => {
    const a = lint(KOLLA, OPTS);
    const refs = referencesAt(a, LOCAL, offsetOf(KOLLA, 'local_settings.py', 'CACHES'));
    assert.deepEqual(
      refs.map((w) => `${rel(w.span.file)} ${w.kind} ${w.path.join('.')}`),
      ['local_settings.py assign ', 'local_settings.d/_9998-kolla-settings.py mutate default.LOCATION'],
    );
  });

  it('follows star imports into the imported module for references and the winner', () => {
    const files: Files = {
      'settings/base.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
      'settings/prod.py': 'from .base import *\nSESSION_COOKIE_SECURE = True\n',
    };
    const a = lint(files, { ...OPTS, horizonRelease: '', kind: 'django' });
    const prod = '/project/settings/prod.py';
    assert.ok(a.model.files.some((f) => f.path === prod));
    const w = writesOf(a, 'SESSION_ENGINE');
    assert.deepEqual(
      w.map((x) => rel(x.span.file)),
      ['settings/base.py'],
    );
    const links = linkCandidates(a, prod);
    assert.equal(links[0]?.file, '/project/settings/base.py');
    assert.equal(text(files, links[0]!.span), '.base');
  });

  it('finds links in any text: star imports, settings paths and exec includes, nothing else', () => {
    const src = [
      'from .base import *',
      'from openstack_dashboard.local.defaults import *',
      'from os import path',
      "SNIPPETS = '/etc/openstack-dashboard/local_settings.d'",
      "CONF = '../horizon.conf'",
      "exec(open('extra_settings.py').read())",
      "NAME = 'not/a path'",
      '',
    ].join('\n');
    const got = linkCandidatesInText(src, '/x/settings.py').map((c) => [
      src.slice(c.span.from, c.span.to),
      c.module ? `${c.module.level}:${c.module.name}` : c.path,
    ]);
    assert.deepEqual(got, [
      ['.base', '1:base'],
      ['openstack_dashboard.local.defaults', '0:openstack_dashboard.local.defaults'],
      ['/etc/openstack-dashboard/local_settings.d', '/etc/openstack-dashboard/local_settings.d'],
      ['../horizon.conf', '../horizon.conf'],
      ['extra_settings.py', 'extra_settings.py'],
    ]);
  });

  it('offers string paths of settings files as link candidates', () => {
    const files: Files = {
      'local_settings.py':
        "LOCAL_SETTINGS_DIR = '/etc/openstack-dashboard/local_settings.d'\nX = 'not a path'\n",
    };
    const a = lint(files, OPTS);
    const links = linkCandidates(a, LOCAL);
    assert.deepEqual(
      links.map((l) => l.path),
      ['/etc/openstack-dashboard/local_settings.d'],
    );
  });

  it('builds the layers view in load order with the effective writes marked', () => {
    const a = lint(DEBIAN, OPTS);
    const view = layersView(a);
    assert.deepEqual(
      view.map((l) => l.label),
      [
        'Django 4.2 defaults',
        'Horizon 2024.1 defaults (built in)',
        'local_settings.py',
        'local_settings.d/_0006_debian_cache.py',
        'local_settings.d/_0100_key.py',
      ],
    );
    const local = view[2]!;
    const caches = local.settings.find((s) => s.name === 'CACHES');
    assert.equal(caches?.effective, false);
    assert.match(caches?.note ?? '', /overridden by local_settings\.d\/_0006_debian_cache\.py:2/);
    assert.equal(local.settings.find((s) => s.name === 'SESSION_ENGINE')?.effective, true);
    const snippet = view[3]!;
    assert.deepEqual(
      snippet.settings.map((s) => [s.label, s.value, s.effective]),
      [['CACHES', 'LocMemCache', true]],
    );
  });

  it("explains a finding's effective chain in one line", () => {
    const a = lint(DEBIAN, OPTS);
    const f = a.findings.find((x) => x.code === 'DSL104');
    assert.ok(f, a.findings.map((x) => x.code).join(' '));
    assert.equal(
      effectiveChain(a, f),
      "SESSION_ENGINE cache (local_settings.py:2) → alias 'default' → LocMemCache (local_settings.d/_0006_debian_cache.py:4)",
    );
    // An engine that is not Django's may keep sessions in a cache: the chain goes on to the alias, as the
    // first-line notes do (one answer from the session-storage query).
    const custom = lint({ 'local_settings.py': "SESSION_ENGINE = 'myapp.sessions'\n" }, OPTS);
    assert.match(effectiveChain(custom, { settings: ['SESSION_ENGINE'] }) ?? '', /→ alias 'default' → /);
  });
});
