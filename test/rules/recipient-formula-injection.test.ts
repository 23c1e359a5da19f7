import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { formulaTrigger } from '../../src/rules/recipient-formula-injection.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const list = (...rows: string[]) => ({ 'body.txt': BODY, 'recipients.csv': `email,first_name,consent,token\n${rows.join('\n')}\n` });

test('signed plain numbers are exempt, anything else starting with + or - is not', () => {
  assert.equal(formulaTrigger('-5'), undefined);
  assert.equal(formulaTrigger('+3.25'), undefined);
  assert.equal(formulaTrigger('-2+3'), '-');
  assert.equal(formulaTrigger('+44 20 7946 0958'), '+');
  assert.equal(formulaTrigger('=1+1'), '=');
  assert.equal(formulaTrigger('@SUM(A1)'), '@');
  assert.equal(formulaTrigger('\t=1'), 'a tab');
  assert.equal(formulaTrigger('\r=1'), 'a carriage return');
  assert.equal(formulaTrigger('Ann'), undefined);
  assert.equal(formulaTrigger(''), undefined);
});

ruleTester('recipient-formula-injection', {
  valid: [
    { name: 'ordinary values', campaign: VALID_CAMPAIGN },
    { name: 'a negative number', campaign: VALID_CAMPAIGN, files: list('ann@example.com,Ann,yes,-5') },
  ],
  invalid: [
    {
      name: 'cells starting with = + @ and TAB, masked',
      campaign: VALID_CAMPAIGN,
      files: list('ann@example.com,"=HYPERLINK(""https://evil.example"")",yes,t1', 'bo@example.org,"@SUM(A1)",yes,+x', 'cy@example.org,"\tcmd",yes,t3'),
      errors: [
        { messageId: 'formula', line: 2, column: 17, file: 'recipients.csv', severity: 1, message: 'the value in column `first_name` (`=***`) starts with `=`: opened in a spreadsheet it may run as a formula' },
        { messageId: 'formula', line: 3, column: 16, file: 'recipients.csv', message: 'the value in column `first_name` (`@***`) starts with `@`: opened in a spreadsheet it may run as a formula' },
        { messageId: 'formula', line: 3, column: 31, file: 'recipients.csv' },
        { messageId: 'formula', line: 4, column: 16, file: 'recipients.csv', message: 'the value in column `first_name` (`c***`) starts with a tab: opened in a spreadsheet it may run as a formula' },
      ],
    },
  ],
});
