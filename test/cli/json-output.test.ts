/** End-to-end tests of `--format json`: document shape, effective values with setBy, 1-based UTF-16 positions, fixes, stats and version inference. */
import assert from 'node:assert/strict';
import { assertBundle, LOCMEM_SETTINGS, runCli, suiteProjects } from './cli-harness';

interface Doc {
  version: number;
  tool: { name: string; version: string };
  projects: {
    root: string;
    kind: string;
    horizonRelease: string | null;
    djangoVersion: string | null;
    djangoVersionSource: string;
    profile: string;
    layers: { path: string | null; role: string }[];
    effective: Record<string, unknown> & {
      CACHES: Record<string, Record<string, unknown>>;
      DATABASES: Record<string, Record<string, unknown>>;
    };
  }[];
  diagnostics: {
    path: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    severity: string;
    code: string;
    name: string;
    message: string;
    related: { path: string; line: number; message: string }[];
    fix: {
      title: string;
      applicability: string;
      edits: {
        path: string;
        line: number;
        column: number;
        endLine: number;
        endColumn: number;
        newText: string;
      }[];
    } | null;
  }[];
  stats?: Record<string, number>;
}

function lint(dir: string, args: string[]): Doc {
  const r = runCli([...args, '--format', 'json'], dir);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Doc;
}

