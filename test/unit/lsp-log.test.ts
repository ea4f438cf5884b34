import assert from 'node:assert/strict';
import { maskConsole } from '../../server/src/lsp/log';

describe('language server log', () => {
  it('masks passwords and secret literals in every log level', () => {
    const lines: string[] = [];
    const console = {
      error: (m: string) => lines.push(`error ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      info: (m: string) => lines.push(`info ${m}`),
      log: (m: string) => lines.push(`log ${m}`),
    };
    maskConsole(console);
    console.error("hover failed: bad LOCATION 'redis://:s3cretPw1@cache:6379/1'");
    console.warn("reading the configuration file failed near: 'PASSWORD': 'hunter2hunter2'");
    console.info('SECRET_KEY = "k9x!long-secret-value"');
    console.log('plain message stays as it is');
    const all = lines.join('\n');
    for (const secret of ['s3cretPw1', 'hunter2hunter2', 'k9x!long-secret-value']) {
      assert.ok(!all.includes(secret), `${secret} printed in clear:\n${all}`);
    }
    assert.equal(lines.length, 4);
    assert.equal(lines[3], 'log plain message stays as it is');
    assert.match(lines[0] ?? '', /^error hover failed: bad LOCATION 'redis:\/\/:/);
  });
});
