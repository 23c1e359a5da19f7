/**
 * A payload file read into the model: one JSON value (a request or an array of requests), or
 * JSON Lines (`.jsonl`, `.ndjson`: one request per line, blank lines skipped).
 */
import { JsonSyntaxError, duplicateKeys, parseJson } from './json.js';
import type { PayloadFormat, PayloadModel } from './model.js';
import { emptyModel, mapDocument } from './platforms.js';

export interface PayloadSyntaxError {
  message: string;
  line: number;
  column: number;
}

export function isJsonLines(filePath: string): boolean {
  return /\.(?:jsonl|ndjson)$/i.test(filePath);
}

/** The model of a payload file's text, or its syntax errors (the first per document). */
export function readPayload(text: string, filePath: string, format: PayloadFormat | undefined): { model: PayloadModel; errors: PayloadSyntaxError[] } {
  const model = emptyModel();
  const errors: PayloadSyntaxError[] = [];
  const documents: { text: string; line: number }[] = [];
  if (isJsonLines(filePath)) {
    let line = 1;
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      const row = text.slice(start, end === -1 ? undefined : end);
      if (row.trim() !== '') documents.push({ text: row, line });
      if (end === -1) break;
      start = end + 1;
      line++;
    }
  } else {
    documents.push({ text, line: 1 });
  }
  for (const document of documents) {
    try {
      const root = parseJson(document.text, document.line);
      model.duplicates.push(...duplicateKeys(root));
      mapDocument(model, root, format);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      errors.push({ message: error.message, line: error.line, column: error.column });
      if (errors.length >= 100) break;
    }
  }
  return { model, errors };
}
