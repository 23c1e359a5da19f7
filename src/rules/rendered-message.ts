import { normalizeAddress } from '../core/address.js';
import { isValidAddress } from '../core/address.js';
import type { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { maskAddressesInText } from '../core/mask.js';
import { recipientsPath } from '../core/recipients.js';
import { allowedAddresses, buildRowMessage, campaignDefaults, rowData } from '../core/row-message.js';
import { StrideSampler } from '../core/sample.js';
import { campaignTemplates } from '../core/templates.js';
import type { CampaignTemplates } from '../core/templates.js';
import type { RuleContext, SourceLocation } from '../core/types.js';
import { readCsv } from '../parsers/csv.js';
import type { YamlPath } from '../parsers/yaml.js';
import type { RenderedProblem } from '../render/audit.js';
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
  audit?: (otherRecipients: (key: string) => boolean) => RenderedProblem[];
}

const CODE_MESSAGE_IDS: Record<RenderedProblem['code'], string> = {
  'to-count': 'toCount',
  'to-mismatch': 'toMismatch',
  cc: 'cc',
  'bcc-header': 'bcc',
  'bcc-envelope': 'bcc',
  'other-recipient': 'otherRecipient',
};

/** The static rule that reports a campaign-wide cause at its YAML position, and that position. */
function ownerOf(problem: RenderedProblem): { rule: string; path: YamlPath } {
  if (problem.where === 'header:To' || problem.code === 'to-count' || problem.code === 'to-mismatch') return { rule: 'single-recipient-to', path: ['to'] };
  if (problem.where === 'header:Cc' || problem.code === 'cc') return { rule: 'no-cc', path: ['cc'] };
  if (problem.where === 'header:Bcc' || problem.code.startsWith('bcc')) return { rule: 'no-bulk-bcc', path: ['bcc'] };
  if (problem.where === 'html' || problem.where === 'text') return { rule: 'no-recipient-data-leak', path: ['body', problem.where] };
  return { rule: 'no-recipient-data-leak', path: ['headers', problem.where.slice('header:'.length)] };
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
      otherRecipient: '{{detail}}: {{addresses}} (recipient list line {{lines}})',
      renderFailed: 'the message for this row cannot be rendered: `{{template}}` fails with "{{reason}}"',
      campaignFailed: 'no message can be rendered: `{{template}}` fails with "{{reason}}"',
      campaignWide: 'every rendered message has this problem, whatever the recipient: {{detail}}: {{addresses}}',
      moreRows: '{{count}} more sampled row(s) from here on have rendered-message problems (the first {{listed}} rows are listed one by one)',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const csvPath = await recipientsPath(campaign);
    if (csvPath === undefined) return;
    const templates = await campaignTemplates(campaign, config);
    const emailColumn = campaign.string(['recipients', 'email_column']) ?? 'email';
    const sampler = new StrideSampler<SampledRow>(config.renderSample);
    let names: string[] = [];
    let emailIndex = -1;
    return {
      recipientsHeader(header) {
        names = [...header.names];
        emailIndex = names.indexOf(emailColumn);
      },
      recipientRow(record) {
        if (emailIndex === -1 || !sampler.wants(record.index - 1)) return;
        const email = record.fields[emailIndex];
        // Rows without a valid address are recipient-email-valid's to report; no message would be sent to them.
        if (email === undefined || !isValidAddress(email.trim())) return;
        sampler.offer(record.index - 1, () => ({ line: record.line, loc: record.fieldLocation(emailIndex), fields: record.fields.map(copy) }));
      },
      async recipientsEnd() {
        // Nothing sampled, nothing to render: the mail libraries are then never loaded.
        if (emailIndex === -1 || sampler.result().length === 0) return;
        await auditSample(context, { campaign, config, templates, csvPath, names, emailIndex, rows: sampler.result() });
      },
    };
  },
});

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

  const outcome = async (row: SampledRow | undefined): Promise<RowOutcome | undefined> => {
    const fields = row?.fields ?? probeFields;
    const expectedTo = fields[emailIndex] ?? '';
    const built = buildRowMessage(campaign, input.templates, rowData(names, fields, defaults), FIXED);
    if (!built.ok) return built.skip ? undefined : { row, expectedTo, problems: [], failure: { template: built.template, reason: built.reason } };
    const rendered = await renderMessage(built.input);
    if (!rendered.ok) return { row, expectedTo, problems: [], failure: { template: 'to', reason: maskAddressesInText(rendered.error.message) } };
    const parsed = await parseRenderedMessage(rendered.message.raw);
    // The fixed Message-ID reads like an address; it is ours, not a recipient's.
    const allowed = new Set([...allowedAddresses(built.input, config.organization.archiveAddresses), FIXED.messageId.slice(1, -1)].map(normalise));
    const audit = (otherRecipients: (key: string) => boolean) =>
      auditRenderedMessage(parsed, rendered.message.envelope, {
        expectedTo,
        archiveAddresses: config.organization.archiveAddresses,
        normalise,
        otherRecipients: (key) => !allowed.has(key) && otherRecipients(key),
      });
    return { row, expectedTo, problems: [], audit };
  };

  const probe = await outcome(undefined);
  if (probe === undefined) return; // the campaign cannot be rendered at all; the static rules and the linter say why
  const outcomes: RowOutcome[] = [probe];
  // The composer's build waits on stream ticks: rendering the rows together overlaps those waits.
  for (const result of await Promise.all(input.rows.map(outcome))) if (result) outcomes.push(result);

  // Which addresses in the messages might be other recipients' is known only after a second
  // look at the list; first collect the few candidates, then stream the list once for them.
  const candidates = new Set<string>();
  for (const result of outcomes) {
    result.problems = result.audit?.((key) => {
      candidates.add(key);
      return false;
    }) ?? [];
  }
  const recipientLines = candidates.size > 0 ? await findRecipients(csvPath, emailIndex, candidates, normalise) : new Map<string, number>();
  if (recipientLines.size > 0) {
    for (const result of outcomes) {
      const others = result.audit?.((key) => recipientLines.has(key)).filter((problem) => problem.code === 'other-recipient') ?? [];
      result.problems.push(...others);
    }
  }

  const addressList = (addresses: readonly string[]) => [...new Set(addresses)].map((address) => context.pii(address)).join(', ');
  const linesOf = (addresses: readonly string[]) =>
    [...new Set(addresses.flatMap((address) => recipientLines.get(normalise(address)) ?? []))].sort((a, b) => a - b).join(', ');

  // What the probe row gets wrong comes from the campaign itself: the static rule that owns it
  // reports it at the YAML position; only when that rule is off is it reported here, once.
  if (probe.failure) {
    const template = input.templates.templates.find((entry) => entry.label === probe.failure?.template);
    context.report({
      messageId: 'campaignFailed',
      data: { template: probe.failure.template, reason: probe.failure.reason },
      loc: locationOf(campaign, template?.path ?? ['to']),
    });
  }
  for (const problem of probe.problems) {
    const owner = ownerOf(problem);
    if ((config.rules.get(owner.rule)?.severity ?? 0) > 0) continue;
    const shown = problem.addresses.filter((address) => normalise(address) !== normalise(PROBE_ADDRESS));
    context.report({ messageId: 'campaignWide', data: { detail: problem.message, addresses: addressList(shown) || 'none' }, loc: locationOf(campaign, owner.path) });
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
      const messageId = CODE_MESSAGE_IDS[problem.code];
      const data: Record<string, string> = { detail: problem.message, addresses: addressList(problem.addresses) };
      if (problem.code === 'to-mismatch') data.expected = context.pii(result.expectedTo.trim());
      if (problem.code === 'other-recipient') data.lines = linesOf(problem.addresses);
      context.report({ messageId, data, filePath: csvPath, loc });
    }
  }
  if (firstUnlisted) context.report({ messageId: 'moreRows', data: { count: unlistedRows, listed: ROWS_LISTED }, filePath: csvPath, loc: firstUnlisted });
}

function locationOf(campaign: Campaign, path: YamlPath): SourceLocation {
  for (let length = path.length; length > 0; length--) {
    const prefix = path.slice(0, length);
    if (campaign.has(prefix)) return campaign.entryLocation(prefix);
  }
  return { line: 1, column: 1 };
}

/** The first line of each candidate address in the recipient list: one streaming pass, memory bounded by the candidates. */
async function findRecipients(csvPath: string, emailIndex: number, candidates: ReadonlySet<string>, normalise: (address: string) => string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await readCsv(csvPath, {
    onRecord(record) {
      const email = record.fields[emailIndex];
      if (email === undefined) return;
      const key = normalise(email);
      if (candidates.has(key) && !found.has(key)) found.set(key, record.line);
    },
    onProblem() {
      // Already reported by the shared pass over the same file.
    },
  });
  return found;
}
