import { ROLE_MAILBOXES, isRoleAddress } from '../core/address.js';
import { CappedReporter, emailColumnName, findColumn } from './_recipients.js';
import { defineRule } from './define.js';

const LONGEST_ROLE = Math.max(...[...ROLE_MAILBOXES].map((role) => role.length));

/**
 * FNV-1a of the lower-cased ASCII local part up to `+` or `@`; -1 when it cannot be a role
 * (too long, no `@`, or a dot or digit: no role mailbox has one, and most personal addresses
 * do within their first few characters, which ends the loop early).
 */
function localPartHash(value: string): number {
  let hash = 0x811c9dc5;
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code === 0x40 || code === 0x2b) return length === 0 ? -1 : hash >>> 0;
    // Leading spaces are trimmed by isRoleAddress: skip them here too.
    if (code === 0x20 && length === 0) continue;
    if (code === 0x2e || (code >= 0x30 && code <= 0x39) || ++length > LONGEST_ROLE) return -1;
    if (code >= 0x41 && code <= 0x5a) code |= 0x20;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return -1;
}

// Most local parts are ruled out by this hash without making a string; hits are confirmed exactly.
const ROLE_HASHES = new Set([...ROLE_MAILBOXES].map((role) => localPartHash(`${role}@`)));

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
    const filePath = campaign.recipientsFile();
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
        if (value === undefined || !ROLE_HASHES.has(localPartHash(value)) || !isRoleAddress(value)) return;
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
