/** Rules DSL120–DSL126 (serializer, placeholders, credentials) and DSL301–DSL307 (DATABASES). */
import type { Rule } from './framework';

export const SERIALIZER_DB_RULES: readonly Rule[] = [];
