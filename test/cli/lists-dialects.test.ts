/**
 * Issue 16, items 3 and 7: lists as Excel and CRMs export them, and one address grammar, through
 * the real CLI. Every case is a whole campaign (the golden `ok` campaign's shape) whose list is
 * written as the exporting tool writes it; the findings are compared whole: rule, place,
 * severity, and the fix the message names.
 *
 * Before this change the semicolon list gave 9 findings (merge-field-defined ×4, rendered-message,
 * recipient-consent, recipient-unused-column, recipients-file, single-recipient-to), the
 * `E-mail Address` list 5, and a Windows-1252 list one "not valid UTF-8" per accented line.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const POLICY = 'extends: recommended\norganization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\n  archive_addresses: [archive@example.com]\napproval:\n  required: 0\n';
const ROWS = [
  ['ann@example.com', 'Ann', 'yes', 't1'],
  ['bo@example.org', 'Renée', 'yes', 't2'],
];

interface Finding {
  at: string;
  severity: number;
  ruleId: string | null;
  message: string;
}

/** The CSV as text: the header and ROWS joined by `delimiter`, with `lineBreak`. */
function csv(delimiter: string, header = ['email', 'first_name', 'consent', 'token'], lineBreak = '\n'): string {
  return [header, ...ROWS].map((row) => row.join(delimiter)).join(lineBreak) + lineBreak;
}

/** A campaign folder whose list has `bytes`; `recipients` adds lines under `recipients:`. */
function campaign(bytes: Buffer, recipients: string[] = [], extra: Record<string, string> = {}): string {
  const yaml = VALID_CAMPAIGN.replace('  file: recipients.csv\n', `  file: recipients.csv\n${recipients.map((line) => `  ${line}\n`).join('')}`);
  const root = tempTree({ ...VALID_FILES, 'campaign.yaml': yaml, 'campaign-lint.config.yaml': POLICY, ...extra });
  writeFileSync(join(root, 'recipients.csv'), bytes);
  return root;
}

function lint(root: string, config = 'campaign-lint.config.yaml'): { status: number | null; findings: Finding[]; stdout: string } {
  const run = runCli(['-f', 'json', '--config', config, '.'], { cwd: root });
  assert.equal(run.stderr, '', run.stderr);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null; severity: number; line: number; column: number; message: string }[] }[];
  const findings = results.flatMap((result) =>
    result.messages.map((message) => ({ at: `${result.filePath.slice(root.length + 1)}:${message.line}:${message.column}`, severity: message.severity, ruleId: message.ruleId, message: message.message })),
  );
  return { status: run.status, findings, stdout: run.stdout };
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const windows1252 = (text: string): Buffer => Buffer.from(text, 'latin1');
const utf16le = (text: string, bom = true): Buffer => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
};

describe('delimiters', () => {
  for (const [name, delimiter] of [
    ['semicolon (Excel in most of Europe)', ';'],
    ['TAB', '\t'],
    ['pipe', '|'],
    ['comma', ','],
  ] as const) {
    test(`a ${name}-separated list is read by sniffing: clean, exit 0`, () => {
      const run = lint(campaign(utf8(csv(delimiter))));
      assert.deepEqual(run.findings, []);
      assert.equal(run.status, 0);
    });
  }

  test('a declared delimiter is used as declared: `tab` and "\\t" both read a TAB list', () => {
    for (const declared of ['delimiter: tab', 'delimiter: "\\t"']) {
      const run = lint(campaign(utf8(csv('\t')), [declared]));
      assert.deepEqual(run.findings, [], declared);
      assert.equal(run.status, 0);
    }
  });

  test('a semicolon list with a wrong `recipients.delimiter: ","` is ONE finding naming `recipients.delimiter: ";"`, exit 1', () => {
    const run = lint(campaign(utf8(csv(';')), ['delimiter: ","']));
    assert.deepEqual(run.findings, [
      {
        at: 'recipients.csv:1:1',
        severity: 2,
        ruleId: 'single-recipient-to',
        message: '`to` cannot be bound to the recipient\'s address: the header is read with `recipients.delimiter: ","`, and holds 3 `;`: set `recipients.delimiter: ";"` in the campaign',
      },
    ]);
    assert.equal(run.status, 1);
  });

  test('a pipe list read with a declared `;` is one finding naming `"|"`', () => {
    const run = lint(campaign(utf8(csv('|')), ['delimiter: ";"']));
    assert.deepEqual(
      run.findings.map((finding) => [finding.at, finding.ruleId]),
      [['recipients.csv:1:1', 'single-recipient-to']],
    );
    assert.match(run.findings[0]?.message ?? '', /set `recipients\.delimiter: "\|"`/);
    assert.equal(run.status, 1);
  });

  test('a delimiter the schema does not know is a schema error at its value, exit 1', () => {
    const run = lint(campaign(utf8(csv(',')), ['delimiter: ":"']));
    assert.deepEqual(
      run.findings.map((finding) => [finding.at, finding.ruleId]),
      [['campaign.yaml:18:14', 'schema']],
    );
    assert.equal(run.status, 1);
  });
});

