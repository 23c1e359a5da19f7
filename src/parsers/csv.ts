import type { SourceLocation } from '../core/types.js';

export interface CsvHeader {
  names: string[];
  positions: SourceLocation[];
}

export interface CsvRecord {
  line: number;
  index: number;
  fields: string[];
  positions: SourceLocation[];
}
