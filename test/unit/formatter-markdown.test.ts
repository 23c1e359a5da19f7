import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marked } from 'marked';
import type { Tokens } from 'marked';
import markdownDefault, { escapeMarkdownCell, markdown, truncateMarkdown } from '../../src/formatters/markdown.js';
import { DOCS_BASE, cleanResults, makeFormatterContext, makeResult, sampleResults } from '../helpers/sample-results.js';

function tablesOf(text: string): Tokens.Table[] {
  return marked.lexer(text).filter((token): token is Tokens.Table => token.type === 'table');
}

await test('markdown: default export and named export are the same function', () => {
  assert.equal(markdownDefault, markdown);
});

await test('markdown: summary line, then one table per file with findings', () => {
  const output = markdown(sampleResults(), makeFormatterContext());
  assert.equal(
    output,
    [
      '## campaign-lint',
      '',
      '**4 files checked: 4 errors, 2 warnings** in 3 files.',
      '',
      '### campaigns/broken/campaign.yaml',
      '',
      '| Severity | Location | Rule | Message |',
      '| --- | --- | --- | --- |',
      '| ❌ error | campaigns/broken/campaign.yaml:4:7 | fatal | YAML syntax error: Nested mappings are not allowed in compact mappings |',
      '',
      '### campaigns/spring-sale/campaign.yaml',
      '',
      '| Severity | Location | Rule | Message |',
      '| --- | --- | --- | --- |',
      `| ⚠️ warning | campaigns/spring-sale/campaign.yaml:9:10 | [subject-honest](${DOCS_BASE}subject-honest) | Subject starts with "RE:" but the message is not a reply. |`,
      `| ❌ error | campaigns/spring-sale/campaign.yaml:12:5 | [no-cc](${DOCS_BASE}no-cc) | Cc lists 2 recipients; every recipient would see the others. |`,
      `| ❌ error | campaigns/spring-sale/campaign.yaml:15:13 | [header-injection](${DOCS_BASE}header-injection) | ` +
        'Header "X-Note" breaks the line:<br>Bcc: \\<j\\*\\*\\*\\@example.com\\> \\| 100% \\& more, see a\uFFFDb |',
      '',
      '### campaigns/spring-sale/recipients.csv',
      '',
      '| Severity | Location | Rule | Message |',
      '| --- | --- | --- | --- |',
      `| ⚠️ warning | campaigns/spring-sale/recipients.csv:1:4 | [recipient-unused-column](${DOCS_BASE}recipient-unused-column) | Column "loyalty\\_tier" is not used by any template or rule. |`,
      `| ❌ error | campaigns/spring-sale/recipients.csv:7:1 | [recipient-duplicate](${DOCS_BASE}recipient-duplicate) | j\\*\\*\\*\\@example.com already appears on line 3. |`,
      '',
    ].join('\n'),
  );
});

await test('markdown: a GFM parser sees four cells per row and the message text unchanged', () => {
  const tables = tablesOf(markdown(sampleResults(), makeFormatterContext()));
  assert.equal(tables.length, 3);
  for (const table of tables) {
    assert.deepEqual(
      table.header.map((cell) => cell.text),
      ['Severity', 'Location', 'Rule', 'Message'],
    );
    for (const row of table.rows) assert.equal(row.length, 4);
  }
  const html = marked.parse(markdown(sampleResults(), makeFormatterContext()), { async: false });
  assert.ok(
    html.includes(
      '<td>Header &quot;X-Note&quot; breaks the line:<br>Bcc: &lt;j***@example.com&gt; | 100% &amp; more, see a\uFFFDb</td>',
    ),
    html,
  );
  assert.ok(html.includes(`<td><a href="${DOCS_BASE}no-cc">no-cc</a></td>`));
  assert.equal(html.includes('<em>'), false, 'asterisks in masked addresses must not turn into emphasis');
});

await test('markdown: hostile messages and paths cannot break the table, open links or inject HTML', () => {
  const results = [
    makeResult('/repo/campaigns/a|b [x](y)/campaign.yaml', [
      {
        ruleId: 'no-cc',
        severity: 2,
        message: 'a | b\n| --- |\r\n<script>alert(1)</script> [click](https://evil.test) ![img](x.png) `code` *em* _u_ # h www.evil.test jane@example.org',
        line: 1,
        column: 1,
      },
    ]),
  ];
  const output = markdown(results, makeFormatterContext({ docsUrl: (id) => `https://docs.example.org/a (b)|c/${id}` }));
  const [table] = tablesOf(output);
  assert.ok(table);
  assert.equal(table.rows.length, 1);
  assert.equal(table.rows[0]?.length, 4);
  const html = marked.parse(output, { async: false });
  assert.equal(html.includes('<script>'), false);
  assert.equal((html.match(/<a /gu) ?? []).length, 1, 'only the rule link is a link');
  assert.equal(html.includes('<img'), false);
  assert.equal(html.includes('<code>'), false);
  assert.ok(html.includes('<a href="https://docs.example.org/a%20%28b%29%7Cc/no-cc">no-cc</a>'), html);
  assert.ok(
    html.includes(
      '<td>a | b<br>| --- |<br>&lt;script&gt;alert(1)&lt;/script&gt; [click](https://evil.test) ![img](x.png) `code` *em* _u_ # h www.evil.test jane@example.org</td>',
    ),
    html,
  );
  assert.ok(html.includes('<h3>campaigns/a|b [x](y)/campaign.yaml</h3>'), html);
});

