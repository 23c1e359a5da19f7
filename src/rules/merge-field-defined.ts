import { DEFAULT_EMAIL_COLUMN, emailColumnName, headerProblem } from '../core/columns.js';
import { recipientsPath } from '../core/recipients.js';
import { campaignDefaults } from '../core/row-message.js';
import { closest } from '../core/suggest.js';
import { campaignTemplates } from '../core/templates.js';
import type { CampaignTemplate } from '../core/templates.js';
import type { SourceLocation } from '../core/types.js';
import type { MergeFieldUse } from '../parsers/template.js';
import { defineRule } from './define.js';

/** Rows listed one by one per field; the rest are counted in one finding, so a huge list cannot flood the report. */
export const EMPTY_ROWS_LISTED = 20;

const GUARDING_HELPERS: ReadonlySet<string> = new Set(['if', 'unless', 'with', 'each']);

interface Guard {
  name: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** Blocks such as `{{#if nickname}}…{{/if}}`: inside them an empty `nickname` is handled by the template. */
function guardsOf(template: CampaignTemplate): Guard[] {
  if (!template.parsed.ok) return [];
  const guards: Guard[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const block = node as Partial<hbs.AST.BlockStatement>;
    if (block.type === 'BlockStatement' && block.loc) {
      const helper = block.path?.original ?? '';
      const [param] = block.params ?? [];
      // A mustache section `{{#nickname}}…{{/nickname}}` guards itself.
      const guarded = GUARDING_HELPERS.has(helper) ? (param?.type === 'PathExpression' ? (param as hbs.AST.PathExpression).parts[0] : undefined) : block.path?.parts[0];
      if (guarded !== undefined) {
        guards.push({ name: guarded, start: { line: block.loc.start.line, column: block.loc.start.column + 1 }, end: { line: block.loc.end.line, column: block.loc.end.column + 1 } });
      }
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value);
  };
  visit(template.parsed.ast);
  return guards;
}

function before(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

function isGuarded(use: MergeFieldUse, guards: readonly Guard[]): boolean {
  return guards.some((guard) => guard.name === use.name && before(guard.start, use) && before({ line: use.endLine, column: use.endColumn }, guard.end));
}

interface EmptyCounter {
  name: string;
  column: number;
  count: number;
  /** Where the first row that was counted rather than listed is. */
  firstUnlisted?: SourceLocation;
}

export default defineRule({
  meta: {
    id: 'merge-field-defined',
    description: 'Require every merge field to be a recipient column or a `defaults` key, and warn on rows that leave a used field empty',
    category: 'content',
    defaultSeverity: 'error',
    messages: {
      undefinedField: 'merge field `{{name}}` in `{{template}}` is neither a column of the recipient list nor a `defaults` key: it would render empty{{hint}}',
      partial: 'partial `{{name}}` in `{{template}}` cannot be checked or rendered: campaign-lint loads no partials and the message would fail to render. Put its content in the template',
      emptyValue: 'merge field `{{name}}` is empty in this row and has no `defaults` value: the message would show a blank',
      emptyMore: 'merge field `{{name}}` is also empty in {{count}} more row(s) from here on (the first {{listed}} are listed one by one); add a `defaults` value or fill the column',
    },
  },
  async check(context) {
    const { campaign } = context;
    const { templates } = await campaignTemplates(campaign, context.config);
    const defaults = campaignDefaults(campaign);
    const definedKeys = new Set(campaign.keys(['defaults']));

    for (const template of templates) {
      if (!template.parsed.ok) continue;
      for (const partial of template.parsed.partials) {
        context.report({ messageId: 'partial', data: { name: partial.name, template: template.label }, filePath: template.filePath, loc: template.locate(partial.line, partial.column) });
      }
    }

    const emailColumn = emailColumnName(campaign) ?? DEFAULT_EMAIL_COLUMN;
    const csvPath = await recipientsPath(campaign);
    if (csvPath === undefined) return;
    let counters: EmptyCounter[] = [];
    return {
      recipientsHeader(header) {
        const columns = new Set(header.names);
        // An unusable header is one finding (see headerProblem): with the wrong delimiter no column is known.
        const unusable = headerProblem(campaign, header);
        for (const template of templates) {
          if (!template.parsed.ok) continue;
          for (const use of template.parsed.fields) {
            if (columns.has(use.name) || definedKeys.has(use.name)) continue;
            if (unusable && (unusable.kind === 'delimiter' || use.name === emailColumn)) continue;
            const suggestion = closest(use.name, [...header.names, ...definedKeys]);
            const start = template.locate(use.line, use.column);
            const end = template.locate(use.endLine, use.endColumn);
            context.report({
              messageId: 'undefinedField',
              data: { name: use.name, template: template.label, hint: suggestion === undefined ? '' : ` (did you mean \`${header.looksLikeData && !definedKeys.has(suggestion) ? context.pii(suggestion) : suggestion}\`?)` },
              filePath: template.filePath,
              loc: { ...start, endLine: end.line, endColumn: end.column },
            });
          }
        }
        // Computed once: the per-row work is one look-up per field that can be empty.
        const unguarded = new Set<string>();
        for (const template of templates) {
          if (!template.parsed.ok) continue;
          const guards = guardsOf(template);
          for (const use of template.parsed.fields) {
            if (use.kind !== 'block' && !isGuarded(use, guards)) unguarded.add(use.name);
          }
        }
        counters = [...unguarded]
          .filter((name) => name !== emailColumn && !defaults.has(name) && !definedKeys.has(name))
          .flatMap((name) => {
            const column = header.names.indexOf(name);
            return column === -1 ? [] : [{ name, column, count: 0 }];
          })
          .sort((left, right) => left.column - right.column);
      },
      recipientRow(record) {
        for (const counter of counters) {
          const value = record.fields[counter.column];
          // A missing field is a ragged row: recipients-file reports it.
          if (value === undefined || !(value === '' || (value.charCodeAt(0) <= 32 && value.trim() === ''))) continue;
          counter.count++;
          if (counter.count <= EMPTY_ROWS_LISTED) {
            context.report({ messageId: 'emptyValue', severity: 'warn', data: { name: counter.name }, filePath: csvPath, loc: record.fieldLocation(counter.column) });
          } else if (counter.count === EMPTY_ROWS_LISTED + 1) {
            counter.firstUnlisted = record.fieldLocation(counter.column);
          }
        }
      },
      recipientsEnd() {
        for (const counter of counters) {
          if (counter.firstUnlisted === undefined) continue;
          context.report({
            messageId: 'emptyMore',
            severity: 'warn',
            data: { name: counter.name, count: counter.count - EMPTY_ROWS_LISTED, listed: EMPTY_ROWS_LISTED },
            filePath: csvPath,
            loc: counter.firstUnlisted,
          });
        }
      },
    };
  },
});
