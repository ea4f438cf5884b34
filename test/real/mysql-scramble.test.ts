/**
 * The MySQL auth responses check-connection --login computes, compared with PyMySQL's (Debian's
 * python3-pymysql) for the same passwords and server scrambles: mysql_native_password, which the MariaDB login
 * tests also exercise against a real server, and caching_sha2_password's fast path, for which Debian ships no
 * server (MySQL 8 is not packaged; MariaDB does not implement it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { cachingSha2Scramble, mysqlNativeScramble } from '../../server/src/connection/mysql-login';
import { DEBIAN } from './helpers/paths';

const SCRIPT = `
import json, sys
from pymysql import _auth
out = []
for pw, nonce in json.load(sys.stdin):
    n = bytes.fromhex(nonce)
    p = pw.encode('utf-8')
    out.append([_auth.scramble_native_password(p, n).hex(), _auth.scramble_caching_sha2(p, n).hex()])
print(json.dumps(out))
`;

describe('MySQL auth responses agree with PyMySQL', () => {
  it('mysql_native_password and caching_sha2_password, for 50 passwords and scrambles', () => {
    const cases: [string, string][] = [
      ['', crypto.randomBytes(20).toString('hex')],
      ['S3ssion-store-pw', '0102030405060708090a0b0c0d0e0f1011121314'],
      ['pässwörd ✓ with spaces', crypto.randomBytes(20).toString('hex')],
    ];
    for (let i = 0; i < 47; i++)
      cases.push([
        crypto.randomBytes(1 + (i % 40)).toString('base64'),
        crypto.randomBytes(20).toString('hex'),
      ]);
    const r = spawnSync(DEBIAN.python, ['-I', '-B', '-c', SCRIPT], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
      cwd: os.tmpdir(),
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' },
    });
    assert.equal(r.status, 0, `python3-pymysql is needed (scripts/ensure-test-deps.mjs): ${r.stderr}`);
    const expected = JSON.parse(r.stdout) as [string, string][];
    for (const [i, [pw, nonce]] of cases.entries()) {
      const n = Buffer.from(nonce, 'hex');
      const [native, sha2] = expected[i] ?? [];
      assert.equal(mysqlNativeScramble(pw, n).toString('hex'), native, `native, case ${i}`);
      assert.equal(cachingSha2Scramble(pw, n).toString('hex'), sha2, `caching_sha2, case ${i}`);
    }
  });
});
