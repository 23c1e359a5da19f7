import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, parseFragment } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { loadConfig } from '../../src/core/config.js';
import { buildReport } from '../../src/report/index.js';
import { ruleMetas } from '../../src/rules/index.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { CAMPAIGN, FIGURES, PLANTED, campaignYaml, reportProject } from './fixture.js';

/** assert.match without printing the whole page on failure. */
function has(html: string, pattern: RegExp): void {
  assert.ok(pattern.test(html), `the page does not match ${String(pattern)}`);
}

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document | DefaultTreeAdapterTypes.DocumentFragment;

/**
 * Everything a browser could show or load from the page: text, comments and every attribute
 * value, entities decoded by a real HTML parser; an iframe's srcdoc is parsed as the document it is.
 */
function visibleStrings(node: Node, out: string[] = []): string[] {
  if ('value' in node && typeof node.value === 'string') out.push(node.value);
  if ('data' in node && typeof node.data === 'string') out.push(node.data);
  if ('attrs' in node) {
    for (const attribute of node.attrs) {
      out.push(attribute.value);
      if (attribute.name === 'srcdoc') visibleStrings(parse(attribute.value), out);
    }
  }
  if ('content' in node) visibleStrings(node.content, out);
  if ('childNodes' in node) for (const child of node.childNodes) visibleStrings(child, out);
  return out;
}

function writeReport(root: string, extra: string[] = []) {
  const run = runCli(['report', CAMPAIGN, '-o', 'report.html', ...extra], { cwd: root });
  const path = join(root, 'report.html');
  return { ...run, html: existsSync(path) ? readFileSync(path, 'utf8') : '' };
}

test('the audience figures are exact and every section is on the page', async () => {
  const root = reportProject();
  const config = loadConfig({ cwd: root }, ruleMetas);
  const { data } = await buildReport(join(root, CAMPAIGN), config, { toolVersion: 'test' });
  const audience = data.audience;
  assert.ok(audience);
  assert.deepEqual(
    { rows: audience.rows, expected: audience.expectedCount, invalid: audience.invalid, duplicate: audience.duplicate, suppressed: audience.suppressed, consentGiven: audience.consent.given, consentMissing: audience.consent.missing },
    FIGURES,
  );
  assert.deepEqual(
    audience.columns.map((column) => [column.name, column.uses]),
    [['email', ['email', 'template']], ['first_name', ['template']], ['consent', ['consent']], ['token', ['template']], ['city', []]],
  );
  assert.deepEqual(
    audience.suppressionLists.map((list) => [list.path, list.source, list.entries]),
    [['campaigns/spring/local-suppress.csv', 'campaign', 1], ['suppression/global.csv', 'config', 2]],
  );
  assert.equal(data.campaign.sendAt, '2027-03-01T08:30:00+01:00');
  assert.equal(data.campaign.category, 'marketing');
  assert.ok(data.sample.ok);
  assert.deepEqual(data.sample.message.row, { index: 2, line: 3, sendable: true });

  const { status, html } = writeReport(root);
  assert.equal(status, 1);
  for (const id of ['campaign', 'audience', 'findings', 'approval', 'message']) has(html, new RegExp(`<section id="${id}">`));
  for (const [value, label] of [[8, 'Recipients'], [10, 'Expected'], [2, 'Invalid'], [1, 'Duplicates'], [2, 'Suppressed'], [1, 'Without consent']] as const) {
    assert.ok(html.includes(`<div class="value">${value}</div><div class="label">${label}</div>`), `${label} figure`);
  }
  has(html, /<svg class="chart" role="img" aria-label="Recipients \(rows\): 8, Expected count: 10, Invalid addresses: 2, Duplicates: 1, Suppressed: 2, Without consent: 1"/);
  has(html, /<td><code>city<\/code><\/td><td><span class="tag warn">not used<\/span><\/td>/);
  assert.ok(html.includes('<th scope="row">Send time</th><td>2027-03-01T08:30:00+01:00</td>'));
  // Findings carry their repository-relative place and are grouped by severity.
  has(html, /<h3 class="bad">Errors \(\d+\)<\/h3>/);
  has(html, /<td class="place"><code>campaigns\/spring\/campaign\.yaml:\d+:\d+<\/code><\/td><td class="rule"><code>two-person-approval<\/code><\/td>/);
  // Approvals: each with its digest, none current, and what is missing.
  has(html, /<td>bob@example\.com<\/td><td>2027-02-20T10:00:00Z<\/td><td><code title="sha256:0{64}">sha256:000000000000…<\/code> <span class="tag warn">older content<\/span><\/td>/);
  has(html, /alice@example\.com is the author and cannot approve their own campaign/);
  has(html, /<strong>Missing:<\/strong> 0 of 2 approvals valid/);
  has(html, /Current digest<\/th><td><code>sha256:[0-9a-f]{64}<\/code>/);
  // The inbox view of the sample.
  has(html, /<th scope="row">To<\/th><td>&quot;Z\*\*\*&quot; &lt;Z\*\*\*@example\.com&gt;<\/td>/);
  has(html, /<th scope="row">Subject<\/th><td><strong>Z\*\*\*, spring offers \(ref o\*\*\*@example\.com\)<\/strong>/);
  has(html, /<iframe class="htmlbody" title="HTML version of the message" sandbox="" /);
  has(html, /<pre class="textbody">Dear Z\*\*\*,\nUnsubscribe: https:\/\/mail\.example\.com\/unsubscribe\?u=t\*\*\*/);
});

