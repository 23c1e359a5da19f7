import { envelopeOf } from '../core/envelope.js';
import { defineRule } from './define.js';

interface Options {
  category?: 'auto' | 'marketing' | 'transactional';
}

export default defineRule<Options>({
  meta: {
    id: 'payload-settings',
    description: 'Disallow sending-platform settings that skip suppression or unsubscribe handling in payload files',
    category: 'compliance',
    defaultSeverity: 'error',
    privacy: true,
    messages: {
      bypass: '`{{field}}` is true: SendGrid then sends to addresses on its {{what}}. Remove it',
      asmMissing: 'the SendGrid request `{{label}}` is marketing mail without an `asm` unsubscribe group: recipients get no working unsubscribe and SendGrid\'s group suppressions are not applied',
      transactionalStream: 'the Postmark message `{{label}}` is marketing mail on the transactional stream `{{stream}}`: send it through a broadcast stream (`MessageStream`)',
    },
    optionsSchema: {
      type: 'object',
      properties: { category: { enum: ['auto', 'marketing', 'transactional'], description: 'What the payloads are: `auto` reads it from each request (a List-Unsubscribe header, an `asm` group, a broadcast stream mean marketing).' } },
      additionalProperties: false,
    },
    defaultOptions: { category: 'auto' },
  },
  check(context) {
    const payload = envelopeOf(context.campaign).payload;
    if (!payload) return;
    const category = context.options.category ?? 'auto';
    const WHAT: Record<string, string> = {
      'mail_settings.bypass_list_management.enable': 'unsubscribe, bounce and spam-report lists',
      'mail_settings.bypass_spam_management.enable': 'spam-report list',
      'mail_settings.bypass_bounce_management.enable': 'bounce list',
      'mail_settings.bypass_unsubscribe_management.enable': 'global unsubscribe list',
    };
    for (const request of payload.requests) {
      for (const bypass of request.bypass) {
        const field = request.label === '' ? bypass.name : `${request.label}.${bypass.name}`;
        context.report({ messageId: 'bypass', data: { field, what: WHAT[bypass.name] ?? 'suppression lists' }, loc: bypass.loc });
      }
      const marketing = category === 'marketing' || (category === 'auto' && request.marketingSignal);
      if (!marketing) continue;
      const label = request.label === '' ? 'request' : request.label;
      if (request.format === 'sendgrid' && request.hasAsm !== true) context.report({ messageId: 'asmMissing', data: { label }, loc: request.loc });
      if (request.format === 'postmark' && request.stream && (request.stream.value === undefined || request.stream.value === 'outbound')) {
        context.report({ messageId: 'transactionalStream', data: { label: request.label === '' ? 'message' : request.label, stream: request.stream.value ?? 'outbound' }, loc: request.stream.loc });
      }
    }
  },
});
