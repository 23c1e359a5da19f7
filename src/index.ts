/** campaign-lint's library API (README.md, section Library). */
export { lint } from './core/lint.js';
export type { LintOptions, LintRun } from './core/lint.js';
export { lintCampaign } from './core/linter.js';
export { loadConfig } from './core/config.js';
export type { ResolvedConfig } from './core/config.js';
export { configForCampaign } from './policy/merge.js';
export { effectiveConfig, canonicalEffectiveConfig, effectiveConfigDigest } from './policy/print-config.js';
export { rules, ruleMetas, docsUrl } from './rules/index.js';
export { loadFormatter, formatterNames } from './formatters/index.js';
export type * from './core/types.js';
