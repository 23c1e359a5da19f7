/**
 * The differential property behind the visibility guarantee (issue 14): whatever a campaign and
 * its list hold, if a message the real composer builds for ANY row shows a recipient an address
 * that is not theirs and not the organisation's, the lint fails with an error from a locked rule.
 *
 * Campaigns are generated with hostile shapes (to/cc/bcc/reply_to/headers with mixed-case keys,
 * wrong types, YAML aliases and merge keys) and rows with hostile values (display-name specials,
 * encoded words, character references, line separators, other rows' addresses). Each is written
 * into a temporary git repository and linted with the real `lint()`. Independently, every row is
 * rendered with the real composer (buildRowMessage + nodemailer), parsed back with postal-mime,
 * and its HTML read with parse5; the oracle below says what a reader is shown.
 *
 * The oracle: in any header (decoded), any address other than the row's own, the constant sender
 * and reply-to, the archive and addresses at a sending domain (in `List-*` headers, the mailing
 * system's, only listed addresses); in the bodies (visible text, link
 * targets, shown attributes), another row's address or a suppressed one (a body may name other
 * people, such as an account manager: only list addresses are leaks there).
 *
 * `npm test` runs a bounded number of cases with a fixed seed; `npm run fuzz` runs many with a
 * random one (FUZZ_SEED, FUZZ_RUNS). Counterexamples found are kept below as fixed cases.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import Papa from 'papaparse';
import { parse as parseHtml } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { decodeWords } from 'postal-mime';
import { Campaign } from '../../src/core/campaign.js';
import { loadConfig } from '../../src/core/config.js';
import { lint } from '../../src/core/lint.js';
import { rowData } from '../../src/core/row-message.js';
import { renderTemplate } from '../../src/parsers/template.js';
import { parseRenderedMessage, renderMessage } from '../../src/render/index.js';
import type { RenderMessageInput } from '../../src/render/index.js';
import { ruleMetas } from '../../src/rules/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 24);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20261203);

const ROWS = ['ann@example.com', 'bo@example.org', 'cy@example.net', 'dee@example.com'];
const SUPPRESSED = 'gone@example.com';
const STRANGERS = ['mallory@example.net', 'zed@example.test'];
const SENDER = 'news@mail.example.com';
const ARCHIVE = 'archive@example.com';
const ORG_OTHER = 'help@mail.example.com';

const POLICY = `extends: recommended
organization:
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
  archive_addresses: [${ARCHIVE}]
approval:
  required: 0
`;

const repo = mkdtempSync(join(tmpdir(), 'campaign-lint-visibility-'));
after(() => {
  rmSync(repo, { recursive: true, force: true });
});
execFileSync('git', ['init', '-q', repo]);
writeFileSync(join(repo, 'campaign-lint.config.yaml'), POLICY);
const locked = loadConfig({ cwd: repo }, ruleMetas).locked;

// --- generators -------------------------------------------------------------------------------

const b64 = (text: string) => `=?utf-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
const qp = (text: string) => `=?utf-8?Q?${[...Buffer.from(text, 'utf8')].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')}?=`;
const entity = (address: string) => fc.constantFrom('&#64;', '&#x40;', '&commat;', '&#0064;').map((at) => address.replace('@', at));

/** An address a value may carry: another row's, a suppressed one, a stranger's, the organisation's. */
const someAddress = fc.constantFrom(...ROWS, SUPPRESSED, ...STRANGERS, ORG_OTHER);
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Ann', 'Bo', 'Cy Dee', 'Smith', 'x') },
  { weight: 3, arbitrary: fc.constantFrom('<', '>', ',', ';', ':', '@', '"', ' ', '\\', '(', ')') },
  { weight: 3, arbitrary: someAddress },
  { weight: 2, arbitrary: someAddress.map((address) => `<${address}>`) },
  { weight: 2, arbitrary: fc.tuple(someAddress, fc.boolean()).map(([address, base64]) => (base64 ? b64 : qp)(`Bo <${address}>, Bo`)) },
  { weight: 2, arbitrary: someAddress.chain(entity) },
  { weight: 1, arbitrary: someAddress.map((address) => address.replace('@', '<span></span>@')) },
  { weight: 1, arbitrary: someAddress.map((address) => address.replace('@', '<!-- -->@')) },
  { weight: 1, arbitrary: fc.tuple(someAddress, fc.constantFrom('\u00AD', '\u200B', '\u2060', '&shy;', '&#8203;')).map(([address, invisible]) => address.replace('@', `${invisible}@`)) },
  { weight: 1, arbitrary: fc.constantFrom('\r\n', '\n', '\u2028', '\u0085', '\t') },
  { weight: 1, arbitrary: someAddress.map((address) => `\r\nBcc: ${address}`) },
  { weight: 1, arbitrary: someAddress.map((address) => `group: ${address};`) },
);
const hostileValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.constantFrom('Ann', 'Bo', 'Cy', "O'Brien", 'Zoë') },
  { weight: 3, arbitrary: fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')) },
);

