/** DSL120: PickleSerializer per Django version, Horizon's own default vs explicit assignments, fixes. */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, lint, type Files, type LintOptions } from '../../helpers/rule-harness';

const CODE = ['DSL120'];
const PICKLE = 'django.contrib.sessions.serializers.PickleSerializer';

function finding(files: Files, opts: LintOptions) {
  const found = lint(files, opts).findings.filter((f) => f.code === 'DSL120');
  assert.equal(found.length, 1, `expected one DSL120, got ${found.length}`);
  return found[0]!;
}

describe('DSL120 pickle-serializer', () => {
  describe('plain Django: severity per target version', () => {
    const files = { 'settings.py': `SESSION_SERIALIZER = '${PICKLE}'  #! DSL120\n` };
    it('is an error on Django 5.0 (the class is gone)', () => {
      expectFindings(files, CODE, { djangoVersion: '5.0' });
      const f = finding(files, { djangoVersion: '5.0' });
      assert.equal(f.severity, 'error');
      assert.match(f.message, /removed it.*ImportError/);
    });
    it('is a warning on Django 4.1 and 4.2 (deprecated)', () => {
      for (const v of ['4.1', '4.2']) {
        expectFindings(files, CODE, { djangoVersion: v });
        assert.equal(finding(files, { djangoVersion: v }).severity, 'warning');
      }
    });
    it('is silent on Django 3.2, before the deprecation', () => {
      expectFindings({ 'settings.py': `SESSION_SERIALIZER = '${PICKLE}'\n` }, CODE, { djangoVersion: '3.2' });
    });
    it('warns (least alarming) with an unknown version and says which versions fail', () => {
      const f = finding(files, {});
      assert.equal(f.severity, 'warning');
      assert.match(f.message, /deprecated in Django 4\.1 and removed in 5\.0/);
      assert.match(f.message, /unknown/);
    });
    it('offers JSONSerializer as an unsafe fix', () => {
      const f = finding(files, { djangoVersion: '4.2' });
      assert.equal(f.fix?.applicability, 'unsafe');
      const out = checkFix(files, f, { djangoVersion: '4.2' });
      assert.equal(
        out['settings.py'],
        "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'  #! DSL120\n",
      );
    });
  });

  describe('unknown values are never judged: unknown values, defaults and conditions', () => {
    it('stays silent on an environment lookup without a default', () => {
      expectFindings(
        { 'settings.py': "import os\nSESSION_SERIALIZER = os.environ['SESSION_SERIALIZER']\n" },
        CODE,
        { djangoVersion: '5.0' },
      );
    });
    it('judges a visible default and says so, without a fix', () => {
      const files = {
        'settings.py': `import os\nSESSION_SERIALIZER = os.environ.get('SER', '${PICKLE}')  #! DSL120\n`,
      };
      expectFindings(files, CODE, { djangoVersion: '5.0' });
      const f = finding(files, { djangoVersion: '5.0' });
      assert.match(f.message, /\(if SER is unset\)/);
      assert.equal(f.fix, undefined);
    });
    it('stays silent when only one branch of an undecidable condition uses pickle', () => {
      const text = `import os\nDEBUG = os.environ.get('DEBUG') == '1'\nif DEBUG:\n    SESSION_SERIALIZER = '${PICKLE}'\nelse:\n    SESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'\n`;
      expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '5.0' });
    });
    it('fires when every branch uses pickle', () => {
      const text = `import os\nDEBUG = os.environ.get('DEBUG') == '1'\nif DEBUG:\n    SESSION_SERIALIZER = '${PICKLE}'  #! DSL120\nelse:\n    SESSION_SERIALIZER = '${PICKLE}'\n`;
      expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '5.0' });
    });
  });

  describe('Horizon', () => {
    it("does not flag Horizon ≤ 2025.2's own default when Django is 4.2 (inferred from the pin)", () => {
      expectFindings(
        { 'local_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n" },
        CODE,
        { horizonRelease: '2024.2' },
      );
      expectFindings({ 'local_settings.py': 'DEBUG = False\n' }, CODE, {
        horizonRelease: '2025.2',
        djangoVersion: '4.2',
      });
    });
    it("flags Horizon 2025.2's default as an error when the target Django is 5.0, without a fix", () => {
      const files = { 'local_settings.py': 'DEBUG = False  #! DSL120\n' };
      expectFindings(files, CODE, { horizonRelease: '2025.2', djangoVersion: '5.0' });
      const f = finding(files, { horizonRelease: '2025.2', djangoVersion: '5.0' });
      assert.equal(f.severity, 'error');
      assert.match(f.message, /Horizon 2025\.2's default/);
      assert.match(f.message, /Django 4\.2/);
      assert.equal(f.fix, undefined);
    });
    it('flags an explicit assignment in local_settings.py on Horizon 2024.2 (Django 4.2), with no fix', () => {
      const files = { 'local_settings.py': `SESSION_SERIALIZER = '${PICKLE}'  #! DSL120\n` };
      expectFindings(files, CODE, { horizonRelease: '2024.2', djangoVersion: '4.2' });
      const f = finding(files, { horizonRelease: '2024.2', djangoVersion: '4.2' });
      assert.equal(f.severity, 'warning');
      assert.equal(f.fix, undefined, 'JSONSerializer would break Horizon < 25.6.0');
      assert.match(f.message, /25\.6\.0/);
    });
    it('stays silent on Horizon 2023.1 (Django 3.2), even for an explicit assignment', () => {
      expectFindings({ 'local_settings.py': `SESSION_SERIALIZER = '${PICKLE}'\n` }, CODE, {
        horizonRelease: '2023.1',
      });
    });
    it('warns on Horizon 2026.1 (Django ≥ 4.2, unknown) and offers HorizonSerializer', () => {
      const files = { 'local_settings.py': `SESSION_SERIALIZER = "${PICKLE}"  #! DSL120\n` };
      expectFindings(files, CODE, { horizonRelease: '2026.1' });
      const f = finding(files, { horizonRelease: '2026.1' });
      assert.equal(f.severity, 'warning');
      assert.match(f.message, /Horizon 2026\.1 allows Django ≥ 4\.2/);
      const out = checkFix(files, f, { horizonRelease: '2026.1' });
      assert.equal(
        out['local_settings.py'],
        'SESSION_SERIALIZER = "openstack_auth.serializers.HorizonSerializer"  #! DSL120\n',
      );
    });
    it('is silent when a later local_settings.d snippet replaces pickle', () => {
      expectFindings(
        {
          'local_settings.py': `SESSION_SERIALIZER = '${PICKLE}'\n`,
          'local_settings.d/_90_serializer.py':
            "SESSION_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer'\n",
        },
        CODE,
        { horizonRelease: '2026.1' },
      );
    });
    it('reports in the snippet that sets pickle last', () => {
      expectFindings(
        {
          'local_settings.py': "SESSION_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer'\n",
          'local_settings.d/_90_serializer.py': `SESSION_SERIALIZER = '${PICKLE}'  #! DSL120\n`,
        },
        CODE,
        { horizonRelease: '2026.1', djangoVersion: '5.0' },
      );
    });
  });
});
