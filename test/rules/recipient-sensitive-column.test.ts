import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES } from '../helpers/campaign.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { sensitiveTerm } from '../../src/rules/recipient-sensitive-column.js';

const BODY = VALID_FILES['body.txt'] ?? '';
const header = (columns: string) => ({ 'body.txt': BODY, 'recipients.csv': `${columns}\nann@example.com,Ann,yes,t1,x\n` });

test('column names are matched by their words, whatever the spelling', () => {
  for (const name of ['DateOfBirth', 'date_of_birth', 'Date-of-Birth', ' DOB ', 'birth_date', 'dateofbirth', 'cc_number', 'CreditCardNumber', 'IBAN', 'hiv_status', 'Religion', 'ethnicity', 'SexualOrientation', 'national_id', 'NationalInsuranceNumber', 'passport_no', 'password_hash', 'SSN', 'diagnosis', 'health_plan']) {
    assert.notEqual(sensitiveTerm(name), undefined, name);
  }
  for (const name of ['email', 'first_name', 'archive', 'tracer', 'doberman', 'city', 'postcode', 'birthplace_city', 'card_design', 'class_number']) {
    assert.equal(sensitiveTerm(name), undefined, name);
  }
});

ruleTester('recipient-sensitive-column', {
  valid: [
    { name: 'ordinary columns', campaign: VALID_CAMPAIGN },
    { name: 'allowed_columns lets one through', campaign: VALID_CAMPAIGN.replace('  consent_column: consent\n', '  consent_column: consent\n  allowed_columns: [Date_Of_Birth]\n'), files: header('email,first_name,consent,token,date_of_birth') },
  ],
  invalid: [
    {
      name: 'a date of birth and an HIV status',
      campaign: VALID_CAMPAIGN,
      files: { 'body.txt': BODY, 'recipients.csv': 'email,DateOfBirth,consent,token,"HIV status"\nann@example.com,1990-01-01,yes,t1,x\n' },
      errors: [
        { messageId: 'sensitive', line: 1, column: 7, file: 'recipients.csv', message: 'column `DateOfBirth` looks like special-category or high-risk data (`date of birth`): remove it from the list, or list it in `recipients.allowed_columns` if the campaign really needs it' },
        { messageId: 'sensitive', line: 1, column: 33, file: 'recipients.csv' },
      ],
    },
  ],
});
