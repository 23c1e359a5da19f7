import Handlebars from 'handlebars';
import { claimHeaderProblem, emailColumnName, headerProblem, resolveEmailColumn } from '../core/columns.js';
import { ENVELOPE_MESSAGES, UNSAFE_NAME, UNSAFE_QUOTED, addNameUse, literalProblem, unbalancedQuote, describeUnsafe, envelopeOf, fieldsOf, mergedColumns, mergedKeys, quotedFields, reportEnvelopeProblems, unsafeAddressIndex, unsafeFor } from '../core/envelope.js';
import type { MergedColumn, NameUse } from '../core/envelope.js';
import { recipientListProblem, recipientsPath } from '../core/recipients.js';
import type { RuleContext } from '../core/types.js';
import { templateNestingProblem } from '../parsers/template.js';
import { CappedReporter, rowChecksOf } from './_recipients.js';
import { PAYLOAD_MESSAGES } from '../payloads/judge.js';
import { reportPayloadFindings } from '../payloads/report.js';
import { defineRule } from './define.js';

/**
 * The run of characters other than whitespace, `<>"',;` around the first `@` of `text` (what
 * the expression `[^\s<>"',;]*@[^\s<>"',;]*` matched), found from the `@` outwards: it, retried
 * from every character, was quadratic on a long literal without `@`.
 */
