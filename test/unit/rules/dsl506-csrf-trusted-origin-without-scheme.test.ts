/** DSL506: CSRF_TRUSTED_ORIGINS entries without a scheme on Django 4.0+ (Django's 4_0.E001). */
import assert from 'node:assert/strict';
import { checkFix, expectFindings, fixAllText, lint } from '../../helpers/rule-harness';
import { withScheme } from '../../../server/src/core/rules/dsl506-csrf-trusted-origin-without-scheme';

const CODE = ['DSL506'];

describe('DSL506 csrf-trusted-origin-without-scheme', () => {
  describe('fires', () => {
    it('on Django 4.2 as an error per entry; the safe fixes add https:// (and * for the old subdomain form)', () => {
      const text =
        "CSRF_TRUSTED_ORIGINS = [\n    'dashboard.example.com',  #! DSL506\n    'https://ok.example.com',\n    \".example.org\",  #! DSL506\n]\n";
      const a = expectFindings({ 'settings.py': text }, CODE, { djangoVersion: '4.2' });
      const [first] = a.findings.filter((f) => f.code === 'DSL506');
      assert.equal(first?.severity, 'error');
      assert.equal(
        first?.message,
        "CSRF_TRUSTED_ORIGINS entry 'dashboard.example.com' has no scheme: Django 4.0+ compares entries with the Origin header, so it never matches and POSTs from that site fail CSRF verification; write 'https://dashboard.example.com'.",
      );
      assert.equal(first?.fix?.applicability, 'safe');
      assert.equal(
        checkFix({ 'settings.py': text }, first!, { djangoVersion: '4.2' })['settings.py'],
        text.replace("'dashboard.example.com'", "'https://dashboard.example.com'"),
      );
      assert.equal(
        fixAllText({ 'settings.py': text }, { select: CODE, djangoVersion: '4.2' })['settings.py'],
        "CSRF_TRUSTED_ORIGINS = [\n    'https://dashboard.example.com',  #! DSL506\n    'https://ok.example.com',\n    \"https://*.example.org\",  #! DSL506\n]\n",
      );
    });

    it('as a warning naming the versions when the Django version is unknown (Horizon 2026.1 has no upper pin)', () => {
      const a = expectFindings(
        { 'local_settings.py': "CSRF_TRUSTED_ORIGINS = ('horizon.example.net',)  #! DSL506\n" },
        CODE,
        { horizonRelease: '2026.1' },
      );
      const f = a.findings.find((x) => x.code === 'DSL506');
      assert.equal(f?.severity, 'warning');
      assert.match(f?.message ?? '', /has no scheme \(on Django 4\.0 and later\)/);
    });

    it('on an environment default, saying so, without a fix', () => {
      const a = expectFindings(
        {
          'settings.py':
            "import os\nCSRF_TRUSTED_ORIGINS = [os.environ.get('ORIGIN', 'example.com')]  #! DSL506\n",
        },
        CODE,
        { djangoVersion: '5.2' },
      );
      assert.match(a.findings[0]?.message ?? '', /'example\.com' \(if ORIGIN is unset\)/);
      assert.equal(a.findings[0]?.fix, undefined);
    });
    it('masks a password written into an entry', () => {
      const a = expectFindings(
        { 'settings.py': "CSRF_TRUSTED_ORIGINS = ['admin:s3cr3tpw@dash.example.com']  #! DSL506\n" },
        CODE,
        { djangoVersion: '4.2' },
      );
      const f = a.findings.find((x) => x.code === 'DSL506');
      assert.ok(
        !(f?.message ?? '').includes('s3cr3tpw') && !(f?.fix?.title ?? '').includes('s3cr3tpw'),
        f?.message,
      );
    });
  });

  describe('stays silent', () => {
    it('before Django 4.0, where bare hosts were the right form', () => {
      expectFindings({ 'settings.py': "CSRF_TRUSTED_ORIGINS = ['dashboard.example.com']\n" }, CODE, {
        djangoVersion: '3.2',
      });
      // Horizon 2023.1 pins Django 3.2.
      expectFindings({ 'local_settings.py': "CSRF_TRUSTED_ORIGINS = ['dashboard.example.com']\n" }, CODE, {
        horizonRelease: '2023.1',
      });
    });

    it('on entries with a scheme, unknown entries and the default', () => {
      expectFindings(
        {
          'settings.py':
            "import os\nCSRF_TRUSTED_ORIGINS = ['http://a.example', 'https://*.b.example', os.environ['ORIGIN']]\n",
        },
        CODE,
        { djangoVersion: '4.2' },
      );
      expectFindings({ 'settings.py': 'DEBUG = False\n' }, CODE, { djangoVersion: '4.2' });
    });

    it('when another branch of an undecidable condition is a list of valid origins', () => {
      const text =
        "import os\nCSRF_TRUSTED_ORIGINS = ['https://a.example']\nif os.environ.get('OLD'):\n    CSRF_TRUSTED_ORIGINS = ['a.example']\n";
      assert.equal(
        lint({ 'settings.py': text }, { djangoVersion: '4.2' }).findings.filter((f) => f.code === 'DSL506')
          .length,
        0,
      );
    });
  });

  it("converts pre-4.0 entries to Django 4.0's form", () => {
    assert.equal(withScheme('example.com'), 'https://example.com');
    assert.equal(withScheme(' .example.com '), 'https://*.example.com');
  });
});
