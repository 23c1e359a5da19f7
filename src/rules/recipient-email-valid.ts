import { MAX_ADDRESS_OCTETS, MAX_LOCAL_PART_OCTETS, isValidAddress, trimAddress } from '../core/address.js';
import { CappedReporter, emailColumnName, rowAddressOf } from './_recipients.js';
import { defineRule } from './define.js';

export default defineRule({
  meta: {
    id: 'recipient-email-valid',
    description: 'Require every recipient address to be a valid email address',
    category: 'recipient-list',
    defaultSeverity: 'error',
    messages: {
      empty: 'record {{record}} has no address in column `{{column}}`',
      invalid: '`{{address}}` is not a valid email address',
      tooLong: '`{{address}}` is longer than RFC 5321 allows (local part {{maxLocal}}, whole address {{maxWhole}} octets)',
      more: '{{count}} more invalid addresses are not listed (the first {{limit}} are)',
    },
  },
  check(context) {
    const { campaign, config } = context;
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const capped = new CappedReporter(context, filePath);
    const columnName = emailColumnName(campaign);
    // The row's address as the other address rules encode it: checked as bytes, not a string again.
    const row = rowAddressOf(campaign, config);
    return {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
      },
      recipientRow(record) {
        const column = row.column;
        if (column === -1) return;
        const raw = record.fields[column];
        // A missing field is a ragged row, which recipients-file reports.
        if (raw === undefined) return;
        // Surrounding ASCII spaces and tabs are a spreadsheet artefact every sender trims, not an
        // invalid address: the encoded form is trimmed of them (and blank is undefined). Other
        // spaces (U+00A0, U+3000, U+FEFF…) are part of the value, which is then invalid.
        if (row.valid(record)) return;
        if (!capped.open) {
          capped.skip(() => record.fieldLocation(column));
          return;
        }
        const address = trimAddress(raw);
        const loc = record.fieldLocation(column);
        if (address === '') capped.report('empty', { record: record.index, column: columnName }, loc);
        else if (address.length > MAX_ADDRESS_OCTETS || address.lastIndexOf('@') > MAX_LOCAL_PART_OCTETS) {
          // Only when the length is the reason: an address both too long and malformed is `invalid`.
          const shortened = isValidAddress(`${address.slice(0, 1)}@${address.slice(address.lastIndexOf('@') + 1)}`);
          if (shortened) capped.report('tooLong', { address: context.pii(address), maxLocal: MAX_LOCAL_PART_OCTETS, maxWhole: MAX_ADDRESS_OCTETS }, loc);
          else capped.report('invalid', { address: context.pii(address) }, loc);
        } else capped.report('invalid', { address: context.pii(address) }, loc);
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
