/** Rules DSL001–DSL003 (any file). */
import type { Rule } from './framework';
import dsl001 from './dsl001-syntax-error';
import dsl002 from './dsl002-template-file';
import dsl003 from './dsl003-analysis-limit';

export const GENERAL_RULES: readonly Rule[] = [dsl001, dsl002, dsl003];
