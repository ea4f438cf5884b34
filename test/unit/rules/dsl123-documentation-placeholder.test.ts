/** DSL123: placeholders from guides in LOCATION hosts, DATABASES fields and SECRET_KEY; secrets masked. */
import assert from 'node:assert/strict';
import { expectFindings, lint, type Files, type LintOptions } from '../../helpers/rule-harness';

const CODE = ['DSL123'];
const H = { horizonRelease: '2024.2', djangoVersion: '4.2' } satisfies LintOptions;

function messages(files: Files, opts: LintOptions): string[] {
  return lint(files, opts).findings.map((f) => f.message);
}

describe('DSL123 documentation-placeholder', () => {
  it('flags the seed memcached block (my_memcached_host) and names the host', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
  'default': {
    'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',
    'LOCATION': 'my_memcached_host:11211',  #! DSL123
  }
}
`,
    };
    const a = expectFindings(files, CODE, H);
    const f = a.findings.find((x) => x.code === 'DSL123');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /'my_memcached_host'.*memcached server/);
    assert.equal(f?.fix, undefined);
  });

  it('flags the seed MySQL password placeholder without printing it', () => {
    const files = {
      'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.db'
DATABASES = {
    'default': {
        # Database configuration here
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'dash',
        'USER': 'dash',
        'PASSWORD': 'DASH_DBPASS',  #! DSL123
        'HOST': 'localhost',
        'default-character-set': 'utf8'
    }
}
`,
    };
    expectFindings(files, CODE, H);
    for (const m of messages(files, H)) assert.ok(!m.includes('DASH_DBPASS'), m);
    assert.ok(messages(files, H).some((m) => m.includes("'DA***'")));
  });

  it('flags placeholder HOST/NAME/USER values (shown in full: not secrets)', () => {
    const files = {
      'settings.py': `DATABASES = {'default': {
    'ENGINE': 'django.db.backends.postgresql',
    'NAME': 'CHANGEME',  #! DSL123
    'USER': '<user>',  #! DSL123
    'HOST': 'your-db-host',  #! DSL123
    'PASSWORD': 'correct-horse-battery',
}}
`,
    };
    expectFindings(files, CODE);
    const all = messages(files, {}).join('\n');
    assert.match(all, /'CHANGEME'/);
    assert.match(all, /'your-db-host'/);
    assert.ok(!all.includes('correct-horse-battery'));
  });

  it('flags a placeholder SECRET_KEY, masked', () => {
    const files = { 'settings.py': "SECRET_KEY = 'your-secret-key'  #! DSL123\n" };
    expectFindings(files, CODE);
    for (const m of messages(files, {})) assert.ok(!m.includes('your-secret-key'), m);
  });

  it('flags a placeholder password inside a Redis URL, masked', () => {
    const files = {
      'settings.py': `CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache',
                      'LOCATION': 'redis://:CHANGEME@10.0.0.5:6379/1'}}  #! DSL123
`,
    };
    expectFindings(files, CODE);
    for (const m of messages(files, {})) assert.ok(!m.includes('CHANGEME'), m);
  });

  it('judges each item of a LOCATION list', () => {
    const files = {
      'settings.py': `CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
    'LOCATION': [
        '10.0.0.11:11211',
        'my_memcached_host:11211',  #! DSL123
    ],
}}
`,
    };
    expectFindings(files, CODE);
  });

  it('is information in the development profile', () => {
    const files = { 'settings.py': "SECRET_KEY = 'changeme'  #! DSL123\n" };
    expectFindings(files, CODE, { profile: 'development' });
    assert.equal(
      lint(files, { profile: 'development' }).findings.find((f) => f.code === 'DSL123')?.severity,
      'information',
    );
  });

  describe('must stay silent', () => {
    it('on real values', () => {
      expectFindings(
        {
          'settings.py': `SECRET_KEY = 'k3#n8v!q0zr@x6p$w1m%t7b^y2c&d9f*g4h(j5l)s-e_u+a=i'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'memcached.internal:11211'}}
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'USER': 'dash', 'PASSWORD': 'x9Tq-22hd', 'HOST': '10.1.2.3'}}
`,
        },
        CODE,
      );
    });
    it('on reserved example domains, which guides and tests use as real host names', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'mc.example.org:11211'}}
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'pg.example.org'}}
`,
        },
        CODE,
      );
    });
    it('on LOCATIONs that are names or paths rather than hosts (locmem, file, db caches)', () => {
      expectFindings(
        {
          'settings.py': `CACHES = {
    'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache', 'LOCATION': 'my_memcached_host'},
    'files': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': '/var/tmp/example'},
}
`,
        },
        CODE,
      );
    });
    it('on unknown values', () => {
      expectFindings(
        {
          'settings.py': `import os
SECRET_KEY = os.environ['SECRET_KEY']
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': os.environ['MC']}}
DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': os.getenv('DB_PASSWORD'), 'HOST': f"{os.environ['DB']}"}}
`,
        },
        CODE,
      );
    });
    it('when only one branch holds a placeholder', () => {
      expectFindings(
        {
          'settings.py':
            "import os\nif os.environ.get('CI'):\n    SECRET_KEY = 'changeme'\nelse:\n    SECRET_KEY = 'k3#n8v!q0zr@x6p$w1m%t7b^y2c&d9f*g4h(j5l)s-e_u+a=i'\n",
        },
        CODE,
      );
    });
    it('when a later snippet replaces the placeholder', () => {
      expectFindings(
        {
          'local_settings.py':
            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': 'my_memcached_host:11211'}}\n",
          'local_settings.d/_20_cache.py':
            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}\n",
        },
        CODE,
        H,
      );
    });
  });

  it('judges a visible environment default and says so', () => {
    const files = {
      'settings.py': "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'changeme')  #! DSL123\n",
    };
    expectFindings(files, CODE);
    const m = messages(files, {}).find((x) => x.startsWith('SECRET_KEY')) ?? '';
    assert.match(m, /\(if SECRET_KEY is unset\)/);
    assert.ok(!m.includes('changeme'));
  });
});
