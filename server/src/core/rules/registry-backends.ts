/** Rules DSL110–DSL119 (cache backend details). */
import type { Rule } from './framework';

export const BACKEND_RULES: readonly Rule[] = [];
