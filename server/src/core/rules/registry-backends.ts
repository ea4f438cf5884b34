/** Rules DSL110–DSL119 (cache backend details). */
import type { Rule } from './framework';
import dsl110 from './dsl110-redis-location-scheme';
import dsl111 from './dsl111-django-redis-options-on-builtin';
import dsl112 from './dsl112-memcached-location-syntax';
import dsl113 from './dsl113-pymemcache-without-ignore-exc';
import dsl114 from './dsl114-unmaintained-cache-backend';
import dsl115 from './dsl115-file-session-path';
import dsl116 from './dsl116-filebased-cache-location';
import dsl117 from './dsl117-memcached-key-prefix';
import dsl118 from './dsl118-unknown-cache-key';
import dsl119 from './dsl119-legacy-cache-backend-setting';

export const BACKEND_RULES: readonly Rule[] = [
  dsl110,
  dsl111,
  dsl112,
  dsl113,
  dsl114,
  dsl115,
  dsl116,
  dsl117,
  dsl118,
  dsl119,
];
