import { defineRule } from './define.js';
import type { SourceLocation } from '../core/types.js';

export default defineRule({
  meta: {
    id: 'no-bulk-bcc',
    description: 'Disallow Bcc recipients other than the configured archive addresses',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      mergeField: '`{{field}}` uses a merge field: Bcc is not a bulk-send method (one visible mistake exposes everyone). Send one message per recipient through `to`',
      notArchive: '`{{field}}` address {{address}} is not a configured archive address (organization.archive_addresses)',
    },
  },
  check(context) {
    const { campaign, config } = context;
    const archive = new Set(config.organization.archiveAddresses.map((address) => address.trim().toLowerCase()));
    const checkAddress = (value: string, field: string, loc: SourceLocation) => {
      if (value.includes('{{')) {
        context.report({ messageId: 'mergeField', data: { field }, loc });
        return;
      }
      for (const part of value.split(/[,;]/)) {
        const address = /<([^>]*)>/.exec(part)?.[1] ?? part;
        if (address.trim() === '') continue;
        if (!archive.has(address.trim().toLowerCase())) {
          context.report({ messageId: 'notArchive', data: { field, address: context.pii(address.trim()) }, loc });
        }
      }
    };
    const bcc = campaign.get(['bcc']);
    if (Array.isArray(bcc)) {
      bcc.forEach((item, index) => {
        if (typeof item === 'string') checkAddress(item, `bcc[${index}]`, campaign.valueLocation(['bcc', index]));
      });
    }
    for (const header of campaign.keys(['headers'])) {
      const value = campaign.string(['headers', header]);
      if (header.trim().toLowerCase() === 'bcc' && value !== undefined) {
        checkAddress(value, `headers.${header}`, campaign.valueLocation(['headers', header]));
      }
    }
  },
});
