/** The connection checker's pure parts: the overall cap, protocol fingerprints, RESP parsing, --timeout. */
import assert from 'node:assert/strict';
import { parseCliArgs, parseTimeout, UsageError } from '../../server/src/cli/args';
import { CAP_GRACE_MS, runPlans } from '../../server/src/connection/check';
import { identifyProtocol, parseResp } from '../../server/src/connection/probes';
import * as crypto from 'node:crypto';
import { postgresMd5, ScramSha256 } from '../../server/src/connection/postgres-login';
import { MAX_ENDPOINTS, type ConnectionPlan } from '../../server/src/core/connection-plan';

const md5 = (b: Buffer): string => crypto.createHash('md5').update(b).digest('hex');

const PLAN: ConnectionPlan = {
  engines: ['django.contrib.sessions.backends.cache'],
  endpoints: [
    {
      purposes: ['sessions'],
      setting: "CACHES['default']['LOCATION']",
      protocol: 'memcached',
      backend: 'django.core.cache.backends.memcached.PyMemcacheCache',
      address: { kind: 'tcp', host: '127.0.0.1', port: 1 },
    },
  ],
  unchecked: [],
  notes: [],
};

describe('connection checker', () => {
  it('a probe that never finishes is abandoned at the overall cap and reported as timed out', async () => {
    const results = await runPlans([PLAN], { timeoutMs: 20, probe: () => new Promise(() => undefined) });
    assert.deepEqual(results, [
      [
        {
          ok: false,
          code: 'timeout',
          message: `timed out: no result within ${20 + CAP_GRACE_MS} ms`,
          notes: [],
        },
      ],
    ]);
  });

  it('a probe that throws becomes a failed result, not a crash', async () => {
    const results = await runPlans([PLAN], { timeoutMs: 20, probe: () => Promise.reject(new Error('boom')) });
    assert.equal(results[0]?.[0]?.ok, false);
    assert.equal(results[0]?.[0]?.message, 'boom');
  });

  it('recognises services by their first answer', () => {
    assert.equal(
      identifyProtocol(Buffer.from("-ERR unknown command 'version', with args beginning with: \r\n")),
      'Redis',
    );
    assert.equal(identifyProtocol(Buffer.from('ERROR\r\n')), 'memcached');
    assert.equal(identifyProtocol(Buffer.from('VERSION 1.6.18\r\n')), 'memcached');
    const greeting = Buffer.concat([Buffer.from([10, 0, 0, 0, 0x0a]), Buffer.from('10.11.6-MariaDB\0rest')]);
    assert.equal(identifyProtocol(greeting), 'MySQL/MariaDB');
    assert.equal(identifyProtocol(Buffer.from('HTTP/1.1 400 Bad Request\r\n')), 'HTTP');
    assert.equal(identifyProtocol(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')), 'SSH');
    assert.equal(identifyProtocol(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])), 'TLS');
    assert.equal(identifyProtocol(Buffer.from('hello')), undefined);
  });

  it('parses RESP replies, waits for incomplete ones and rejects what is not RESP', () => {
    assert.deepEqual(parseResp(Buffer.from('+PONG\r\n')), {
      reply: { kind: 'simple', text: 'PONG' },
      used: 7,
    });
    assert.deepEqual(parseResp(Buffer.from('$5\r\nhello\r\n')), {
      reply: { kind: 'bulk', text: 'hello' },
      used: 11,
    });
    assert.equal(parseResp(Buffer.from('$5\r\nhel')), undefined);
    assert.throws(() => parseResp(Buffer.from('ERROR\r\n')), /this port speaks memcached, not Redis/);
  });

  it('--timeout takes seconds or ms within bounds; check-connection takes one optional path', () => {
    assert.equal(parseTimeout(undefined), 3000);
    assert.equal(parseTimeout('0.5'), 500);
    assert.equal(parseTimeout('250ms'), 250);
    assert.equal(parseTimeout('2s'), 2000);
    for (const bad of ['0', '-1', 'abc', '61', '5ms']) assert.throws(() => parseTimeout(bad), UsageError);
    const cmd = parseCliArgs(['check-connection', '--timeout', '1', '--format', 'json']);
    assert.equal(cmd.command, 'check-connection');
    if (cmd.command === 'check-connection') {
      assert.deepEqual(cmd.paths, ['.']);
      assert.equal(cmd.timeoutMs, 1000);
      assert.equal(cmd.format, 'json');
      assert.equal(cmd.login, false, 'no login unless asked');
      assert.deepEqual(cmd.given, []);
    }
    const login = parseCliArgs(['check-connection', '--login', '--django-version', '4.2', 'site']);
    assert.ok(login.command === 'check-connection' && login.login);
    assert.ok(login.command === 'check-connection' && login.given.includes('--django-version'));
    assert.throws(() => parseCliArgs(['--login', '.']), /--login is an option of check-connection/);
    assert.throws(() => parseCliArgs(['--timeout', '1', '.']), /--timeout is an option of check-connection/);
    assert.throws(
      () => parseCliArgs(['check-connection', '--fix']),
      /--fix cannot be used with check-connection/,
    );
    for (const f of ['sarif', 'github', 'gitlab'])
      assert.throws(() => parseCliArgs(['check-connection', '--format', f]), /prints text or json/);
  });
  it(`every endpoint is probed at once, and ${MAX_ENDPOINTS} that never answer all end at the cap`, async () => {
    const many: ConnectionPlan = {
      ...PLAN,
      endpoints: Array.from({ length: MAX_ENDPOINTS }, (_, i) => ({
        ...PLAN.endpoints[0]!,
        address: { kind: 'tcp' as const, host: '127.0.0.1', port: 1000 + i },
      })),
    };
    // A barrier: each probe finishes only once all have started, which a one-after-the-other run never reaches
    // (each would then end at the cap as a timeout instead of ok).
    let started = 0;
    let release: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (release = resolve));
    const parallel = await runPlans([many], {
      timeoutMs: 50,
      probe: async () => {
        if (++started === MAX_ENDPOINTS) release();
        await all;
        return { ok: true, notes: [] };
      },
    });
    assert.deepEqual(
      parallel[0]?.map((r) => r.ok),
      Array.from({ length: MAX_ENDPOINTS }, () => true),
    );
    const stuck = await runPlans([many, many], { timeoutMs: 20, probe: () => new Promise(() => undefined) });
    assert.equal(stuck.flat().length, 2 * MAX_ENDPOINTS);
    for (const r of stuck.flat())
      assert.equal(r.message, `timed out: no result within ${20 + CAP_GRACE_MS} ms`);
  });

  it('SCRAM-SHA-256 matches RFC 7677’s example exchange, and md5 matches PostgreSQL’s formula', async () => {
    // RFC 7677 section 3: user "user", password "pencil".
    const scram = new ScramSha256('rOprNGfwEbeRWgbNEkqO');
    assert.equal(scram.clientFirstBare, 'n=,r=rOprNGfwEbeRWgbNEkqO');
    // The RFC's client-first carries n=user (PostgreSQL's leaves it empty): the RFC's proof is for n=user.
    const rfc = new ScramSha256('rOprNGfwEbeRWgbNEkqO', 'user');
    const serverFirst =
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
    assert.equal(
      await rfc.clientFinal('pencil', serverFirst),
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    assert.equal(rfc.verifyServer('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='), true);
    assert.equal(rfc.verifyServer('v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='), false);
    await assert.rejects(scram.clientFinal('pencil', 'r=someone-else,s=AA==,i=4096'), /malformed SCRAM/);
    // md5: 'md5' + md5(md5(password + user) + salt)
    assert.equal(
      postgresMd5('dash', 'pw', Buffer.from([1, 2, 3, 4])),
      `md5${md5(Buffer.concat([Buffer.from(md5(Buffer.from('pwdash'))), Buffer.from([1, 2, 3, 4])]))}`,
    );
  });
});
