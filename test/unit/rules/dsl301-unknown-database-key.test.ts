/** DSL301: unknown DATABASES entry keys; OPTIONS/TEST moves and renames as whole-text fixes. */
import assert from 'node:assert/strict';
import {
  checkFix,
  expectFindings,
  lint,
  type Files,
  type LintOptions,
  onlyFinding,
} from '../../helpers/rule-harness';

const CODE = ['DSL301'];
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' } satisfies LintOptions;

const only = (files: Files, opts: LintOptions = {}) => onlyFinding('DSL301', files, opts);

const SEED = `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {
    'default': {
        # Database configuration here
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'dash',
        'USER': 'dash',
        'PASSWORD': 'DASH_DBPASS',
        'HOST': 'localhost',
        'default-character-set': 'utf8'  #! DSL301
    }
}
`;

describe('DSL301 unknown-database-key', () => {
  it("flags the seed's 'default-character-set' and explains the charset", () => {
    const files = { 'local_settings.py': SEED };
    expectFindings(files, CODE, H);
    const f = only(files, H);
    assert.equal(f.severity, 'warning');
    assert.match(
      f.message,
      /'default-character-set'.*silently ignores.*default charset \(utf8\).*OPTIONS: \{'charset': 'utf8mb4'\}/,
    );
  });

  it("rewrites it to OPTIONS {'charset': 'utf8mb4'} (unsafe: the connection charset changes)", () => {
    const files = { 'local_settings.py': SEED };
    const f = only(files, H);
    assert.equal(f.fix?.applicability, 'unsafe');
    assert.equal(
      checkFix(files, f, H)['local_settings.py'],
      SEED.replace("'default-character-set': 'utf8'", "'OPTIONS': {'charset': 'utf8mb4'}"),
    );
  });

  it('adds the charset to an existing OPTIONS literal and removes the stray key', () => {
    const files = {
      'settings.py': `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'charset': 'utf8mb4',  #! DSL301
        'OPTIONS': {
            'init_command': "SET sql_mode='STRICT_TRANS_TABLES'",
        },
    }
}
`,
    };
    expectFindings(files, CODE);
    assert.equal(
      checkFix(files, only(files))['settings.py'],
      `DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'OPTIONS': {
            'init_command': "SET sql_mode='STRICT_TRANS_TABLES'",
            'charset': 'utf8mb4',
        },
    }
}
`,
    );
  });

  it('only removes the stray key (safe) when OPTIONS already sets the charset', () => {
    const files = {
      'settings.py':
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'OPTIONS': {'charset': 'utf8mb4'}, 'charset': 'utf8'}}  #! DSL301\n",
    };
    const f = only(files);
    assert.equal(f.fix?.applicability, 'safe');
    assert.equal(
      checkFix(files, f)['settings.py'],
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'OPTIONS': {'charset': 'utf8mb4'}}}  #! DSL301\n",
    );
  });

  it('moves CHARSET/COLLATION into TEST (safe), creating or extending it', () => {
    const create = {
      'settings.py':
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'CHARSET': 'UTF8'}}  #! DSL301\n",
    };
    expectFindings(create, CODE);
    const f = only(create);
    assert.equal(f.fix?.applicability, 'safe');
    assert.equal(
      checkFix(create, f)['settings.py'],
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'TEST': {'CHARSET': 'UTF8'}}}  #! DSL301\n",
    );
    const extend = {
      'settings.py':
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'COLLATION': 'utf8mb4_bin', 'TEST': {'NAME': 't'}}}  #! DSL301\n",
    };
    assert.equal(
      checkFix(extend, only(extend))['settings.py'],
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'TEST': {'NAME': 't', 'COLLATION': 'utf8mb4_bin'}}}  #! DSL301\n",
    );
  });

  it('renames a misspelled key to the closest valid one (unsafe)', () => {
    const files = {
      'settings.py': `DATABASES = {'default': {
    'ENGINE': 'django.db.backends.mysql',
    'OPTION': {'charset': 'utf8mb4'},  #! DSL301
    'Host': 'db',  #! DSL301
}}
`,
    };
    expectFindings(files, CODE);
    const found = lint(files).findings.filter((f) => f.code === 'DSL301');
    assert.deepEqual(found.map((f) => f.fix?.title).sort(), ["Rename to 'HOST'", "Rename to 'OPTIONS'"]);
    assert.ok(found.every((f) => f.fix?.applicability === 'unsafe' && f.message.endsWith('?')));
    const option = found.find((f) => f.message.includes("'OPTION'"));
    assert.ok(option);
    assert.equal(
      checkFix(files, option)['settings.py'],
      files['settings.py'].replace("'OPTION'", "'OPTIONS'"),
    );
  });

  it('offers no rename when the target key is already there', () => {
    const files = {
      'settings.py':
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'HOST': 'a', 'HOSTNAME': 'b'}}  #! DSL301\n",
    };
    expectFindings(files, CODE);
    assert.equal(only(files).fix, undefined);
  });

  it('flags keys in an entry without ENGINE, with no fix when nothing is close', () => {
    const files = {
      'settings.py': "DATABASES = {'default': {'NAME': 'x', 'something_else': 1}}  #! DSL301\n",
    };
    expectFindings(files, CODE);
    assert.equal(only(files).fix, undefined);
  });

  describe('must stay silent', () => {
    it('on valid keys', () => {
      expectFindings(
        {
          'settings.py':
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'd', 'USER': 'u', 'PASSWORD': '', 'HOST': 'h', 'PORT': '3306', 'OPTIONS': {}, 'ATOMIC_REQUESTS': True, 'AUTOCOMMIT': True, 'CONN_MAX_AGE': 0, 'CONN_HEALTH_CHECKS': False, 'TIME_ZONE': None, 'TEST': {}}}\n",
        },
        CODE,
      );
    });
    it('for third-party engines and unknown engines', () => {
      expectFindings(
        {
          'settings.py':
            "DATABASES = {'default': {'ENGINE': 'django.contrib.gis.db.backends.postgis', 'SCHEMA': 'x'}}\n",
        },
        CODE,
      );
      expectFindings(
        {
          'settings.py':
            "import os\nDATABASES = {'default': {'ENGINE': os.environ['ENGINE'], 'charset': 'utf8'}}\n",
        },
        CODE,
      );
    });
    it('when a later snippet replaces DATABASES', () => {
      expectFindings(
        {
          'local_settings.py': SEED.replace('  #! DSL301', ''),
          'local_settings.d/_10_db.py':
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}\n",
        },
        CODE,
        H,
      );
    });
  });
});
