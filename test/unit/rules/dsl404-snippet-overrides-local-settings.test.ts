/** DSL404: a SESSION_* / CACHES / DATABASES value from local_settings.py replaced by a local_settings.d snippet, reported on both sides. */
import assert from 'node:assert/strict';
import type { Analysis } from '../../../server/src/core/analyze';
import { expectFindings, lint, rel } from '../../helpers/rule-harness';

const CODE = ['DSL404'];
const PYMEMCACHE = 'django.core.cache.backends.memcached.PyMemcacheCache';
const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';

/** `file:line -> related file:line` for every DSL404 finding. */
function links(a: Analysis): string[] {
  return a.findings
    .filter((f) => f.code === 'DSL404')
    .map(
      (f) =>
        `${rel(f.span.file)}:${a.lineOf(f.span)} -> ${f.related.map((r) => `${rel(r.span.file)}:${a.lineOf(r.span)}`).join(', ')}`,
    )
    .sort();
}

const DEBIAN_LOCAL = `import os

DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'

CACHES = {  #! DSL404
    'default': {
        'BACKEND': '${PYMEMCACHE}',
        'LOCATION': '10.0.0.11:11211',
    },
}
`;
const DEBIAN_SNIPPET = `# Local memory storage is the quickest and easiest session back end to set up,
# as it has no external dependencies.
#
# If you comment out the config below, memcached will be used from
# local_settings.py

CACHES = {  #! DSL404
  'default' : {
    'BACKEND': '${LOCMEM}'
  }
}
`;

