/** DSL104: cache sessions in LocMemCache — fires on every path that stores sessions per process, and only there. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint } from '../../helpers/rule-harness';

const CODES = ['DSL104'];
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' };

describe('DSL104 locmem-session-cache', () => {
  it('fires on an explicit LocMemCache for cache sessions', () => {
    expectFindings(
      {
        'local_settings.py':
          "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}  #! DSL104\n",
      },
      CODES,
      H,
    );
  });
  it("fires on Django's implicit default cache in a plain project, and says whose default", () => {
    const a = expectFindings(
      { 'settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL104\n" },
      CODES,
      { kind: 'django' },
    );
    assert.match(a.findings[0]?.message ?? '', /Django's default CACHES/);
  });
  it("fires on the Debian snippet that replaces local_settings.py's memcached", () => {
    expectFindings(
      {
        'local_settings.py':
          "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc:11211'}}\n",
        'local_settings.d/_0006_debian_cache.py':
          "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',  #! DSL104\n    }\n}\n",
      },
      CODES,
      H,
    );
  });
  it('fires when CACHES differs between branches but every branch keeps LocMemCache', () => {
    expectFindings(
      {
        'local_settings.py':
          "import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}  #! DSL104\nif os.environ.get('SLOW'):\n    CACHES['default']['TIMEOUT'] = 600\n",
      },
      CODES,
      H,
    );
  });
  it('stays silent when only one branch uses LocMemCache, or the backend is unknown', () => {
    expectFindings(
      {
        'local_settings.py':
          "import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\nif os.environ.get('PROD'):\n    CACHES['default']['BACKEND'] = 'django.core.cache.backends.memcached.PyMemcacheCache'\n",
      },
      CODES,
      H,
    );
    expectFindings(
      { 'local_settings.py': "import os\nCACHES = {'default': {'BACKEND': os.environ['CACHE_BACKEND']}}\n" },
      CODES,
      H,
    );
  });
  it('stays silent for other engines and for the alias sessions do not use', () => {
    expectFindings(
      {
        'local_settings.py':
          "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
      },
      CODES,
      H,
    );
    expectFindings(
      {
        'local_settings.py':
          "SESSION_CACHE_ALIAS = 'sessions'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}, 'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc:11211'}}\n",
      },
      CODES,
      H,
    );
  });
  it('judges a visible environment default and says so', () => {
    const a = lint(
      {
        'local_settings.py':
          "import os\nCACHES = {'default': {'BACKEND': os.environ.get('CB', 'django.core.cache.backends.locmem.LocMemCache')}}\n",
      },
      H,
    );
    assert.match(a.findings.find((f) => f.code === 'DSL104')?.message ?? '', /if CB is unset/);
  });
  it('judges the arm a guarded file reaches as the project has it, in either arm, and says which', () => {
    const MEM =
      "{'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc:11211'}}";
    const LOC = "{'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}";
    const settings = (body: string): string =>
      `import os\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n${body}`;
    // The trap in a present module (try/except ImportError): found, as the project loads it.
    const present = lint(
      {
        'mysite/settings.py': settings(
          `CACHES = ${MEM}\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n`,
        ),
        'mysite/local.py': `CACHES = ${LOC}\n`,
      },
      { kind: 'django' },
    );
    assert.equal(present.findings.find((f) => f.code === 'DSL104')?.span.file.endsWith('local.py'), true);
    // The trap in the arm an absent file leaves (a path outside the project): found, "if … is absent".
    const absent = lint(
      {
        'settings.py': settings(
          `if os.path.exists('/etc/app/cache.py'):\n    CACHES = ${MEM}\nelse:\n    CACHES = ${LOC}\n`,
        ),
      },
      { kind: 'django' },
    );
    assert.match(
      absent.findings.find((f) => f.code === 'DSL104')?.message ?? '',
      /\(if \/etc\/app\/cache\.py is absent\)/,
    );
    // The trap only in the arm the files do not reach: the project as it is has a shared cache, no finding.
    for (const files of <Record<string, string>[]>[
      {
        'mysite/settings.py': settings(
          `CACHES = ${LOC}\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n`,
        ),
        'mysite/local.py': `CACHES = ${MEM}\n`,
      },
      {
        'settings.py': settings(
          `if os.path.exists('/etc/app/cache.py'):\n    CACHES = ${LOC}\nelse:\n    CACHES = ${MEM}\n`,
        ),
      },
    ])
      assert.deepEqual(
        lint(files, { kind: 'django' }).findings.filter((f) => f.code === 'DSL104'),
        [],
      );
  });
  it('its unsafe fix writes the memcached configuration in place of the literal', () => {
    const fixed = fixAllText(
      {
        'local_settings.py':
          "# cache\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\nX = 1\n",
      },
      { ...H, select: ['DSL104'], unsafe: true },
    );
    assert.equal(
      fixed['local_settings.py'],
      "# cache\nCACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n        'LOCATION': '127.0.0.1:11211',\n        'OPTIONS': {'ignore_exc': True},\n    },\n}\nX = 1\n",
    );
  });

  it("its unsafe fix comments out a snippet's CACHES when an earlier layer set a shared cache (kolla _9999 over _9998)", () => {
    const files = {
      'local_settings.py': 'DEBUG = False\n',
      'local_settings.d/_9998-kolla-settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES['default']['LOCATION'] = ['10.0.0.1:11211', '10.0.0.2:11211']\n",
      'local_settings.d/_9999-custom-settings.py':
        "CACHES = {\n    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},\n}\nSESSION_TIMEOUT = 3600\n",
    };
    const a = lint(files, { ...H, select: ['DSL104'] });
    assert.match(
      a.findings[0]?.fix?.title ?? '',
      /^Comment out the CACHES override in _9999-custom-settings\.py/,
    );
    const fixed = fixAllText(files, { ...H, select: ['DSL104'], unsafe: true });
    assert.equal(
      fixed['local_settings.d/_9999-custom-settings.py'],
      "# CACHES = {\n#     'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},\n# }\nSESSION_TIMEOUT = 3600\n",
    );
    assert.equal(
      fixed['local_settings.d/_9998-kolla-settings.py'],
      files['local_settings.d/_9998-kolla-settings.py'],
    );
  });

  it('keeps writing memcached into the snippet when the earlier layer had no shared cache either', () => {
    const files = {
      'local_settings.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
      'local_settings.d/_50_cache.py':
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': 'x'}}\n",
    };
    const a = lint(files, { ...H, select: ['DSL104'] });
    assert.match(a.findings[0]?.fix?.title ?? '', /^Store sessions in memcached/);
  });
});
