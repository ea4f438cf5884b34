/** The effective configuration across layers follows Django's and Horizon's exact load order. */
import assert from 'node:assert/strict';
import { describe as describeValue } from '../../server/src/core/evaluate/values';
import type { Analysis } from '../../server/src/core/analyze';
import { lint, rel, type Files } from '../helpers/rule-harness';

function effective(files: Files, name: string, opts = {}): { value: string; setBy: string } {
  const a = lint(files, { horizonRelease: '2024.2', ...opts });
  const e = a.model.effective(name);
  if (!e) return { value: '<unset>', setBy: '-' };
  const setBy =
    e.origin.kind === 'file'
      ? `${rel(e.origin.span.file)}:${a.lineOf(e.origin.span)}`
      : `default:${e.origin.by}`;
  return { value: describeValue(e.value, 1000), setBy };
}

/** A value decided by a file's existence: its default, the phrase under which it holds, the other arms' values. */
function decided(a: Analysis, name: string): { default: string; when?: string; alternatives: string[] } {
  const v = a.model.effective(name)?.value;
  assert.equal(v?.kind, 'unknown', `${name}: ${v ? describeValue(v) : 'unset'}`);
  if (v?.kind !== 'unknown' || !v.default) return { default: '<none>', alternatives: [] };
  return {
    default: describeValue(v.default),
    ...(v.defaultWhen ? { when: v.defaultWhen } : {}),
    alternatives: (v.alternatives ?? []).map((x) => describeValue(x)),
  };
}

