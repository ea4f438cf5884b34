/** DSL001: the file does not parse; what can be recovered is still analysed. */
import { defineRule } from './framework';

export default defineRule({
  code: 'DSL001',
  name: 'syntax-error',
  title: 'Python syntax error',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: 'The settings file is not valid Python. The analyser reports the first error and still analyses the statements it could recover.',
    why: 'Django imports settings with Python: a syntax error stops the whole site at start-up (Horizon logs "Can not exec settings snippet" and skips a broken local_settings.d snippet, silently dropping all of its settings).',
    example:
      "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    # missing closing braces\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    useInstead:
      "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n    },\n}\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    fixSafety: 'No automatic fix: only the author knows what was meant.',
  },
  check(ctx) {
    for (const f of ctx.project.files) {
      const err = f.parsed.syntaxError;
      if (!err) continue;
      ctx.report({
        at: err,
        message: `Syntax error${f.parsed.syntaxErrorReason ? ` (${f.parsed.syntaxErrorReason})` : ''}: this file is not valid Python; later settings may be analysed incompletely.`,
        settings: [],
      });
    }
  },
});