describe('DSL404 snippet-overrides-local-settings', () => {
  describe('fires on both sides', () => {
    it("for Debian's _0006_debian_cache.py replacing CACHES, with related information both ways", () => {
      const a = expectFindings(
        { 'local_settings.py': DEBIAN_LOCAL, 'local_settings.d/_0006_debian_cache.py': DEBIAN_SNIPPET },
        CODE,
      );
      assert.deepEqual(links(a), [
        'local_settings.d/_0006_debian_cache.py:7 -> local_settings.py:6',
        'local_settings.py:6 -> local_settings.d/_0006_debian_cache.py:7',
      ]);
      const [onSnippet, onLocal] = a.findings.filter((f) => f.code === 'DSL404');
      assert.equal(onLocal?.severity, 'warning');
      assert.equal(
        onLocal?.message,
        "CACHES set here is overridden by local_settings.d/_0006_debian_cache.py:7 (Debian's packaged snippet: comment out its block to use local_settings.py's): Horizon runs local_settings.d snippets after local_settings.py, so this value never takes effect; remove one of the two or move this one into a later snippet.",
      );
      assert.equal(
        onSnippet?.message,
        'This replaces CACHES set in local_settings.py:6: Horizon runs local_settings.d snippets after local_settings.py, so the value there is silently ignored; keep the setting in one place.',
      );
      assert.equal(
        onLocal?.related[0]?.message,
        'local_settings.d/_0006_debian_cache.py replaces CACHES here',
      );
      assert.equal(onSnippet?.related[0]?.message, 'CACHES set here in local_settings.py (overridden)');
    });

    it('for a snippet changing a key local_settings.py set, naming the key path; also in development', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '127.0.0.1:11211'}}  #! DSL404\n`,
        'local_settings.d/_20_servers.py':
          "CACHES['default']['LOCATION'] = ['10.0.0.1:11211', '10.0.0.2:11211']  #! DSL404\nCACHES['default']['OPTIONS'] = {'ignore_exc': True}\n",
      };
      const a = expectFindings(files, CODE, { profile: 'development' });
      const onLocal = a.findings.find((f) => f.code === 'DSL404' && rel(f.span.file) === 'local_settings.py');
      assert.match(
        onLocal?.message ?? '',
        /^CACHES\['default'\]\['LOCATION'\] set here is overridden by local_settings\.d\/_20_servers\.py:1:/,
      );
      assert.equal(onLocal?.severity, 'warning');
    });

    it('naming the deleted alias when a snippet deletes everything local_settings.py put under it', () => {
      const files = {
        'local_settings.py': `CACHES = {  #! DSL404\n    'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '10.0.0.1:11211'},\n    'legacy': {'BACKEND': '${LOCMEM}', 'LOCATION': 'old'},\n}\n`,
        'local_settings.d/_10_cleanup.py': "del CACHES['legacy']  #! DSL404\n",
      };
      const a = expectFindings(files, CODE);
      const messages = a.findings.filter((f) => f.code === 'DSL404').map((f) => f.message.split(':')[0]);
      assert.deepEqual(messages, [
        "This deletes CACHES['legacy'] set in local_settings.py",
        "CACHES['legacy'] set here is overridden by local_settings.d/_10_cleanup.py",
      ]);
    });

    it('for .update() replacing a key local_settings.py set', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '127.0.0.1:11211'}}  #! DSL404\n`,
        'local_settings.d/_20_servers.py': "CACHES['default'].update(LOCATION='10.0.0.1:11211')  #! DSL404\n",
      };
      expectFindings(files, CODE);
    });

    it('for SESSION_* settings (Django and Horizon ones) and DATABASES, pairing each local statement with its snippet', () => {
      const files = {
        'local_settings.py':
          "SESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL404\nSESSION_TIMEOUT = 1800  #! DSL404\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'}}  #! DSL404\n",
        'local_settings.d/_10_a.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL404\n",
        'local_settings.d/sub/_20_b.py':
          "SESSION_TIMEOUT = 3600  #! DSL404\ndel DATABASES['default']  #! DSL404\n",
      };
      const a = expectFindings(files, CODE);
      assert.deepEqual(links(a), [
        'local_settings.d/_10_a.py:1 -> local_settings.py:1',
        'local_settings.d/sub/_20_b.py:1 -> local_settings.py:2',
        'local_settings.d/sub/_20_b.py:2 -> local_settings.py:3',
        'local_settings.py:1 -> local_settings.d/_10_a.py:1',
        'local_settings.py:2 -> local_settings.d/sub/_20_b.py:1',
        'local_settings.py:3 -> local_settings.d/sub/_20_b.py:2',
      ]);
      assert.match(
        a.findings.find(
          (f) =>
            f.code === 'DSL404' &&
            a.lineOf(f.span) === 2 &&
            rel(f.span.file) === 'local_settings.d/sub/_20_b.py',
        )?.message ?? '',
        /^This deletes DATABASES\['default'\] set in local_settings\.py:3/,
      );
    });

    it('only from the last snippet that touched the value', () => {
      const files = {
        'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'  #! DSL404\n",
        'local_settings.d/_10_a.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.file'\n",
        'local_settings.d/_20_b.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'  #! DSL404\n",
      };
      expectFindings(files, CODE);
    });
  });

  describe('stays silent', () => {
    it('when a snippet only adds keys local_settings.py did not set', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '10.0.0.1:11211'}}\n`,
        'local_settings.d/_20_opts.py':
          "CACHES['default']['OPTIONS'] = {'ignore_exc': True}\nCACHES.setdefault('default', {'BACKEND': 'x'})\nCACHES['staticfiles'] = {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'}\n",
      };
      expectFindings(files, CODE);
    });

    it("when a snippet edits Horizon's default CACHES and local_settings.py never set it", () => {
      const files = {
        'local_settings.py': 'DEBUG = False\n',
        'local_settings.d/_20_memcached_servers.py': "CACHES['default']['LOCATION'] = ['10.40.0.11:11211']\n",
      };
      expectFindings(files, CODE);
    });

    it('for settings outside SESSION_* / CACHES / DATABASES', () => {
      expectFindings(
        {
          'local_settings.py': 'DEBUG = True\nSECRET_KEY = "a"\n',
          'local_settings.d/_0001_debian_debug.py': 'DEBUG = False\nSECRET_KEY = "b"\n',
        },
        CODE,
      );
    });

    it('when the snippet overrides only under a condition the analyser cannot decide', () => {
      const files = {
        'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n",
        'local_settings.d/_10_a.py':
          "import os\nif os.environ.get('CACHE_SESSIONS'):\n    SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
      };
      expectFindings(files, CODE);
    });

    it('when the snippet cannot be seen to change the value (unknown key)', () => {
      const files = {
        'local_settings.py': `CACHES = {'default': {'BACKEND': '${PYMEMCACHE}', 'LOCATION': '10.0.0.1:11211'}}\n`,
        'local_settings.d/_10_a.py': "import os\nCACHES[os.environ['ALIAS']] = {'BACKEND': 'x'}\n",
      };
      expectFindings(files, CODE);
    });

    it('without snippets, and in a plain Django project', () => {
      expectFindings({ 'local_settings.py': DEBIAN_LOCAL.replace('  #! DSL404', '') }, CODE);
      assert.equal(
        lint({
          'settings.py':
            "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
        }).findings.filter((f) => f.code === 'DSL404').length,
        0,
      );
    });
  });
});