describe('cli: JSON output', () => {
  before(assertBundle);
  const project = suiteProjects();

  it('describes the project, its layers and effective session storage with who set each value', () => {
    const dir = project({
      'app/settings.py': `${LOCMEM_SETTINGS}DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'app'}}\n`,
    });
    const doc = lint(dir, ['app', '--select', 'DSL104']);
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.tool, { name: 'django-session-lint', version: '0.1.0' });
    assert.equal(doc.projects.length, 1);
    const p = doc.projects[0];
    assert.ok(p);
    assert.equal(p.root, 'app');
    assert.equal(p.kind, 'django');
    assert.equal(p.horizonRelease, null);
    assert.equal(p.djangoVersion, null);
    assert.equal(p.djangoVersionSource, 'unknown');
    assert.equal(p.profile, 'production');
    assert.deepEqual(
      p.layers.map((l) => [l.path, l.role]),
      [
        [null, 'django-defaults'],
        ['app/settings.py', 'settings'],
      ],
    );
    assert.deepEqual(p.effective, {
      SESSION_ENGINE: {
        known: true,
        value: 'django.contrib.sessions.backends.cache',
        setBy: { path: 'app/settings.py', line: 1 },
      },
      SESSION_CACHE_ALIAS: { known: true, value: 'default', setBy: { default: 'django' } },
      SESSION_SERIALIZER: {
        known: true,
        value: 'django.contrib.sessions.serializers.JSONSerializer',
        setBy: { default: 'django' },
      },
      CACHES: {
        default: {
          BACKEND: {
            known: true,
            value: 'django.core.cache.backends.locmem.LocMemCache',
            setBy: { path: 'app/settings.py', line: 2 },
          },
          LOCATION: { known: false, reason: 'not set' },
        },
      },
      DATABASES: {
        default: {
          ENGINE: {
            known: true,
            value: 'django.db.backends.mysql',
            setBy: { path: 'app/settings.py', line: 3 },
          },
          NAME: { known: true, value: 'app', setBy: { path: 'app/settings.py', line: 3 } },
          HOST: { known: false, reason: 'not set' },
        },
      },
    });
  });

  it('gives unknown values with their reason and visible default', () => {
    const dir = project({
      'settings.py':
        "import os\nSESSION_ENGINE = os.environ.get('ENGINE', 'django.contrib.sessions.backends.db')\n",
    });
    const doc = lint(dir, ['settings.py']);
    const engine = doc.projects[0]?.effective['SESSION_ENGINE'] as Record<string, unknown>;
    assert.equal(engine['known'], false);
    assert.equal(typeof engine['reason'], 'string');
    assert.equal(engine['default'], 'django.contrib.sessions.backends.db');
    assert.deepEqual(engine['setBy'], { path: 'settings.py', line: 2 });
  });

  it("reads django-environ's version from the virtualenv's dist-info and applies its redis:// rules", () => {
    const settings = [
      'import environ',
      'env = environ.Env()',
      "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
      "CACHES = {'default': env.cache('CACHE_URL', default='redis://10.0.0.5:6379/1')}",
      '',
    ].join('\n');
    const backendWith = (environVersion: string | undefined): unknown => {
      const sp = '.venv/lib/python3.11/site-packages';
      const dir = project({
        'settings.py': settings,
        '.venv/pyvenv.cfg': 'home = /usr/bin\n',
        [`${sp}/django_redis/__init__.py`]: '',
        [`${sp}/redis/__init__.py`]: '',
        ...(environVersion ? { [`${sp}/django_environ-${environVersion}.dist-info/METADATA`]: '' } : {}),
      });
      const doc = lint(dir, ['--django-version', '4.2', 'settings.py']);
      const caches = doc.projects[0]?.effective['CACHES'] as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      const b = caches['default']?.['BACKEND'];
      return b?.['known'] === false ? (b['default'] ?? '<unknown>') : b?.['value'];
    };
    // ≥ 0.11: django_redis when importable; 0.10: Django 4.2's built-in RedisCache first; unknown: no guess.
    assert.equal(backendWith('0.11.2'), 'django_redis.cache.RedisCache');
    assert.equal(backendWith('0.10.0'), 'django.core.cache.backends.redis.RedisCache');
    assert.match(String(backendWith(undefined)), /^<unknown>$|one of/);
  });

  it('reports 1-based lines and UTF-16 columns, with the fix edits in the same units', () => {
    // The emoji before the span is one code point but two UTF-16 code units.
    const line =
      "CACHES = {'🎉': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'}, 'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}";
    const dir = project({
      'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n${line}\n`,
    });
    const doc = lint(dir, ['settings.py', '--select', 'DSL104']);
    assert.equal(doc.diagnostics.length, 1);
    const d = doc.diagnostics[0];
    assert.ok(d);
    const literal = "'django.core.cache.backends.locmem.LocMemCache'";
    const column = line.indexOf(literal) + 1;
    assert.equal(column, [...line.slice(0, line.indexOf(literal))].length + 2, 'the emoji counts twice');
    assert.deepEqual(
      {
        path: d.path,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
        severity: d.severity,
        code: d.code,
        name: d.name,
      },
      {
        path: 'settings.py',
        line: 2,
        column,
        endLine: 2,
        endColumn: column + literal.length,
        severity: 'warning',
        code: 'DSL104',
        name: 'locmem-session-cache',
      },
    );
    assert.deepEqual(
      d.related.map((r) => [r.path, r.line, r.message]),
      [
        ['settings.py', 1, 'SESSION_ENGINE set here'],
        ['settings.py', 2, 'CACHES set here'],
      ],
    );
    assert.ok(d.fix);
    assert.equal(d.fix.applicability, 'unsafe');
    const edit = d.fix.edits[0];
    assert.ok(edit);
    // Only the session alias's entry is replaced: the '🎉' alias stays.
    const entry = "{'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}";
    assert.deepEqual(
      [edit.line, edit.column, edit.endLine, edit.endColumn],
      [2, line.indexOf(entry) + 1, 2, line.indexOf(entry) + entry.length + 1],
    );
  });

  it('has fix null when a diagnostic has no fix, and a safe fix for DSL101', () => {
    const dir = project({
      'settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'\n",
    });
    const doc = lint(dir, ['settings.py', '--select', 'DSL101']);
    assert.equal(doc.diagnostics.length, 1);
    assert.deepEqual(doc.diagnostics[0]?.fix?.edits, [
      {
        path: 'settings.py',
        line: 1,
        column: 18,
        endLine: 1,
        endColumn: 71,
        newText: "'django.contrib.sessions.backends.cache'",
      },
    ]);
    assert.equal(doc.diagnostics[0]?.fix?.applicability, 'safe');
    const noFix = lint(
      project({
        'settings.py':
          "import os\nSESSION_ENGINE = os.environ.get('E', 'django.contrib.sessions.backends.cache.SessionStore')\n",
      }),
      ['settings.py', '--select', 'DSL101'],
    );
    assert.equal(noFix.diagnostics.length, 1, 'the visible default is judged');
    assert.equal(noFix.diagnostics[0]?.fix, null, 'no fix rewrites an environment default');
  });

  it('adds stats only with --stats', () => {
    const dir = project({ 'settings.py': LOCMEM_SETTINGS });
    assert.equal(lint(dir, ['settings.py']).stats, undefined);
    const stats = lint(dir, ['settings.py', '--stats']).stats;
    assert.ok(stats);
    assert.deepEqual(Object.keys(stats), ['files', 'parseMs', 'evaluateMs', 'rulesMs', 'totalMs']);
    assert.equal(stats['files'], 1);
    for (const k of ['parseMs', 'evaluateMs', 'rulesMs', 'totalMs']) assert.ok((stats[k] ?? -1) >= 0, k);
    assert.ok(
      (stats['totalMs'] ?? 0) >=
        (stats['parseMs'] ?? 0) + (stats['evaluateMs'] ?? 0) + (stats['rulesMs'] ?? 0) - 0.01,
    );
  });

  it('infers the Django version from requirements files, nearest directory first', () => {
    const dir = project({
      'requirements.txt': 'Django==3.2.25\n',
      'site/requirements.txt': 'Django==4.2.11\n',
      'site/settings.py': LOCMEM_SETTINGS,
      'other/settings.py': LOCMEM_SETTINGS,
    });
    const doc = lint(dir, ['site', 'other']);
    const byRoot = Object.fromEntries(
      doc.projects.map((p) => [p.root, [p.djangoVersion, p.djangoVersionSource]]),
    );
    assert.deepEqual(byRoot, { site: ['4.2', 'workspace'], other: ['3.2', 'workspace'] });
    const forced = lint(dir, ['site', '--django-version', '5.1']);
    assert.deepEqual(
      [forced.projects[0]?.djangoVersion, forced.projects[0]?.djangoVersionSource],
      ['5.1', 'option'],
    );
  });

  it('marks every project Horizon with --horizon-release', () => {
    const dir = project({ 'settings.py': LOCMEM_SETTINGS });
    const doc = lint(dir, ['settings.py', '--horizon-release', '2024.1']);
    assert.equal(doc.projects[0]?.kind, 'horizon');
    assert.equal(doc.projects[0]?.horizonRelease, '2024.1');
  });

  it('takes a release name for --horizon-release, in any case', () => {
    const dir = project({ 'settings.py': LOCMEM_SETTINGS });
    const doc = lint(dir, ['settings.py', '--horizon-release', 'Zed']);
    assert.equal(doc.projects[0]?.horizonRelease, 'zed');
  });

  it('prints a CACHES it cannot list as an unknown value, not as {}; effective.unresolved says why', () => {
    const dir = project({
      'settings.py': 'from company import cache_settings\nCACHES = cache_settings()\n',
    });
    const doc = lint(dir, ['settings.py']);
    const effective = doc.projects[0]?.effective as Record<string, unknown>;
    const caches = effective['CACHES'] as Record<string, unknown>;
    assert.equal(caches['known'], false);
    assert.equal(typeof caches['reason'], 'string');
    assert.deepEqual(caches['setBy'], { path: 'settings.py', line: 2 });
    assert.deepEqual((effective['unresolved'] as Record<string, unknown>)['CACHES'], caches);
    // Listed aliases stay alias → key → value.
    assert.deepEqual(Object.keys(effective['DATABASES'] as object), []);
  });
});
