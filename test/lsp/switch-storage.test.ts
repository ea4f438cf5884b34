/** Tests "Switch session storage to …" (core/features/switch-storage.ts): every target on typical projects gives valid Python that lints clean of storage errors and warnings, keeps the rest of the file, and is stable when applied again. */
import assert from 'node:assert/strict';
import {
  switchSessionStorage,
  storageTargets,
  STORAGE_TARGETS,
  type StorageTarget,
} from '../../server/src/core/features/switch-storage';
import { applyEdits } from '../../server/src/core/fixes';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { SESSION_STORAGE_TARGETS } from '../../common/protocol';
import {
  assertPythonParses,
  describeFindings,
  lint,
  rel,
  type Files,
  type LintOptions,
} from '../helpers/rule-harness';

/** Codes that are not about where sessions are stored (cookie flags, secret keys) or not about settings at all. */
const NOT_STORAGE = /^DSL(00\d|5\d\d)$/;

function apply(files: Files, edits: readonly TextEdit[]): Files {
  const out: Files = { ...files };
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    const name = rel(file);
    const before = out[name];
    assert.ok(before !== undefined, `edit in unknown file ${file}`);
    out[name] = applyEdits(before, list);
  }
  return out;
}

function switched(files: Files, file: string, target: StorageTarget, opts: LintOptions): Files {
  const analysis = lint(files, opts);
  const result = switchSessionStorage(analysis, `/project/${file}`, target);
  assert.ok(result, `no switch to ${target} for ${file}`);
  return apply(files, result.edits);
}

const CACHE_SETTINGS = ['SESSION_ENGINE', 'CACHES', 'SESSION_CACHE_ALIAS'];
const DB_SETTINGS = ['SESSION_ENGINE', 'DATABASES', 'INSTALLED_APPS'];
/** The settings a target is about: a problem elsewhere that was there before the switch is not the switch's. */
const TARGET_SETTINGS: Record<StorageTarget, readonly string[]> = {
  memcached: CACHE_SETTINGS,
  redis: CACHE_SETTINGS,
  'django-redis': CACHE_SETTINGS,
  mysql: DB_SETTINGS,
  postgresql: DB_SETTINGS,
  cached_db: [...CACHE_SETTINGS, ...DB_SETTINGS],
  signed_cookies: ['SESSION_ENGINE', 'SESSION_SERIALIZER'],
  file: ['SESSION_ENGINE', 'SESSION_FILE_PATH'],
};

function storageProblems(before: Files, after: Files, target: StorageTarget, opts: LintOptions): string {
  const key = (f: Finding): string => `${f.code}|${f.span.file}|${f.message}`;
  const existing = new Set(lint(before, opts).findings.map(key));
  const a = lint(after, opts);
  const bad = a.findings.filter(
    (f) =>
      (f.severity === 'error' || f.severity === 'warning') &&
      !NOT_STORAGE.test(f.code) &&
      !(existing.has(key(f)) && !f.settings.some((s) => TARGET_SETTINGS[target].includes(s))),
  );
  return bad.length === 0 ? '' : describeFindings({ ...a, findings: bad });
}

interface Case {
  readonly name: string;
  readonly files: Files;
  readonly file: string;
  readonly opts: LintOptions;
}

const HORIZON_LOCMEM: Files = {
  'local_settings.py': `# Horizon settings for this site.
import os

DEBUG = False
ALLOWED_HOSTS = ['dashboard.example.org']

# Sessions in the local memory cache (from the old guide).
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}

OPENSTACK_HOST = '10.0.0.10'  # keystone
`,
};

const DEBIAN_LAYOUT: Files = {
  'local_settings.py': `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': ['10.0.0.11:11211', '10.0.0.12:11211'],
        'OPTIONS': {'ignore_exc': True},
    },
}
`,
  'local_settings.d/_0006_debian_cache.py': `# Debian's snippet: replaces CACHES with a local-memory cache.
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    },
}
`,
};

const HORIZON_EMPTY: Files = { 'local_settings.py': 'DEBUG = False\n' };

const DJANGO_SQLITE: Files = {
  'settings.py': `"""Django settings for mysite."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = False
ALLOWED_HOSTS = ['www.example.org']

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.staticfiles',
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    },
    'reports': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'reports',
    },
}

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
`,
};

const CASES: readonly Case[] = [
  {
    name: 'Horizon local_settings.py with LocMemCache (Django 4.2)',
    files: HORIZON_LOCMEM,
    file: 'local_settings.py',
    opts: { horizonRelease: '2024.2', djangoVersion: '4.2' },
  },
  {
    name: 'Debian layout: a snippet overrides CACHES (Django 4.2)',
    files: DEBIAN_LAYOUT,
    file: 'local_settings.py',
    opts: { horizonRelease: '2024.2', djangoVersion: '4.2' },
  },
  {
    name: 'Horizon defaults only (Django 4.2)',
    files: HORIZON_EMPTY,
    file: 'local_settings.py',
    opts: { horizonRelease: '2024.2', djangoVersion: '4.2' },
  },
  {
    name: 'Django project with SQLite (Django 3.2)',
    files: DJANGO_SQLITE,
    file: 'settings.py',
    opts: { djangoVersion: '3.2', kind: 'django' },
  },
  {
    name: 'Django project with SQLite (Django 4.2)',
    files: DJANGO_SQLITE,
    file: 'settings.py',
    opts: { djangoVersion: '4.2', kind: 'django' },
  },
  {
    name: 'Django project with SQLite (Django 5.2)',
    files: DJANGO_SQLITE,
    file: 'settings.py',
    opts: { djangoVersion: '5.2', kind: 'django' },
  },
];