interface Row {
  email: string;
  first_name: string;
  note: string;
}

const rows = fc
  .tuple(fc.integer({ min: 1, max: ROWS.length }), fc.array(fc.tuple(hostileValue, hostileValue), { minLength: ROWS.length, maxLength: ROWS.length }))
  .map(([count, values]) => ROWS.slice(0, count).map((email, index): Row => ({ email, first_name: values[index]?.[0] ?? '', note: values[index]?.[1] ?? '' })));

/** A YAML scalar, always double-quoted (JSON strings are valid YAML). */
const q = (text: string) => JSON.stringify(text);
const keyCase = (key: string) => fc.constantFrom(key, key, key, key.toUpperCase(), `${key.slice(0, 1).toUpperCase()}${key.slice(1)}`);

/** An address-header value as written in the campaign: a template, a constant, or a wrong type. */
const addressValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(`"${ARCHIVE}"`, `"${SENDER}"`, `"${ORG_OTHER}"`, `[${ARCHIVE}]`) },
  { weight: 2, arbitrary: fc.constantFrom('"{{email}}"', '"{{note}}"', '"{{first_name}} <{{email}}>"', '"{{first_name}} <help@mail.example.com>"') },
  { weight: 1, arbitrary: someAddress.map((address) => q(address)) },
  { weight: 1, arbitrary: someAddress.map((address) => `[${q(address)}]`) },
  { weight: 1, arbitrary: fc.tuple(someAddress, someAddress).map(([a, b]) => `[${q(a)}, ${q(b)}]`) },
  { weight: 1, arbitrary: fc.constantFrom('42', 'true', '["{{note}}"]', `{ address: ${q(ROWS[1] ?? '')} }`, `{ name: "{{note}}", address: ${q(ARCHIVE)} }`) },
);

const toValue = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('"{{first_name}} <{{email}}>"', '"{{email}}"', '"\\"{{first_name}}\\" <{{email}}>"', '"{{{first_name}}} <{{email}}>"') },
  { weight: 2, arbitrary: fc.constantFrom('"{{first_name}} <{{email}}>, {{note}}"', '"{{note}} <{{email}}>"', '"{{first_name}} {{note}} <{{email}}>"') },
  { weight: 1, arbitrary: someAddress.map((address) => q(`{{first_name}} <{{email}}>, ${address}`)) },
  { weight: 1, arbitrary: fc.constantFrom('["{{email}}"]', '42', '["{{email}}", "{{note}}"]') },
  { weight: 1, arbitrary: someAddress.map((address) => q(`${b64(`Bo <${address}>`)} <{{email}}>`)) },
);

const headerEntry = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('X-Ref', 'X-Campaign', 'Comments', 'Keywords'), fc.constantFrom('"{{note}}"', '"{{first_name}}"', `"${ORG_OTHER}"`, '"plain"')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('Cc', 'cc', 'CC', 'Bcc', 'Resent-To', 'Resent-Cc', 'Reply-To', 'Sender', 'X-Original-To'), addressValue) },
  { weight: 1, arbitrary: someAddress.map((address): [string, string] => ['X-Contact', q(address)]) },
);

