import { defineRule } from './define.js';

const ONE_CLICK = 'List-Unsubscribe=One-Click';

/** `<uri>` entries of a List-Unsubscribe value (RFC 2369), templates kept as written. */
function listedUris(value: string): string[] {
  return [...value.matchAll(/<([^>]*)>/g)].map((match) => (match[1] ?? '').trim());
}

export default defineRule({
  meta: {
    id: 'unsubscribe-header',
    description: 'Require marketing campaigns to set one-click List-Unsubscribe headers (RFC 8058)',
    category: 'compliance',
    defaultSeverity: 'error',
    messages: {
      missingHeader: 'marketing campaigns need a `List-Unsubscribe` header with an https: URI (RFC 8058; Gmail and Yahoo require it for bulk senders)',
      noHttpsUri: '`{{header}}` has no `<https:…>` URI: one-click unsubscribe (RFC 8058) needs an https: URI in angle brackets',
      missingPost: 'marketing campaigns need `List-Unsubscribe-Post: List-Unsubscribe=One-Click` next to `List-Unsubscribe` (RFC 8058)',
      wrongPost: '`{{header}}` must be exactly `List-Unsubscribe=One-Click` (RFC 8058)',
      notPerRecipient:
        '`{{header}}` has the same https: URI for every recipient (no merge field): a one-click POST to it cannot tell who unsubscribes. Put a per-recipient token in it (`https://…/u/{{token}}`)',
    },
  },
  check(context) {
    const { campaign } = context;
    if (campaign.category !== 'marketing') return;
    const headers = campaign.keys(['headers']);
    const find = (name: string) => headers.find((header) => header.trim().toLowerCase() === name.toLowerCase());
    const fallback = campaign.has(['headers']) ? campaign.keyLocation(['headers']) : campaign.keyLocation(['category']);

    const unsubscribe = find('List-Unsubscribe');
    const unsubscribeValue = unsubscribe === undefined ? undefined : campaign.string(['headers', unsubscribe]);
    if (unsubscribe === undefined || unsubscribeValue === undefined) {
      context.report({ messageId: 'missingHeader', loc: fallback });
    } else {
      const https = listedUris(unsubscribeValue).filter((uri) => /^https:\/\/[^\s]+$/i.test(uri));
      if (https.length === 0) context.report({ messageId: 'noHttpsUri', data: { header: unsubscribe }, loc: campaign.valueLocation(['headers', unsubscribe]) });
      // One-click unsubscribe (RFC 8058) POSTs to the URI with no body naming the recipient: the URI itself must say who.
      else if (!https.some((uri) => uri.includes('{{'))) context.report({ messageId: 'notPerRecipient', data: { header: unsubscribe }, loc: campaign.valueLocation(['headers', unsubscribe]) });
    }

    const post = find('List-Unsubscribe-Post');
    const postValue = post === undefined ? undefined : campaign.string(['headers', post]);
    if (post === undefined || postValue === undefined) {
      context.report({ messageId: 'missingPost', loc: fallback });
    } else if (postValue.trim() !== ONE_CLICK) {
      context.report({ messageId: 'wrongPost', data: { header: post }, loc: campaign.valueLocation(['headers', post]) });
    }
  },
});
