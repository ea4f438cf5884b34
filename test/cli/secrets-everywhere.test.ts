/**
 * Secrets planted in every placement never appear in any output (issue #9): text (messages and code frames),
 * JSON (with projects[].effective), SARIF, --stats, --debug; masking is by meaning, so a switch named like a
 * password (Horizon's password_autocomplete) stays readable (issue #8).
 */
import assert from 'node:assert/strict';
import { isSecretName } from '../../server/src/core/knowledge';
import { Redactor } from '../../server/src/core/secrets';
import { displayValue } from '../../server/src/core/features/hover';
import { PLANTED, PLANTED_SETTINGS } from '../helpers/planted-secrets';
import { assertBundle, makeProject, removeProject, runCli } from './cli-harness';

const SETTINGS = PLANTED_SETTINGS;

describe('secrets in every output', () => {
  before(assertBundle);
  let dir = '';
  afterEach(() => {
    if (dir) removeProject(dir);
    dir = '';
  });

  it('never prints a planted secret, in any format', () => {
    dir = makeProject({
      'a/local_settings.py': SETTINGS,
      'b/local_settings.py': "DATABASES = {'default': {'PASSWORD': 'PLANTED8888' (\n",
    });
    const runs = [
      runCli(['a', 'b', '--no-color'], dir),
      runCli(['a', 'b', '--format', 'json'], dir),
      runCli(['a', 'b', '--format', 'sarif'], dir),
      runCli(['a', 'b', '--stats', '--debug'], dir),
      runCli(['a', 'b', '--format', 'json', '--stats', '--debug'], dir),
    ];
    for (const r of runs) {
      const all = r.stdout + r.stderr;
      for (const secret of PLANTED)
        assert.ok(!all.includes(secret), `${secret} printed:\n${all.slice(0, 3000)}`);
    }
    // The code frames still show the lines, masked.
    assert.match(runs[0]?.stdout ?? '', /'PASSWORD': 'PL\*\*\*'/);
  });

  it('masks by meaning: a switch named like a password is shown as it is', () => {
    assert.equal(isSecretName('password_autocomplete'), false);
    assert.equal(isSecretName('PASSWORD'), true);
    assert.equal(isSecretName('password'), true);
    assert.equal(isSecretName('passwd'), true);
    assert.equal(isSecretName('EMAIL_HOST_PASSWORD'), true);
    assert.equal(isSecretName('SECRET_KEY'), true);
    assert.equal(isSecretName('SECRET_KEY_FALLBACKS'), true);
    assert.equal(isSecretName('SESSION_COOKIE_SECURE'), false);
    const r = new Redactor();
    assert.equal(r.text("SESSION_COOKIE_SECURE is 'False'"), "SESSION_COOKIE_SECURE is 'False'");
    assert.equal(
      displayValue(['HORIZON_CONFIG'], {
        kind: 'dict',
        entries: [
          { key: { kind: 'str', value: 'password_autocomplete' }, value: { kind: 'str', value: 'False' } },
        ],
      } as never).includes('False'),
      true,
    );
    assert.equal(
      displayValue(['CACHES', 'default', 'LOCATION'], {
        kind: 'str',
        value: 'user:PLANTED3333@h:6379:1',
      }).includes('PLANTED'),
      false,
    );
    assert.equal(
      r.sourceLine("    'password_autocomplete': 'False',").text,
      "    'password_autocomplete': 'False',",
    );
    assert.equal(r.sourceLine("    'LOCATION': 'user:pw@h:6379:1',").text.includes('pw@'), false);
    assert.equal(r.text('u:p9@h2:6379'), 'u:***@h2:6379');
  });
});
