/** Rules DSL401–DSL406 (Horizon-specific) and DSL501–DSL506 (cookie and secret security). */
import type { Rule } from './framework';
import dsl401 from './dsl401-horizon-cookie-sessions';
import dsl402 from './dsl402-cookie-sessions-multidomain';
import dsl403 from './dsl403-simultaneous-sessions-misconfigured';
import dsl404 from './dsl404-snippet-overrides-local-settings';
import dsl405 from './dsl405-session-timeout-not-int';
import dsl406 from './dsl406-implicit-horizon-cache';
import dsl501 from './dsl501-session-cookie-not-secure';
import dsl502 from './dsl502-session-cookie-not-httponly';
import dsl503 from './dsl503-invalid-session-cookie-samesite';
import dsl504 from './dsl504-csrf-cookie-not-secure';
import dsl505 from './dsl505-weak-secret-key';
import dsl506 from './dsl506-csrf-trusted-origin-without-scheme';

export const HORIZON_SECURITY_RULES: readonly Rule[] = [
  dsl401,
  dsl402,
  dsl403,
  dsl404,
  dsl405,
  dsl406,
  dsl501,
  dsl502,
  dsl503,
  dsl504,
  dsl505,
  dsl506,
];