function addressAround(text: string): string | undefined {
  const at = text.indexOf('@');
  if (at === -1) return undefined;
  const isBreak = (char: string | undefined) => char === undefined || /[\s<>"',;]/.test(char);
  let start = at;
  while (start > 0 && !isBreak(text[start - 1])) start--;
  let end = at + 1;
  while (end < text.length && !isBreak(text[end])) end++;
  return text.slice(start, end);
}

type Statement = hbs.AST.Statement;

/**
 * Why a `to` template can yield something other than the row's own single
 * address, or undefined when it has one of the two accepted shapes:
 * `{{email}}` or `Display Name <{{email}}>` (merge fields allowed in the name).
 */
export function recipientTemplateProblem(source: string, emailColumn: string): { messageId: string; data?: Record<string, string> } | undefined {
  let program: hbs.AST.Program;
  // Too deep for the parser: the linter reports it as a template syntax error.
  if (templateNestingProblem(source)) return undefined;
  try {
    program = Handlebars.parse(source);
  } catch {
    // A template that does not parse is a fatal finding of the linter itself.
    return undefined;
  }
  const statements = program.body.filter((statement) => statement.type !== 'CommentStatement');
  const literal = statements.map((statement) => (isContent(statement) ? statement.value : '')).join('');
  const literalAddress = addressAround(literal);
  if (literalAddress !== undefined) return { messageId: 'literalAddress', data: { address: literalAddress } };
  const separator = /[,;]/.exec(literal);
  if (separator) return { messageId: 'separator', data: { separator: separator[0] } };
  const dynamic = statements.find((statement) => !isContent(statement) && !isField(statement));
  if (dynamic) return { messageId: 'dynamic', data: { kind: describeStatement(dynamic) } };

  const emailUses = statements.filter((statement) => isField(statement, emailColumn)).length;
  if (emailUses === 0) return { messageId: 'missingAddressField', data: { column: emailColumn } };
  if (emailUses > 1) return { messageId: 'repeatedAddressField', data: { column: emailColumn } };

  const emailIndex = statements.findIndex((statement) => isField(statement, emailColumn));
  const before = statements.slice(0, emailIndex);
  const after = statements.slice(emailIndex + 1);
  const onlyWhitespace = (list: Statement[]) => list.every((statement) => isContent(statement) && statement.value.trim() === '');
  if (onlyWhitespace(before) && onlyWhitespace(after)) return undefined;

  const closing = after.map((statement) => (isContent(statement) ? statement.value : '\u0000')).join('');
  const opening = before[before.length - 1];
  const displayNameOk =
    closing.trim() === '>' &&
    opening !== undefined &&
    isContent(opening) &&
    opening.value.trimEnd().endsWith('<') &&
    !opening.value.trimEnd().slice(0, -1).includes('<') &&
    before.every((statement) => !isContent(statement) || !/[<>]/.test(statement === opening ? statement.value.trimEnd().slice(0, -1) : statement.value));
  if (displayNameOk) return undefined;
  const otherField = [...before, ...after].find((statement) => isField(statement));
  if (otherField && isField(otherField)) {
    return { messageId: 'secondField', data: { field2: fieldName(otherField) ?? '', column: emailColumn } };
  }
  return { messageId: 'shape', data: { column: emailColumn } };
}

function isContent(statement: Statement): statement is hbs.AST.ContentStatement {
  return statement.type === 'ContentStatement';
}

/** The column a lone mustache reads: `{{email}}`, `{{[E-mail Address]}}`, or `{{"E-mail Address"}}` (Handlebars looks a lone string up too). */
function fieldName(mustache: hbs.AST.MustacheStatement): string | undefined {
  if (mustache.path.type === 'PathExpression') return (mustache.path as hbs.AST.PathExpression).original;
  if (mustache.path.type === 'StringLiteral') return (mustache.path as hbs.AST.StringLiteral).value;
  return undefined;
}

function isField(statement: Statement, name?: string): statement is hbs.AST.MustacheStatement {
  if (statement.type !== 'MustacheStatement') return false;
  const mustache = statement as hbs.AST.MustacheStatement;
  if (mustache.params.length > 0 || (mustache.hash as hbs.AST.Hash | undefined)?.pairs.length) return false;
  const field = fieldName(mustache);
  return field !== undefined && (name === undefined || field === name);
}

function describeStatement(statement: Statement): string {
  switch (statement.type) {
    case 'BlockStatement':
      return 'a block helper';
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return 'a partial';
    case 'MustacheStatement':
      return 'a helper call';
    default:
      return statement.type;
  }
}

export function checkRecipientTemplate(
  context: RuleContext,
  source: string,
  field: string,
  loc: Parameters<RuleContext['report']>[0]['loc'],
  emailColumn: string,
): void {
  const problem = recipientTemplateProblem(source, emailColumn);
  if (!problem) return;
  const data: Record<string, string> = { field, ...problem.data };
  if (data.address !== undefined) data.address = context.pii(data.address);
  context.report({ messageId: problem.messageId, data, loc });
}

export default defineRule({
  meta: {
    id: 'single-recipient-to',
    description: 'Require `to` to yield exactly one address, taken from the recipient row, on every row',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      ...PAYLOAD_MESSAGES['single-recipient-to'],
      ...ENVELOPE_MESSAGES,
      literalAddress: '`{{field}}` contains the literal address {{address}}: every message would go to it. Use the recipient\'s address column',
      separator: '`{{field}}` contains the list separator `{{separator}}`: it must yield exactly one address per message',
      dynamic: '`{{field}}` uses {{kind}}: it must be the recipient\'s address column, optionally with a display name',
      missingAddressField: '`{{field}}` does not use the recipient\'s address column `{{column}}`: each message must go to its own row\'s address',
      repeatedAddressField: '`{{field}}` uses the address column `{{column}}` more than once',
      secondField: '`{{field}}` puts merge field `{{field2}}` next to the address: only `{{column}}` may form the address, other fields only inside a display name (`Name <…>`)',
      shape: '`{{field}}` must be the address column alone or `Display Name <…{{column}}…>`',
      literalUnsafe: '`{{field}}` contains {{what}} in its own text: a mail client would decode or split it and could show other addresses',
      missingTo: 'the campaign has no `to`: each message must go to its own row\'s address, and a To that is not written cannot be checked',
      unparsable: '`{{field}}` is not a valid template ({{reason}}): a To that cannot be read cannot be checked',
      emailColumnType: '`recipients.email_column` must be a non-empty string (it is `{{value}}`): no template can bind it',
      emailColumnSpelling:
        'the list has no column spelled `{{name}}` (recipients.email_column), only `{{found}}`: templates bind fields exactly, so write `email_column` as the header spells it, and the same in `to`',
      emailColumnMissing: '`to` cannot be bound to the recipient\'s address: {{problem}}',
      emailColumnRepeated: 'the list has {{count}} columns named `{{name}}`: which one a message goes to depends on the sender. Keep one',
      defaultsAddressField: '`defaults.{{key}}` supplies `{{key}}`, which `{{field}}` uses: a default in an address header sends rows without a value to the one default address. Remove it',
      defaultsUnsafeName: '`defaults.{{key}}` is merged into the display name of `{{field}}` and contains {{what}}: the composer could read other or more addresses from it',
      defaultsEmailColumn: '`defaults.{{key}}` gives the address column `{{column}}` a default: every row without an address would go to it. Remove it',
      noList: '`to` cannot be checked against the recipient list: {{reason}}',
      noHeader: '`to` cannot be checked: the recipient list has no header row',
      unsafeName:
        '`{{field}}` in record {{record}} (`{{value}}`) contains {{what}}, and `{{template}}` merges it into the display name: the composer could read other or more addresses from it. Clean the value',
      unsafeAddress: 'the address in record {{record}} (`{{value}}`) contains {{what}}: merged into `{{template}}` it could yield other or more addresses than one',
      more: '{{count}} more recipient values unsafe in `to` are not listed (the first {{limit}} are)',
    },
  },
  async check(context) {
    const { campaign } = context;
    const envelope = envelopeOf(campaign);
    // A sending-platform payload (src/payloads): the same classes, judged per message the platform sends.
    if (envelope.payload) {
      reportPayloadFindings(context, envelope.payload);
      return undefined;
    }
    reportEnvelopeProblems(context, envelope);
    const toEntries = envelope.of('to');
    const column = emailColumnName(campaign);
    if (column === undefined) {
      context.report({ messageId: 'emailColumnType', data: { value: String(campaign.get(['recipients', 'email_column'])) }, loc: campaign.entryLocation(['recipients', 'email_column']) });
    }
    if (toEntries.length === 0) context.report({ messageId: 'missingTo', loc: campaign.keyLocation(['to']) });

    // Merge fields of the display names, and the template each is merged by.
    const nameFields = new Map<string, NameUse>();
    const toFields = new Map<string, string>();
    for (const entry of toEntries) {
      if (entry.type !== 'string') continue; // reported as unexpectedType
      for (const part of entry.parts) {
        if (!part.parsed.ok) {
          context.report({ messageId: 'unparsable', data: { field: entry.field, reason: part.parsed.error.message.split('\n', 1)[0] ?? '' }, loc: part.loc });
          continue;
        }
        const literal = literalProblem(part) ?? (unbalancedQuote(part) ? 'a double quote that is never closed' : undefined);
        if (literal !== undefined) context.report({ messageId: 'literalUnsafe', data: { field: entry.field, what: literal }, loc: part.loc });
        if (column !== undefined) checkRecipientTemplate(context, part.source, entry.field, part.loc, column);
        const quoted = quotedFields(part);
        for (const field of fieldsOf(part)) {
          if (!toFields.has(field)) toFields.set(field, entry.field);
          if (field !== column) addNameUse(nameFields, field, entry.field, quoted.get(field) ?? false);
        }
      }
    }
    // A default for the address column sends every row without one to the same address. A default
    // for a display-name field is a constant: checked here, once, as every row's value is below.
    for (const { key, loc, value } of mergedKeys(campaign, ['defaults'])) {
      const emailKey = column?.trim().toLowerCase();
      if (column !== undefined && key.trim().toLowerCase() === emailKey) {
        context.report({ messageId: 'defaultsEmailColumn', data: { key, column }, loc });
        continue;
      }
      const use = nameFields.get(key);
      if (use !== undefined) {
        const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
        const bad = typeof value === 'object' && value !== null ? 0 : unsafeFor(text, use.quoted);
        if (bad !== -1) context.report({ messageId: 'defaultsUnsafeName', data: { key, field: use.template, what: typeof value === 'object' && value !== null ? 'a value that is not text' : describeUnsafe(text, bad) }, loc });
      } else if (toFields.has(key)) {
        context.report({ messageId: 'defaultsAddressField', data: { key, field: toFields.get(key) ?? 'to' }, loc });
      }
    }

    const filePath = await recipientsPath(campaign);
    if (filePath === undefined) {
      context.report({ messageId: 'noList', data: { reason: recipientListProblem(campaign) }, loc: campaign.has(['recipients', 'file']) ? campaign.valueLocation(['recipients', 'file']) : campaign.keyLocation(['recipients']) });
      return undefined;
    }
    const toLabel = toEntries[0]?.field ?? 'to';
    const capped = new CappedReporter(context, filePath);
    const checks = rowChecksOf(campaign, context.config);
    const row = checks.row;
    let headerSeen = false;
    let addressColumns: number[] = [];
    let names: MergedColumn[] = [];
    return {
      recipientsHeader(header) {
        headerSeen = true;
        row.setHeader(header, campaign);
        if (column === undefined) return;
        const resolved = resolveEmailColumn(campaign, header.names);
        const at = (index: number) => header.positions[index] ?? header.positions[0] ?? { line: 1, column: 1 };
        if (!resolved.ok) {
          if (resolved.reason === 'spelling') capped.report('emailColumnSpelling', { name: resolved.name, found: resolved.found }, at(resolved.index));
          else if (resolved.reason === 'missing') {
            // One root cause, one finding: the first locked rule that cannot check reports it with its fix.
            const problem = headerProblem(campaign, header);
            if (problem && claimHeaderProblem(context, header)) capped.report('emailColumnMissing', { problem: problem.message }, at(0));
          }
          return;
        }
        addressColumns = header.names.flatMap((name, index) => (name === resolved.name ? [index] : []));
        if (addressColumns.length > 1) capped.report('emailColumnRepeated', { name: resolved.name, count: addressColumns.length }, at(addressColumns[1] ?? 0));
        names = mergedColumns(header.names, nameFields);
      },
      recipientRow(record) {
        const fields = record.fields;
        for (const index of addressColumns) {
          // The shared per-row validity (the bytes the other address rules encode anyway): a valid
          // ASCII address has no space, special, second `@` or control character.
          if (index === row.column && row.validAscii(record)) continue;
          const value = fields[index];
          if (value === undefined || value === '') continue;
          const bad = unsafeAddressIndex(value);
          if (bad === -1) continue;
          if (capped.open) capped.report('unsafeAddress', { record: record.index, value: context.pii(value), what: describeUnsafe(value, bad, true), template: toLabel }, record.fieldLocation(index));
          else capped.skip(() => record.fieldLocation(index));
        }
        for (const merged of names) {
          // The shared per-row pass: one look at the value's characters for every rule that asks.
          if ((checks.classes(record, merged.index) & (merged.quoted ? UNSAFE_QUOTED : UNSAFE_NAME)) === 0) continue;
          const value = fields[merged.index] ?? '';
          const bad = unsafeFor(value, merged.quoted);
          if (capped.open) {
            capped.report(
              'unsafeName',
              { field: merged.field, record: record.index, value: context.pii(value), what: describeUnsafe(value, bad), template: merged.template },
              record.fieldLocation(merged.index),
            );
          } else capped.skip(() => record.fieldLocation(merged.index));
        }
      },
      recipientsEnd() {
        if (!headerSeen) capped.report('noHeader', {}, { line: 1, column: 1 });
        capped.finish();
      },
    };
  },
});
