/** DSL115: file sessions without an explicit, absolute SESSION_FILE_PATH. */
import assert from 'node:assert/strict';
import { expectFindings, lint } from '../../helpers/rule-harness';
import { expectCanonicalSnippetsQuiet } from './backend-canonical-snippets';

const CODE = ['DSL115'];
const FILE = "SESSION_ENGINE = 'django.contrib.sessions.backends.file'";

function severityOf(files: Record<string, string>, opts = {}): string | undefined {
  return lint(files, opts).findings.find((f) => f.code === 'DSL115')?.severity;
}

describe('DSL115 file-sessions-without-absolute-path', () => {
  describe('fires', () => {
    it('on the engine when SESSION_FILE_PATH is unset: information in production, off in development', () => {
      const files = { 'settings.py': `${FILE}  #! DSL115\n` };
      const a = expectFindings(files, CODE, { profile: 'production' });
      assert.match(
        a.findings.find((f) => f.code === 'DSL115')?.message ?? '',
        /without SESSION_FILE_PATH: Django stores them in tempfile\.gettempdir\(\)/,
      );
      assert.equal(severityOf(files, { profile: 'production' }), 'information');
      expectFindings({ 'settings.py': `${FILE}\n` }, CODE, { profile: 'development' });
    });

    it('on an explicit None or empty string, at that assignment', () => {
      expectFindings({ 'settings.py': `${FILE}\nSESSION_FILE_PATH = None  #! DSL115\n` }, CODE);
      expectFindings({ 'settings.py': `${FILE}\nSESSION_FILE_PATH = ''  #! DSL115\n` }, CODE);
    });

    it('on a relative path: warning in production, information in development', () => {
      const files = { 'settings.py': `${FILE}\nSESSION_FILE_PATH = 'var/sessions'  #! DSL115\n` };
      const a = expectFindings(files, CODE);
      assert.match(a.findings.find((f) => f.code === 'DSL115')?.message ?? '', /'var\/sessions' is relative/);
      assert.equal(severityOf(files), 'warning');
      expectFindings(files, CODE, { profile: 'development' });
      assert.equal(severityOf(files, { profile: 'development' }), 'information');
    });

    it('on an explicit system temporary directory: /tmp, /var/tmp, /dev/shm, inside one, tempfile.gettempdir()', () => {
      for (const path of ["'/tmp'", "'/tmp/'", "'/var/tmp'", "'/dev/shm'", "'/tmp/django_sessions'"]) {
        const files = { 'settings.py': `${FILE}\nSESSION_FILE_PATH = ${path}  #! DSL115\n` };
        const a = expectFindings(files, CODE);
        assert.match(
          a.findings.find((f) => f.code === 'DSL115')?.message ?? '',
          /is a system temporary directory: shared with every local user .*PrivateTmp/,
          path,
        );
        assert.equal(severityOf(files), 'warning');
      }
      const t = `import tempfile\n${FILE}\nSESSION_FILE_PATH = tempfile.gettempdir()  #! DSL115\n`;
      const a = expectFindings({ 'settings.py': t }, CODE);
      assert.match(
        a.findings.find((f) => f.code === 'DSL115')?.message ?? '',
        /'\/tmp' .*\(if TMPDIR is unset\)/,
      );
    });

    it('judges a visible environment default and says so', () => {
      const text = `import os\n${FILE}\nSESSION_FILE_PATH = os.environ.get('SESSION_DIR', 'sessions')  #! DSL115\n`;
      const a = expectFindings({ 'settings.py': text }, CODE);
      assert.match(a.findings.find((f) => f.code === 'DSL115')?.message ?? '', /\(if SESSION_DIR is unset\)/);
    });

    it('in a Horizon project when a snippet switches to file sessions', () => {
      const files = {
        'local_settings.py': 'DEBUG = False\n',
        'local_settings.d/_50_sessions.py': `${FILE}  #! DSL115\n`,
      };
      expectFindings(files, CODE, { horizonRelease: '2024.2' });
    });
  });

  describe('stays silent', () => {
    it('on absolute paths (POSIX, and Windows forms)', () => {
      expectFindings({ 'settings.py': `${FILE}\nSESSION_FILE_PATH = '/var/lib/django/sessions'\n` }, CODE);
      expectFindings({ 'settings.py': `${FILE}\nSESSION_FILE_PATH = '/tmpfiles/sessions'\n` }, CODE);
      expectFindings({ 'settings.py': `${FILE}\nSESSION_FILE_PATH = 'C:\\\\sessions'\n` }, CODE);
    });

    it('on Unknown paths and when only one branch is relative', () => {
      expectFindings(
        { 'settings.py': `import os\n${FILE}\nSESSION_FILE_PATH = os.environ['SESSION_DIR']\n` },
        CODE,
      );
      expectFindings(
        {
          'settings.py': `from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\n${FILE}\nSESSION_FILE_PATH = BASE_DIR / 'sessions'\n`,
        },
        CODE,
      );
      expectFindings(
        {
          'settings.py': `import os\nDEBUG = os.environ.get('DEBUG') == '1'\n${FILE}\nSESSION_FILE_PATH = 'tmp' if DEBUG else '/srv/sessions'\n`,
        },
        CODE,
      );
    });

    it('on other engines, and when a snippet moves sessions away from files', () => {
      expectFindings({ 'settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n" }, CODE);
      expectFindings(
        {
          'local_settings.py': `${FILE}\n`,
          'local_settings.d/_50_sessions.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
        },
        CODE,
      );
    });

    it('with a suppression comment', () => {
      expectFindings(
        { 'settings.py': `${FILE}\nSESSION_FILE_PATH = 'sessions'  # session-lint: ignore[DSL115]\n` },
        CODE,
      );
    });

    it('on the canonical snippets', () => {
      expectCanonicalSnippetsQuiet('DSL115');
    });
  });
});