describe('switch session storage', () => {
  it('offers the same targets the client knows (common/protocol.ts)', () => {
    assert.deepEqual([...STORAGE_TARGETS], [...SESSION_STORAGE_TARGETS]);
  });

  it("offers Django's RedisCache only from Django 4.0, and cookies not for Horizon in production", () => {
    assert.ok(
      !storageTargets(lint(DJANGO_SQLITE, { djangoVersion: '3.2', kind: 'django' })).includes('redis'),
    );
    assert.ok(
      storageTargets(lint(DJANGO_SQLITE, { djangoVersion: '4.2', kind: 'django' })).includes('redis'),
    );
    assert.ok(
      storageTargets(lint(DJANGO_SQLITE, { djangoVersion: '4.2', kind: 'django' })).includes(
        'signed_cookies',
      ),
    );
    assert.ok(!storageTargets(lint(HORIZON_LOCMEM, { djangoVersion: '4.2' })).includes('signed_cookies'));
    assert.ok(
      storageTargets(lint(HORIZON_LOCMEM, { djangoVersion: '4.2', profile: 'development' })).includes(
        'signed_cookies',
      ),
    );
  });

  for (const c of CASES) {
    describe(c.name, () => {
      const targets = storageTargets(lint(c.files, c.opts));
      for (const target of targets) {
        it(`${target}: valid Python, lints clean, keeps comments, stable`, () => {
          const after = switched(c.files, c.file, target, c.opts);
          for (const [name, text] of Object.entries(after))
            if (text !== c.files[name]) assertPythonParses(text, `${name} after switching to ${target}`);
          assert.equal(
            storageProblems(c.files, after, target, c.opts),
            '',
            `storage problems after switching to ${target}:\n${Object.entries(after)
              .map(([n, t]) => `--- ${n}\n${t}`)
              .join('\n')}`,
          );
          // Unrelated content and comments stay.
          for (const line of (c.files[c.file] ?? '').split('\n')) {
            if (line.startsWith('#') || line.startsWith('OPENSTACK_HOST') || line.startsWith('ALLOWED_HOSTS'))
              assert.ok(after[c.file]?.includes(line), `lost line ${JSON.stringify(line)}`);
          }
          // Applying the same switch again changes nothing.
          const again = switched(after, c.file, target, c.opts);
          assert.deepEqual(again, after, `switching to ${target} twice is not stable`);
        });
      }
    });
  }

  it('replaces the literal in place, keeping other aliases and the quote style', () => {
    const after = switched(DJANGO_SQLITE, 'settings.py', 'postgresql', {
      djangoVersion: '4.2',
      kind: 'django',
    });
    const text = after['settings.py'] ?? '';
    assert.match(text, /SESSION_ENGINE = "django\.contrib\.sessions\.backends\.db"\n/);
    assert.ok(
      text.includes(
        "'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'django',",
      ),
      text,
    );
    // The reports alias, written with single quotes by the user, is untouched; no second DATABASES.
    assert.ok(
      text.includes(
        `'reports': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'reports',\n    },`,
      ),
    );
    assert.equal(text.match(/^DATABASES = /gm)?.length, 1);
    assert.match(text, /^import os\n/m);
    assert.match(text, /'PASSWORD': os\.environ\['DJANGO_DB_PASSWORD'\],/);
    assert.ok(
      text.includes("INSTALLED_APPS = ['django.contrib.sessions', \n    'django.contrib.admin',"),
      text,
    );
  });

  it("comments out a later snippet's override instead of leaving it to undo the switch", () => {
    const after = switched(DEBIAN_LAYOUT, 'local_settings.py', 'django-redis', {
      horizonRelease: '2024.2',
      djangoVersion: '4.2',
    });
    const snippet = after['local_settings.d/_0006_debian_cache.py'] ?? '';
    assert.match(
      snippet,
      /^# Disabled by django-session-lint: session storage is set in local_settings\.py\.\n# CACHES = \{\n/m,
    );
    assert.ok(!/^CACHES/m.test(snippet));
    assert.match(after['local_settings.py'] ?? '', /'BACKEND': 'django_redis\.cache\.RedisCache'/);
  });

  it('appends a block when the file does not set the names', () => {
    const after = switched(HORIZON_EMPTY, 'local_settings.py', 'memcached', {
      horizonRelease: '2024.2',
      djangoVersion: '4.2',
    });
    assert.equal(
      after['local_settings.py'],
      `DEBUG = False

# Session storage: memcached (PyMemcacheCache) (set by django-session-lint)
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': '127.0.0.1:11211',
        'OPTIONS': {'ignore_exc': True},
    },
}
`,
    );
  });

  it('uses python-memcached before Django 3.2', () => {
    const after = switched(DJANGO_SQLITE, 'settings.py', 'memcached', {
      djangoVersion: '3.1',
      kind: 'django',
    });
    assert.match(after['settings.py'] ?? '', /django\.core\.cache\.backends\.memcached\.MemcachedCache/);
  });

  it('refuses a file that does not parse (the result must be valid Python)', () => {
    const files = {
      'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {\n",
    };
    assert.equal(switchSessionStorage(lint(files), '/project/local_settings.py', 'memcached'), undefined);
  });

  it('keeps a conditional assignment and appends after it', () => {
    const files = {
      'settings.py':
        "DEBUG = False\nif DEBUG:\n    SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n",
    };
    const after = switched(files, 'settings.py', 'mysql', { djangoVersion: '4.2', kind: 'django' });
    const text = after['settings.py'] ?? '';
    assert.ok(text.startsWith(files['settings.py']), text);
    assert.match(text, /\nSESSION_ENGINE = 'django\.contrib\.sessions\.backends\.db'\n/);
  });
});