interface CampaignShape {
  to: string;
  aliasTo: boolean;
  cc: [string, string] | undefined;
  bcc: [string, string] | undefined;
  replyTo: [string, string] | undefined;
  headers: [string, string][];
  mergeHeaders: boolean;
  subject: string;
  text: string | undefined;
  html: string | undefined;
  defaults: boolean;
}

const textBody = fc.oneof(
  fc.constantFrom('Hello {{first_name}}\n', 'Hello {{first_name}}, about {{note}}\n', 'Hi\n'),
  someAddress.map((address) => `Thanks, ${address}!\n`),
);
const htmlBody = fc.oneof(
  fc.constantFrom('<p>Hello {{first_name}}</p>', '<p>About {{note}}</p>', '<p>About {{{note}}}</p>', '<p><a href="mailto:{{note}}">write</a></p>', '<p title="{{note}}">Hi</p>'),
  someAddress.chain(entity).map((written) => `<p>Also here: ${written}</p>`),
  someAddress.map((address) => `<p>${address.replace('@', '<span></span>@')}</p>`),
  someAddress.map((address) => `<p>${address.replace('@', '&shy;@')}</p>`),
  someAddress.chain(entity).map((written) => `<p><a href="mailto:${written}">write</a></p>`),
);

const campaignShape: fc.Arbitrary<CampaignShape> = fc.record({
  to: toValue,
  aliasTo: fc.boolean(),
  cc: fc.option(fc.tuple(keyCase('cc'), addressValue), { nil: undefined, freq: 6 }),
  bcc: fc.option(fc.tuple(keyCase('bcc'), fc.oneof(fc.constant(`[${ARCHIVE}]`), addressValue)), { nil: undefined, freq: 4 }),
  replyTo: fc.option(fc.tuple(keyCase('reply_to'), addressValue), { nil: undefined, freq: 4 }),
  headers: fc.array(headerEntry, { maxLength: 1 }),
  mergeHeaders: fc.boolean(),
  subject: fc.constantFrom('"Hello {{first_name}}"', '"News for {{note}}"', '"Our news"', `"${b64('Hi from ' + ORG_OTHER)}"`),
  text: fc.option(textBody, { nil: undefined, freq: 4 }),
  html: fc.option(htmlBody, { nil: undefined, freq: 2 }),
  defaults: fc.boolean(),
});

function campaignYaml(shape: CampaignShape): string {
  const lines = [
    'version: 1',
    'id: fuzz',
    'name: Fuzzed campaign',
    'category: marketing',
    'author: alice@example.com',
    `from: { name: Example Shop, address: ${SENDER} }`,
  ];
  if (shape.aliasTo) lines.push(`x-to: &to ${shape.to}`, 'to: *to');
  else lines.push(`to: ${shape.to}`);
  lines.push(`subject: ${shape.subject}`);
  const headers = [
    ['List-Unsubscribe', '"<https://mail.example.com/u/{{email}}>"'],
    ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
    ...shape.headers,
  ];
  if (shape.mergeHeaders) {
    lines.unshift(`x-headers: &headers\n${headers.map(([name, value]) => `  ${q(name ?? '')}: ${value}`).join('\n')}`);
    lines.push('headers:', '  <<: *headers');
  } else {
    lines.push('headers:', ...headers.map(([name, value]) => `  ${q(name ?? '')}: ${value}`));
  }
  lines.push('body:');
  if (shape.text !== undefined || shape.html === undefined) lines.push('  text: body.txt');
  if (shape.html !== undefined) lines.push('  html: body.html');
  lines.push('recipients:', '  file: recipients.csv', '  consent_column: consent');
  lines.push('suppress: [bounced.csv]');
  for (const entry of [shape.cc, shape.bcc, shape.replyTo]) if (entry) lines.push(`${entry[0]}: ${entry[1]}`);
  if (shape.defaults) lines.push('defaults:', '  note: friend', '  first_name: there');
  return `${lines.join('\n')}\n`;
}

