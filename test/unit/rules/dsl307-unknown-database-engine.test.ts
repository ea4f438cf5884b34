/** DSL307: ENGINE paths under django.db.backends that do not exist; safe and unsafe repairs. */
import assert from 'node:assert/strict';
import {
  checkFix,
  expectFindings,
  type Files,
  type LintOptions,
  onlyFinding,
} from '../../helpers/rule-harness';

const CODE = ['DSL307'];
const entry = (engine: string): string => `DATABASES = {'default': {'ENGINE': '${engine}', 'NAME': 'dash'}}`;

const only = (files: Files, opts: LintOptions = {}) => onlyFinding('DSL307', files, opts);

describe('DSL307 unknown-database-engine', () => {
  it('is an error for the removed postgresql_psycopg2, fixed safely to postgresql', () => {
    const files = { 'settings.py': `${entry('django.db.backends.postgresql_psycopg2')}  #! DSL307\n` };
    for (const djangoVersion of ['3.2', '4.2', '5.0', '']) expectFindings(files, CODE, { djangoVersion });
    const f = only(files, { djangoVersion: '4.2' });
    assert.equal(f.severity, 'error');
    assert.match(f.message, /removed in Django 3\.0/);
    assert.equal(f.fix?.applicability, 'safe');
    assert.equal(
      checkFix(files, f, { djangoVersion: '4.2' })['settings.py'],
      `${entry('django.db.backends.postgresql')}  #! DSL307\n`,
    );
  });

  it('strips a path into the backend module (safe)', () => {
    const files = { 'settings.py': `${entry('django.db.backends.mysql.base')}  #! DSL307\n` };
    expectFindings(files, CODE);
    const f = only(files);
    assert.equal(f.fix?.applicability, 'safe');
    assert.equal(checkFix(files, f)['settings.py'], `${entry('django.db.backends.mysql')}  #! DSL307\n`);
  });

  it('guesses from spelling only as an unsafe fix', () => {
    const files = { 'local_settings.py': `${entry('django.db.backends.postgres')}  #! DSL307\n` };
    expectFindings(files, CODE, { horizonRelease: '2024.2', profile: 'development' });
    const f = only(files, { horizonRelease: '2024.2', profile: 'development' });
    assert.equal(f.severity, 'error');
    assert.equal(f.fix?.applicability, 'unsafe');
    assert.equal(f.fix?.title, "Use 'django.db.backends.postgresql'");
  });

  it('offers no fix when nothing is close', () => {
    const files = { 'settings.py': `${entry('django.db.backends.cockroachdb')}  #! DSL307\n` };
    expectFindings(files, CODE);
    assert.equal(only(files).fix, undefined);
  });

  describe('must stay silent', () => {
    it('on valid and third-party engines', () => {
      for (const e of [
        'django.db.backends.postgresql',
        'django.db.backends.mysql',
        'django.db.backends.sqlite3',
        'django.db.backends.oracle',
        'django.contrib.gis.db.backends.postgis',
        'mssql',
      ]) {
        expectFindings({ 'settings.py': `${entry(e)}\n` }, CODE);
      }
    });
    it('on unknown values and when only one branch is wrong', () => {
      expectFindings(
        { 'settings.py': "import os\nDATABASES = {'default': {'ENGINE': os.environ['DB_ENGINE']}}\n" },
        CODE,
      );
      expectFindings(
        {
          'settings.py':
            "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2' if os.environ.get('OLD') else 'django.db.backends.postgresql'}}\n",
        },
        CODE,
      );
    });
    it('when a later snippet corrects the engine', () => {
      expectFindings(
        {
          'local_settings.py': `${entry('django.db.backends.postgresql_psycopg2')}\n`,
          'local_settings.d/_10.py': "DATABASES['default']['ENGINE'] = 'django.db.backends.postgresql'\n",
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
  });

  it('judges a visible default and says so, without a fix', () => {
    const files = {
      'settings.py':
        "import os\nDATABASES = {'default': {'ENGINE': os.environ.get('E', 'django.db.backends.postgresql_psycopg2')}}  #! DSL307\n",
    };
    expectFindings(files, CODE);
    const f = only(files);
    assert.match(f.message, /\(if E is unset\)/);
    assert.equal(f.fix, undefined);
  });
});
