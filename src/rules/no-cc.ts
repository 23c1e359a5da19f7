import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'no-cc',
    description: 'Disallow Cc recipients: everyone on a Cc line sees everyone else',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      ccList: '`cc` lists {{count}} recipient(s): every recipient would see every other address. Send one message per recipient through `to` and remove `cc`',
      ccHeader: 'header `{{header}}` adds Cc recipients: every recipient would see them. Remove it',
    },
  },
  check(context) {
    const { campaign } = context;
    const cc = campaign.get(['cc']);
    const count = Array.isArray(cc) ? cc.length : cc === undefined || cc === null || cc === '' ? 0 : 1;
    if (count > 0) context.report({ messageId: 'ccList', data: { count }, loc: campaign.entryLocation(['cc']) });
    for (const header of campaign.keys(['headers'])) {
      if (header.trim().toLowerCase() === 'cc') {
        context.report({ messageId: 'ccHeader', data: { header }, loc: campaign.entryLocation(['headers', header]) });
      }
    }
  },
});
