/** DSL305: MySQL OPTIONS charset utf8/utf8mb3; per-version wording; the utf8mb4 fix. */
import assert from 'node:assert/strict';
import {
  checkFix,
  expectFindings,
  fixAllText,
  type Files,
  type LintOptions,
  onlyFinding,
} from '../../helpers/rule-harness';

const CODE = ['DSL305'];
const mysql = (options: string): string =>
  `DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'OPTIONS': ${options}}}`;

const only = (files: Files, opts: LintOptions = {}) => onlyFinding('DSL305', files, opts);

describe('DSL305 mysql-utf8-charset', () => {
  const files = { 'settings.py': `${mysql("{'charset': 'utf8'}")}  #! DSL305\n` };

  it('is information and rewrites utf8 to utf8mb4 (safe)', () => {
    expectFindings(files, CODE, { djangoVersion: '4.2' });
    const f = only(files, { djangoVersion: '4.2' });
    assert.equal(f.severity, 'information');
    assert.match(f.message, /deprecated 3-byte utf8mb3/);
    assert.equal(f.fix?.applicability, 'safe');
    assert.equal(
      checkFix(files, f, { djangoVersion: '4.2' })['settings.py'],
      `${mysql("{'charset': 'utf8mb4'}")}  #! DSL305\n`,
    );
  });

  it("says it overrides Django 5.2's utf8mb4 default on Django 5.2", () => {
    assert.match(only(files, { djangoVersion: '5.2' }).message, /overrides Django 5\.2's utf8mb4 default/);
    assert.doesNotMatch(only(files, { djangoVersion: '3.2' }).message, /overrides/);
  });

  it('also flags utf8mb3 (any case) and runs in fix-all', () => {
    const upper = { 'settings.py': `${mysql('{"charset": "UTF8MB3"}')}\n` };
    assert.equal(fixAllText(upper)['settings.py'], `${mysql('{"charset": "utf8mb4"}')}\n`);
  });

  it('is off in the development profile', () => {
    expectFindings({ 'settings.py': `${mysql("{'charset': 'utf8'}")}\n` }, CODE, { profile: 'development' });
  });

  it('is reported after the naive DSL301 repair of the seed block', () => {
    const local = {
      'local_settings.py':
        "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'OPTIONS': {'charset': 'utf8'}}}  #! DSL305\n",
    };
    expectFindings(local, CODE, { horizonRelease: '2024.2', djangoVersion: '4.2' });
  });

  it('judges a visible default and says so, without a fix', () => {
    const env = {
      'settings.py': `import os\n${mysql("{'charset': os.environ.get('DB_CHARSET', 'utf8')}")}  #! DSL305\n`,
    };
    expectFindings(env, CODE);
    const f = only(env);
    assert.match(f.message, /\(if DB_CHARSET is unset\)/);
    assert.equal(f.fix, undefined);
  });

  describe('must stay silent', () => {
    it('on utf8mb4, other engines, and unknown values', () => {
      expectFindings({ 'settings.py': `${mysql("{'charset': 'utf8mb4'}")}\n` }, CODE);
      expectFindings(
        {
          'settings.py':
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'charset': 'utf8'}}}\n",
        },
        CODE,
      );
      expectFindings({ 'settings.py': `import os\n${mysql("{'charset': os.environ['CHARSET']}")}\n` }, CODE);
      expectFindings(
        {
          'settings.py':
            "import os\nDATABASES = {'default': {'ENGINE': os.environ['ENGINE'], 'OPTIONS': {'charset': 'utf8'}}}\n",
        },
        CODE,
      );
    });
    it('when only one branch uses utf8', () => {
      expectFindings(
        {
          'settings.py': `import os\n${mysql("{'charset': 'utf8' if os.environ.get('OLD') else 'utf8mb4'}")}\n`,
        },
        CODE,
      );
    });
    it('when a later snippet fixes the charset', () => {
      expectFindings(
        {
          'local_settings.py': `${mysql("{'charset': 'utf8'}")}\n`,
          'local_settings.d/_10.py': "DATABASES['default']['OPTIONS']['charset'] = 'utf8mb4'\n",
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
  });
});
