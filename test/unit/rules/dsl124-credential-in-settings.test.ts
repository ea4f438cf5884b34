/** DSL124: literal passwords in DATABASES and CACHES; the environment fix; the secret never printed. */
import assert from 'node:assert/strict';
import {
  checkFix,
  expectFindings,
  fixAllText,
  lint,
  type Files,
  type LintOptions,
  onlyFinding,
} from '../../helpers/rule-harness';

const CODE = ['DSL124'];
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' } satisfies LintOptions;

const only = (files: Files, opts: LintOptions = {}) => onlyFinding('DSL124', files, opts);

function assertNoSecret(files: Files, secret: string, opts: LintOptions = {}): void {
  for (const f of lint(files, opts).findings)
    assert.ok(!f.message.includes(secret), `${f.code} leaks the secret: ${f.message}`);
}

const SEED_DB = `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {
    'default': {
        # Database configuration here
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'dash',
        'USER': 'dash',
        'PASSWORD': 'DASH_DBPASS',  #! DSL124
        'HOST': 'localhost',
        'default-character-set': 'utf8'
    }
}
`;

describe('DSL124 credential-in-settings', () => {
  it('flags the seed MySQL password (information in production) and names the variable', () => {
    const files = { 'local_settings.py': SEED_DB };
    expectFindings(files, CODE, H);
    const f = only(files, H);
    assert.equal(f.severity, 'information');
    assert.match(f.message, /DJANGO_DB_PASSWORD/);
    assertNoSecret(files, 'DASH_DBPASS', H);
  });

  it('is off in the development profile', () => {
    expectFindings({ 'local_settings.py': SEED_DB.replace('  #! DSL124', '') }, CODE, {
      ...H,
      profile: 'development',
    });
  });

  it('rewrites the literal to os.environ and adds `import os` at the top (unsafe)', () => {
    const files = { 'local_settings.py': SEED_DB };
    const f = only(files, H);
    assert.equal(f.fix?.applicability, 'unsafe');
    const out = checkFix(files, f, H);
    assert.equal(
      out['local_settings.py'],
      `import os\n${SEED_DB.replace("'DASH_DBPASS'", "os.environ['DJANGO_DB_PASSWORD']")}`,
    );
  });

  it('keeps an existing `import os` and places the import after a docstring and __future__ imports', () => {
    const withOs = {
      'settings.py': `import os\nDATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "PASSWORD": "s3cr3t-pw"}}  #! DSL124\n`,
    };
    expectFindings(withOs, CODE);
    assert.equal(
      checkFix(withOs, only(withOs), {})['settings.py'],
      `import os\nDATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "PASSWORD": os.environ["DJANGO_DB_PASSWORD"]}}  #! DSL124\n`,
    );
    const future = {
      'settings.py': `"""Settings."""\nfrom __future__ import annotations\nDEBUG = False\nDATABASES = {'default': {'PASSWORD': 's3cr3t-pw'}}  #! DSL124\n`,
    };
    expectFindings(future, CODE);
    assert.equal(
      checkFix(future, only(future), {})['settings.py'],
      `"""Settings."""\nfrom __future__ import annotations\nimport os\nDEBUG = False\nDATABASES = {'default': {'PASSWORD': os.environ['DJANGO_DB_PASSWORD']}}  #! DSL124\n`,
    );
  });

  it('uses one variable per alias and adds `import os` once in fix-all', () => {
    const files = {
      'settings.py': `DATABASES = {
    'default': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': 'first-pw'},  #! DSL124
    'replica': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': 'second-pw'},  #! DSL124
}
`,
    };
    // With `import os` already there each fix edits one line, so the harness can check them one by one.
    const withOs = { 'settings.py': `import os\n${files['settings.py']}` };
    expectFindings(withOs, CODE);
    const msgs = lint(withOs)
      .findings.filter((f) => f.code === 'DSL124')
      .map((f) => f.message);
    assert.ok(msgs.some((m) => m.includes('DJANGO_DB_REPLICA_PASSWORD')));
    assert.equal(
      fixAllText(files, { unsafe: true, select: ['DSL124'] })['settings.py'],
      `import os
DATABASES = {
    'default': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': os.environ['DJANGO_DB_PASSWORD']},  #! DSL124
    'replica': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': os.environ['DJANGO_DB_REPLICA_PASSWORD']},  #! DSL124
}
`,
    );
  });

  it('flags a password inside a cache LOCATION URL, masked, and moves the whole URL to the environment', () => {
    const files = {
      'settings.py': `import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://:Tr0ub4dor@10.0.0.5:6379/1'}}  #! DSL124\n`,
    };
    expectFindings(files, CODE);
    const f = only(files);
    assert.match(f.message, /redis:\/\/:\*\*\*@10\.0\.0\.5:6379\/1/);
    assert.match(f.message, /DJANGO_CACHE_LOCATION in the web server's environment to the whole URL/);
    assertNoSecret(files, 'Tr0ub4dor');
    assert.equal(
      checkFix(files, f, {})['settings.py'],
      `import os\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': os.environ['DJANGO_CACHE_LOCATION']}}  #! DSL124\n`,
    );
  });

  it('flags cache OPTIONS PASSWORD and database OPTIONS password', () => {
    const files = {
      'settings.py': `import os
CACHES = {'sessions': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://10.0.0.5:6379/1',
                       'OPTIONS': {'PASSWORD': 'cache-pw-1'}}}  #! DSL124
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'OPTIONS': {'passwd': 'db-pw-2'}}}  #! DSL124
`,
    };
    expectFindings(files, CODE);
    const msgs = lint(files)
      .findings.filter((f) => f.code === 'DSL124')
      .map((f) => f.message);
    assert.ok(msgs.some((m) => m.includes('DJANGO_CACHE_SESSIONS_PASSWORD')));
    assertNoSecret(files, 'cache-pw-1');
    assertNoSecret(files, 'db-pw-2');
  });

  it('judges a visible default, says so, and offers no fix', () => {
    const files = {
      'settings.py':
        "import os\nDATABASES = {'default': {'PASSWORD': os.environ.get('DB_PW', 'fallback-pw')}}  #! DSL124\n",
    };
    expectFindings(files, CODE);
    const f = only(files);
    assert.match(f.message, /\(if DB_PW is unset\)/);
    assert.equal(f.fix, undefined);
    assertNoSecret(files, 'fallback-pw');
  });

  describe('must stay silent', () => {
    it('on empty passwords, unknown values and URLs without a password', () => {
      expectFindings(
        {
          'settings.py': `import os
DATABASES = {'default': {'PASSWORD': ''}, 'other': {'PASSWORD': os.environ['PW']}, 'third': {'PASSWORD': read_secret()}}
CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://user@10.0.0.5:6379/1'}}
`,
        },
        CODE,
      );
    });
    it('when the password is a literal in one branch only', () => {
      expectFindings(
        {
          'settings.py':
            "import os\nDATABASES = {'default': {'PASSWORD': 'pw-1' if os.environ.get('DEV') else os.environ['PW']}}\n",
        },
        CODE,
      );
    });
    it('when a later snippet replaces DATABASES', () => {
      expectFindings(
        {
          'local_settings.py':
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': 'pw-in-local'}}\n",
          'local_settings.d/_30_db.py':
            "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': os.environ['PW']}}\n",
        },
        CODE,
        H,
      );
    });
  });
});
