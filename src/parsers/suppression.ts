/**
 * Reading suppression lists, on top of the CSV reader (`readCsv`).
 */
import type { SourceLocation } from '../core/types.js';
import { readCsv } from './csv.js';
import type { CsvHeader, CsvProblem, CsvProblemKind, CsvReadOptions, CsvReadSummary, CsvRecord } from './csv.js';

export interface SuppressionHandlers {
  /** One suppressed address as written (not trimmed or normalised), with its record. */
  onAddress: (address: string, record: CsvRecord) => void;
  onProblem: (problem: CsvProblem) => void;
}

/**
 * Reads a suppression list: the `email` column (header matched case-insensitively, ignoring
 * surrounding spaces) or, when the file has a single column, that column. A first row that
 * looks like an address is reported as `missing-header` and still counted as suppressed, so
 * that a header-less list never lets its first address through.
 */
export async function readSuppressionList(filePath: string, handlers: SuppressionHandlers, options?: CsvReadOptions): Promise<SuppressionListSummary> {
  let column = -1;
  const summary = await readCsv(
    filePath,
    {
      onHeader(header) {
        column = header.names.findIndex((name) => name.trim().toLowerCase() === 'email');
        if (column === -1 && header.names.length === 1) column = 0;
        if (column === -1) {
          onMissingColumn(header, handlers);
          return;
        }
        const name = header.names[column] ?? '';
        if (name.includes('@')) handlers.onAddress(name, headerPseudoRecord(name, header.positions[column] ?? { line: 1, column: 1 }));
      },
      onRecord(record) {
        const address = column === -1 ? undefined : record.fields[column];
        if (address !== undefined && address !== '') handlers.onAddress(address, record);
      },
      onProblem: handlers.onProblem,
    },
    options,
  );
  return { ...summary, column };
}

export interface SuppressionListSummary extends CsvReadSummary {
  /** Index of the address column; -1 when the list has none. */
  column: number;
}

function onMissingColumn(header: CsvHeader, handlers: SuppressionHandlers): void {
  const at = header.positions[0] ?? { line: 1, column: 1 };
  handlers.onProblem(problem('missing-column', at.line, at.column, 'suppression list has several columns and none is named "email"'));
}

function headerPseudoRecord(address: string, location: SourceLocation): CsvRecord {
  return { line: location.line, index: 0, byteOffset: 0, fields: [address], mayHaveLineBreaks: true, fieldLocation: () => ({ line: location.line, column: location.column }) };
}

function problem(kind: CsvProblemKind, line: number, column: number, message: string): CsvProblem {
  return { kind, line, column, message };
}
