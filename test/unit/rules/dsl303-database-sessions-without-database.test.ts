/** DSL303: db/cached_db sessions with no DATABASES (Horizon never defines it); the snippet fix. */
import assert from 'node:assert/strict';
import {
  checkFix,
  expectFindings,
  type Files,
  type LintOptions,
  onlyFinding,
} from '../../helpers/rule-harness';

const CODE = ['DSL303'];
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' } satisfies LintOptions;

const only = (files: Files, opts: LintOptions = {}) => onlyFinding('DSL303', files, opts);

const BLOCK = (name: string): string => `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': os.environ.get('DJANGO_DB_NAME', '${name}'),
        'USER': os.environ.get('DJANGO_DB_USER', '${name}'),
        'PASSWORD': os.environ['DJANGO_DB_PASSWORD'],
        'HOST': os.environ.get('DJANGO_DB_HOST', 'localhost'),
        'PORT': os.environ.get('DJANGO_DB_PORT', '3306'),
        'OPTIONS': {'charset': 'utf8mb4'},
    },
}`;

describe('DSL303 database-sessions-without-database', () => {
  it('is an error for db sessions in a Horizon local_settings.py without DATABASES', () => {
    const files = {
      'local_settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL303\nDEBUG = False\n",
    };
    expectFindings(files, CODE, H);
    const f = only(files, H);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /Horizon does not define it/);
  });

  it('inserts a MySQL block reading from the environment, plus `import os` (unsafe)', () => {
    const files = {
      'local_settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'  #! DSL303\nDEBUG = False\n",
    };
    expectFindings(files, CODE, H);
    const f = only(files, H);
    assert.equal(f.fix?.applicability, 'unsafe');
    assert.equal(
      checkFix(files, f, H)['local_settings.py'],
      `import os\nSESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'  #! DSL303\n${BLOCK('dash')}\nDEBUG = False\n`,
    );
  });

  it('replaces an explicit empty DATABASES in a plain project', () => {
    const files = {
      'settings.py':
        "import os\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL303\nDATABASES = {}\n",
    };
    expectFindings(files, CODE);
    const f = only(files);
    assert.match(f.message, /DATABASES is empty/);
    assert.equal(
      checkFix(files, f)['settings.py'],
      `import os\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL303\nDATABASES = ${BLOCK('django').slice('DATABASES = '.length)}\n`,
    );
  });

  it("judges Django's default engine only when SessionMiddleware is listed", () => {
    expectFindings(
      { 'settings.py': "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']  #! DSL303\n" },
      CODE,
    );
    expectFindings({ 'settings.py': "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n" }, CODE);
  });

  it('judges an engine default and says so, without a fix', () => {
    const files = {
      'local_settings.py':
        "import os\nSESSION_ENGINE = os.environ.get('ENGINE', 'django.contrib.sessions.backends.db')  #! DSL303\n",
    };
    expectFindings(files, CODE, H);
    const f = only(files, H);
    assert.match(f.message, /stores sessions in the database/);
    assert.equal(f.fix, undefined);
  });

  describe('must stay silent', () => {
    it('with a DATABASES entry, or cache sessions', () => {
      expectFindings(
        {
          'local_settings.py':
            "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n",
        },
        CODE,
        H,
      );
      expectFindings(
        { 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n" },
        CODE,
        H,
      );
    });
    it('when an unresolved star import may define DATABASES', () => {
      expectFindings(
        {
          'local_settings.py':
            "from site_specific_settings import *\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
        },
        CODE,
        H,
      );
    });
    it('when DATABASES or the engine is unknown, or db in one branch only', () => {
      expectFindings(
        {
          'local_settings.py':
            "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = load_databases()\n",
        },
        CODE,
        H,
      );
      expectFindings({ 'local_settings.py': "import os\nSESSION_ENGINE = os.environ['ENGINE']\n" }, CODE, H);
      expectFindings(
        {
          'local_settings.py':
            "import os\nif os.environ.get('X'):\n    SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
        },
        CODE,
        H,
      );
    });
    it('when a later snippet adds DATABASES', () => {
      expectFindings(
        {
          'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
          'local_settings.d/_20_db.py':
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}\n",
        },
        CODE,
        H,
      );
    });
  });
});