// --- the oracle: what the composer's messages show ---------------------------------------------

const ADDRESS = /[\p{L}\p{N}._%+'!#$&*/=?^`{|}~-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'td', 'tr', 'th', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'body', 'html', 'section', 'header', 'footer', 'blockquote', 'pre', 'hr']);
const HIDDEN = new Set(['head', 'script', 'style', 'title', 'template', 'noscript']);

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

/** Visible text (blocks separated, inline text joined) and every attribute value, by parse5. */
function htmlShown(html: string): string[] {
  const text: string[] = [];
  const attributes: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === '#text' && 'value' in node) text.push(node.value);
    if ('tagName' in node) {
      for (const attribute of node.attrs) attributes.push(attribute.value);
      if (HIDDEN.has(node.tagName)) return;
    }
    const block = 'tagName' in node && BLOCK.has(node.tagName);
    if (block) text.push('\n');
    if ('childNodes' in node) for (const child of node.childNodes) walk(child);
    if (block) text.push('\n');
  };
  walk(parseHtml(html));
  return [text.join(''), ...attributes.map((value) => value.replace(/%40/gi, '@'))];
}

/** The addresses a text shows, with every shorter reading after URL punctuation (`?ref=bo@…` shows `bo@…`). */
function shownAddresses(text: string): string[] {
  const found: string[] = [];
  // Characters no reader sees split nothing.
  for (const match of text.replace(/\p{Default_Ignorable_Code_Point}/gu, '').matchAll(ADDRESS)) {
    const token = match[0];
    found.push(token);
    for (let index = 0; index < token.indexOf('@'); index++) if ("=/?&#!$'*^`{|}~%+".includes(token[index] ?? '')) found.push(token.slice(index + 1));
  }
  return found.map((address) => address.toLowerCase());
}

interface Leak {
  row: string;
  where: string;
  address: string;
}

/**
 * The message a sending tool would build for a row, from the campaign as YAML resolves it (aliases
 * and merge keys applied): read the most accepting way, so that what the linter's own model skips
 * is still sent here. Keys in any case; a string, a list, an `{ name, address }` object or a
 * number wherever nodemailer takes one. Undefined when the row cannot be rendered at all.
 */
function senderInput(data: Record<string, unknown>, row: Record<string, string>, files: Record<string, string>): RenderMessageInput | undefined {
  const state = { failed: false };
  const render = (text: string, mode: 'text' | 'html' = 'text') => {
    const result = renderTemplate(text, row, { mode });
    if (!result.ok) state.failed = true;
    return result.ok ? result.output : '';
  };
  const merged = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of entries) if (key === '<<') for (const base of [inner].flat()) Object.assign(out, merged(base));
    for (const [key, inner] of entries) if (key !== '<<') out[key] = inner;
    return out;
  };
  const top = merged(data) as Record<string, unknown>;
  const pick = (key: string) => Object.entries(top).filter(([name]) => name.toLowerCase() === key).map(([, value]) => value);
  const addresses = (value: unknown): string[] => {
    if (typeof value === 'string') return [render(value)];
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (Array.isArray(value)) return value.flatMap(addresses);
    if (value !== null && typeof value === 'object') {
      const { name, address } = value as { name?: unknown; address?: unknown };
      if (typeof address === 'string') return [typeof name === 'string' ? `"${render(name)}" <${render(address)}>` : render(address)];
    }
    return [];
  };
  const from = (pick('from')[0] ?? {}) as { name?: unknown; address?: unknown };
  const headers: Record<string, string> = {};
  for (const value of pick('headers')) {
    for (const [name, inner] of Object.entries(merged(value) as Record<string, unknown>)) headers[name] = addresses(inner).join(', ');
  }
  const body = (merged(pick('body')[0]) ?? {}) as { text?: unknown; html?: unknown };
  const input: RenderMessageInput = {
    from: { name: typeof from.name === 'string' ? render(from.name) : '', address: typeof from.address === 'string' ? render(from.address) : '' },
    to: pick('to').flatMap(addresses).join(', '),
    cc: pick('cc').flatMap(addresses),
    bcc: pick('bcc').flatMap(addresses),
    ...(pick('reply_to').length > 0 ? { replyTo: pick('reply_to').flatMap(addresses).join(', ') } : {}),
    subject: pick('subject').flatMap(addresses).join(' '),
    headers,
    ...(typeof body.text === 'string' && files[body.text] !== undefined ? { text: render(files[body.text] ?? '') } : {}),
    ...(typeof body.html === 'string' && files[body.html] !== undefined ? { html: render(files[body.html] ?? '', 'html') } : {}),
    messageId: '<fixed@mail.example.com>',
  };
  return state.failed ? undefined : input;
}

