/**
 * GitHub-flavoured Markdown for job summaries and pull request comments: a
 * summary line, then one table of findings per file that has any.
 *
 * Message text is escaped so that it renders literally: a message cannot open
 * a link, inject HTML or break out of its table cell.
 */
import type { Formatter, LintMessage } from '../core/types.js';
import { FATAL_RULE_ID, repoRelativePath } from './sarif.js';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/gu;

/**
 * Escapes text for a GFM table cell: Markdown punctuation is backslash-escaped
 * (CommonMark allows that for any ASCII punctuation), `|` so that it does not
 * end the cell, line breaks become `<br>` because a cell is one line, and other
 * control characters become U+FFFD so that a reader sees something is there.
 * Bare URLs and addresses are defused so that GFM's autolinking leaves them as text.
 */
export function escapeMarkdownCell(value: string): string {
  return value
    .replace(INVISIBLE_CONTROLS, '\uFFFD')
    .replace(/[\\`*_{}[\]()<>#+!|~&]/gu, (character) => `\\${character}`)
    // GFM turns bare URLs and addresses into links; an escaped `:`, `.` or `@` stops that.
    .replace(/:\/\//gu, '\\://')
    .replace(/\bwww\./giu, (www) => `${www.slice(0, 3)}\\.`)
    .replace(/@/gu, '\\@')
    .replace(/\r\n|\r|\n/gu, '<br>');
}

/** Percent-encodes the characters that would end or break a Markdown link destination. */
function linkDestination(url: string): string {
  // encodeURIComponent leaves `(` and `)` alone, and those are what end a link.
  return url
    .replace(/\s/gu, (character) => encodeURIComponent(character))
    .replace(/[()<>|]/gu, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function severityLabel(message: LintMessage): string {
  return message.severity === 2 ? '❌ error' : '⚠️ warning';
}

/** `path:line:column`, shortened when the finding has no position (an unreadable file). */
function locationOf(file: string, message: LintMessage): string {
  if (message.line < 1) return file;
  return message.column < 1 ? `${file}:${message.line}` : `${file}:${message.line}:${message.column}`;
}

export const markdown: Formatter = (results, context) => {
  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
  const lines: string[] = ['## campaign-lint', ''];

  if (errors === 0 && warnings === 0) {
    lines.push(`✅ No problems found in ${plural(results.length, 'file')}.`);
    return `${lines.join('\n')}\n`;
  }

  const filesWithFindings = results.filter((result) => result.messages.length > 0);
  lines.push(
    `**${plural(results.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}** ` +
      `in ${plural(filesWithFindings.length, 'file')}.`,
  );
  if (context.maxWarnings !== undefined && warnings > context.maxWarnings) {
    lines.push('', `Too many warnings: ${warnings} exceed the maximum of ${context.maxWarnings} (--max-warnings).`);
  }

  for (const result of filesWithFindings) {
    const file = repoRelativePath(result.filePath, context.rootDir);
    lines.push('', `### ${escapeMarkdownCell(file)}`, '', '| Severity | Location | Rule | Message |', '| --- | --- | --- | --- |');
    for (const message of result.messages) {
      const rule =
        message.ruleId === null
          ? FATAL_RULE_ID
          : `[${escapeMarkdownCell(message.ruleId)}](${linkDestination(context.docsUrl(message.ruleId))})`;
      const cells = [severityLabel(message), escapeMarkdownCell(locationOf(file, message)), rule, escapeMarkdownCell(message.message)];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
};

/**
 * Cuts `text` at a line boundary so that the result, including an appended
 * note, takes at most `maxBytes` bytes of UTF-8 (GitHub refuses a job summary
 * over 1 MiB). Text that already fits is returned unchanged; when not even the
 * note fits, the result is empty.
 */
export function truncateMarkdown(text: string, maxBytes: number): string {
  const totalBytes = Buffer.byteLength(text, 'utf8');
  if (totalBytes <= maxBytes) return text;
  // A final newline ends the last line rather than starting an empty one.
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const noteFor = (keptLines: number): string =>
    `\n> [!WARNING]\n> Report truncated to fit the size limit: ${lines.length - keptLines} of ${lines.length} lines omitted. ` +
    'The full report is in the SARIF or JSON output.\n';

  let keptLines = 0;
  let keptBytes = 0;
  for (const line of lines) {
    const lineBytes = Buffer.byteLength(line, 'utf8') + 1;
    // The note's length depends on the number kept, so check with the note this line would need.
    if (keptBytes + lineBytes + Buffer.byteLength(noteFor(keptLines + 1), 'utf8') > maxBytes) break;
    keptLines += 1;
    keptBytes += lineBytes;
  }
  const note = noteFor(keptLines);
  if (keptBytes + Buffer.byteLength(note, 'utf8') > maxBytes) return '';
  return `${lines.slice(0, keptLines).map((line) => `${line}\n`).join('')}${note}`;
}

export default markdown;
