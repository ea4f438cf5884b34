/** One wording of file problems (server/src/node/file-errors.ts): reading a source file and discovery say the same thing about the same file. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjects } from '../../server/src/node/discover';
import { describeFsError } from '../../server/src/node/file-errors';
import { readSourceFile } from '../../server/src/node/read-source';

function errno(code: string, message = `${code}: something, open 'x'\nmore`): Error {
  return Object.assign(new Error(message), { code });
}

describe('file errors: one wording', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsl-file-errors-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('words errno codes as strerror does, lower case; anything else by its first line', () => {
    assert.equal(describeFsError(errno('ENOENT')), 'no such file or directory');
    assert.equal(describeFsError(errno('EACCES')), 'permission denied');
    assert.equal(describeFsError(errno('EPERM')), 'permission denied');
    assert.equal(describeFsError(errno('EISDIR')), 'is a directory');
    assert.equal(describeFsError(errno('ENOTDIR')), 'not a directory');
    assert.equal(describeFsError(errno('ELOOP')), 'too many levels of symbolic links');
    assert.equal(describeFsError(errno('EWHATEVER', 'first line\nsecond line')), 'first line');
    assert.equal(describeFsError('plain text'), 'plain text');
  });

  it('reading a missing file says what discovery says about it', async () => {
    const missing = path.join(dir, 'local_settings.py');
    const read = readSourceFile(missing);
    assert.deepEqual(read, { error: 'no such file or directory' });
    const found = await discoverProjects([missing], { cwd: dir });
    assert.deepEqual(
      found.errors.map((e) => e.message),
      ['no such file or directory'],
    );
  });

  it('reading a FIFO or a directory names what it is, without blocking', () => {
    const fifo = path.join(dir, 'fifo.py');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo (coreutils) is needed');
    assert.deepEqual(readSourceFile(fifo), { error: 'a FIFO (named pipe), not a regular file' });
    assert.deepEqual(readSourceFile(dir), { error: 'a directory, not a regular file' });
  });

  it('discovery names a settings-named FIFO with the same words, and skips it', async () => {
    const project = path.join(dir, 'a');
    fs.mkdirSync(project);
    assert.equal(spawnSync('mkfifo', [path.join(project, 'local_settings.py')]).status, 0);
    const found = await discoverProjects([project], { cwd: dir });
    assert.deepEqual(
      found.errors.map((e) => `${e.path}: ${e.message}`),
      [`${path.join(project, 'local_settings.py')}: a FIFO (named pipe), not a regular file: skipped`],
    );
  });
});
