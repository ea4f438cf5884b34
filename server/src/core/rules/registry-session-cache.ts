/** Rules DSL101–DSL109 (session engine and cache wiring). */
import type { Rule } from './framework';
import dsl101 from './dsl101-invalid-session-engine';
import dsl104 from './dsl104-locmem-session-cache';

export const SESSION_CACHE_RULES: readonly Rule[] = [dsl101, dsl104];
