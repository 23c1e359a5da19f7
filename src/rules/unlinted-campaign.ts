import { defineRule } from './define.js';

/**
 * A campaign that the run never reads cannot be judged: a pull request could add
 * `campaign.yml` (or `Campaign.YAML`, `offer.campaign.yml`, any YAML with top-level `version:`
 * and `recipients:`) beside a clean `campaign.yaml` and pass. Discovery sees every file the run
 * looks at (git-ignored files and the config's `ignore` globs excepted), so the findings are
 * produced there (src/core/lint.ts, from `Discovery.unlinted`), in the file itself: no campaign
 * is read, so no inline comment can reach them, and the rule is locked by default.
 * `check` has nothing to add for a campaign that is linted.
 */
export default defineRule({
  meta: {
    id: 'unlinted-campaign',
    description: 'Disallow files that look like a campaign but are not linted',
    category: 'schema',
    defaultSeverity: 'error',
    lockedByDefault: true,
    messages: {
      notIncluded:
        '`{{file}}` looks like a campaign ({{why}}) but `include` ({{include}}) does not match it: rename it to campaign.yaml or add it to `include` (or exclude it on purpose with `ignore`)',
      inNodeModules:
        '`{{file}}` looks like a campaign ({{why}}) but is committed under node_modules, which is never linted: move it out of node_modules (or exclude it on purpose with `ignore`)',
    },
  },
  check() {
    // Findings come from discovery (see above).
  },
});
