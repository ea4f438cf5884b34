/**
 * The rules. `registry.ts` is generated from the rule files (`npm run docs`): adding a rule is its file
 * (`dsl<NNN>-<name>.ts`, default export), its test and the regenerated docs — see CONTRIBUTING.md.
 */
import type { Rule } from './framework';
import { RULES } from './registry';

export { RULES };

export function findRule(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code.toUpperCase());
}
