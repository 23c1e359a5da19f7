import { isRoleAddress } from '../core/address.js';
import { CappedReporter, emailColumnName, findColumn, recipientsFilePath } from './_recipients.js';
import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'recipient-role-address',
    description: 'Disallow role mailboxes (postmaster@, abuse@, noreply@, info@...) as recipients',
    category: 'recipient-list',
    defaultSeverity: 'warn',
    messages: {
      role: '`{{address}}` is a role mailbox (RFC 2142): it reaches a team or nobody, not the person who consented',
      more: '{{count}} more role mailboxes are not listed (the first {{limit}} are)',
    },
  },
  check(context) {
    const { campaign } = context;
    const filePath = recipientsFilePath(campaign);
    if (filePath === undefined) return undefined;
    const capped = new CappedReporter(context, filePath);
    const columnName = emailColumnName(campaign);
    let column = -1;
    return {
      recipientsHeader(header) {
        column = findColumn(header.names, columnName);
      },
      recipientRow(record) {
        if (column === -1) return;
        const value = record.fields[column];
        if (value === undefined || !isRoleAddress(value)) return;
        if (!capped.open) {
          capped.skip(() => record.fieldLocation(column));
          return;
        }
        capped.report('role', { address: context.pii(value.trim()) }, record.fieldLocation(column));
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
