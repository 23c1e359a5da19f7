import { defineRule } from './define.js';

/**
 * Names of special-category (GDPR art. 9) and high-risk data, matched as whole words of the
 * column name once it is split into lower-case words (`DateOfBirth`, `date_of_birth`,
 * `date-of-birth` and `Date of birth` all read `date of birth`). Prefixes such as `diagnos`
 * also catch `diagnosis`, `diagnoses`, `diagnosed`.
 */
const TERMS = [
    'health\\w*',
    'medical',
    'medication\\w*',
    'diagnos\\w*',
    'hiv',
    'disabilit(?:y|ies)',
    'religio\\w*',
    'ethnic\\w*',
    'race',
    'sexual\\w*',
    'sex life',
    'ssn',
    'social security(?: number| no)?',
    'national (?:id|identity|insurance)\\w*',
    'ni number',
    'passport\\w*',
    'date of birth',
    'birth ?date',
    'birthday',
    'dob',
    'pass(?:word|wd)',
    'pwd',
    '(?:credit |debit |payment )?card (?:number|no|num)',
    'cc (?:number|no|num)',
    'credit card',
    'cvv',
    'cvc',
    'iban',
    'biometric\\w*',
    'genetic\\w*',
    'trade union\\w*',
];
const WORDS = new RegExp(`\\b(?:${TERMS.join('|')})\\b`);
// The same terms written as one word (`dateofbirth`, `nationalid`, `creditcardnumber`).
const JOINED = new RegExp(`\\b(?:${TERMS.filter((term) => term.includes(' ')).map((term) => term.replaceAll(' ?', '').replaceAll(' ', '')).join('|')})\\b`);

/** `DateOfBirth` / `date_of_birth` / ` Date-of-Birth ` → `date of birth`. */
export function columnWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The sensitive term a column name contains, or undefined. */
export function sensitiveTerm(name: string): string | undefined {
  const words = columnWords(name);
  return WORDS.exec(words)?.[0] ?? JOINED.exec(words)?.[0];
}

export default defineRule({
  meta: {
    id: 'recipient-sensitive-column',
    description: 'Disallow recipient list columns that suggest special-category or high-risk data, unless allowed',
    category: 'recipient-list',
    defaultSeverity: 'error',
    privacy: true,
    messages: {
      sensitive:
        'column `{{column}}` looks like special-category or high-risk data (`{{term}}`): remove it from the list, or list it in `recipients.allowed_columns` if the campaign really needs it',
    },
  },
  check(context) {
    const { campaign } = context;
    const allowedValue = campaign.get(['recipients', 'allowed_columns']);
    const allowed = new Set(Array.isArray(allowedValue) ? allowedValue.filter((item): item is string => typeof item === 'string').map((item) => item.trim().toLowerCase()) : []);
    const filePath = campaign.recipientsFile();
    return {
      recipientsHeader(header) {
        header.names.forEach((name, index) => {
          if (allowed.has(name.trim().toLowerCase())) return;
          const term = sensitiveTerm(name);
          if (term === undefined) return;
          const loc = header.positions[index] ?? { line: 1, column: 1 };
          // Column names are the list's structure, not a person's data: they are shown as written.
          context.report({ messageId: 'sensitive', data: { column: header.looksLikeData ? context.pii(name.trim()) : name.trim(), term }, loc, ...(filePath === undefined ? {} : { filePath }) });
        });
      },
    };
  },
});
