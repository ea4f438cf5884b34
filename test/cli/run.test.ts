/** In-process tests of run(): when colour is used (terminal only, not with --no-color, NO_COLOR or TERM=dumb) and the fail-on decision. */
import assert from 'node:assert/strict';
import type { PresentedDiagnostic } from '../../server/src/cli/diagnostics';
import { failsOn, run, type CliIo } from '../../server/src/cli/run';
import { LOCMEM_SETTINGS, makeProject, removeProject } from './cli-harness';

async function runIn(
  cwd: string,
  argv: string[],
  isTTY: boolean,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, isTTY, env };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

describe('cli: run in process', () => {
  let dir = '';
  before(() => {
    dir = makeProject({ 'settings.py': LOCMEM_SETTINGS });
  });
  after(() => removeProject(dir));

  // Built from the escape's code so the pattern holds no literal control character.
  const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

  it('colours on a terminal', async () => {
    const r = await runIn(dir, ['settings.py', '--select', 'DSL104'], true, { TERM: 'xterm' });
    assert.match(r.stdout, ANSI);
    assert.equal(r.code, 0);
  });

  it('does not colour with --no-color, NO_COLOR, TERM=dumb, or off a terminal', async () => {
    const cases: [string[], boolean, Record<string, string>][] = [
      [['--no-color'], true, { TERM: 'xterm' }],
      [[], true, { TERM: 'xterm', NO_COLOR: '1' }],
      [[], true, { TERM: 'dumb' }],
      [[], false, { TERM: 'xterm' }],
    ];
    for (const [extra, tty, env] of cases) {
      const r = await runIn(dir, ['settings.py', '--select', 'DSL104', ...extra], tty, env);
      assert.doesNotMatch(r.stdout, ANSI, JSON.stringify([extra, tty, env]));
      assert.match(r.stdout, /DSL104/);
    }
  });

  it('never colours JSON', async () => {
    const r = await runIn(dir, ['settings.py', '--format', 'json'], true, { TERM: 'xterm' });
    assert.doesNotMatch(r.stdout, ANSI);
    JSON.parse(r.stdout);
  });

  it('decides --fail-on by severity rank; hints never fail', () => {
    const d = (severity: PresentedDiagnostic['severity']): PresentedDiagnostic =>
      ({
        severity,
        path: 'x',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        code: 'DSL000',
        name: 'x',
        message: 'm',
        url: undefined,
        related: [],
        fix: null,
        excerpt: undefined,
      }) satisfies PresentedDiagnostic;
    const table: [
      PresentedDiagnostic['severity'],
      Record<'error' | 'warning' | 'information' | 'never', boolean>,
    ][] = [
      ['error', { error: true, warning: true, information: true, never: false }],
      ['warning', { error: false, warning: true, information: true, never: false }],
      ['information', { error: false, warning: false, information: true, never: false }],
      ['hint', { error: false, warning: false, information: false, never: false }],
    ];
    for (const [severity, expected] of table) {
      for (const [failOn, fails] of Object.entries(expected)) {
        assert.equal(
          failsOn([d(severity)], failOn as 'error'),
          fails,
          `${severity} with --fail-on ${failOn}`,
        );
      }
    }
    assert.equal(failsOn([], 'information'), false);
  });
});
