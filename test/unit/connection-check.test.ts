/** The connection checker's pure parts: the overall cap, protocol fingerprints, RESP parsing, --timeout. */
import assert from 'node:assert/strict';
import { parseCliArgs, parseTimeout, UsageError } from '../../server/src/cli/args';
import { CAP_GRACE_MS, runPlans } from '../../server/src/connection/check';
import { identifyProtocol, parseResp } from '../../server/src/connection/probes';
import type { ConnectionPlan } from '../../server/src/core/connection-plan';

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
    }
    assert.throws(() => parseCliArgs(['--timeout', '1', '.']), /--timeout is an option of check-connection/);
    assert.throws(
      () => parseCliArgs(['check-connection', '--fix']),
      /--fix cannot be used with check-connection/,
    );
    for (const f of ['sarif', 'github', 'gitlab'])
      assert.throws(() => parseCliArgs(['check-connection', '--format', f]), /prints text or json/);
  });
});
