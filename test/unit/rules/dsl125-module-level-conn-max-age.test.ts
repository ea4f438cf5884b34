/** DSL125: module-level CONN_MAX_AGE; helper variables stay silent; move/remove fixes as whole text. */
import assert from 'node:assert/strict';
import {
  checkFix,
  expectFindings,
  lint,
  type Files,
  onlyFinding,
  type LintOptions,
} from '../../helpers/rule-harness';

const CODE = ['DSL125'];

const only = (files: Files, opts: LintOptions = {}) => onlyFinding('DSL125', files, opts);

describe('DSL125 module-level-conn-max-age', () => {
  it('warns on a module-level CONN_MAX_AGE and moves it into a multi-line DATABASES literal (unsafe)', () => {
    const files = {
      'settings.py': `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'dash'
    }
}
CONN_MAX_AGE = 60  #! DSL125
DEBUG = False
`,
    };
    expectFindings(files, CODE);
    const f = only(files);
    assert.equal(f.severity, 'warning');
    assert.equal(f.fix?.applicability, 'unsafe');
    assert.equal(
      checkFix(files, f)['settings.py'],
      `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'dash',
        'CONN_MAX_AGE': 60,
    }
}
DEBUG = False
`,
    );
  });

  it('moves it into a one-line literal, keeping the quote style', () => {
    const files = {
      'settings.py':
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\nCONN_MAX_AGE = None  #! DSL125\n',
    };
    expectFindings(files, CODE);
    assert.equal(
      checkFix(files, only(files))['settings.py'],
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "CONN_MAX_AGE": None}}\n',
    );
  });

  it('only deletes the dead line (safe) when the entry already sets CONN_MAX_AGE', () => {
    const files = {
      'settings.py':
        "CONN_MAX_AGE = 600  #! DSL125\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'CONN_MAX_AGE': 60}}\n",
    };
    expectFindings(files, CODE);
    const f = only(files);
    assert.equal(f.fix?.applicability, 'safe');
    assert.match(f.message, /already sets it/);
    assert.equal(
      checkFix(files, f)['settings.py'],
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'CONN_MAX_AGE': 60}}\n",
    );
  });

  it('fires in a Horizon snippet but offers no fix when DATABASES lives in another file', () => {
    const files = {
      'local_settings.py':
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}\n",
      'local_settings.d/_40_db.py': 'CONN_MAX_AGE = 60  #! DSL125\n',
    };
    expectFindings(files, CODE, { horizonRelease: '2024.2' });
    assert.equal(
      lint(files, { horizonRelease: '2024.2' }).findings.find((f) => f.code === 'DSL125')?.fix,
      undefined,
    );
  });

  it('fires whatever the value is (the name is ignored), but moves only plain literals', () => {
    const files = {
      'settings.py':
        "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\nCONN_MAX_AGE = int(os.environ.get('AGE', '60'))  #! DSL125\n",
    };
    expectFindings(files, CODE);
    assert.equal(only(files).fix, undefined);
  });

  describe('must stay silent', () => {
    it('without a module-level CONN_MAX_AGE', () => {
      expectFindings(
        {
          'settings.py':
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'CONN_MAX_AGE': 60}}\n",
        },
        CODE,
      );
    });
    it('when the variable builds an entry', () => {
      expectFindings(
        {
          'settings.py':
            "CONN_MAX_AGE = 60\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'CONN_MAX_AGE': CONN_MAX_AGE}}\n",
        },
        CODE,
      );
    });
    it('when the variable feeds an unknown call (dj_database_url.config)', () => {
      expectFindings(
        {
          'settings.py':
            'import dj_database_url\nCONN_MAX_AGE = 600\nDATABASES = {"default": dj_database_url.config(conn_max_age=CONN_MAX_AGE)}\n',
        },
        CODE,
      );
    });
  });
});
