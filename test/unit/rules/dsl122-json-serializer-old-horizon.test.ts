/** DSL122: JSONSerializer on Horizon before 25.6.0 with engines that store serialized data. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint, type Files, type LintOptions } from '../../helpers/rule-harness';

const CODE = ['DSL122'];
const JSON_SER = 'django.contrib.sessions.serializers.JSONSerializer';
const engine = (short: string): string => `SESSION_ENGINE = 'django.contrib.sessions.backends.${short}'\n`;

function finding(files: Files, opts: LintOptions) {
  const found = lint(files, opts).findings.filter((f) => f.code === 'DSL122');
  assert.equal(found.length, 1, `expected one DSL122, got ${found.length}`);
  return found[0]!;
}

describe('DSL122 json-serializer-old-horizon', () => {
  const dbJson: Files = {
    'local_settings.py': `${engine('db')}SESSION_SERIALIZER = '${JSON_SER}'  #! DSL122\nDEBUG = False\n`,
  };

  it('warns for db + JSONSerializer on Horizon 2024.2 and names the release', () => {
    expectFindings(dbJson, CODE, { horizonRelease: '2024.2' });
    const f = finding(dbJson, { horizonRelease: '2024.2' });
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /2024\.2 Dalmatian/);
    assert.match(f.message, /nobody can log in/);
  });
  it('warns on Horizon 2023.1 and 2025.2, in both profiles', () => {
    expectFindings(dbJson, CODE, { horizonRelease: '2023.1' });
    expectFindings(dbJson, CODE, { horizonRelease: '2025.2', profile: 'development' });
    assert.equal(finding(dbJson, { horizonRelease: '2025.2', profile: 'development' }).severity, 'warning');
  });
  it('is silent on Horizon 2026.1, which has HorizonSerializer', () => {
    expectFindings({ 'local_settings.py': `${engine('db')}SESSION_SERIALIZER = '${JSON_SER}'\n` }, CODE, {
      horizonRelease: '2026.1',
    });
  });
  it('fires for cached_db and file, but not for the cache engine (it pickles through the cache)', () => {
    for (const short of ['cached_db', 'file']) {
      expectFindings(
        { 'local_settings.py': `${engine(short)}SESSION_SERIALIZER = '${JSON_SER}'  #! DSL122\n` },
        CODE,
        { horizonRelease: '2024.2' },
      );
    }
    expectFindings({ 'local_settings.py': `${engine('cache')}SESSION_SERIALIZER = '${JSON_SER}'\n` }, CODE, {
      horizonRelease: '2024.2',
    });
  });
  it('is silent in plain Django projects', () => {
    expectFindings({ 'settings.py': `${engine('db')}SESSION_SERIALIZER = '${JSON_SER}'\n` }, CODE, {
      djangoVersion: '4.2',
    });
  });
  it('deletes the assignment so Horizon’s default applies (unsafe), whole text', () => {
    const f = finding(dbJson, { horizonRelease: '2024.2' });
    assert.equal(f.fix?.applicability, 'unsafe');
    const out = checkFix(dbJson, f, { horizonRelease: '2024.2' });
    assert.equal(out['local_settings.py'], `${engine('db')}DEBUG = False\n`);
  });
  it('offers no fix for signed_cookies (pickle there is DSL121) and suggests cache sessions', () => {
    const files = {
      'local_settings.py': `${engine('signed_cookies')}SESSION_SERIALIZER = '${JSON_SER}'  #! DSL122\n`,
    };
    expectFindings(files, CODE, { horizonRelease: '2024.2' });
    const f = finding(files, { horizonRelease: '2024.2' });
    assert.equal(f.fix, undefined);
    assert.match(f.message, /cache sessions/);
  });
  it('offers no fix when another assignment would take over', () => {
    const files = {
      'local_settings.py': `${engine('db')}SESSION_SERIALIZER = '${JSON_SER}'\n`,
      'local_settings.d/_10.py': `SESSION_SERIALIZER = '${JSON_SER}'  #! DSL122\n`,
    };
    expectFindings(files, CODE, { horizonRelease: '2024.2' });
    assert.equal(finding(files, { horizonRelease: '2024.2' }).fix, undefined);
  });
  it('stays silent on unknown values and on a serializer that is JSON in one branch only', () => {
    expectFindings(
      { 'local_settings.py': `import os\n${engine('db')}SESSION_SERIALIZER = os.environ['SER']\n` },
      CODE,
      { horizonRelease: '2024.2' },
    );
    const branchy = `import os\n${engine('db')}if os.environ.get('X'):\n    SESSION_SERIALIZER = '${JSON_SER}'\n`;
    expectFindings({ 'local_settings.py': branchy }, CODE, { horizonRelease: '2024.2' });
  });
  it('judges a visible default and says so', () => {
    const files = {
      'local_settings.py': `import os\n${engine('db')}SESSION_SERIALIZER = os.environ.get('SER', '${JSON_SER}')  #! DSL122\n`,
    };
    expectFindings(files, CODE, { horizonRelease: '2024.2' });
    assert.match(finding(files, { horizonRelease: '2024.2' }).message, /\(if SER is unset\)/);
  });
  it('is silent when a later snippet restores PickleSerializer', () => {
    expectFindings(
      {
        'local_settings.py': `${engine('db')}SESSION_SERIALIZER = '${JSON_SER}'\n`,
        'local_settings.d/_90.py':
          "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n",
      },
      CODE,
      { horizonRelease: '2024.2' },
    );
  });
});