describe('encodings', () => {
  test('a declared Windows-1252 list is clean, and `Renée` is decoded right in the preview', () => {
    const root = campaign(windows1252(csv(',')), ['encoding: windows-1252']);
    const run = lint(root);
    assert.deepEqual(run.findings, []);
    assert.equal(run.status, 0);
    const preview = runCli(['preview', 'campaign.yaml', '--row', '2', '--show-pii'], { cwd: root });
    assert.equal(preview.status, 0, preview.stderr);
    // The composer encodes the UTF-8 bytes of é (C3 A9) in the header.
    assert.match(preview.stdout, /^To: =\?UTF-8\?Q\?Ren=C3=A9e\?= <bo@example\.org>\r?$/m);
    assert.match(preview.stdout, /^Subject: =\?UTF-8\?Q\?Hello_Ren=C3=A9e\?=\r?$/m);
  });

  test('`latin1` is read as Windows-1252 (as TextDecoder and browsers define it): clean', () => {
    const run = lint(campaign(windows1252(csv(';')), ['encoding: latin1']));
    assert.deepEqual(run.findings, []);
    assert.equal(run.status, 0);
  });

  test('an undeclared Windows-1252 list is ONE finding at its first bad line, naming both fixes, exit 1', () => {
    const rows = [['email', 'first_name', 'consent', 'token'], ...ROWS, ['cy@example.net', 'Zoë', 'yes', 't3'], ['di@example.com', 'Anaïs', 'yes', 't4']];
    const root = campaign(windows1252(`${rows.map((row) => row.join(',')).join('\n')}\n`));
    writeFileSync(join(root, 'campaign.yaml'), VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 4'));
    const run = lint(root);
    assert.deepEqual(run.findings, [
      {
        at: 'recipients.csv:3:19',
        severity: 2,
        ruleId: 'recipients-file',
        message:
          'recipient list: this line is the first that is not valid UTF-8 (its bytes look like Windows-1252); later ones are not listed: re-export the file as CSV UTF-8, or declare `recipients.encoding: windows-1252` in the campaign',
      },
    ]);
    assert.equal(run.status, 1);
  });

  test('UTF-16LE and UTF-16BE with a byte order mark (Excel\'s "Unicode Text") are clean, TAB-separated and CRLF', () => {
    for (const [name, bytes] of [
      ['UTF-16LE', utf16le(csv('\t', undefined, '\r\n'))],
      ['UTF-16BE', utf16be(csv('\t', undefined, '\r\n'))],
    ] as const) {
      const run = lint(campaign(bytes));
      assert.deepEqual(run.findings, [], name);
      assert.equal(run.status, 0, name);
    }
  });

  test('a byte order mark wins over a declaration: a UTF-16LE list declared windows-1252 is clean', () => {
    const run = lint(campaign(utf16le(csv(',')), ['encoding: windows-1252']));
    assert.deepEqual(run.findings, []);
    assert.equal(run.status, 0);
  });

  test('UTF-16LE without a byte order mark is read as such, with ONE finding naming `recipients.encoding: utf-16le`', () => {
    const run = lint(campaign(utf16le(csv(','), false)));
    assert.deepEqual(run.findings, [
      {
        at: 'recipients.csv:1:1',
        severity: 2,
        ruleId: 'recipients-file',
        message: 'recipient list: the file looks like UTF-16LE without a byte order mark, and was read as UTF-16LE: re-export it as CSV UTF-8, or declare `recipients.encoding: utf-16le` in the campaign',
      },
    ]);
    assert.equal(run.status, 1);
    // Declared, it is clean.
    const declared = lint(campaign(utf16le(csv(','), false), ['encoding: utf-16le']));
    assert.deepEqual(declared.findings, []);
    assert.equal(declared.status, 0);
  });

  test('suppression lists get the same dialect: a UTF-16LE, semicolon-separated suppression list suppresses its address', () => {
    const suppression = utf16le('email;reason\r\nbo@example.org;unsubscribed\r\n');
    const root = campaign(utf8(csv(',')), [], {});
    writeFileSync(join(root, 'suppressed.csv'), suppression);
    writeFileSync(join(root, 'campaign.yaml'), `${VALID_CAMPAIGN}suppress:\n  - suppressed.csv\n`);
    const run = lint(root);
    assert.deepEqual(
      run.findings.map((finding) => [finding.at, finding.severity, finding.ruleId]),
      [['recipients.csv:3:1', 2, 'recipient-suppressed']],
    );
    assert.ok(!run.stdout.includes('bo@example.org'), 'the address is masked');
    assert.equal(run.status, 1);
  });
});

describe('an unusable header is one root-cause finding', () => {
  const header = ['E-mail Address', 'first_name', 'consent', 'token'];
  const suggestion =
    'the list has no `email` column, and column 1 `E-mail Address` looks like the address column: rename it `email`, or set `recipients.email_column: "E-mail Address"` and write `{{[E-mail Address]}}` in `to`';

  test('an `E-mail Address` column is ONE suggestion to set `email_column`, from the locked single-recipient-to, exit 1', () => {
    const run = lint(campaign(utf8(csv(',', header))));
    assert.deepEqual(run.findings, [{ at: 'recipients.csv:1:1', severity: 2, ruleId: 'single-recipient-to', message: `\`to\` cannot be bound to the recipient's address: ${suggestion}` }]);
    assert.equal(run.status, 1);
  });

  test('with single-recipient-to off, the locked audit still fails closed with the same one finding', () => {
    const root = campaign(utf8(csv(',', header)));
    writeFileSync(join(root, 'campaign-lint.config.yaml'), `${POLICY}rules:\n  single-recipient-to: "off"\n`);
    const run = lint(root);
    assert.deepEqual(run.findings, [{ at: 'recipients.csv:1:1', severity: 2, ruleId: 'rendered-message', message: `cannot audit the rendered messages: ${suggestion}` }]);
    assert.equal(run.status, 1);
  });

  test('following the suggestion makes the campaign clean', () => {
    const root = campaign(utf8(csv(',', header)), ['email_column: "E-mail Address"']);
    writeFileSync(
      join(root, 'campaign.yaml'),
      VALID_CAMPAIGN.replace('{{email}}', '{{[E-mail Address]}}').replace('  file: recipients.csv\n', '  file: recipients.csv\n  email_column: "E-mail Address"\n'),
    );
    const run = lint(root);
    assert.deepEqual(run.findings, []);
    assert.equal(run.status, 0);
  });

  test('a header with no column that looks like one names `recipients.email_column` (the unused column is still said)', () => {
    const run = lint(campaign(utf8(csv(',', ['contact', 'first_name', 'consent', 'token']))));
    assert.deepEqual(run.findings, [
      {
        at: 'recipients.csv:1:1',
        severity: 1,
        ruleId: 'recipient-unused-column',
        message: 'column `contact` is not used by any template or rule: remove it from the list (data minimisation), or list it in `recipients.allowed_columns`',
      },
      {
        at: 'recipients.csv:1:1',
        severity: 2,
        ruleId: 'single-recipient-to',
        message: "`to` cannot be bound to the recipient's address: the list has no `email` column (`recipients.email_column`): add it, or name the address column in `recipients.email_column`",
      },
    ]);
    assert.equal(run.status, 1);
  });
});

describe('one address grammar', () => {
  const cases = [
    ['a doubled dot', 'a..b@example.com'],
    ['a leading dot', '.a@example.com'],
    ['a trailing dot', 'a.@example.com'],
    ['a no-break space after it', 'cy@example.net\u00A0'],
    ['an ideographic space before it', '\u3000di@example.net'],
    ['a line separator after it', 'ed@example.net\u2028'],
    ['a byte order mark before it (not the file\'s)', '\uFEFFfa@example.net'],
  ] as const;

  test('each is invalid, reported masked at its cell; ASCII spaces and tabs around an address are fine', () => {
    const lines = [
      'email,first_name,consent,token',
      ' ann@example.com\t,Ann,yes,t1',
      ...cases.map(([, address], index) => `${address},Name${index},yes,t${index + 2}`),
    ];
    const root = campaign(utf8(`\uFEFF${lines.join('\n')}\n`));
    writeFileSync(join(root, 'campaign.yaml'), VALID_CAMPAIGN.replace('expected_count: 2', `expected_count: ${lines.length - 1}`));
    const run = lint(root);
    // One finding per cell. A padding the composer could read as a separator (a no-break space,
    // a line separator) is the locked single-recipient-to's error at that cell, which replaces
    // the unlocked one there.
    assert.deepEqual(
      run.findings.map((finding) => [finding.at, finding.severity, finding.ruleId]),
      [
        ['recipients.csv:3:1', 2, 'recipient-email-valid'],
        ['recipients.csv:4:1', 2, 'recipient-email-valid'],
        ['recipients.csv:5:1', 2, 'recipient-email-valid'],
        ['recipients.csv:6:1', 2, 'single-recipient-to'],
        ['recipients.csv:7:1', 2, 'recipient-email-valid'],
        ['recipients.csv:8:1', 2, 'single-recipient-to'],
        ['recipients.csv:9:1', 2, 'recipient-email-valid'],
      ],
    );
    for (const finding of run.findings.filter((finding) => finding.ruleId === 'recipient-email-valid')) {
      assert.match(finding.message, /^`.\*\*\*@example\.(com|net)` is not a valid email address$/u);
    }
    for (const [, address] of cases) assert.ok(!run.stdout.includes(address.trim()), 'no address is printed unmasked');
    assert.equal(run.status, 1);
  });
});
