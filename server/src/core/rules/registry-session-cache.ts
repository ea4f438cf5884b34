/** Rules DSL101–DSL109 (session engine and cache wiring). */
import type { Rule } from './framework';
import dsl101 from './dsl101-invalid-session-engine';
import dsl102 from './dsl102-missing-default-cache';
import dsl103 from './dsl103-undefined-session-cache-alias';
import dsl104 from './dsl104-locmem-session-cache';
import dsl105 from './dsl105-cached-db-local-cache';
import dsl106 from './dsl106-dummy-session-cache';
import dsl107 from './dsl107-slow-session-cache';
import dsl108 from './dsl108-unavailable-cache-backend';
import dsl109 from './dsl109-legacy-django-redis-path';

export const SESSION_CACHE_RULES: readonly Rule[] = [
  dsl101,
  dsl102,
  dsl103,
  dsl104,
  dsl105,
  dsl106,
  dsl107,
  dsl108,
  dsl109,
];
