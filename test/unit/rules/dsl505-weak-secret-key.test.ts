/** DSL505: weak literal SECRET_KEY / SECRET_KEY_FALLBACKS entries (Django's security.W009 / W025); keys never appear in output. */
import assert from 'node:assert/strict';
import type { Analysis } from '../../../server/src/core/analyze';
import { expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL505'];
const STRONG = 'q8Zr2kLmN4vX7pT1sW9yB3cF6hJ0dG5eA8uK2nM4rV7xZ1tPw3Y';

/** Secrets stay secret: no message or related message of any rule contains the secret. */
function assertNoSecret(a: Analysis, secret: string): void {
  for (const f of a.findings) {
    assert.ok(!f.message.includes(secret), `${f.code} message shows the key: ${f.message}`);
    for (const r of f.related)
      assert.ok(!r.message.includes(secret), `${f.code} related message shows the key`);
  }
}

describe('DSL505 weak-secret-key', () => {
  describe('fires', () => {
    it('on a short key with a warning, without printing it', () => {
      const key = 'hunter2-secret';
      const a = expectFindings({ 'local_settings.py': `SECRET_KEY = '${key}'  #! DSL505\n` }, CODE);
      const f = a.findings.find((x) => x.code === 'DSL505');
      assert.equal(f?.severity, 'warning');
      assert.equal(
        f?.message,
        'SECRET_KEY has only 14 characters (Django wants at least 50): it can be guessed or brute-forced, letting attackers forge signed sessions, password-reset links and CSRF tokens; load a long random key from a file or the environment.',
      );
      assert.equal(f?.fix, undefined);
      assertNoSecret(a, key);
    });

    it("on startproject's django-insecure- keys and on keys with fewer than 5 distinct characters", () => {
      const insecure = `django-insecure-${STRONG}`;
      const a = expectFindings({ 'settings.py': `SECRET_KEY = "${insecure}"  #! DSL505\n` }, CODE);
      assert.match(a.findings[0]?.message ?? '', /starts with 'django-insecure-'/);
      assertNoSecret(a, insecure);
      const repeated = 'abcd'.repeat(20);
      const b = expectFindings({ 'settings.py': `SECRET_KEY = '${repeated}'  #! DSL505\n` }, CODE);
      assert.match(
        b.findings[0]?.message ?? '',
        /uses only 4 distinct characters \(Django wants at least 5\)/,
      );
      assertNoSecret(b, repeated);
    });

    it('as an error in production when sessions are signed cookies', () => {
      const a = expectFindings(
        {
          'local_settings.py':
            "SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\nSECRET_KEY = 'changeme'  #! DSL505\n",
        },
        CODE,
      );
      const f = a.findings.find((x) => x.code === 'DSL505');
      assert.equal(f?.severity, 'error');
      assert.match(
        f?.message ?? '',
        /sessions are signed cookies, so whoever guesses it can forge any session/,
      );
      assertNoSecret(a, 'changeme');
      const dev = lint(
        {
          'local_settings.py':
            "SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\nSECRET_KEY = 'changeme'\n",
        },
        { profile: 'development' },
      );
      assert.equal(dev.findings.find((x) => x.code === 'DSL505')?.severity, 'information');
    });

    it('on an environment default, saying so, without printing it', () => {
      const a = expectFindings(
        {
          'settings.py':
            "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'dev-key-123')  #! DSL505\n",
        },
        CODE,
      );
      assert.match(
        a.findings[0]?.message ?? '',
        /^SECRET_KEY \(if DJANGO_SECRET_KEY is unset\) has only 11 characters/,
      );
      assertNoSecret(a, 'dev-key-123');
    });

    it('on weak SECRET_KEY_FALLBACKS entries, naming the index (Django 4.1+)', () => {
      const text = `SECRET_KEY = '${STRONG}'\nSECRET_KEY_FALLBACKS = [\n    '${STRONG}',\n    'old-weak-key',  #! DSL505\n]\n`;
      const a = expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '4.2' });
      assert.match(a.findings[0]?.message ?? '', /^SECRET_KEY_FALLBACKS\[1\] has only 12 characters/);
      assertNoSecret(a, 'old-weak-key');
    });

    it('on an empty literal', () => {
      const a = expectFindings({ 'settings.py': "SECRET_KEY = ''  #! DSL505\n" }, CODE);
      assert.match(a.findings[0]?.message ?? '', /^SECRET_KEY is empty:/);
    });
  });

  describe('stays silent', () => {
    it('on a strong key', () => {
      expectFindings({ 'settings.py': `SECRET_KEY = '${STRONG}'\n` }, CODE);
    });

    it("on keys read at run time (Horizon's generate_or_read_from_file, the environment)", () => {
      expectFindings(
        {
          'local_settings.py':
            "import os\nfrom horizon.utils import secret_key\nSECRET_KEY = secret_key.generate_or_read_from_file(os.path.join('/var/lib/dash', '.secret_key_store'))\n",
        },
        CODE,
      );
      expectFindings({ 'settings.py': "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n" }, CODE);
    });

    it('on an empty key in Horizon, which generates a key when SECRET_KEY is empty', () => {
      expectFindings(
        { 'local_settings.py': "import os\nSECRET_KEY = os.environ.get('HORIZON_SECRET_KEY', '')\n" },
        CODE,
      );
    });

    it('on an empty environment default in Django, which refuses an empty key: the variable is required', () => {
      expectFindings(
        { 'settings.py': "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '')\n" },
        CODE,
      );
      expectFindings(
        { 'settings.py': "from decouple import config\nSECRET_KEY = config('SECRET_KEY', default='')\n" },
        CODE,
      );
    });

    it('when no file sets a key (Horizon generates one; Django refuses to start)', () => {
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE);
      expectFindings({ 'settings.py': 'DEBUG = False\n' }, CODE);
    });

    it('when only one branch of an undecidable condition is weak', () => {
      expectFindings(
        {
          'settings.py': `import os\nSECRET_KEY = '${STRONG}'\nif os.environ.get('DEV'):\n    SECRET_KEY = 'dev'\n`,
        },
        CODE,
      );
    });

    it('on SECRET_KEY_FALLBACKS before Django 4.1, which ignores the setting', () => {
      expectFindings({ 'settings.py': `SECRET_KEY = '${STRONG}'\nSECRET_KEY_FALLBACKS = ['old']\n` }, CODE, {
        djangoVersion: '3.2',
      });
    });
  });
});
