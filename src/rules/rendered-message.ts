import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { normalizeAddress } from '../core/address.js';
import { isValidAddress, trimAddress } from '../core/address.js';
import { findAddresses } from '../core/address.js';
import { HAS_AT, MAY_ENCODE_AT } from '../core/envelope.js';
import { claimHeaderProblem, headerProblem, recipientListOptions, resolveEmailColumn } from '../core/columns.js';
import type { EmailColumn } from '../core/columns.js';
import type { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { maskAddressesInText } from '../core/mask.js';
import { recipientListProblem, recipientsPath } from '../core/recipients.js';
import { buildRowMessage, campaignDefaults, rowData } from '../core/row-message.js';
import { StrideSampler } from '../core/sample.js';
import { campaignTemplates, templateFailurePlace } from '../core/templates.js';
import type { CampaignTemplates } from '../core/templates.js';
import type { RuleContext, SourceLocation } from '../core/types.js';
import { readCsv } from '../parsers/csv.js';
import type { YamlPath } from '../parsers/yaml.js';
import type { RenderedProblem } from '../render/audit.js';
import { decodedForms, mailboxVariants } from '../render/addresses.js';
import type { MessageEnvelope } from '../render/compose.js';
import type { ParsedMessage } from '../render/parse.js';
import { rowChecksOf, suppressedWrittenAddresses } from './_recipients.js';
import { defineRule } from './define.js';

/** Sampled rows whose problems are listed one by one; the rest are counted in one finding. */
export const ROWS_LISTED = 20;

/**
 * A row that stands for "any recipient": its address is one no list holds and its other
 * values carry nothing that looks like an address or a separator. What its message gets
 * wrong, the campaign gets wrong for everyone.
 */
const PROBE_ADDRESS = 'recipient@probe.invalid';
const PROBE_VALUE = 'x';
const FIXED = { date: new Date('2000-01-01T00:00:00Z'), messageId: '<rendered-message@campaign-lint.invalid>', boundarySeed: 'audit' };

interface SampledRow {
  line: number;
  /** Where the row's address is: findings point there. */
  loc: SourceLocation;
  fields: string[];
}

interface RowOutcome {
  row: SampledRow | undefined;
  expectedTo: string;
  problems: RenderedProblem[];
  failure?: { template: string; reason: string };
  message?: { parsed: ParsedMessage; envelope: MessageEnvelope; raw: string };
}

const CODE_MESSAGE_IDS: Record<RenderedProblem['code'], string> = {
  'to-count': 'toCount',
  'to-mismatch': 'toMismatch',
  cc: 'cc',
  'bcc-header': 'bcc',
  'bcc-envelope': 'bcc',
  'other-recipient': 'otherRecipient',
  stranger: 'stranger',
  'display-name': 'displayName',
  'duplicate-header': 'duplicateHeader',
  unreadable: 'unreadable',
};

/**
 * The campaign key a campaign-wide cause comes from. The finding spans that whole entry, and
 * the linter shows it only when no other locked rule reports an error inside that span: the
 * cause is reported once, always under a locked rule, and never left to an unlocked one.
 */
function pathOf(problem: RenderedProblem): YamlPath {
  if (problem.where === 'header:To' || problem.code === 'to-count' || problem.code === 'to-mismatch') return ['to'];
  if (problem.where === 'header:Cc' || problem.code === 'cc') return ['cc'];
  if (problem.where === 'header:Bcc' || problem.code.startsWith('bcc')) return ['bcc'];
  if (problem.where === 'header:Reply-To') return ['reply_to'];
  if (problem.where === 'header:From') return ['from'];
  if (problem.where === 'header:Subject') return ['subject'];
  if (problem.where === 'html' || problem.where === 'text') return ['body', problem.where];
  return ['headers', problem.where.slice('header:'.length)];
}

function sameCause(problem: RenderedProblem, probe: RenderedProblem): boolean {
  return problem.code === probe.code && problem.where === probe.where;
}

function copy(value: string): string {
  // Cells are slices of a 64 KiB read chunk; a copy lets the chunk be collected while the row waits in the sample.
  return Buffer.from(value, 'utf8').toString('utf8');
}

export default defineRule({
  meta: {
    id: 'rendered-message',
    description: 'Require every sampled rendered message to go to its own recipient only, with no other recipient visible',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      toCount: '{{detail}}: {{addresses}}. A value of this row (such as a display name) adds recipients',
      toMismatch: "{{detail}}: it goes to {{addresses}} instead of {{expected}}",
      cc: '{{detail}}: {{addresses}}',
      bcc: '{{detail}}: {{addresses}}',
      otherRecipient: '{{detail}}: {{addresses}} ({{lines}})',
      stranger: '{{detail}}: {{addresses}}',
      displayName: '{{detail}}: {{addresses}}',
      duplicateHeader: '{{detail}}',
      cannotAudit: 'cannot audit the rendered messages: {{reason}}',
      unreadable: 'cannot audit the rendered message: {{detail}}',
      renderFailed: 'the message for this row cannot be rendered: `{{template}}` fails with "{{reason}}"',
      campaignFailed: 'no message can be rendered: `{{template}}` fails with "{{reason}}"',
      helperFailed: 'no message can be rendered: {{detail}}',
      mergedListed: '`{{field}}` in record {{record}} holds {{address}}, {{listed}}: merged into {{template}}, it is shown to this row\'s recipient',
      mergedTooMany: 'cannot audit the merged values: they hold more than {{limit}} different addresses, too many to look up in the lists; merge no addresses into the message',
      senderListed: '`{{field}}` is {{address}}, {{listed}}: every message shows it to every recipient',
      senderListedMany: '`{{field}}` holds {{count}} listed addresses, the first {{address}}, {{listed}}: every message shows them to every recipient',
      campaignWideHeader: 'every rendered message has this problem, whatever the recipient: {{detail}}',
      campaignWide: 'every rendered message has this problem, whatever the recipient: {{detail}}: {{addresses}}',
      moreRows: '{{count}} more sampled row(s) from here on have rendered-message problems (the first {{listed}} rows are listed one by one)',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const csvPath = await recipientsPath(campaign);
    // Fail closed: a campaign whose list cannot be read cannot be audited, and that is an error of this rule.
    if (csvPath === undefined) {
      context.report({
        messageId: 'cannotAudit',
        data: { reason: recipientListProblem(campaign) },
        loc: locationOf(campaign, ['recipients', 'file']),
      });
      return;
    }
    // Fail closed on a declared single-byte encoding the bytes contradict: a UTF-8 list read as
    // Windows-1252 turns every non-ASCII address into another string (`bücher` as `bÃ¼cher`), which
    // no longer matches the same address written in a template.
    if (recipientListOptions(campaign).encoding === 'windows-1252' && isUtf8WithNonAscii(csvPath)) {
      context.report({
        messageId: 'cannotAudit',
        data: { reason: 'the recipient list is UTF-8 with non-ASCII text, but `recipients.encoding` declares Windows-1252, which reads its addresses as other strings: remove `recipients.encoding`' },
        loc: locationOf(campaign, ['recipients', 'encoding']),
      });
    }
    const templates = await campaignTemplates(campaign, config);
    // Fail closed on what the audit cannot render as a sender would read it (see `unreadable`).
    for (const problem of unreadable(campaign, templates)) context.report({ messageId: 'cannotAudit', data: { reason: problem.reason }, loc: locationOf(campaign, problem.path) });
    const sampler = new StrideSampler<SampledRow>(sampleTarget(config.renderSample, templates.templates));
    let names: string[] = [];
    let column: EmailColumn | undefined;
    let emailIndex = -1;
    let rows = 0;
    // The sender and reply-to addresses written in the campaign are shown to everyone: they are
    // checked against every row in the one pass (the row's address is encoded once for all rules).
    const shown: { field: YamlPath; address: string }[] = [];
    for (const field of [['from', 'address'], ['reply_to']] as YamlPath[]) {
      const written = campaign.string(field);
      if (written !== undefined && !written.includes('{{')) for (const found of findAddresses(written)) shown.push({ field, address: found.address });
    }
    // Looked up in the pass the locked rules share: one look-up per row for this rule and sender-address.
    const checks = rowChecksOf(campaign, config);
    const shownIds = shown.map((entry) => checks.watch(entry.address));
    const watchedLines = new Map<number, number>();
    const rowAddress = checks.row;
    // Every row, not the sample: an address a row's cell brings into the subject, a header or a
    // body is shown to that row's recipient. The few addresses found are looked up in the lists
    // once the pass is over.
    const mergedIn = new Map<string, string>();
    for (const template of templates.templates) {
      if (template.parsed.ok) for (const field of template.parsed.fields) if (!mergedIn.has(field.name)) mergedIn.set(field.name, template.label);
    }
    const normalise = (address: string) => normalizeAddress(address, { caseSensitiveLocalPart: config.caseSensitiveLocalPart });
    let mergedColumns: number[] = [];
    const mergedAddresses = new Map<string, MergedAddress>();
    let mergedOverflow = false;
    /** The header's problem when this rule reports it, null when another locked rule does, undefined when there is none. */
    let headerClaim: { reason: string; loc: SourceLocation } | null | undefined;
    return {
      recipientsHeader(header) {
        rowAddress.setHeader(header, campaign);
        names = [...header.names];
        // Exact binding only: the column the audit reads is the one the templates bind.
        column = resolveEmailColumn(campaign, names);
        emailIndex = column.ok ? column.index : -1;
        // A header without the email column is one finding of the first locked rule that cannot check.
        const problem = headerProblem(campaign, header);
        headerClaim = problem && claimHeaderProblem(context, header) ? { reason: problem.message, loc: header.positions[0] ?? { line: 1, column: 1 } } : problem ? null : undefined;
        mergedColumns = names.flatMap((name, index) => (index !== emailIndex && mergedIn.has(name) ? [index] : []));
      },
      recipientRow(record) {
        rows++;
        for (const index of mergedColumns) {
          const value = record.fields[index];
          // An `@`, or `&`/`%` that may encode one (`&#64;`, `%40`): the classes the shared per-row pass computed.
          if (value === undefined || mergedOverflow || (checks.classes(record, index) & (HAS_AT | MAY_ENCODE_AT)) === 0) continue;
          const own = normalise(record.fields[emailIndex] ?? '');
          // A cell merged into HTML with `{{{…}}}` shows `&#64;` as `@`: read the cell in every decoded form.
          for (const found of value.includes('@') && !/[&%"\p{Bidi_Control}]/u.test(value) ? findAddresses(value) : decodedForms(value).flatMap((form) => findAddresses(form))) {
            const key = normalise(found.address);
            if (key === own || mergedAddresses.has(key)) continue;
            if (mergedAddresses.size >= MERGED_ADDRESS_LIMIT) {
              mergedOverflow = true;
              break;
            }
            const name = names[index] ?? '';
            mergedAddresses.set(key, { address: found.address, field: name, template: mergedIn.get(name) ?? '', record: record.index, line: record.line, loc: record.fieldLocation(index) });
          }
        }
        if (shownIds.length > 0) {
          const hit = checks.watchedAddress(record);
          if (hit !== 0 && !watchedLines.has(hit)) watchedLines.set(hit, record.line);
        }
        if (emailIndex === -1 || !sampler.wants(record.index - 1)) return;
        const email = record.fields[emailIndex];
        // Rows without a valid address are recipient-email-valid's to report; no message would be sent to them.
        if (email === undefined || !isValidAddress(trimAddress(email))) return;
        sampler.offer(record.index - 1, () => ({ line: record.line, loc: record.fieldLocation(emailIndex), fields: record.fields.map(copy) }));
      },
      async recipientsEnd() {
        const cannot = (reason: string, path: YamlPath = ['recipients', 'email_column']) => {
          context.report({ messageId: 'cannotAudit', data: { reason }, loc: locationOf(campaign, campaign.has(path) ? path : ['recipients', 'file']) });
        };
        if (column === undefined) {
          cannot('the recipient list has no header row', ['recipients', 'file']);
          return;
        }
        if (headerClaim !== undefined) {
          if (headerClaim !== null) context.report({ messageId: 'cannotAudit', data: { reason: headerClaim.reason }, loc: headerClaim.loc, filePath: csvPath });
          return;
        }
        if (!column.ok) {
          cannot(columnReason(column));
          return;
        }
        // A default for the address column sends every row without an address to that default.
        if (campaignDefaults(campaign).has(column.name)) cannot(`\`defaults\` supplies \`${column.name}\`, the address column: every row without an address would go to that one default`, ['defaults', column.name]);
        // By the first entry of each address, as the rule's own set numbered them before.
        const shownLines = new Map<number, number>();
        shownIds.forEach((id, index) => {
          const line = watchedLines.get(id);
          if (line !== undefined && shownIds.indexOf(id) === index) shownLines.set(index + 1, line);
        });
        await reportShown(context, shown, shownLines);
        await reportMerged(context, csvPath, column.index, mergedAddresses, mergedOverflow, normalise, new Set(sampler.result().map((row) => row.line)));
        // A list without data rows sends nothing: there is no message to audit, and nothing to fail.
        if (rows === 0) return;
        if (sampler.result().length === 0) {
          cannot(`no row of the list has a valid address in column \`${column.name}\`, so no message can be rendered`);
          return;
        }
        await auditSample(context, { campaign, config, templates, csvPath, names, emailIndex, rows: sampler.result() });
      },
    };
  },
});

/** The campaign keys the rendered message is built from, by their spelling folded (case, `-` and `_` ignored). */
const MESSAGE_KEYS = new Map([
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
  ['replyto', 'reply_to'],
  ['from', 'from'],
  ['sender', undefined],
  ['headers', 'headers'],
  ['subject', 'subject'],
  ['body', 'body'],
]);

const typeName = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`);

/**
 * What the rendered message would leave out that a sender reading the campaign more loosely
 * would send: keys spelled in another case (`CC`, `Reply-To`), merge keys (`<<`), values reached
 * through an alias that no template reads, and values of a type the audit does not render (a
 * list or a number in `to`, a mapping in `cc`). nodemailer accepts all of these. The audit renders
 * what it can read; anything else makes it unable to vouch for the message, so it is an error of
 * this rule itself, whatever `schema` says or an inline comment does to it.
 */
function unreadable(campaign: Campaign, { templates }: CampaignTemplates): { path: YamlPath; reason: string }[] {
  const problems: { path: YamlPath; reason: string }[] = [];
  const labels = new Set(templates.map((template) => template.label));
  const data = campaign.data;
  for (const key of Object.keys(data)) {
    if (key === '<<') {
      problems.push({ path: [key], reason: 'a merge key (`<<`) at the top of the campaign can bring in recipient fields the audit does not read; write them out' });
      continue;
    }
    const folded = key.toLowerCase().replace(/[-_]/g, '');
    if (!MESSAGE_KEYS.has(folded)) continue;
    const canonical = MESSAGE_KEYS.get(folded);
    if (key === canonical) continue;
    problems.push({ path: [key], reason: canonical === undefined ? `\`${key}\` sets a message field the audit does not read; remove it` : `\`${key}\` is not read as \`${canonical}\` by the audit, but a sender may send it; spell it \`${canonical}\`` });
  }
  const text = (path: YamlPath) => {
    const value = campaign.get(path);
    if (value === undefined) return;
    const label = path.join('.');
    if (typeof value !== 'string') problems.push({ path, reason: `\`${label}\` is ${typeName(value)}, not text: the audit renders only text, and a sender may send it as addresses` });
    else if (!labels.has(label)) problems.push({ path, reason: `\`${label}\` is reached through a YAML alias the audit does not render; write the value out` });
  };
  for (const path of [['to'], ['subject'], ['reply_to'], ['from', 'name'], ['from', 'address'], ['body', 'text'], ['body', 'html']] as YamlPath[]) {
    if (path[0] === 'body') {
      const value = campaign.get(path);
      if (value !== undefined && typeof value !== 'string') problems.push({ path, reason: `\`${path.join('.')}\` is ${typeName(value)}, not a file name` });
    } else text(path);
  }
  const from = campaign.get(['from']);
  if (from !== undefined && (from === null || typeof from !== 'object' || Array.isArray(from))) problems.push({ path: ['from'], reason: `\`from\` is ${typeName(from)}, not a mapping with \`name\` and \`address\`` });
  for (const key of ['cc', 'bcc'] as const) {
    const value = campaign.get([key]);
    if (value === undefined || typeof value === 'string') continue;
    if (!Array.isArray(value)) problems.push({ path: [key], reason: `\`${key}\` is ${typeName(value)}: the audit renders a list of addresses, and a sender may send this as one` });
    else value.forEach((entry, index) => {
      if (typeof entry !== 'string') problems.push({ path: [key, index], reason: `\`${key}[${index}]\` is ${typeName(entry)}, not text: the audit would leave out an address a sender may add` });
    });
  }
  const headers = campaign.get(['headers']);
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) problems.push({ path: ['headers'], reason: `\`headers\` is ${typeName(headers)}, not a mapping` });
    else {
      for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
        const path: YamlPath = ['headers', name];
        if (name === '<<') problems.push({ path, reason: 'a merge key (`<<`) in `headers` can bring in headers the audit does not read; write them out' });
        // A number or a boolean (`X-Priority: 1`) carries no address: harmless whoever sends it.
        else if (typeof value === 'number' || typeof value === 'boolean') continue;
        else if (typeof value !== 'string') problems.push({ path, reason: `header \`${name}\` is ${typeName(value)}, not text: the audit renders only text, and a sender may send it` });
        else if (!labels.has(`headers.${name}`)) problems.push({ path, reason: `header \`${name}\` is reached through a YAML alias the audit does not render; write the value out` });
      }
    }
  }
  return problems;
}

