/** Mocha reporter for CI: prints like `spec` and writes the run's counts to a JSON file that .ci/run adds up (never scrape mocha's summary). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** What the results file holds. `failed` counts failed tests and failed hooks, as mocha does. */
interface ResultCounts {
  passed: number;
  failed: number;
  pending: number;
  tests: number;
}

/**
 * Output file: reporter option `output` (`--reporter-option output=FILE`), else the DSL_TEST_RESULTS
 * environment variable (which also reaches mocha running inside an editor's extension host).
 */
class ResultsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const reporterOptions = (options?.reporterOptions ?? {}) as Record<string, unknown>;
    const fromOption = reporterOptions['output'];
    const output = typeof fromOption === 'string' ? fromOption : process.env['DSL_TEST_RESULTS'];
    if (!output) return;
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats ?? this.stats;
      const counts: ResultCounts = {
        passed: s.passes,
        failed: s.failures,
        pending: s.pending,
        tests: s.tests,
      };
      fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
      fs.writeFileSync(output, `${JSON.stringify(counts)}\n`);
    });
  }
}

export = ResultsReporter;