test('no recipient address or value survives anywhere in the page, attributes and srcdoc included', () => {
  const root = reportProject();
  const { html } = writeReport(root);
  const strings = visibleStrings(parse(html));
  const everything = strings.join('\n');
  assert.ok(everything.includes('Z***@Example.com'), 'the masked sample address is shown');
  assert.ok(html.includes('srcdoc="'), 'the email is embedded');
  for (const planted of PLANTED) {
    assert.ok(!everything.toLowerCase().includes(planted.toLowerCase()), `${planted} appears in the decoded page`);
    assert.ok(!html.toLowerCase().includes(planted.toLowerCase()), `${planted} appears in the page source`);
  }
  // Addresses written in the campaign and config stay readable.
  for (const address of ['news@mail.example.com', 'support@mail.example.com', 'alice@example.com', 'bob@example.com']) assert.ok(everything.includes(address), address);
});

test('a campaign name with markup renders as text, and the email cannot run scripts', () => {
  const root = reportProject(campaignYaml('<script>alert("x")</script><img src=x onerror=alert(1)>'));
  const { html } = writeReport(root);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  has(html, /<h1>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/h1>/);
  const document = parse(html);
  const titles = visibleStrings(document).filter((text) => text.includes('alert'));
  assert.ok(titles.length > 0);
  // The email's own script stays inside a sandbox without allow-scripts, under a policy that forbids it.
  has(html, /sandbox="" /);
  const srcdoc = /srcdoc="([^"]*)"/.exec(html)?.[1] ?? '';
  const inner = visibleStrings(parseFragment(`<iframe srcdoc="${srcdoc}"></iframe>`)).find((text) => text.includes('Content-Security-Policy')) ?? '';
  assert.match(inner, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:">/);
  has(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:; base-uri &#39;none&#39;; form-action &#39;none&#39;">/);
});

