/** DSL103 (SESSION_CACHE_ALIAS not defined in CACHES): firing, silence, messages, related locations and fixes. */
import assert from 'node:assert/strict';
import { expectFindings, fixAllText, lint, rel } from '../../helpers/rule-harness';

const CODE = 'DSL103';
const HZ = { horizonRelease: '2024.2', djangoVersion: '4.2' };
const MEMCACHED = `{'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}`;

describe('DSL103 undefined-session-cache-alias', () => {
  describe('fires', () => {
    it('on an alias CACHES lacks, pointing at CACHES and SESSION_ENGINE', () => {
      const files = {
        'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
SESSION_CACHE_ALIAS = 'sessions'  #! DSL103
CACHES = {'default': ${MEMCACHED}}
`,
      };
      const a = expectFindings(files, [CODE], HZ);
      const f = a.findings.find((x) => x.code === CODE);
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /^SESSION_CACHE_ALIAS 'sessions' is not defined in CACHES \(CACHES defines only 'default'\)/,
      );
      assert.match(f?.message ?? '', /The connection 'sessions' doesn't exist/);
      assert.deepEqual(
        f?.related.map((r) => `${rel(r.span.file)}:${a.lineOf(r.span)} ${r.message}`),
        ['local_settings.py:3 CACHES set here', 'local_settings.py:1 SESSION_ENGINE set here'],
      );
      assert.equal(f?.fix?.applicability, 'unsafe');
      assert.equal(
        fixAllText(files, { ...HZ, select: [CODE], unsafe: true })['local_settings.py'],
        files['local_settings.py'].replace(
          "SESSION_CACHE_ALIAS = 'sessions'",
          "SESSION_CACHE_ALIAS = 'default'",
        ),
      );
    });

    it('proposes the closest existing alias for a typo', () => {
      const files = {
        'settings.py': `SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "session"  #! DSL103
CACHES = {'default': ${MEMCACHED}, 'sessions': ${MEMCACHED}}
`,
      };
      const a = expectFindings(files, [CODE]);
      assert.equal(a.findings.find((x) => x.code === CODE)?.fix?.title, "Use cache alias 'sessions'");
      assert.equal(
        fixAllText(files, { select: [CODE], unsafe: true })['settings.py'],
        files['settings.py'].replace('"session"', '"sessions"'),
      );
    });

    it("with Horizon's default cache engine, saying whose default it is", () => {
      const files = {
        'local_settings.py': `SESSION_CACHE_ALIAS = 'sessions'  #! DSL103\nCACHES = {'default': ${MEMCACHED}}\n`,
      };
      const a = expectFindings(files, [CODE], HZ);
      assert.match(
        a.findings.find((x) => x.code === CODE)?.message ?? '',
        /cache session engine \(Horizon's default\)/,
      );
    });

    it('judges a visible environment default and says so, without a fix', () => {
      const files = {
        'local_settings.py': `import os
SESSION_CACHE_ALIAS = os.environ.get('SESSION_ALIAS', 'sessions')  #! DSL103
CACHES = {'default': ${MEMCACHED}}
`,
      };
      const a = expectFindings(files, [CODE], HZ);
      const f = a.findings.find((x) => x.code === CODE);
      assert.match(f?.message ?? '', /'sessions' \(if SESSION_ALIAS is unset\) is not defined/);
      assert.equal(f?.fix, undefined);
    });

    it('when a snippet sets the alias that local_settings.py never defined', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': ${MEMCACHED}}\n`,
        'local_settings.d/_20_sessions.py': `SESSION_CACHE_ALIAS = 'sessions'  #! DSL103\n`,
      };
      expectFindings(files, [CODE], HZ);
    });
  });

  describe('stays silent', () => {
    it('when the alias exists, also when a snippet adds it later', () => {
      expectFindings(
        {
          'local_settings.py': `SESSION_CACHE_ALIAS = 'sessions'\nCACHES = {'default': ${MEMCACHED}, 'sessions': ${MEMCACHED}}\n`,
        },
        [CODE],
        HZ,
      );
      expectFindings(
        {
          'local_settings.py': `SESSION_CACHE_ALIAS = 'sessions'\nCACHES = {'default': ${MEMCACHED}}\n`,
          'local_settings.d/_30_cache.py': `CACHES['sessions'] = ${MEMCACHED}\n`,
        },
        [CODE],
        HZ,
      );
    });

    it('when sessions do not use a cache (db, file, signed_cookies)', () => {
      for (const engine of ['db', 'file', 'signed_cookies']) {
        const files = {
          'local_settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.${engine}'\nSESSION_CACHE_ALIAS = 'sessions'\nCACHES = {'default': ${MEMCACHED}}\n`,
        };
        expectFindings(files, [CODE], HZ);
      }
    });

    it('when the engine depends on an undecided condition and one option uses no cache', () => {
      const files = {
        'local_settings.py': `import os
SESSION_ENGINE = 'django.contrib.sessions.backends.cache' if os.environ.get('X') else 'django.contrib.sessions.backends.db'
SESSION_CACHE_ALIAS = 'sessions'
CACHES = {'default': ${MEMCACHED}}
`,
      };
      expectFindings(files, [CODE], HZ);
    });

    it('on unknown values: the alias from the environment, CACHES that may hold more keys', () => {
      expectFindings(
        {
          'local_settings.py': `import os\nSESSION_CACHE_ALIAS = os.environ['ALIAS']\nCACHES = {'default': ${MEMCACHED}}\n`,
        },
        [CODE],
        HZ,
      );
      expectFindings(
        {
          'local_settings.py': `from x import EXTRA\nSESSION_CACHE_ALIAS = 'sessions'\nCACHES = {'default': ${MEMCACHED}, **EXTRA}\n`,
        },
        [CODE],
        HZ,
      );
    });

    it("when the missing alias is 'default' (DSL102 reports that)", () => {
      const files = {
        'settings.py': `SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = {'main': ${MEMCACHED}}\n`,
      };
      expectFindings(files, [CODE]);
      assert.ok(lint(files).findings.some((f) => f.code === 'DSL102'));
    });

    it('when suppressed on the line', () => {
      const files = {
        'local_settings.py': `SESSION_CACHE_ALIAS = 'sessions'  # session-lint: ignore[DSL103]\nCACHES = {'default': ${MEMCACHED}}\n`,
      };
      expectFindings(files, [CODE], HZ);
    });
  });
});
