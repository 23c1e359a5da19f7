import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'locked-rule',
    description: 'Disallow inline disable comments that name a locked rule',
    category: 'directives',
    defaultSeverity: 'error',
    messages: {
      locked: '`{{ruleId}}` is locked by the policy ({{source}}): an inline comment cannot disable it, and this one has no effect',
    },
  },
  check(context) {
    const source = context.config.source ?? 'built-in recommended preset';
    for (const directive of context.campaign.directives) {
      for (const ruleId of directive.ruleIds) {
        if (context.config.locked.has(ruleId)) context.report({ messageId: 'locked', data: { ruleId, source }, loc: directive.loc });
      }
    }
  },
});
