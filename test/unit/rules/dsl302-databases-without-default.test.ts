/** DSL302: non-empty DATABASES without a 'default' alias. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint } from '../../helpers/rule-harness';

const CODE = ['DSL302'];

describe('DSL302 databases-without-default', () => {
  it('is an error and renames a single alias to default (unsafe)', () => {
    const files = {
      'settings.py':
        "DATABASES = {  #! DSL302\n    'horizon': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'},\n}\n",
    };
    expectFindings(files, CODE);
    const f = lint(files).findings.find((x) => x.code === 'DSL302');
    assert.equal(f?.severity, 'error');
    assert.match(f?.message ?? '', /'horizon' but no 'default'.*ImproperlyConfigured/);
    assert.equal(f?.fix?.applicability, 'unsafe');
    assert.ok(f);
    assert.equal(
      checkFix(files, f)['settings.py'],
      "DATABASES = {  #! DSL302\n    'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash'},\n}\n",
    );
  });

  it('is an error in development too, with no fix when there are several aliases', () => {
    const files = {
      'local_settings.py':
        "DATABASES = {'primary': {'ENGINE': 'django.db.backends.mysql'}, 'replica': {'ENGINE': 'django.db.backends.mysql'}}  #! DSL302\n",
    };
    expectFindings(files, CODE, { horizonRelease: '2024.2', profile: 'development' });
    const f = lint(files, { horizonRelease: '2024.2', profile: 'development' }).findings.find(
      (x) => x.code === 'DSL302',
    );
    assert.equal(f?.severity, 'error');
    assert.equal(f?.fix, undefined);
  });

  describe('must stay silent', () => {
    it('with a default alias, an empty dict, or no DATABASES', () => {
      expectFindings({ 'settings.py': "DATABASES = {'default': {}, 'other': {}}\n" }, CODE);
      expectFindings({ 'settings.py': 'DATABASES = {}\n' }, CODE);
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE, { horizonRelease: '2024.2' });
    });
    it('when an unknown spread or key may add default', () => {
      expectFindings({ 'settings.py': "DATABASES = {**BASE_DATABASES, 'replica': {}}\n" }, CODE);
      expectFindings(
        { 'settings.py': "import os\nDATABASES = {os.environ['ALIAS']: {}, 'replica': {}}\n" },
        CODE,
      );
    });
    it('when DATABASES is unknown or differs per branch', () => {
      expectFindings({ 'settings.py': 'DATABASES = build()\n' }, CODE);
      expectFindings(
        {
          'settings.py':
            "import os\nif os.environ.get('X'):\n    DATABASES = {'replica': {}}\nelse:\n    DATABASES = {'default': {}}\n",
        },
        CODE,
      );
    });
    it('when a later snippet adds the default alias', () => {
      expectFindings(
        {
          'local_settings.py': "DATABASES = {'replica': {}}\n",
          'local_settings.d/_10.py': "DATABASES['default'] = {'ENGINE': 'django.db.backends.mysql'}\n",
        },
        CODE,
        { horizonRelease: '2024.2' },
      );
    });
  });
});