async function leaksOf(dir: string, files: Record<string, string>, rowsData: Row[]): Promise<Leak[]> {
  const campaign = await Campaign.load(join(dir, 'campaign.yaml'), repo);
  if (campaign.yaml.errors.length > 0) return [];
  const data = campaign.data;
  const names = ['email', 'first_name', 'note', 'consent'];
  const rawDefaults = data.defaults;
  const defaults = new Map<string, string>(
    rawDefaults !== null && typeof rawDefaults === 'object' ? Object.entries(rawDefaults as Record<string, unknown>).filter(([, value]) => typeof value === 'string').map(([key, value]) => [key, String(value)]) : [],
  );
  const replyTo = Object.entries(data).find(([key]) => key.toLowerCase() === 'reply_to')?.[1];
  const replyToConstant = typeof replyTo === 'string' && !replyTo.includes('{{') ? replyTo.toLowerCase() : undefined;
  const listed = new Set([...ROWS.slice(0, rowsData.length), SUPPRESSED]);
  const leaks: Leak[] = [];
  for (const row of rowsData) {
    const input = senderInput(data, rowData(names, [row.email, row.first_name, row.note, 'yes'], defaults), files);
    if (input === undefined) continue; // the row cannot be rendered: nothing is sent
    const rendered = await renderMessage(input);
    if (!rendered.ok) continue;
    const parsed = await parseRenderedMessage(rendered.message.raw);
    const own = row.email.toLowerCase();
    const organisation = (address: string) =>
      address === SENDER || address === ARCHIVE || address.endsWith('@mail.example.com') || address.endsWith('.mail.example.com') || replyToConstant?.includes(address) === true;
    const headerTexts: [string, string][] = parsed.headers.filter(([name]) => name.toLowerCase() !== 'message-id').map(([name, value]) => [name, decodeWords(value)]);
    for (const entry of [...parsed.to, ...parsed.cc, ...parsed.bcc, ...parsed.replyTo]) headerTexts.push(['address', `${entry.name} <${entry.address}>`]);
    // A Bcc the message no longer shows still delivers it: the envelope is what is sent.
    for (const address of rendered.message.envelope.to) headerTexts.push(['envelope', address]);
    for (const [where, text] of headerTexts) {
      // A token counts when none of its readings is the row's own or the organisation's.
      for (const match of text.replace(/\p{Default_Ignorable_Code_Point}/gu, '').matchAll(ADDRESS)) {
        const readings = shownAddresses(match[0]);
        if (readings.some((address) => address === own || organisation(address))) {
          for (const address of readings) if (address !== own && listed.has(address)) leaks.push({ row: row.email, where, address });
          continue;
        }
        // List-* headers are the mailing system's (an ESP's unsubscribe mailto): only listed addresses count there.
        if (/^list-/i.test(where)) {
          for (const address of readings) if (listed.has(address)) leaks.push({ row: row.email, where, address });
          continue;
        }
        leaks.push({ row: row.email, where, address: readings.at(-1) ?? match[0] });
      }
    }
    const bodies: [string, string][] = [];
    if (parsed.text !== undefined) bodies.push(['text', parsed.text]);
    if (parsed.html !== undefined) for (const text of htmlShown(parsed.html)) bodies.push(['html', text]);
    for (const [where, text] of bodies) for (const address of shownAddresses(text)) if (address !== own && listed.has(address)) leaks.push({ row: row.email, where, address });
  }
  return leaks;
}

