import { validators } from '../core/schemas.js';
import { describeSchemaErrors } from '../core/schema-errors.js';
import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'schema',
    description: 'Require the campaign file to conform to the campaign JSON Schema',
    category: 'schema',
    defaultSeverity: 'error',
    messages: {
      invalid: '{{problem}}',
      notAMap: 'a campaign file must be a YAML map of keys (version, id, name, ...)',
    },
  },
  check(context) {
    const { value } = context.campaign.yaml;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      context.report({ messageId: 'notAMap', loc: context.campaign.valueLocation([]) });
      return;
    }
    const validator = validators.campaign;
    if (validator(value)) return;
    for (const problem of describeSchemaErrors(validator.errors ?? [], context.campaign.yaml)) {
      context.report({ messageId: 'invalid', data: { problem: problem.message }, loc: problem.loc });
    }
  },
});
