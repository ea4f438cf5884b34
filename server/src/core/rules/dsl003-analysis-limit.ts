/** DSL003: a size, nesting or work limit stopped the analysis of part of a file. */
import { defineRule } from './framework';

export default defineRule({
  code: 'DSL003',
  name: 'analysis-limit',
  title: 'Analysis limit reached',
  severity: { production: 'information', development: 'information' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: 'A file is larger than the size limit (2,000,000 characters), nests statements or expressions deeper than the limit (50 / 100 levels), or needs more evaluation work or time than one analysis may spend (5,000,000 steps, 5 seconds of evaluation). The rest of that file is not analysed.',
    why: 'The analyser guarantees bounded time and memory on any input, so an editor never hangs on a generated or malicious file. Findings after the limit would be guesses.',
    example: '# a generated 5 MB settings file',
    useInstead:
      'Split generated data out of the settings module, or keep it in a file the analyser does not need to read.',
    fixSafety:
      'Informational; nothing to fix. While it is reported, no other finding of the project offers a fix either: re-analysing with a fix applied would stop at the same limit, so whether the fix adds a problem in what was not analysed cannot be known.',
  },
  check(ctx) {
    for (const f of ctx.project.files) {
      const limit = f.evaluation.limit;
      if (!limit) continue;
      const at = limit.at.file === f.path ? limit.at : { file: f.path, from: 0, to: 0 };
      ctx.report({
        at,
        message: `Analysis limit reached (${limit.reason}); the rest of this file is not analysed.`,
        settings: [],
      });
    }
  },
});
