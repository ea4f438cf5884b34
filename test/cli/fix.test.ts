/** End-to-end tests of --fix, --unsafe-fixes and --diff: what is written, what is not, idempotence, line endings, symbolic links and file modes. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { preserveLineEndings } from '../../server/src/cli/write-fixes';
import {
  assertBundle,
  CLASS_PATH_ENGINE,
  SHARED_CACHES,
  LOCMEM_SETTINGS,
  pythonParses,
  runCli,
  suiteProjects,
} from './cli-harness';

const FIXED_ENGINE = CLASS_PATH_ENGINE.replace('.SessionStore', '');

describe('cli: --fix and --diff', () => {
  before(assertBundle);
  const project = suiteProjects();

  it('applies the safe DSL101 fix, reports what remains, and a second --fix changes nothing', () => {
    const dir = project({ 'settings.py': CLASS_PATH_ENGINE });
    const file = path.join(dir, 'settings.py');
    const first = runCli(['settings.py', '--fix', '--select', 'DSL101'], dir);
    assert.equal(first.stderr, '');
    assert.equal(first.stdout, 'Applied 1 fix to 1 file.\n0 errors, 0 warnings, 0 infos in 1 file\n');
    assert.equal(first.status, 0, 'nothing remains');
    assert.equal(fs.readFileSync(file, 'utf8'), FIXED_ENGINE);
    const parsed = pythonParses(file);
    assert.ok(parsed.ok, parsed.message);

    const before = fs.statSync(file);
    const second = runCli(['settings.py', '--fix', '--select', 'DSL101'], dir);
    assert.equal(second.stdout, 'Applied 0 fixes to 0 files.\n0 errors, 0 warnings, 0 infos in 1 file\n');
    assert.equal(fs.readFileSync(file, 'utf8'), FIXED_ENGINE);
    assert.equal(fs.statSync(file).ino, before.ino, 'an unchanged file is not rewritten');
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs);
  });

  it('leaves unsafe fixes alone without --unsafe-fixes, and the exit code reflects what remains', () => {
    const dir = project({ 'settings.py': LOCMEM_SETTINGS });
    const file = path.join(dir, 'settings.py');
    const r = runCli(['settings.py', '--fix', '--select', 'DSL104', '--fail-on', 'warning'], dir);
    assert.equal(r.status, 1);
    assert.equal(fs.readFileSync(file, 'utf8'), LOCMEM_SETTINGS);
    assert.match(r.stdout, /^Applied 0 fixes to 0 files\.\n/);

    const unsafe = runCli(
      ['settings.py', '--fix', '--unsafe-fixes', '--select', 'DSL104', '--fail-on', 'warning'],
      dir,
    );
    assert.equal(unsafe.status, 0);
    assert.match(unsafe.stdout, /^Applied 1 fix to 1 file\.\n/);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /PyMemcacheCache/);
    assert.doesNotMatch(text, /LocMemCache/);
    const parsed = pythonParses(file);
    assert.ok(parsed.ok, parsed.message);
  });

  it('--diff prints a unified diff, writes nothing, and exits 1 when there is something to fix', () => {
    const dir = project({ 'settings.py': `# comment\n${CLASS_PATH_ENGINE}` });
    const file = path.join(dir, 'settings.py');
    const before = fs.statSync(file);
    const r = runCli(['settings.py', '--diff'], dir);
    assert.equal(
      r.stdout,
      `--- settings.py
+++ settings.py
@@ -1,3 +1,3 @@
 # comment
 ${SHARED_CACHES}-SESSION_ENGINE = 'django.contrib.sessions.backends.cache.SessionStore'
+SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
`,
    );
    assert.equal(r.stderr, 'Would apply 1 fix to 1 file.\n');
    assert.equal(r.status, 1);
    assert.equal(fs.readFileSync(file, 'utf8'), `# comment\n${CLASS_PATH_ENGINE}`);
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['.git', 'settings.py'], 'no temporary files left behind');

    const clean = project({ 'settings.py': FIXED_ENGINE });
    const none = runCli(['settings.py', '--diff'], clean);
    assert.deepEqual([none.status, none.stdout, none.stderr], [0, '', 'No fixes available.\n']);
  });

  it("--fix --unsafe-fixes on kolla's /etc/kolla/horizon never overrides _9998's memcached pool from _9999", () => {
    const kolla9998 = `DEBUG = False
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': ['192.0.2.11:11211', '192.0.2.12:11211'],
        'OPTIONS': {'ignore_exc': True},
    }
}
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SECURE = True
`;
    const custom = "# operator overrides\nSESSION_TIMEOUT = '3600'\n";
    const config = JSON.stringify({
      command: 'uwsgi /etc/horizon/horizon-uwsgi.ini',
      config_files: ['_9998-kolla-settings.py', '_9999-custom-settings.py'].map((n) => ({
        source: `/var/lib/kolla/config_files/${n}`,
        dest: `/etc/openstack-dashboard/local_settings.d/${n}`,
      })),
    });
    const dir = project({
      'etc/kolla/horizon/config.json': config,
      'etc/kolla/horizon/_9998-kolla-settings.py': kolla9998,
      'etc/kolla/horizon/_9999-custom-settings.py': custom,
    });
    runCli(['etc/kolla/horizon', '--fix', '--unsafe-fixes'], dir);
    assert.equal(
      fs.readFileSync(path.join(dir, 'etc/kolla/horizon/_9998-kolla-settings.py'), 'utf8'),
      kolla9998,
    );
    const after = fs.readFileSync(path.join(dir, 'etc/kolla/horizon/_9999-custom-settings.py'), 'utf8');
    assert.doesNotMatch(after, /CACHES|127\.0\.0\.1/, after);
    assert.equal(
      after,
      '# operator overrides\nSESSION_TIMEOUT = 3600\n',
      'the DSL405 fix is applied where it belongs',
    );
  });

  it('keeps CRLF line endings, including in lines a fix inserts', () => {
    const crlf = LOCMEM_SETTINGS.replace(/\n/g, '\r\n');
    const dir = project({ 'settings.py': crlf });
    const file = path.join(dir, 'settings.py');
    runCli(['settings.py', '--fix', '--unsafe-fixes', '--select', 'DSL104'], dir);
    const text = fs.readFileSync(file, 'utf8');
    assert.notEqual(text, crlf, 'the fix was applied');
    assert.doesNotMatch(text, /(?<!\r)\n/, 'every line break is CRLF');
    const parsed = pythonParses(file);
    assert.ok(parsed.ok, parsed.message);
  });

  it('writes through a symbolic link to the real file and keeps the link and the file mode', () => {
    const dir = project({ 'etc/real_settings.py': CLASS_PATH_ENGINE });
    const real = path.join(dir, 'etc/real_settings.py');
    fs.chmodSync(real, 0o640);
    fs.mkdirSync(path.join(dir, 'app'));
    const link = path.join(dir, 'app/settings.py');
    fs.symlinkSync(real, link);
    const r = runCli(['app/settings.py', '--fix'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.readFileSync(real, 'utf8'), FIXED_ENGINE);
    assert.equal(fs.statSync(real).mode & 0o777, 0o640);
    assert.deepEqual(
      fs.readdirSync(path.join(dir, 'etc')),
      ['real_settings.py'],
      'no temporary files left behind',
    );
  });

  it('refuses to rewrite a file that is not UTF-8', () => {
    const dir = project({});
    const file = path.join(dir, 'settings.py');
    const bytes = Buffer.concat([Buffer.from('# caf\xe9\n', 'latin1'), Buffer.from(CLASS_PATH_ENGINE)]);
    fs.writeFileSync(file, bytes);
    const r = runCli(['settings.py', '--fix'], dir);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'django-session-lint: error: settings.py: not valid UTF-8, left unchanged\n');
    assert.ok(fs.readFileSync(file).equals(bytes));
  });
});

describe('cli: line endings of fixed text', () => {
  it('converts inserted LF to the file’s only style, and leaves mixed files alone', () => {
    assert.equal(preserveLineEndings('a\r\nb\r\n', 'a\r\nx\ny\r\nb\r\n'), 'a\r\nx\r\ny\r\nb\r\n');
    assert.equal(preserveLineEndings('a\rb\r', 'a\rx\ny\rb\r'), 'a\rx\ry\rb\r');
    assert.equal(preserveLineEndings('a\nb\r\n', 'a\nx\ny\nb\r\n'), 'a\nx\ny\nb\r\n');
    assert.equal(preserveLineEndings('a\nb\n', 'a\nx\nb\n'), 'a\nx\nb\n');
  });
});
