import { campaignTemplates } from '../core/templates.js';
import type { YamlPath } from '../parsers/yaml.js';
import { CappedReporter } from './_recipients.js';
import { defineRule } from './define.js';

/** Campaign keys whose values end up in message headers. */
const HEADER_BOUND: readonly YamlPath[] = [['to'], ['subject'], ['reply_to'], ['from', 'name'], ['from', 'address']];

export default defineRule({
  meta: {
    id: 'header-injection',
    description: 'Disallow line breaks in header values, which would let a value add headers such as Bcc',
    category: 'recipients-visibility',
    defaultSeverity: 'error',
    lockedByDefault: true,
    privacy: true,
    messages: {
      lineBreakInValue: '`{{field}}` contains a line break: in a header it would start a new header line (header injection)',
      lineBreakInName: 'header name `{{field}}` contains a line break',
      lineBreakInRecipientValue:
        'the value of `{{field}}` in record {{record}} (`{{value}}`) contains a line break, and `{{field}}` is used in `{{header}}`: it would start a new header line (header injection)',
      more: '{{count}} more recipient values with line breaks are not listed (the first {{limit}} are)',
    },
  },
  async check(context) {
    const { campaign, config } = context;
    const hasBreak = (value: unknown) => typeof value === 'string' && /[\r\n]/.test(value);
    const reportValue = (path: YamlPath, field: string) => {
      if (hasBreak(campaign.get(path))) context.report({ messageId: 'lineBreakInValue', data: { field }, loc: campaign.valueLocation(path) });
    };
    for (const path of HEADER_BOUND) reportValue(path, path.join('.'));
    for (const list of ['cc', 'bcc']) {
      for (let index = 0; index < campaign.length([list]); index++) reportValue([list, index], `${list}[${index}]`);
    }
    for (const header of campaign.keys(['headers'])) {
      if (/[\r\n]/.test(header)) {
        context.report({ messageId: 'lineBreakInName', data: { field: JSON.stringify(header) }, loc: campaign.keyLocation(['headers', header]) });
      }
      reportValue(['headers', header], `headers.${header}`);
    }

    // The CSV half: recipient values that the header templates merge in.
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const { templates } = await campaignTemplates(campaign, config);
    const usedIn = new Map<string, string>();
    for (const template of templates) {
      if (template.kind !== 'header' || !template.parsed.ok) continue;
      for (const field of template.parsed.fields) if (!usedIn.has(field.name)) usedIn.set(field.name, template.label);
    }
    if (usedIn.size === 0) return undefined;
    const capped = new CappedReporter(context, filePath);
    let columns: { index: number; field: string; header: string }[] = [];
    return {
      recipientsHeader(header) {
        columns = [...usedIn].flatMap(([field, label]) => {
          const index = header.names.indexOf(field);
          return index === -1 ? [] : [{ index, field, header: label }];
        });
      },
      recipientRow(record) {
        if (!record.mayHaveLineBreaks) return;
        for (const column of columns) {
          const value = record.fields[column.index];
          if (value === undefined || (!value.includes('\n') && !value.includes('\r'))) continue;
          if (!capped.open) {
            capped.skip(() => record.fieldLocation(column.index));
            continue;
          }
          capped.report(
            'lineBreakInRecipientValue',
            { field: column.field, header: column.header, record: record.index, value: context.pii(value) },
            record.fieldLocation(column.index),
          );
        }
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});
