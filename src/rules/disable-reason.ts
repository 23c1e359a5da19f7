import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'disable-reason',
    description: 'Require every inline disable comment to name known rules and give a reason after `--`',
    category: 'directives',
    defaultSeverity: 'error',
    messages: {
      missingReason: '`campaign-lint-{{kind}}` needs a reason after `--`, e.g. `# campaign-lint-{{kind}} {{rules}} -- approved by DPO, ticket 123`; it has no effect without one',
      missingRule: '`campaign-lint-{{kind}}` must name the rule(s) it disables; disabling every rule is not supported',
      unknownRule: '`campaign-lint-{{kind}}` names unknown rule `{{ruleId}}`; the comment has no effect',
    },
  },
  check(context) {
    for (const directive of context.campaign.directives) {
      const kind = directive.kind;
      if (directive.ruleIds.length === 0) {
        context.report({ messageId: 'missingRule', data: { kind }, loc: directive.loc });
        continue;
      }
      for (const ruleId of directive.ruleIds) {
        if (!context.config.rules.has(ruleId)) context.report({ messageId: 'unknownRule', data: { kind, ruleId }, loc: directive.loc });
      }
      if (directive.reason === undefined) {
        context.report({ messageId: 'missingReason', data: { kind, rules: directive.ruleIds.join(', ') }, loc: directive.loc });
      }
    }
  },
});