test('exit codes: 1 with errors (page written), 0 when clean, 2 for usage errors', () => {
  const root = reportProject();
  const withErrors = writeReport(root);
  assert.equal(withErrors.status, 1, withErrors.stderr);
  assert.match(withErrors.stdout, /^wrote report\.html \(\d+ errors?, \d+ warnings?\)\n$/);
  assert.ok(withErrors.html.length > 5000);

  const clean = runCli(['report', 'campaigns/2026-12-winter-sale/campaign.yaml', '-o', join(root, 'winter.html')], { cwd: join(REPO_ROOT, 'examples') });
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(readFileSync(join(root, 'winter.html'), 'utf8'), /No findings: every rule passed\./);

  const usage: [string[], RegExp][] = [
    [['report', CAMPAIGN], /report needs an output file \(-o report\.html\)/],
    [['report', '-o', 'x.html'], /usage: campaign-lint report <campaign\.yaml> -o <report\.html>/],
    [['report', 'campaigns/nope/campaign.yaml', '-o', 'x.html'], /no such campaign file: campaigns\/nope\/campaign\.yaml/],
    [['report', CAMPAIGN, '-o', 'missing/dir/x.html'], /cannot write missing\/dir\/x\.html: the folder missing\/dir does not exist/],
    [['report', CAMPAIGN, '-o', 'campaigns/spring/recipients.csv'], /it is one of the campaign's own files/],
    [['report', CAMPAIGN, '-o', 'x.html', '--show-pii'], /report never shows recipient data/],
  ];
  for (const [args, message] of usage) {
    const run = runCli(args, { cwd: root });
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
  assert.ok(!existsSync(join(root, 'x.html')));
  assert.match(readFileSync(join(root, 'campaigns/spring/recipients.csv'), 'utf8'), /^email,first_name/);
});

test('a campaign that cannot be parsed still gets a page with its fatal finding', () => {
  const root = reportProject('version: 1\nname: [unclosed\n');
  mkdirSync(join(root, 'out'));
  const run = runCli(['report', CAMPAIGN, '-o', 'out/r.html'], { cwd: root });
  assert.equal(run.status, 1, run.stderr);
  const html = readFileSync(join(root, 'out/r.html'), 'utf8');
  has(html, /<td class="rule"><span class="muted">\(fatal\)<\/span><\/td><td>YAML syntax error: /);
  has(html, /No sample message: the campaign file cannot be read or parsed\./);
});

test('the message section shows every recipient header as sent, as preview does, and Bcc beside it', async () => {
  const campaign = campaignYaml('Spring')
    .replace('reply_to: support@mail.example.com\n', 'reply_to: support@mail.example.com\nsender: Desk <desk@mail.example.com>\ncc: [partner@example.org, "{{first_name}} <{{email}}>"]\nbcc: [archive@example.com]\n')
    .replace('headers:\n', 'headers:\n  Return-Receipt-To: receipts@example.net\n');
  const root = reportProject(campaign);
  const config = loadConfig({ cwd: root }, ruleMetas);
  const { data } = await buildReport(join(root, CAMPAIGN), config, { toolVersion: 'test' });
  assert.ok(data.sample.ok);
  const message = data.sample.message;
  assert.deepEqual(message.recipientHeaders, [
    ['Sender', 'Desk <desk@mail.example.com>'],
    ['Return-Receipt-To', 'r***@example.net'],
    ['Cc', 'p***@example.org, "Z***" <Z***@example.com>'],
  ]);
  assert.equal(message.bcc, 'archive@example.com');
  assert.deepEqual(
    message.headers.map(([name]) => name),
    ['List-Unsubscribe', 'List-Unsubscribe-Post'],
  );

  // The same headers, in the same order, as `preview` prints for that row (record 2).
  const preview = runCli(['preview', CAMPAIGN, '--row', '2'], { cwd: root });
  assert.equal(preview.status, 0, preview.stderr);
  const previewHeaders = preview.stdout
    .split(/\r?\n\r?\n/, 1)[0]
    ?.split(/\r?\n(?![ \t])/)
    .map((line) => line.slice(0, line.indexOf(':')))
    .filter((name) => ['sender', 'cc', 'return-receipt-to', 'bcc'].includes(name.toLowerCase()));
  assert.deepEqual(previewHeaders, ['Sender', 'Return-Receipt-To', 'Cc']);

  const { html } = writeReport(root);
  assert.ok(html.includes('<tr><th scope="row">Cc</th><td>p***@example.org, &quot;Z***&quot; &lt;Z***@example.com&gt; <span class="tag bad">every recipient sees these addresses</span></td></tr>'));
  assert.ok(html.includes('<tr><th scope="row">Sender</th><td>Desk &lt;desk@mail.example.com&gt;</td></tr>'));
  assert.ok(html.includes('<tr><th scope="row">Return-Receipt-To</th><td>r***@example.net <span class="tag bad">carries addresses</span></td></tr>'));
  assert.ok(html.includes('<tr><th scope="row">Bcc</th><td>archive@example.com <span class="muted">blind copy: not in the message, no recipient sees it</span></td></tr>'));
  for (const planted of ['partner@example.org', 'receipts@example.net']) assert.ok(!html.includes(planted), `${planted} shown unmasked`);
});

test('a literal `to` is shown as one fixed address, a templated one as one message per recipient', () => {
  const fixed = reportProject(campaignYaml('Spring').replace('to: "{{first_name}} <{{email}}>"', 'to: ops@example.net'));
  const { html } = writeReport(fixed);
  assert.ok(
    html.includes('<tr><th scope="row">To (fixed)</th><td><code>ops@example.net</code> <span class="tag bad">no merge field: every message goes to this one fixed address, not to each recipient</span></td></tr>'),
  );
  assert.ok(!html.includes('one message per recipient'));
  const templated = writeReport(reportProject(campaignYaml('Spring'))).html;
  assert.ok(templated.includes('<tr><th scope="row">To (per recipient)</th><td><code>{{first_name}} &lt;{{email}}&gt;</code> <span class="muted">one message per recipient</span></td></tr>'));
});