/** Sender and reply-to addresses that are a recipient's or a suppressed person's: reported at their key. */
async function reportShown(context: RuleContext, shown: readonly { field: YamlPath; address: string }[], lines: ReadonlyMap<number, number>): Promise<void> {
  if (shown.length === 0) return;
  const entries = await suppressedWrittenAddresses(context.campaign, context.config, shown.map((entry) => entry.address));
  // One finding per field, however many listed addresses it holds.
  const byField = new Map<string, { field: YamlPath; address: string; listed: string; count: number }>();
  shown.forEach((entry, index) => {
    const line = lines.get(index + 1);
    const suppressed = entries[index];
    const listed = line !== undefined ? `a recipient's address (recipient list line ${line})` : suppressed ? `on suppression list ${suppressed.source.displayPath} (line ${suppressed.line})` : undefined;
    if (listed === undefined) return;
    const key = entry.field.join('.');
    const seen = byField.get(key);
    if (seen) seen.count++;
    else byField.set(key, { field: entry.field, address: entry.address, listed, count: 1 });
  });
  for (const [key, { field, address, listed, count }] of byField) {
    const data = { field: key, address: context.pii(address), listed, count };
    context.report({ messageId: count === 1 ? 'senderListed' : 'senderListedMany', data, loc: locationOf(context.campaign, field) });
  }
}

