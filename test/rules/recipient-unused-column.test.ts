import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const header = (columns: string) => ({ 'body.txt': BODY, 'recipients.csv': `${columns}\nann@example.com,Ann,yes,t1,x,y\n` });

ruleTester('recipient-unused-column', {
  valid: [
    { name: 'every column is used', campaign: VALID_CAMPAIGN },
    { name: 'allowed_columns', campaign: VALID_CAMPAIGN.replace('  consent_column: consent\n', '  consent_column: consent\n  allowed_columns: [segment, crm_id]\n'), files: header('email,first_name,consent,token,segment,crm_id') },
    { name: 'a template with a syntax error: unknowable', campaign: VALID_CAMPAIGN, files: { 'body.txt': 'Hello {{#if}}', 'recipients.csv': 'email,first_name,consent,token,segment\na@example.com,A,yes,t,s\n' } },
  ],
  invalid: [
    {
      name: 'columns no template or rule uses',
      campaign: VALID_CAMPAIGN,
      files: header('email,first_name,consent,token,segment,crm_id'),
      errors: [
        { messageId: 'unused', line: 1, column: 32, file: 'recipients.csv', severity: 1, message: 'column `segment` is not used by any template or rule: remove it from the list (data minimisation), or list it in `recipients.allowed_columns`' },
        { messageId: 'unused', line: 1, column: 40, file: 'recipients.csv', severity: 1 },
      ],
    },
    {
      name: 'special-category campaigns make it an error',
      campaign: `${VALID_CAMPAIGN}sensitivity: special-category\n`,
      files: header('email,first_name,consent,token,segment,crm_id'),
      errors: [
        { messageId: 'unused', line: 1, column: 32, file: 'recipients.csv', severity: 2 },
        { messageId: 'unused', line: 1, column: 40, file: 'recipients.csv', severity: 2 },
      ],
    },
  ],
});
