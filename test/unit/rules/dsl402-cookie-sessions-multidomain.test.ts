/** DSL402: signed-cookie sessions together with OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT. */
import assert from 'node:assert/strict';
import { expectFindings, lint, rel } from '../../helpers/rule-harness';

const CODE = ['DSL402'];
const COOKIES = 'django.contrib.sessions.backends.signed_cookies';

describe('DSL402 cookie-sessions-multidomain', () => {
  describe('fires', () => {
    it('on the multidomain setting, pointing at the cookie engine in a snippet', () => {
      const files = {
        'local_settings.py': 'OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True  #! DSL402\n',
        'local_settings.d/_50_dev.py': `SESSION_ENGINE = '${COOKIES}'\n`,
      };
      const a = expectFindings(files, CODE);
      const f = a.findings.find((x) => x.code === 'DSL402');
      assert.equal(f?.severity, 'warning');
      assert.match(
        f?.message ?? '',
        /SESSION_ENGINE set in local_settings\.d\/_50_dev\.py:1\): .*identity operations .* are disabled/,
      );
      assert.deepEqual(
        f?.related.map((r) => `${rel(r.span.file)}:${a.lineOf(r.span)}`),
        ['local_settings.d/_50_dev.py:1'],
      );
      assert.equal(f?.fix, undefined);
    });

    it("with Horizon's pre-Stein cookie default, also in development", () => {
      const files = { 'local_settings.py': 'OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True  #! DSL402\n' };
      const a = expectFindings(files, CODE, { horizonRelease: '14.0.0', profile: 'development' });
      assert.match(
        a.findings.find((x) => x.code === 'DSL402')?.message ?? '',
        /SESSION_ENGINE is Horizon's default/,
      );
    });
  });

  describe('stays silent', () => {
    it("with Horizon's default multidomain (False)", () => {
      expectFindings({ 'local_settings.py': `SESSION_ENGINE = '${COOKIES}'\n` }, CODE);
    });

    it('with an unknown multidomain value', () => {
      expectFindings(
        {
          'local_settings.py': `import os\nSESSION_ENGINE = '${COOKIES}'\nOPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = os.environ['MULTI']\n`,
        },
        CODE,
      );
    });

    it('with cache sessions', () => {
      expectFindings({ 'local_settings.py': 'OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True\n' }, CODE);
    });

    it('in a plain Django project', () => {
      assert.equal(
        lint({
          'settings.py': `SESSION_ENGINE = '${COOKIES}'\nOPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True\n`,
        }).findings.filter((f) => f.code === 'DSL402').length,
        0,
      );
    });
  });
});
