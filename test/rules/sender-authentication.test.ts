import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { lintCampaign } from '../../src/core/linter.js';
import { lintPayload } from '../../src/payloads/lint.js';
import senderAuthentication from '../../src/rules/sender-authentication.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';
import { startDnsServer } from '../helpers/dns-server.js';
import type { DnsServer } from '../helpers/dns-server.js';

let dns: DnsServer;
before(async () => {
  dns = await startDnsServer(
    {
      'mail.example.com': [['v=spf1 include:_spf.example.net ', '-all'], ['google-site-verification=abc']],
      '_dmarc.mail.example.com': [['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com']],
      's1._domainkey.mail.example.com': [['v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC']],
      'news.example.org': [['v=spf1 -all'], ['v=spf1 include:x.example.net -all']],
      '_dmarc.news.example.org': [['v=DMARC1; rua=mailto:d@example.org']],
      's2._domainkey.mail.example.com': [],
    },
    { failing: ['broken.example.net'] },
  );
});
after(async () => {
  await dns.close();
});

type Raw = Parameters<typeof testConfig>[1];
const enabled = (options: Record<string, unknown>): Raw => ({ rules: { 'sender-authentication': ['error', { servers: [dns.address], timeout: 1000, ...options }] } });

async function campaignFindings(from: string, options: Record<string, unknown> = {}): Promise<string[]> {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN.replace('address: news@mail.example.com', `address: ${from}`), ...VALID_FILES });
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), testConfig(root, enabled(options)), { rules: [senderAuthentication] });
  return results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.messageId ?? ''}: ${message.message}`));
}

test('off by default: the recommended preset never looks anything up', () => {
  const root = tempTree({});
  assert.equal(testConfig(root).rules.get('sender-authentication')?.severity, 0);
});

test('SPF, DMARC and a declared DKIM selector found through the local DNS server: no finding', async () => {
  assert.ok(VALID_CAMPAIGN.includes('address: news@mail.example.com'));
  const before = dns.queries.length;
  assert.deepEqual(await campaignFindings('news@mail.example.com', { dkimSelectors: ['s1'] }), []);
  assert.deepEqual(dns.queries.slice(before), ['mail.example.com 16', '_dmarc.mail.example.com 16', 's1._domainkey.mail.example.com 16']);
});

test('a missing DKIM key, two SPF records, a DMARC record without a policy, and no records at all', async () => {
  const [first] = await campaignFindings('news@mail.example.com', { dkimSelectors: ['s2'] });
  assert.match(first ?? '', /^\d+:\d+ missingDkim: no DKIM key at `s2\._domainkey\.mail\.example\.com`/);
  assert.deepEqual(
    (await campaignFindings('news@news.example.org')).map((line) => line.replace(/^\d+:\d+ /, '')),
    [
      'dmarcNoPolicy: the DMARC record of `news.example.org` has no `p=` policy tag',
      'multipleSpf: the From domain `news.example.org` has 2 SPF records: SPF fails with more than one (RFC 7208 §4.5). Merge them',
    ],
  );
  assert.deepEqual(
    (await campaignFindings('news@unknown.example.com')).map((line) => line.replace(/^\d+:\d+ /, '').split(':')[0]),
    ['missingDmarc', 'missingSpf'],
  );
});

test('a failing lookup is an error, never a pass (SERVFAIL, and a server that does not answer)', async () => {
  assert.deepEqual(
    (await campaignFindings('news@broken.example.net')).map((line) => line.replace(/^\d+:\d+ /, '')),
    [
      '`broken.example.net` could not be looked up (ESERVFAIL): sender authentication cannot be checked. Check the network or `servers`',
      'missingDmarc: the From domain `broken.example.net` has no DMARC record (TXT at `_dmarc.broken.example.net` starting `v=DMARC1`): bulk senders need one',
    ].map((text) => (text.startsWith('`') ? `lookupFailed: ${text}` : text)),
  );
  const silent = await campaignFindings('news@mail.example.com', { servers: ['127.0.0.1:9'], timeout: 200 });
  assert.ok(silent.length >= 2 && silent.every((line) => line.includes(' lookupFailed: ')), silent.join('\n'));
});

test('a payload file\'s From domains are looked up once each, at the From value', async () => {
  const root = tempTree({ 'a.payload.json': '[{"From": "news@mail.example.com", "To": "jane.doe@example.com"},\n {"From": "News <news@unknown.example.com>", "To": "omar.haddad@example.org"}]' });
  const results = await lintPayload(join(root, 'a.payload.json'), testConfig(root, enabled({})), { rules: [senderAuthentication] });
  assert.deepEqual(
    results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.messageId ?? ''}`)),
    ['2:11 missingDmarc', '2:11 missingSpf'],
  );
});
