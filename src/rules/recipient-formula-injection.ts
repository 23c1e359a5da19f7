import { CappedReporter } from './_recipients.js';
import { defineRule } from './define.js';

const EQUALS = 0x3d;
const PLUS = 0x2b;
const MINUS = 0x2d;
const AT = 0x40;
const TAB = 0x09;
const CR = 0x0d;

/** A signed decimal number (`-5`, `+3.25`): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]\d+(?:\.\d+)?$/;

/** The character that makes a spreadsheet treat `value` as a formula, or undefined. */
export function formulaTrigger(value: string): string | undefined {
  const first = value.charCodeAt(0);
  if (first === EQUALS || first === AT) return value.charAt(0);
  if (first === TAB) return 'a tab';
  if (first === CR) return 'a carriage return';
  if ((first === PLUS || first === MINUS) && !PLAIN_NUMBER.test(value)) return value.charAt(0);
  return undefined;
}

export default defineRule({
  meta: {
    id: 'recipient-formula-injection',
    description: 'Disallow recipient cells that a spreadsheet would run as a formula (starting with =, +, -, @, TAB or CR)',
    category: 'recipient-list',
    defaultSeverity: 'warn',
    messages: {
      formula: 'the value in column `{{column}}` (`{{value}}`) starts with {{trigger}}: opened in a spreadsheet it may run as a formula',
      more: '{{count}} more cells that start like a formula are not listed (the first {{limit}} are)',
    },
  },
  check(context) {
    const { campaign } = context;
    const filePath = campaign.recipientsFile();
    if (filePath === undefined) return undefined;
    const capped = new CappedReporter(context, filePath);
    let names: string[] = [];
    let namesAreData = false;
    return {
      recipientsHeader(header) {
        names = header.names;
        namesAreData = header.looksLikeData;
      },
      recipientRow(record) {
        const fields = record.fields;
        for (let index = 0; index < fields.length; index++) {
          const value = fields[index] ?? '';
          const first = value.charCodeAt(0);
          // Every trigger is below 0x41 ('A'): most cells are skipped by one comparison.
          if (!(first <= AT)) continue;
          const trigger = formulaTrigger(value);
          if (trigger === undefined) continue;
          if (!capped.open) {
            capped.skip(() => record.fieldLocation(index));
            continue;
          }
          const shown = trigger.length === 1 ? `\`${trigger}\`` : trigger;
          capped.report('formula', { column: columnLabel(names[index], index, namesAreData, (cell) => context.pii(cell)), value: context.pii(value), trigger: shown }, record.fieldLocation(index));
        }
      },
      recipientsEnd() {
        capped.finish();
      },
    };
  },
});

/** A column's name for a message: masked like data when the first row is data (no header row). */
function columnLabel(name: string | undefined, index: number, isData: boolean, pii: (value: string) => string): string {
  if (name === undefined) return String(index + 1);
  return isData ? pii(name.trim()) : name.trim();
}
