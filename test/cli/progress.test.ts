/** The progress line of long CLI runs: only after a second, only when enabled (stderr is a terminal), rewritten in place and cleared. */
import assert from 'node:assert/strict';
import { Progress, PROGRESS_AFTER_MS } from '../../server/src/cli/progress';
import { run, type CliIo } from '../../server/src/cli/run';
import { LOCMEM_SETTINGS, makeProject, removeProject } from './cli-harness';

function progressWith(enabled: boolean): { progress: Progress; out: string[]; clock: { now: number } } {
  const out: string[] = [];
  const clock = { now: 0 };
  const progress = new Progress(
    (t) => void out.push(t),
    enabled,
    0,
    () => clock.now,
  );
  return { progress, out, clock };
}

describe('cli: progress line', () => {
  it('shows nothing during the first second, then the count, rewritten in place, and clears it', () => {
    const { progress, out, clock } = progressWith(true);
    progress.update(1, 10, 'projects');
    clock.now = PROGRESS_AFTER_MS - 1;
    progress.update(2, 10, 'projects');
    assert.deepEqual(out, []);
    clock.now = PROGRESS_AFTER_MS;
    progress.update(3, 10, 'projects');
    assert.equal(out.length, 1);
    assert.ok((out[0] ?? '').startsWith('\r\x1b[K'), JSON.stringify(out[0]));
    assert.match(out[0] ?? '', /projects: 3\/10$/);
    // Redrawn at most every 100 ms.
    clock.now += 50;
    progress.update(4, 10, 'projects');
    assert.equal(out.length, 1);
    clock.now += 100;
    progress.update(5, 10, 'projects');
    assert.match(out[1] ?? '', /5\/10$/);
    progress.clear();
    assert.equal(out[2], '\r\x1b[K');
    progress.clear();
    assert.equal(out.length, 3);
  });

  it('writes nothing when disabled (stderr not a terminal, or --quiet)', () => {
    const { progress, out, clock } = progressWith(false);
    clock.now = 10 * PROGRESS_AFTER_MS;
    progress.update(1, 2, 'projects');
    progress.clear();
    assert.deepEqual(out, []);
  });

  it('leaves stderr empty on a short run, even on a terminal', async () => {
    const dir = makeProject({ 'settings.py': LOCMEM_SETTINGS });
    try {
      let stderr = '';
      const io: CliIo = {
        stdout: () => undefined,
        stderr: (t) => void (stderr += t),
        cwd: dir,
        isTTY: true,
        stderrIsTTY: true,
        env: {},
      };
      await run(['--format', 'json', 'settings.py'], io);
      assert.equal(stderr, '');
    } finally {
      removeProject(dir);
    }
  });
});
