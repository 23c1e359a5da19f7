import Handlebars from 'handlebars';
import type { RuleContext } from '../core/types.js';
import { templateNestingProblem } from '../parsers/template.js';
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
    return { messageId: 'secondField', data: { field2: (otherField.path as hbs.AST.PathExpression).original, column: emailColumn } };
  }
  return { messageId: 'shape', data: { column: emailColumn } };
}

function isContent(statement: Statement): statement is hbs.AST.ContentStatement {
  return statement.type === 'ContentStatement';
}

function isField(statement: Statement, name?: string): statement is hbs.AST.MustacheStatement {
  if (statement.type !== 'MustacheStatement') return false;
  const mustache = statement as hbs.AST.MustacheStatement;
  if (mustache.params.length > 0 || (mustache.hash as hbs.AST.Hash | undefined)?.pairs.length) return false;
  if (mustache.path.type !== 'PathExpression') return false;
  return name === undefined || (mustache.path as hbs.AST.PathExpression).original === name;
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
    description: 'Require `to` to yield exactly one address, taken from the recipient row',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      literalAddress: '`{{field}}` contains the literal address {{address}}: every message would go to it. Use the recipient\'s address column',
      separator: '`{{field}}` contains the list separator `{{separator}}`: it must yield exactly one address per message',
      dynamic: '`{{field}}` uses {{kind}}: it must be the recipient\'s address column, optionally with a display name',
      missingAddressField: '`{{field}}` does not use the recipient\'s address column `{{column}}`: each message must go to its own row\'s address',
      repeatedAddressField: '`{{field}}` uses the address column `{{column}}` more than once',
      secondField: '`{{field}}` puts merge field `{{field2}}` next to the address: only `{{column}}` may form the address, other fields only inside a display name (`Name <…>`)',
      shape: '`{{field}}` must be the address column alone or `Display Name <…{{column}}…>`',
    },
  },
  check(context) {
    const { campaign } = context;
    const emailColumn = campaign.string(['recipients', 'email_column']) ?? 'email';
    const to = campaign.string(['to']);
    if (to !== undefined) checkRecipientTemplate(context, to, 'to', campaign.valueLocation(['to']), emailColumn);
    for (const header of campaign.keys(['headers'])) {
      const value = campaign.string(['headers', header]);
      if (header.trim().toLowerCase() === 'to' && value !== undefined) {
        checkRecipientTemplate(context, value, `headers.${header}`, campaign.valueLocation(['headers', header]), emailColumn);
      }
    }
  },
});
