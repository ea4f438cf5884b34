/** The one registry of rules, in code order. A test checks codes are unique and each has complete docs. */
import type { Rule } from './framework';
import { BACKEND_RULES } from './registry-backends';
import { GENERAL_RULES } from './registry-general';
import { HORIZON_SECURITY_RULES } from './registry-horizon-security';
import { SERIALIZER_DB_RULES } from './registry-serializer-db';
import { SESSION_CACHE_RULES } from './registry-session-cache';

export const RULES: readonly Rule[] = [
  ...GENERAL_RULES,
  ...SESSION_CACHE_RULES,
  ...BACKEND_RULES,
  ...SERIALIZER_DB_RULES,
  ...HORIZON_SECURITY_RULES,
].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

export function findRule(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code.toUpperCase());
}
