/** DSL306: database sessions on SQLite in production. */
import assert from 'node:assert/strict';
import { expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL306'];
const SQLITE =
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': '/var/lib/dash/db.sqlite3'}}";

describe('DSL306 sqlite-session-database', () => {
  it('warns for db and cached_db sessions on SQLite in production', () => {
    const files = {
      'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${SQLITE}  #! DSL306\n`,
    };
    expectFindings(files, CODE);
    const f = lint(files).findings.find((x) => x.code === 'DSL306');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /database is locked/);
    assert.equal(f?.fix, undefined);
    expectFindings(
      {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'\n${SQLITE}  #! DSL306\n`,
      },
      CODE,
    );
  });

  it("fires on Django's implicit db engine and mentions Horizon's session saves in Horizon projects", () => {
    expectFindings({ 'settings.py': `${SQLITE}  #! DSL306\n` }, CODE);
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${SQLITE}  #! DSL306\n`,
    };
    expectFindings(files, CODE, { horizonRelease: '2024.2' });
    assert.match(
      lint(files, { horizonRelease: '2024.2' }).findings.find((x) => x.code === 'DSL306')?.message ?? '',
      /every authenticated request/,
    );
  });

  it('is off in the development profile', () => {
    expectFindings(
      { 'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${SQLITE}\n` },
      CODE,
      { profile: 'development' },
    );
  });

  describe('must stay silent', () => {
    it('for other engines, cache sessions and unknown values', () => {
      expectFindings(
        { 'settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n" },
        CODE,
      );
      expectFindings(
        { 'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n${SQLITE}\n` },
        CODE,
      );
      expectFindings(
        { 'settings.py': "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('ENGINE')}}\n" },
        CODE,
      );
    });
    it('when only one branch uses SQLite', () => {
      expectFindings(
        {
          'settings.py':
            "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3' if os.environ.get('DEV') else 'django.db.backends.mysql'}}\n",
        },
        CODE,
      );
    });
    it('when a later snippet switches to MySQL', () => {
      expectFindings(
        {
          'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n${SQLITE}\n`,
          'local_settings.d/_10.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n",
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
  });

  it('judges a visible default and says so', () => {
    const files = {
      'settings.py':
        "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('ENGINE', 'django.db.backends.sqlite3')}}  #! DSL306\n",
    };
    expectFindings(files, CODE);
    assert.match(
      lint(files).findings.find((x) => x.code === 'DSL306')?.message ?? '',
      /\(if ENGINE is unset\)/,
    );
  });
});