await test('markdown: a clean run says so', () => {
  assert.equal(markdown(cleanResults(), makeFormatterContext()), '## campaign-lint\n\n✅ No problems found in 2 files.\n');
  assert.equal(markdown([], makeFormatterContext()), '## campaign-lint\n\n✅ No problems found in 0 files.\n');
});

await test('markdown: singular counts and the --max-warnings note', () => {
  const results = [makeResult('/repo/c/campaign.yaml', [{ ruleId: 'no-cc', severity: 1, message: 'm', line: 1, column: 1 }])];
  const output = markdown(results, makeFormatterContext({ maxWarnings: 0 }));
  assert.ok(
    output.startsWith(
      '## campaign-lint\n\n**1 file checked: 0 errors, 1 warning** in 1 file.\n\n' +
        'Too many warnings: 1 exceed the maximum of 0 (--max-warnings).\n',
    ),
    output,
  );
  assert.equal(markdown(results, makeFormatterContext({ maxWarnings: 1 })).includes('Too many warnings'), false);
});

await test('markdown: escapeMarkdownCell', () => {
  assert.equal(escapeMarkdownCell('a|b\r\nc\nd\re'), 'a\\|b<br>c<br>d<br>e');
  assert.equal(escapeMarkdownCell('[x](y) <b> *_`~#!&\\'), '\\[x\\]\\(y\\) \\<b\\> \\*\\_\\`\\~\\#\\!\\&\\\\');
  assert.equal(escapeMarkdownCell('https://x.test www.y.test a@b.test'), 'https\\://x.test www\\.y.test a\\@b.test');
  assert.equal(escapeMarkdownCell('bell\u0007 del\u007F tab\t'), 'bell\uFFFD del\uFFFD tab\t');
});

await test('truncateMarkdown: text that fits is returned unchanged', () => {
  const text = markdown(sampleResults(), makeFormatterContext());
  assert.equal(truncateMarkdown(text, Buffer.byteLength(text)), text);
  assert.equal(truncateMarkdown('', 0), '');
});

await test('truncateMarkdown: cuts at a line boundary, stays within the byte limit, and appends a note', () => {
  const rows = Array.from({ length: 1000 }, (_, index) => `| ❌ error | c.yaml:${index + 1}:1 | no-cc | é message ${index + 1} |`);
  const text = `## campaign-lint\n\n| a | b | c | d |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
  const totalLines = 4 + rows.length;
  for (const maxBytes of [300, 1000, 4096, 20_000]) {
    const truncated = truncateMarkdown(text, maxBytes);
    assert.ok(Buffer.byteLength(truncated) <= maxBytes, `${Buffer.byteLength(truncated)} > ${maxBytes}`);
    const [keptWithoutLastNewline = '', note = ''] = truncated.split('\n\n> [!WARNING]\n');
    const kept = `${keptWithoutLastNewline}\n`;
    assert.ok(text.startsWith(kept), 'the kept part is a prefix of the original');
    assert.ok(text.startsWith(`${kept}|`), 'the cut falls on a line boundary');
    const keptLines = kept.split('\n').length - 1;
    assert.equal(
      note,
      `> Report truncated to fit the size limit: ${totalLines - keptLines} of ${totalLines} lines omitted. ` +
        'The full report is in the SARIF or JSON output.\n',
    );
    // Greedy: one more line would not have fitted.
    const nextLine = text.split('\n')[keptLines] ?? '';
    assert.ok(Buffer.byteLength(truncated) + Buffer.byteLength(nextLine) + 1 > maxBytes);
  }
  const oneMiB = 1024 * 1024;
  const huge = '| x | y |\n'.repeat(200_000);
  assert.ok(Buffer.byteLength(huge) > oneMiB);
  assert.ok(Buffer.byteLength(truncateMarkdown(huge, oneMiB)) <= oneMiB);
});

await test('truncateMarkdown: a limit smaller than the note gives the empty string', () => {
  assert.equal(truncateMarkdown('line one\nline two\n', 10), '');
});

await test('markdown: a finding without a position names the file alone', () => {
  const results = [
    makeResult('/repo/campaigns/x/recipients.csv', [
      { ruleId: null, severity: 2, fatal: true, message: 'Cannot read recipients.csv', line: 0, column: 0 },
      { ruleId: 'no-cc', severity: 2, message: 'm', line: 3, column: 0 },
    ]),
  ];
  const [table] = tablesOf(markdown(results, makeFormatterContext()));
  assert.deepEqual(
    table?.rows.map((row) => row[1]?.text),
    ['campaigns/x/recipients.csv', 'campaigns/x/recipients.csv:3'],
  );
});
