import type { Rule } from '../core/types.js';

/** Identity helper so each rule file gets its options type checked against `check`. */
export function defineRule<Options extends object = Record<string, never>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
