import { defineRule } from './define.js';
import type { YamlPath } from '../parsers/yaml.js';

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
    },
  },
  check(context) {
    const { campaign } = context;
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
  },
});
