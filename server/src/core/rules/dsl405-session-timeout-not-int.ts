/** DSL405: Horizon's SESSION_TIMEOUT is a string (or None/container), so min(SESSION_TIMEOUT, token lifetime) raises TypeError at login. */
import { SESSION_TIMEOUT } from '../knowledge';
import { defineRule } from './framework';
import { checkNumericSetting } from './numeric-setting';

export default defineRule({
  code: 'DSL405',
  name: 'session-timeout-not-int',
  title: 'SESSION_TIMEOUT must be an integer',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  horizonOnly: true,
  fix: 'safe',
  docs: {
    what: 'Horizon\'s SESSION_TIMEOUT is a string (`"3600"`, `"3600.0"`), `None` or a container instead of a number of seconds. Horizon\'s settings guide prints the default as `"3600"` in quotes, which invites this. Floats are accepted (Python compares them with ints). Also an environment lookup without a cast, whatever its default: it is a str whenever the variable is set.',
    why: "At login openstack_auth computes `min(SESSION_TIMEOUT, token_remaining_seconds)`; in Python 3 comparing a str (or None) with an int raises TypeError, so every login fails with an error page (openstack_auth/backend.py; verified: `min('3600', 5)` → TypeError). With SESSION_REFRESH the same happens on every request.",
    example:
      'SESSION_TIMEOUT = "3600"\n# or: SESSION_TIMEOUT = os.environ.get("SESSION_TIMEOUT", 3600)  # a str whenever the variable is set',
    useInstead:
      'SESSION_TIMEOUT = 3600\n# or: SESSION_TIMEOUT = int(os.environ.get("SESSION_TIMEOUT", 3600))',
    fixSafety:
      'Safe: writes the number the string holds (`"3600"` → `3600`, `"3600.0"` → `3600`); the value\'s meaning is unchanged and logins stop failing. An environment lookup without a cast (`os.environ.get("X", 3600)`, decouple `config("X")`) is a str whenever the variable is set: the fix wraps it in `int(...)`. No fix when the string is not a whole number.',
  },
  check(ctx) {
    checkNumericSetting(ctx, SESSION_TIMEOUT, {
      expected: 'an integer',
      lookupBreaks:
        "Horizon's min(SESSION_TIMEOUT, token lifetime) raises TypeError at login, so nobody can log in",
      valueBreaks:
        'Horizon computes min(SESSION_TIMEOUT, token lifetime) at login, which raises TypeError, so nobody can log in',
    });
  },
});
