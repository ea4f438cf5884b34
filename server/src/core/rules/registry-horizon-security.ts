/** Rules DSL401–DSL406 (Horizon-specific) and DSL501–DSL506 (cookie and secret security). */
import type { Rule } from './framework';

export const HORIZON_SECURITY_RULES: readonly Rule[] = [];