// --- the property ------------------------------------------------------------------------------

let runIndex = 0;

function filesOf(shape: CampaignShape, rowsData: Row[]): Record<string, string> {
  const files: Record<string, string> = {
    'campaign.yaml': campaignYaml(shape),
    'recipients.csv': `${Papa.unparse({ fields: ['email', 'first_name', 'note', 'consent'], data: rowsData.map((row) => [row.email, row.first_name, row.note, 'yes']) }, { newline: '\n' })}\n`,
    'bounced.csv': `email\n${SUPPRESSED}\n`,
    'body.txt': `${shape.text ?? 'Hello\n'}\nUnsubscribe: https://mail.example.com/u/{{email}}\nExample Ltd, 1 Main Street, London N1 1AA\n`,
  };
  if (shape.html !== undefined) files['body.html'] = `<html><body>${shape.html}<p><a href="https://mail.example.com/u/{{email}}">Unsubscribe</a></p><p>Example Ltd, 1 Main Street, London N1 1AA</p></body></html>\n`;
  return files;
}

async function check(shape: CampaignShape, rowsData: Row[]): Promise<void> {
  const dir = join(repo, `c${runIndex++}`);
  mkdirSync(dir, { recursive: true });
  try {
    const files = filesOf(shape, rowsData);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const leaks = await leaksOf(dir, files, rowsData);
    if (leaks.length === 0) return;
    const run = await lint({ cwd: repo, patterns: [join(dir, 'campaign.yaml')] });
    const errors = run.results.flatMap((result) => result.messages.filter((message) => message.severity === 2));
    const lockedErrors = errors.filter((message) => message.ruleId === null || locked.has(message.ruleId));
    assert.ok(
      lockedErrors.length > 0,
      `a message shows an address that is not the row's own nor the organisation's, and no locked rule fails the lint:\n` +
        `${JSON.stringify(leaks.slice(0, 5))}\n--- campaign.yaml\n${campaignYaml(shape)}--- rows\n${JSON.stringify(rowsData)}\n--- errors\n${errors.map((message) => `${String(message.ruleId)}: ${message.message}`).join('\n')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('whenever a rendered message shows a stranger or another recipient, a locked rule fails the lint', { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(campaignShape, rows, async (shape, rowsData) => {
      await check(shape, rowsData);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

/**
 * The sharper form: a clean campaign and list with ONE hostile value injected (one cell of one row,
 * merged into a display name, a header, a link or the body). Any leak then comes from that value
 * alone, so no other finding can stand in for the one that must catch it.
 */
const oneInjection = fc
  .record({
    html: fc.constantFrom('<p>About {{{note}}}</p>', '<p>About {{note}}</p>', '<p><a href="mailto:{{note}}">write</a></p>', '<p title="{{note}}">Hi</p>', '<p><img alt="{{note}}" src="https://mail.example.com/i.png"></p>'),
    to: fc.constantFrom('"{{first_name}} <{{email}}>"', '"\\"{{first_name}}\\" <{{email}}>"', '"{{email}}"'),
    row: fc.integer({ min: 0, max: ROWS.length - 1 }),
    column: fc.constantFrom('first_name', 'note', 'template'),
    replyTo: fc.boolean(),
    value: fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')),
  })
  .map(({ html, to, row, column, replyTo, value }) => {
    const shape: CampaignShape = {
      to,
      aliasTo: false,
      cc: undefined,
      bcc: undefined,
      // A row value as the Reply-To's display name: what Reply-All shows and mails.
      replyTo: replyTo ? ['reply_to', '"{{note}} <help@mail.example.com>"'] : undefined,
      headers: [['X-Ref', '"{{note}}"']],
      mergeHeaders: false,
      subject: '"Hello {{first_name}}"',
      text: 'Hello {{first_name}}, about {{note}}\n',
      html,
      defaults: false,
    };
    const rowsData = ROWS.map((email, index): Row => ({ email, first_name: ['Ann', 'Bo', 'Cy', 'Dee'][index] ?? 'x', note: 'news' }));
    const target = rowsData[row];
    // The value written into the HTML template itself instead of a cell: the same for every row.
    if (column === 'template') shape.html = `${html}<p>${value}</p>`;
    else if (target) target[column] = value;
    return { shape, rowsData };
  });

test('one hostile value in a clean campaign: if any message shows it, a locked rule fails the lint', { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(oneInjection, async ({ shape, rowsData }) => {
      await check(shape, rowsData);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

/** Counterexamples the property found, kept as fixed cases (each failed before its fix). */
const FOUND: { name: string; shape: CampaignShape; rows: Row[] }[] = [
  {
    // FUZZ_SEED=2: a display-name value that is itself a Q-encoded word is encoded once more by the
    // composer; read decoded only once, the Subject and a header showed `=?utf-8?Q?…?=`, not the
    // suppressed address a client that decodes again shows.
    name: 'seed 2: an encoded word inside an encoded word (Subject, custom header)',
    shape: {
      to: '"{{email}}"',
      aliasTo: false,
      cc: undefined,
      bcc: undefined,
      replyTo: undefined,
      headers: [['Keywords', '"{{first_name}}"']],
      mergeHeaders: false,
      subject: '"Hello {{first_name}}"',
      text: 'Hi\n',
      html: '<p><a href="mailto:{{note}}">write</a></p>',
      defaults: true,
    },
    rows: [{ email: 'ann@example.com', first_name: '=?utf-8?Q?=42=6F=20=3C=67=6F=6E=65=40=65=78=61=6D=70=6C=65=2E=63=6F=6D=3E=2C=20=42=6F?=,', note: "O'Brien" }],
  },
  {
    // Development run before rendered-message read the campaign's shape itself: a top-level `CC`
    // key (and merged headers) that the composer's model skipped. Also closed by area A's envelope model.
    name: 'a top-level `CC` key and headers from a merge key',
    shape: {
      to: '"{{first_name}} <{{email}}>"',
      aliasTo: false,
      cc: ['CC', '["gone@example.com"]'],
      bcc: ['bcc', '[archive@example.com]'],
      replyTo: undefined,
      headers: [['Resent-To', '["{{note}}"]']],
      mergeHeaders: true,
      subject: '"Hello {{first_name}}"',
      text: 'Hello {{first_name}}, about {{note}}\n',
      html: undefined,
      defaults: true,
    },
    rows: [
      { email: 'ann@example.com', first_name: "O'Brien", note: 'Bo' },
      { email: 'bo@example.org', first_name: '', note: 'Cy Dee:' },
    ],
  },
  {
    // The one-injection property (FUZZ_SEED=5) with invisible characters not yet removed: a word
    // joiner inside a stranger's address in a display name; every client shows the address whole.
    name: 'seed 5: a word joiner (U+2060) inside an address in a merged display name',
    shape: {
      to: '"{{email}}"',
      aliasTo: false,
      cc: undefined,
      bcc: undefined,
      replyTo: undefined,
      headers: [['X-Ref', '"{{note}}"']],
      mergeHeaders: false,
      subject: '"Hello {{first_name}}"',
      text: 'Hello {{first_name}}, about {{note}}\n',
      html: '<p title="{{note}}">Hi</p>',
      defaults: false,
    },
    rows: [
      { email: 'ann@example.com', first_name: 'Ann', note: 'news' },
      { email: 'bo@example.org', first_name: 'mallory\u2060@example.net Smith', note: 'news' },
    ],
  },
];

for (const found of FOUND) {
  test(`fixed counterexample: ${found.name}`, async () => {
    const files = filesOf(found.shape, found.rows);
    const dir = join(repo, 'fixed');
    mkdirSync(dir, { recursive: true });
    try {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      assert.ok((await leaksOf(dir, files, found.rows)).length > 0, 'the case still shows an address (the oracle sees it)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await check(found.shape, found.rows);
  });
}
