import { ROLE_MAILBOXES, isRoleAddress, trimAddress } from '../core/address.js';
import { CappedReporter, rowAddressOf } from './_recipients.js';
import { defineRule } from './define.js';

const LONGEST_ROLE = Math.max(...[...ROLE_MAILBOXES].map((role) => role.length));

/**
 * FNV-1a of the local part up to `+` or `@`, from an encoded address (ASCII, trimmed, letters
 * lower-cased at least in the domain); -1 when it cannot be a role (too long, no `@`, or a dot
 * or digit: no role mailbox has one, and most personal addresses do within their first few
 * characters, which ends the loop early).
 */
function localPartHash(bytes: Uint8Array, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    let code = bytes[i] ?? 0;
    if (code === 0x40 || code === 0x2b) return i === 0 ? -1 : hash >>> 0;
    if (code === 0x2e || (code >= 0x30 && code <= 0x39) || i >= LONGEST_ROLE) return -1;
    // A case-sensitive local part keeps its case in the encoded form.
    if (code >= 0x41 && code <= 0x5a) code |= 0x20;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return -1;
}

// Most local parts are ruled out by this hash, computed on the bytes the address rules share; hits are confirmed exactly.
const ROLE_HASHES = new Set([...ROLE_MAILBOXES].map((role) => localPartHash(new TextEncoder().encode(`${role}@`), role.length + 1)));

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
    const { campaign, config } = context;
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const capped = new CappedReporter(context, filePath);
    const row = rowAddressOf(campaign, config);
    return {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
      },
      recipientRow(record) {
        // Undefined without an address column or a value in it.
        const encoded = row.encode(record);
        if (encoded === undefined) return;
        // Non-ASCII addresses (rare) are checked as written.
        if (encoded.ascii && !ROLE_HASHES.has(localPartHash(encoded.bytes, encoded.length))) return;
        const column = row.column;
        const value = record.fields[column] ?? '';
        if (!isRoleAddress(value)) return;
        if (!capped.open) {
          capped.skip(() => record.fieldLocation(column));
          return;
        }
        capped.report('role', { address: context.pii(trimAddress(value)) }, record.fieldLocation(column));
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
