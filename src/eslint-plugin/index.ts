/**
 * campaign-lint as an ESLint plugin (`campaign-lint/eslint-plugin`), through ESLint's language
 * plugin API (as @eslint/json and @eslint/markdown): a language for campaign YAML files, one
 * ESLint rule per campaign-lint rule, and `configs.recommended`, so that
 *
 *     import campaignLint from 'campaign-lint/eslint-plugin';
 *     export default [campaignLint.configs.recommended];
 *
 * shows campaign-lint's findings in `npx eslint` and in the VS Code ESLint extension.
 *
 * ESLint parses and runs rules synchronously; campaign-lint streams recipient lists
 * asynchronously. So the language's `parse` runs the campaign-lint command itself, synchronously,
 * once per campaign file (`campaign-lint --format json --cache <file>`, see ./run.ts), and the
 * rules replay its findings. The verdict is the command's, with the campaign-lint config, locked
 * rules and inline directives it applies: the ESLint rules only choose how findings are shown.
 *
 * - Severity: ESLint gives every message of a rule the rule's configured severity, campaign-lint
 *   gives each finding its own (a privacy warning is an error in a special-category campaign). So
 *   each campaign-lint rule is two ESLint rules: `campaign-lint/<id>` shows its errors and
 *   `campaign-lint/<id>-warning` its warnings; the recommended config sets them to error and warn.
 * - Findings without a rule (a template that cannot be parsed, an unreadable list) are
 *   `campaign-lint/fatal`; a YAML syntax error fails the parse, as in any ESLint language.
 * - Findings in the files a campaign uses (a row of the recipient list, a line of a template)
 *   are shown on the campaign key that names that file, prefixed with `file:line:column:`.
 * - The command checks the files as saved: while the editor holds unsaved changes of the
 *   campaign, `campaign-lint/unsaved` says so instead of showing findings at stale positions.
 */
import { ruleMetas } from '../rules/index.js';
import { toolVersion } from '../core/version.js';
import { CampaignLanguage } from './language.js';
import type { CampaignDocument, CampaignSourceCode, ShownFinding } from './language.js';

interface RuleContextLike {
  sourceCode: CampaignSourceCode;
  report(descriptor: { loc: ShownFinding['loc']; message: string }): void;
}

interface EslintRule {
  meta: { type: 'problem'; docs: { description: string; url?: string }; schema: [] };
  create(context: RuleContextLike): Record<string, (node: CampaignDocument) => void>;
}

/** An ESLint rule that shows the findings the command filed under `key`. */
function replay(key: string, description: string, url?: string): EslintRule {
  return {
    meta: { type: 'problem', docs: { description, ...(url === undefined ? {} : { url }) }, schema: [] },
    create(context) {
      return {
        Document(node) {
          for (const finding of node.findings.get(key) ?? []) context.report({ loc: finding.loc, message: finding.message });
        },
      };
    },
  };
}

const DOCS = 'https://github.com/campaign-lint/campaign-lint/blob/main/docs/rules/';
const rules: Record<string, EslintRule> = {};
const recommendedRules: Record<string, 'error' | 'warn'> = {};
for (const meta of ruleMetas) {
  rules[meta.id] = replay(meta.id, `${meta.description} (campaign-lint errors)`, `${DOCS}${meta.id}.md`);
  rules[`${meta.id}-warning`] = replay(`${meta.id}-warning`, `${meta.description} (campaign-lint warnings)`, `${DOCS}${meta.id}.md`);
  recommendedRules[`campaign-lint/${meta.id}`] = 'error';
  recommendedRules[`campaign-lint/${meta.id}-warning`] = 'warn';
}
rules.custom = replay('custom', 'Errors of the custom rules the campaign-lint config declares (the message starts with the rule id)');
rules['custom-warning'] = replay('custom-warning', 'Warnings of the custom rules the campaign-lint config declares');
recommendedRules['campaign-lint/custom'] = 'error';
recommendedRules['campaign-lint/custom-warning'] = 'warn';
rules.fatal = replay('fatal', 'Findings that stop campaign-lint from checking a file (an unreadable template or list)');
rules.unsaved = replay('unsaved', 'The campaign has unsaved changes: campaign-lint checks files as saved');
recommendedRules['campaign-lint/fatal'] = 'error';
recommendedRules['campaign-lint/unsaved'] = 'warn';

export const CAMPAIGN_FILES = ['**/campaign.yaml', '**/*.campaign.yaml'];

const plugin = {
  meta: { name: 'campaign-lint', version: toolVersion() },
  languages: { campaign: new CampaignLanguage() },
  rules,
  configs: {
    recommended: {
      name: 'campaign-lint/recommended',
      files: CAMPAIGN_FILES,
      plugins: {} as Record<string, unknown>,
      language: 'campaign-lint/campaign',
      rules: recommendedRules,
    },
  },
};
plugin.configs.recommended.plugins['campaign-lint'] = plugin;

export default plugin;
export { CampaignLanguage };