describe('layers', () => {
  it("starts from Horizon's defaults for the release", () => {
    assert.deepEqual(effective({ 'local_settings.py': 'DEBUG = False\n' }, 'SESSION_ENGINE'), {
      value: "'django.contrib.sessions.backends.cache'",
      setBy: 'default:horizon',
    });
    assert.equal(
      effective({ 'local_settings.py': '' }, 'SESSION_SERIALIZER', { horizonRelease: '2024.2' }).value,
      "'django.contrib.sessions.serializers.PickleSerializer'",
    );
    assert.equal(
      effective({ 'local_settings.py': '' }, 'SESSION_SERIALIZER', { horizonRelease: '2026.1' }).value,
      "'openstack_auth.serializers.HorizonSerializer'",
    );
  });

  it("falls back to Django's defaults for settings Horizon does not set", () => {
    assert.deepEqual(effective({ 'local_settings.py': '' }, 'SESSION_CACHE_ALIAS'), {
      value: "'default'",
      setBy: 'default:django',
    });
    assert.deepEqual(effective({ 'settings.py': 'DEBUG = False\n' }, 'SESSION_ENGINE'), {
      value: "'django.contrib.sessions.backends.db'",
      setBy: 'default:django',
    });
  });

  it('lets local_settings.py override the defaults, naming file and line', () => {
    const files = {
      'local_settings.py': "import os\n\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
    };
    assert.deepEqual(effective(files, 'SESSION_ENGINE'), {
      value: "'django.contrib.sessions.backends.db'",
      setBy: 'local_settings.py:3',
    });
  });

  it('runs snippets after local_settings.py, in the settings namespace', () => {
    const files = {
      'local_settings.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc:11211'}}\n",
      'local_settings.d/_0006_debian_cache.py':
        "# comment\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    };
    assert.deepEqual(effective(files, 'CACHES'), {
      value: "{'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
      setBy: 'local_settings.d/_0006_debian_cache.py:2',
    });
  });

  it("lets a snippet mutate Horizon's default CACHES in place", () => {
    const files = {
      'local_settings.py': '',
      'local_settings.d/mc.py': "CACHES['default']['LOCATION'] = ['10.0.0.1:11211']\n",
    };
    assert.equal(
      effective(files, 'CACHES').value,
      "{'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': ['10.0.0.1:11211']}}",
    );
  });

  it("evaluates local_settings.py in its own module namespace (it cannot see Horizon's names)", () => {
    const files = { 'local_settings.py': "CACHES['default']['LOCATION'] = 'x'\n_PRIVATE = 1\n" };
    // In Python this is a NameError inside local_settings: nothing from it reaches the settings.
    assert.equal(effective(files, 'CACHES').setBy, 'default:horizon');
    assert.equal(effective(files, '_PRIVATE').value, '<unset>');
  });

  it('orders snippets as os.walk + sorted(filenames): 9999_ before _0000_, subdirectories last', () => {
    const files = {
      'local_settings.py': '',
      'local_settings.d/_0000_a.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
      'local_settings.d/9999_b.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.file'\n",
      'local_settings.d/sub/00_c.py': "SESSION_CACHE_ALIAS = 'sub'\n",
      'local_settings.d/zz_d.py': "SESSION_CACHE_ALIAS = 'zz'\n",
    };
    assert.equal(effective(files, 'SESSION_ENGINE').setBy, 'local_settings.d/_0000_a.py:1');
    assert.equal(effective(files, 'SESSION_CACHE_ALIAS').value, "'sub'");
  });

  it("uses a real Horizon settings.py instead of the built-in table, applying local layers at its 'from local.local_settings import *'", () => {
    const files = {
      'openstack_dashboard/settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'x.Y'}}\ntry:\n    from local.local_settings import *\nexcept ImportError:\n    pass\nSESSION_SERIALIZER = 'custom.Serializer'\n",
      'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
    };
    assert.deepEqual(effective(files, 'SESSION_ENGINE'), {
      value: "'django.contrib.sessions.backends.db'",
      setBy: 'local_settings.py:1',
    });
    assert.equal(effective(files, 'CACHES').setBy, 'openstack_dashboard/settings.py:2');
    assert.equal(effective(files, 'SESSION_SERIALIZER').value, "'custom.Serializer'");
  });

  describe("kolla-ansible's operator overrides without the _9998 kolla renders (/etc/kolla/config/horizon)", () => {
    const horizon = { kind: 'horizon' as const, horizonRelease: '2025.1' };

    it('leaves what _9998 may set unknown, naming it, and keeps the rest of the defaults', () => {
      const files = { 'local_settings.d/_9999-custom-settings.py': 'SESSION_TIMEOUT = 7200\n' };
      for (const name of ['SESSION_ENGINE', 'CACHES', 'SESSION_COOKIE_SECURE', 'DATABASES']) {
        const e = effective(files, name, horizon);
        assert.match(e.value, /may be set by kolla-ansible's _9998-kolla-settings\.py/, name);
      }
      assert.deepEqual(effective(files, 'SESSION_CACHE_ALIAS', horizon), {
        value: "'default'",
        setBy: 'default:django',
      });
      assert.equal(effective(files, 'SESSION_TIMEOUT', horizon).value, '7200');
    });

    it('gives no finding on a correct override file (so no fix writes into it)', () => {
      const a = lint(
        {
          'local_settings.d/_9999-custom-settings.py':
            "SESSION_TIMEOUT = 7200\nCACHES['default']['OPTIONS']['timeout'] = 2\nHORIZON_CONFIG['password_autocomplete'] = 'off'\n",
        },
        horizon,
      );
      assert.deepEqual(
        a.findings.map((f) => f.code),
        [],
      );
    });

    it('still judges what the override file sets itself', () => {
      const a = lint(
        {
          'local_settings.d/_9999-custom-settings.py':
            "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\nSESSION_TIMEOUT = '3600'\n",
        },
        horizon,
      );
      assert.deepEqual(a.findings.map((f) => f.code).sort(), ['DSL104', 'DSL405']);
    });

    it('is the usual snippet layer over the defaults when _9998 is there too', () => {
      const files = {
        'local_settings.d/_9998-kolla-settings.py': 'DEBUG = False\n',
        'local_settings.d/_9999-custom-settings.py': 'SESSION_TIMEOUT = 7200\n',
      };
      assert.deepEqual(effective(files, 'SESSION_ENGINE', horizon), {
        value: "'django.contrib.sessions.backends.cache'",
        setBy: 'default:horizon',
      });
    });
  });

  it('makes every unset name unknown when a star import cannot be followed', () => {
    const e = effective({ 'settings.py': 'from company_defaults import *\n' }, 'DATABASES');
    assert.match(e.value, /may be set by 'from company_defaults import \*'/);
  });

  it('follows star imports of sibling modules in the same tree', () => {
    const files = {
      'settings.py': "from .base import *\nCACHES['default']['KEY_PREFIX'] = 'p'\n",
      'base.py': "CACHES = {'default': {'BACKEND': 'b'}}\n",
    };
    const a = lint(files, { kind: 'django' });
    assert.equal(
      describeValue(a.model.effective('CACHES')?.value ?? { kind: 'none' }),
      "{'default': {'BACKEND': 'b', 'KEY_PREFIX': 'p'}}",
    );
    assert.ok(a.model.dependencies.some((d) => d.endsWith('/base.py')));
  });

  it("runs a sibling exec()'d by settings.py in its namespace, where the exec stands", () => {
    const files = {
      'settings.py':
        "import os\nBASE_DIR = os.path.dirname(os.path.abspath(__file__))\nCACHES = {'default': {'BACKEND': 'a'}}\nexec(open(os.path.join(BASE_DIR, 'host_overrides.py')).read())\nSESSION_ENGINE = 'x'\n",
      'host_overrides.py': "CACHES['default']['LOCATION'] = 'mc:11211'\nSESSION_ENGINE = 'y'\n",
    };
    const a = lint(files, { kind: 'django' });
    assert.equal(
      describeValue(a.model.effective('CACHES')?.value ?? { kind: 'none' }),
      "{'default': {'BACKEND': 'a', 'LOCATION': 'mc:11211'}}",
    );
    assert.equal(describeValue(a.model.effective('SESSION_ENGINE')?.value ?? { kind: 'none' }), "'x'");
    assert.ok(a.model.dependencies.some((d) => d.endsWith('/host_overrides.py')));
  });

  it('follows execfile() through a variable, and stops at a file that execs itself', () => {
    const files = {
      'settings.py': "import os\nLOCAL = os.path.join('/srv/app', 'host_overrides.py')\nexecfile(LOCAL)\n",
      'host_overrides.py': "SESSION_ENGINE = 'y'\nexec(open('host_overrides.py').read())\n",
    };
    const a = lint(files, { kind: 'django' });
    assert.equal(describeValue(a.model.effective('SESSION_ENGINE')?.value ?? { kind: 'none' }), "'y'");
  });

  it("decides an os.path.exists() guard by the file as the project has it (also in BASE_DIR, the package's parent); an absent file's arm stays a possibility", () => {
    const files = {
      'mysite/settings.py':
        "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nSESSION_ENGINE = 'a'\nLOCAL = os.path.join(BASE_DIR, 'host_overrides.py')\nif os.path.exists(LOCAL):\n    exec(open(LOCAL).read())\nSESSION_COOKIE_AGE = 10\nif os.path.isfile(os.path.join(BASE_DIR, 'absent.py')):\n    SESSION_COOKIE_AGE = 60\n",
      'host_overrides.py': "SESSION_ENGINE = 'b'\n",
    };
    const a = lint(files, { kind: 'django' });
    // Present: its arm is the project's own configuration, as real Django loads it.
    assert.equal(describeValue(a.model.effective('SESSION_ENGINE')?.value ?? { kind: 'none' }), "'b'");
    // Absent (not in the project): the value without it is the default, the arm kept as a possibility.
    assert.deepEqual(decided(a, 'SESSION_COOKIE_AGE'), {
      default: '10',
      when: 'absent.py is absent',
      alternatives: ['60'],
    });
  });

  it("decides pathlib's (BASE_DIR / 'x.py').exists() / .is_file() guards, `not`, and paths outside the project the same way", () => {
    const files = {
      'mysite/settings.py':
        "import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSESSION_ENGINE = 'a'\nif (BASE_DIR / 'host_overrides.py').exists():\n    exec((BASE_DIR / 'host_overrides.py').read_text())\nLOCAL = BASE_DIR / 'absent.py'\nSESSION_COOKIE_AGE = 10\nif LOCAL.is_file():\n    SESSION_COOKIE_AGE = 60\nif not os.path.exists('/etc/mysite/secret.py'):\n    SESSION_COOKIE_NAME = 'dev'\nelse:\n    SESSION_COOKIE_NAME = 'prod'\n",
      'host_overrides.py': "SESSION_ENGINE = 'b'\n",
    };
    const a = lint(files, { kind: 'django' });
    assert.equal(describeValue(a.model.effective('SESSION_ENGINE')?.value ?? { kind: 'none' }), "'b'");
    assert.deepEqual(decided(a, 'SESSION_COOKIE_AGE'), {
      default: '10',
      when: 'absent.py is absent',
      alternatives: ['60'],
    });
    // A path elsewhere is not read: absent by default, `not` taking the arm it reaches.
    assert.deepEqual(decided(a, 'SESSION_COOKIE_NAME'), {
      default: "'dev'",
      when: '/etc/mysite/secret.py is absent',
      alternatives: ["'prod'"],
    });
  });

  it('decides try: from .local import * except ImportError by the module as the project has it', () => {
    const present = {
      'mysite/settings.py':
        "SESSION_ENGINE = 'a'\ntry:\n    from .local import *\nexcept ImportError:\n    SESSION_COOKIE_AGE = 5\n",
      'mysite/local.py': "SESSION_ENGINE = 'b'\n",
    };
    // Present: the import succeeds, as when real Django loads the project.
    const p = lint(present, { kind: 'django' });
    assert.equal(describeValue(p.model.effective('SESSION_ENGINE')?.value ?? { kind: 'none' }), "'b'");
    const absent = { 'mysite/settings.py': present['mysite/settings.py'] };
    const a = lint(absent, { kind: 'django' });
    assert.deepEqual(decided(a, 'SESSION_COOKIE_AGE'), {
      default: '5',
      when: 'local.py is absent',
      alternatives: [],
    });
    assert.equal(describeValue(a.model.effective('SESSION_ENGINE')?.value ?? { kind: 'none' }), "'a'");
    // Names neither sets keep their defaults if the module is absent; the import is the other possibility.
    assert.deepEqual(decided(a, 'SESSION_CACHE_ALIAS'), {
      default: "'default'",
      when: 'local.py is absent',
      alternatives: [],
    });
    // A library import may fail for other reasons: both paths stay open, as before.
    const lib = lint(
      {
        'settings.py':
          "try:\n    import memcache\n    K = 'mc'\nexcept ImportError:\n    K = 'loc'\nSESSION_COOKIE_NAME = K\n",
      },
      { kind: 'django' },
    );
    assert.equal(lib.model.effective('SESSION_COOKIE_NAME')?.value.kind, 'oneOf');
  });
});
