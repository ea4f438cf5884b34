/** DSL507: SESSION_COOKIE_AGE is a string (or None/container), so Django's time.time() + SESSION_COOKIE_AGE raises TypeError when it saves a session. */
import { SESSION_COOKIE_AGE } from '../knowledge';
import { defineRule } from './framework';
import { checkNumericSetting } from './numeric-setting';

export default defineRule({
  code: 'DSL507',
  name: 'session-cookie-age-not-number',
  title: 'SESSION_COOKIE_AGE must be a number',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: 'SESSION_COOKIE_AGE is a string (`"1209600"`), `None` or a container instead of a number of seconds; also an environment lookup without a cast, whatever its default, since it is a str whenever the variable is set.',
    why: "Django adds SESSION_COOKIE_AGE to the current time when it sets the session cookie (`SessionMiddleware`: `expires_time = time.time() + max_age`) and when a backend computes the session's expiry, so every response that saves a session — the login itself — fails with `TypeError: unsupported operand type(s) for +: 'float' and 'str'` (verified on Django 3.2: a str or None fails, ints and floats work). `manage.py check` does not look at this setting.",
    example:
      'SESSION_COOKIE_AGE = "1209600"\n# or: SESSION_COOKIE_AGE = os.environ.get("SESSION_COOKIE_AGE", 1209600)  # a str whenever the variable is set',
    useInstead:
      'SESSION_COOKIE_AGE = 1209600\n# or: SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 1209600))',
    fixSafety:
      'Safe: writes the number the string holds (`"1209600"` → `1209600`); the meaning is unchanged and sessions can be saved again. An environment lookup without a cast is wrapped in `int(...)`. No fix when the string is not a whole number.',
  },
  check(ctx) {
    checkNumericSetting(ctx, SESSION_COOKIE_AGE, {
      expected: 'a number of seconds',
      lookupBreaks:
        "Django's time.time() + SESSION_COOKIE_AGE raises TypeError on every response that saves a session",
      valueBreaks:
        "Django's time.time() + SESSION_COOKIE_AGE raises TypeError on every response that saves a session, so nobody can log in",
    });
  },
});