/** Addresses a rendered-message finding names before it counts the rest. */
const LISTED_ADDRESSES = 5;

function columnReason(column: Exclude<EmailColumn, { ok: true }>): string {
  if (column.reason === 'type') return '`recipients.email_column` is not a column name';
  if (column.reason === 'spelling') return `the list has no column \`${column.name}\` (written as \`${column.found}\`): a template binds a column only by its exact name`;
  return `the list has no column \`${column.name}\``;
}

interface AuditInput {
  campaign: Campaign;
  config: ResolvedConfig;
  templates: CampaignTemplates;
  csvPath: string;
  names: string[];
  emailIndex: number;
  rows: SampledRow[];
}

async function auditSample(context: RuleContext, input: AuditInput): Promise<void> {
  const { campaign, config, csvPath, names, emailIndex } = input;
  // The mail libraries are loaded only when there is something to render: a lint without recipients stays fast.
  const { renderMessage, parseRenderedMessage, auditRenderedMessage } = await import('../render/index.js');
  const normalise = (address: string) => normalizeAddress(address, { caseSensitiveLocalPart: config.caseSensitiveLocalPart });
  const defaults = campaignDefaults(campaign);
  const probeFields = names.map((_, index) => (index === emailIndex ? PROBE_ADDRESS : PROBE_VALUE));

  const outcome = async (row: SampledRow | undefined): Promise<RowOutcome | { skip: string }> => {
    const fields = row?.fields ?? probeFields;
    const expectedTo = fields[emailIndex] ?? '';
    const built = buildRowMessage(campaign, input.templates, rowData(names, fields, defaults), FIXED);
    if (!built.ok) return built.skip ? { skip: built.reason } : { row, expectedTo, problems: [], failure: { template: built.template, reason: built.reason } };
    const rendered = await renderMessage(built.input);
    if (!rendered.ok) return { row, expectedTo, problems: [], failure: { template: 'to', reason: maskAddressesInText(rendered.error.message) } };
    try {
      const parsed = await parseRenderedMessage(rendered.message.raw);
      return { row, expectedTo, problems: [], message: { parsed, envelope: rendered.message.envelope, raw: rendered.message.raw } };
    } catch (error) {
      return { row, expectedTo, problems: [], failure: { template: 'to', reason: maskAddressesInText(error instanceof Error ? error.message : String(error)) } };
    }
  };

  const probe = await outcome(undefined);
  if ('skip' in probe) {
    // Fail closed: no message renders for anyone, so nothing can be audited.
    const label = /^`([^`]+)`/.exec(probe.skip)?.[1];
    const template = input.templates.templates.find((entry) => entry.label === label);
    context.report({ messageId: 'cannotAudit', data: { reason: `no message can be rendered: ${probe.skip}` }, loc: locationOf(campaign, template?.path ?? ['to']) });
    return;
  }
  const outcomes: RowOutcome[] = [probe];
  // The composer's build waits on stream ticks: rendering the rows together overlaps those waits.
  for (const result of await Promise.all(input.rows.map(outcome))) if (!('skip' in result)) outcomes.push(result);

  // The organisation's addresses are what every message shows whatever the row: the stand-in row's
  // sender and reply-to, the archive, and any address at a sending domain.
  const organisation = new Set<string>(config.organization.archiveAddresses.map(normalise));
  const probeMessage = probe.message?.parsed;
  if (probeMessage?.from) organisation.add(normalise(probeMessage.from.address));
  for (const entry of probeMessage?.replyTo ?? []) organisation.add(normalise(entry.address));
  const domains = config.organization.sendingDomains.map((domain) => domain.trim().toLowerCase()).filter((domain) => domain !== '');
  const isOrganisation = (key: string) => {
    if (organisation.has(key)) return true;
    const domain = key.slice(key.lastIndexOf('@') + 1).toLowerCase();
    return domains.some((own) => domain === own || domain.endsWith(`.${own}`));
  };
  // The fixed Message-ID reads like an address; it is ours, not a recipient's.
  const ignore = new Set([normalise(FIXED.messageId.slice(1, -1))]);
  // The sender, reply-to and archive addresses are not looked up in the lists: a clean campaign then
  // needs no second pass over the list (a From or Reply-To that is a listed address is the static
  // envelope rules' to report, from the campaign file, for every row).
  const audit = (result: RowOutcome, listed: (key: string) => boolean) =>
    result.message
      ? auditRenderedMessage(result.message.parsed, result.message.envelope, {
          expectedTo: result.expectedTo,
          archiveAddresses: config.organization.archiveAddresses,
          normalise,
          otherRecipients: (key) => !organisation.has(key) && listed(key),
          organisation: isOrganisation,
          ignore,
          raw: result.message.raw,
        })
      : [];

  // Which addresses in the messages are on the recipient or a suppression list is known only after a
  // second look at the lists; first collect the few candidates, then read the lists once for them.
  const candidates = new Set<string>();
  for (const result of outcomes) {
    audit(result, (key) => {
      candidates.add(key);
      return false;
    });
  }
  const listedAt = candidates.size > 0 ? await findListed(context, csvPath, emailIndex, candidates, normalise) : new Map<string, string>();
  for (const result of outcomes) result.problems = audit(result, (key) => listedAt.has(key));

  // The first few, then a count: 47 addresses in a Cc line are one problem, not a 1,000-character message.
  const addressList = (addresses: readonly string[]) => {
    const unique = [...new Set(addresses)];
    const listed = unique.slice(0, LISTED_ADDRESSES).map((address) => context.pii(address)).join(', ');
    return unique.length > LISTED_ADDRESSES ? `${listed} and ${unique.length - LISTED_ADDRESSES} more` : listed;
  };
  const linesOf = (addresses: readonly string[]) => {
    // An address shown another way (`bo+news@…`, `"bo"@…`) is listed under one of its variants.
    const lineOf = (address: string) => mailboxVariants(normalise(address)).map((variant) => listedAt.get(variant)).find((line) => line !== undefined);
    const lines = [...new Set(addresses.flatMap((address) => lineOf(address) ?? []))];
    const listed = lines.slice(0, LISTED_ADDRESSES).join('; ');
    return lines.length > LISTED_ADDRESSES ? `${listed} and ${lines.length - LISTED_ADDRESSES} more` : listed;
  };
  const dataOf = (problem: RenderedProblem, addresses: readonly string[]): Record<string, string> => {
    const data: Record<string, string> = { detail: problem.message, addresses: addressList(addresses) || 'none' };
    if (problem.code === 'other-recipient') data.lines = linesOf(addresses);
    return data;
  };

  // What the stand-in row's message gets wrong comes from the campaign itself: reported once, at
  // the campaign key, whatever other rules say (the linter folds it into a locked rule's error there).
  if (probe.failure) {
    const template = input.templates.templates.find((entry) => entry.label === probe.failure?.template);
    // A missing helper is reported at its call in the template, not at the campaign key.
    const place = template && templateFailurePlace(template, probe.failure.reason);
    if (place?.message !== undefined) context.report({ messageId: 'helperFailed', data: { detail: place.message }, loc: place.loc, filePath: place.filePath });
    else {
      context.report({
        messageId: 'campaignFailed',
        data: { template: probe.failure.template, reason: probe.failure.reason },
        loc: locationOf(campaign, template?.path ?? ['to']),
      });
    }
  }
  for (const problem of probe.problems) {
    const shown = problem.addresses.filter((address) => normalise(address) !== normalise(PROBE_ADDRESS));
    const data = dataOf(problem, shown);
    if (problem.code === 'unreadable') {
      context.report({ messageId: 'unreadable', data, loc: locationOf(campaign, pathOf(problem)) });
      continue;
    }
    if (problem.code === 'duplicate-header') {
      context.report({ messageId: 'campaignWideHeader', data: { detail: problem.message }, loc: locationOf(campaign, pathOf(problem)) });
      continue;
    }
    context.report({ messageId: 'campaignWide', data: { detail: problem.message, addresses: data.lines ? `${data.addresses} (${data.lines})` : data.addresses ?? 'none' }, loc: locationOf(campaign, pathOf(problem)) });
  }
  const probeAddresses = new Map<RenderedProblem, Set<string>>(probe.problems.map((problem) => [problem, new Set(problem.addresses.map(normalise))]));
  const fromRow = (result: RowOutcome, problem: RenderedProblem): boolean => {
    const own = normalise(result.expectedTo);
    return !probe.problems.some((cause) => {
      if (!sameCause(problem, cause)) return false;
      const known = probeAddresses.get(cause);
      return problem.addresses.every((address) => normalise(address) === own || known?.has(normalise(address)) === true);
    });
  };

  let listedRows = 0;
  let unlistedRows = 0;
  let firstUnlisted: SourceLocation | undefined;
  for (const result of outcomes) {
    const row = result.row;
    if (row === undefined) continue;
    const failure = result.failure && !(probe.failure?.template === result.failure.template && probe.failure.reason === result.failure.reason) ? result.failure : undefined;
    const problems = result.problems.filter((problem) => fromRow(result, problem));
    if (failure === undefined && problems.length === 0) continue;
    if (listedRows >= ROWS_LISTED) {
      unlistedRows++;
      firstUnlisted ??= row.loc;
      continue;
    }
    listedRows++;
    const loc = { line: row.loc.line, column: row.loc.column };
    if (failure) context.report({ messageId: 'renderFailed', data: { template: failure.template, reason: failure.reason }, filePath: csvPath, loc });
    for (const problem of problems) {
      const data = dataOf(problem, problem.addresses);
      if (problem.code === 'to-mismatch') data.expected = context.pii(result.expectedTo.trim());
      context.report({ messageId: CODE_MESSAGE_IDS[problem.code], data, filePath: csvPath, loc });
    }
  }
  if (firstUnlisted) context.report({ messageId: 'moreRows', data: { count: unlistedRows, listed: ROWS_LISTED }, filePath: csvPath, loc: firstUnlisted });
}

/** Template text the sample may render in all, so that a 1 MiB body does not make 100 renders of 1 MiB. */
export const RENDER_BUDGET_CHARS = 8 * 1024 * 1024;
/** Rows rendered whatever the budget: the sample stays a real second check. */
const MIN_SAMPLE = 8;

/**
 * How many rows to render: `render_sample`, fewer when the templates are so large that the renders
 * would exceed the budget, never fewer than a handful. The every-row checks do not depend on it.
 */
export function sampleTarget(renderSample: number, templates: readonly { source: string }[]): number {
  const perRow = templates.reduce((sum, template) => sum + template.source.length, 0);
  const affordable = Math.floor(RENDER_BUDGET_CHARS / Math.max(1, perRow));
  return Math.max(Math.min(renderSample, MIN_SAMPLE), Math.min(renderSample, affordable));
}

function locationOf(campaign: Campaign, path: YamlPath): SourceLocation {
  for (let length = path.length; length > 0; length--) {
    const prefix = path.slice(0, length);
    if (campaign.has(prefix)) return campaign.entryLocation(prefix);
  }
  // A sender reads `CC` or `Reply-To` as `cc` and `reply_to`: point at the spelling the campaign uses.
  const [first] = path;
  if (typeof first === 'string') {
    const wanted = first.replace(/[-_]/g, '').toLowerCase();
    const written = campaign.keys([]).find((key) => key.replace(/[-_]/g, '').toLowerCase() === wanted);
    if (written !== undefined) return campaign.entryLocation([written]);
  }
  return { line: 1, column: 1 };
}

/** Distinct addresses in merged cells the audit looks up; more fails closed. */
export const MERGED_ADDRESS_LIMIT = 10_000;
/** Merged-cell findings listed one by one. */
const MERGED_LISTED = 100;

interface MergedAddress {
  address: string;
  field: string;
  template: string;
  record: number;
  line: number;
  loc: SourceLocation;
}

/** Addresses that rows' cells merge into the message and that a list holds: each reported at its first cell. */
async function reportMerged(
  context: RuleContext,
  csvPath: string,
  emailIndex: number,
  merged: ReadonlyMap<string, MergedAddress>,
  overflow: boolean,
  normalise: (address: string) => string,
  /** Lines of the rendered sample: their messages are audited whole, and reported at the row. */
  sampledLines: ReadonlySet<number>,
): Promise<void> {
  if (overflow) {
    const first = merged.values().next().value;
    context.report({ messageId: 'mergedTooMany', data: { limit: MERGED_ADDRESS_LIMIT }, filePath: csvPath, loc: first?.loc ?? { line: 1, column: 1 } });
    return;
  }
  const unsampled = [...merged].filter(([, where]) => !sampledLines.has(where.line));
  if (unsampled.length === 0) return;
  // The same mailbox written another way (`"bo"@…`, `bo+news@…`, an `xn--` domain) is the listed one.
  const variants = new Map(unsampled.map(([key]) => [key, mailboxVariants(key)]));
  const listed = await findListed(context, csvPath, emailIndex, new Set([...variants.values()].flat()), normalise);
  let reported = 0;
  for (const [key, where] of unsampled) {
    const place = (variants.get(key) ?? [key]).map((variant) => listed.get(variant)).find((found) => found !== undefined);
    if (place === undefined || reported++ >= MERGED_LISTED) continue;
    context.report({
      messageId: 'mergedListed',
      data: { field: where.field, record: where.record, address: context.pii(where.address), listed: `on ${place}`, template: where.template },
      filePath: csvPath,
      loc: where.loc,
    });
  }
}

/**
 * Where each candidate address is listed: the first line of the recipient list holding it, else the
 * first suppression-list entry. One streaming pass over the recipient list, memory bounded by the candidates.
 */
async function findListed(
  context: RuleContext,
  csvPath: string,
  emailIndex: number,
  candidates: ReadonlySet<string>,
  normalise: (address: string) => string,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  await readCsv(
    csvPath,
    {
      onRecord(record) {
        const email = record.fields[emailIndex];
        if (email === undefined) return;
        const key = normalise(email);
        if (candidates.has(key) && !found.has(key)) found.set(key, `recipient list line ${record.line}`);
      },
      onProblem() {
        // Already reported by the shared pass over the same file.
      },
    },
    recipientListOptions(context.campaign),
  );
  const rest = [...candidates].filter((key) => !found.has(key));
  if (rest.length === 0) return found;
  const entries = await suppressedWrittenAddresses(context.campaign, context.config, rest);
  rest.forEach((key, index) => {
    const entry = entries[index];
    if (entry) found.set(key, `suppression list ${entry.source.displayPath} line ${entry.line}`);
  });
  return found;
}

/** True when the file is valid UTF-8 and holds a non-ASCII character (read in chunks; a split character is carried over). */
function isUtf8WithNonAscii(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry = Buffer.alloc(0);
    let nonAscii = false;
    for (;;) {
      const length = readSync(fd, chunk, 0, chunk.length, null);
      if (length === 0) return nonAscii && carry.length === 0;
      const joined = Buffer.concat([carry, chunk.subarray(0, length)]);
      // Keep an unfinished character (a lead byte and its continuations at the end) for the next chunk.
      let cut = joined.length;
      for (let back = 1; back <= 3 && joined.length - back >= 0; back++) {
        const byte = joined[joined.length - back] ?? 0;
        if ((byte & 0xc0) === 0x80) continue;
        if (byte >= 0xc0) cut = joined.length - back;
        break;
      }
      const whole = joined.subarray(0, cut);
      if (!isUtf8(whole)) return false;
      if (!nonAscii && whole.some((byte) => byte >= 0x80)) nonAscii = true;
      carry = Buffer.from(joined.subarray(cut));
    }
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
