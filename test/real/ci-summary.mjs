/** Adds up the mocha results files of .ci/run's suites and prints the plain `N passed, N failed` line CI reads. */
// Usage: node test/real/ci-summary.mjs RESULTS_DIR NAME=EXIT_CODE...
// Each suite NAME ran with DSL_TEST_RESULTS=RESULTS_DIR/NAME.json (written by out/test/real/results-reporter.js).
// Pending tests count as failed (the project allows no skipped tests). A suite that failed without a failing
// test (build error, crash, setup) or wrote no results counts as one failure. Exit 1 on any failure or when
// no test passed.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function summarise(resultsDir, suites, note = (m) => process.stderr.write(`ci-summary: ${m}\n`)) {
  let passed = 0;
  let failed = 0;
  for (const suite of suites) {
    const eq = suite.lastIndexOf('=');
    const name = eq < 0 ? suite : suite.slice(0, eq);
    const rc = eq < 0 ? 0 : Number(suite.slice(eq + 1));
    const file = join(resultsDir, `${name}.json`);
    let counts = null;
    if (existsSync(file)) {
      try {
        counts = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        note(`${name}: unreadable results file (${e.message})`);
      }
    }
    if (!counts) {
      note(`${name}: no test results (exit ${rc}); counted as 1 failure`);
      failed += 1;
      continue;
    }
    const suiteFailed = (counts.failed ?? 0) + (counts.pending ?? 0);
    if (counts.pending) note(`${name}: ${counts.pending} pending (skipped) test(s) counted as failed`);
    passed += counts.passed ?? 0;
    failed += suiteFailed;
    if (rc !== 0 && suiteFailed === 0) {
      note(`${name}: exited ${rc} although no test failed; counted as 1 failure`);
      failed += 1;
    }
  }
  if (passed + failed === 0) note('no tests ran');
  return { passed, failed, ok: failed === 0 && passed > 0 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [dir, ...suites] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: ci-summary.mjs RESULTS_DIR NAME=EXIT_CODE...\n');
    process.exit(2);
  }
  const { passed, failed, ok } = summarise(dir, suites);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(ok ? 0 : 1);
}
