import { recipientsPath } from '../../core/recipients.js';
import { allowedAddresses, buildRowMessage, campaignDefaults, rowData, sendAtDate } from '../../core/row-message.js';
import { campaignTemplates } from '../../core/templates.js';
import { UsageError } from '../../core/errors.js';
import { readCsv, STOPPING_PROBLEMS } from '../../parsers/csv.js';
import type { CsvReadOptions } from '../../parsers/csv.js';
import { recipientListOptions } from '../../core/columns.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { campaignArgument } from './campaign-arg.js';

/** Thrown from the record callback to stop reading once the wanted row is in hand. */
class RowFound extends Error {}

function parseRow(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^[1-9]\d*$/.test(value.trim())) throw new UsageError(`--row must be a whole number from 1, got \`${value}\``);
  return Number(value.trim());
}

interface FoundRow {
  names: string[];
  fields: string[];
}

/** The header and the wanted record, reading no further than it; `rows` counts the records when the list is shorter. */
async function readRow(csvPath: string, wanted: number, options: CsvReadOptions): Promise<{ row: FoundRow | undefined; rows: number; problem: string | undefined }> {
  let names: string[] = [];
  let row: FoundRow | undefined;
  let problem: string | undefined;
  const summary = await readCsv(csvPath, {
    onHeader: (header) => {
      names = [...header.names];
    },
    onRecord: (record) => {
      if (record.index !== wanted) return;
      row = { names, fields: [...record.fields] };
      throw new RowFound();
    },
    onProblem: (found) => {
      // The reader reports the thrown stop as a read error; anything before the row is real.
      const stops = STOPPING_PROBLEMS.has(found.kind);
      if (row === undefined && stops) problem ??= found.message;
    },
  }, options);
  return { row, rows: summary.rows, problem };
}

export async function runPreview(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const wanted = parseRow(values.row);
  const { campaign, config } = await campaignArgument('preview', args, values, io);
  const templates = await campaignTemplates(campaign, config);
  const broken = templates.problems[0];
  if (broken) throw new UsageError(`cannot render: ${broken.message} (${broken.filePath}:${broken.line}:${broken.column})`);
  const csvPath = await recipientsPath(campaign);
  if (csvPath === undefined) throw new UsageError('cannot render: the recipient list named by `recipients.file` does not exist inside the repository');

  const { row, rows, problem } = await readRow(csvPath, wanted, recipientListOptions(campaign));
  if (row === undefined) {
    if (problem !== undefined) throw new UsageError(`cannot read the recipient list: ${problem}`);
    throw new UsageError(`--row ${wanted}: the recipient list has ${rows} row(s)`);
  }

  const showPii = values['show-pii'] === true;
  const { maskMessage, maskRowValues, renderMessage } = await import('../../render/index.js');
  // Masked at the source: the message is rendered from the masked cells, so no real value reaches
  // the composer, whatever it folds or encodes; addresses written in the templates are masked after.
  const fields = showPii ? row.fields : maskRowValues(row.fields);
  const writtenDomain = (campaign.string(['from', 'address']) ?? '').split('@')[1]?.trim() ?? '';
  const senderDomain = writtenDomain === '' ? 'campaign-lint.invalid' : writtenDomain;
  const built = buildRowMessage(campaign, templates, rowData(row.names, fields, campaignDefaults(campaign)), {
    // A preview is reproducible: the planned send time when there is one, an id naming the row, a fixed boundary.
    date: sendAtDate(campaign) ?? new Date(),
    messageId: `<preview.row-${wanted}.${campaign.id ?? 'campaign'}@${senderDomain}>`,
    boundarySeed: 'preview',
  });
  if (!built.ok) throw new UsageError(`cannot render row ${wanted}: ${built.reason}`);

  const rendered = await renderMessage(built.input);
  if (!rendered.ok) throw new UsageError(`cannot render row ${wanted}: the mail composer refused the message`);
  const output =
    showPii
      ? rendered.message.raw
      : await maskMessage(rendered.message.raw, row.fields, { allowAddresses: allowedAddresses(built.input, config.organization.archiveAddresses) });
  io.stdout.write(onWireLineEndings(output));
  return 0;
}

/**
 * The message as it goes on the wire: every line ends in CRLF (RFC 5322 section 2.1, and SMTP),
 * headers and body alike, and so does the last one. The composer leaves a 7bit body's lines
 * as the template wrote them (LF), which SMTP would convert; doing it here makes the output
 * one consistent message that `> message.eml` saves as a mail client opens it.
 */
export function onWireLineEndings(message: string): string {
  const crlf = message.replace(/\r\n|\r|\n/gu, '\r\n');
  return crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`;
}
