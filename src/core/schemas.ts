import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const cache = new Map<string, Record<string, unknown>>();

/** The published schemas, read from the package's schemas/ folder (one level above src/ and dist/). */
export function loadSchema(name: 'campaign' | 'config'): Record<string, unknown> {
  let schema = cache.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
    cache.set(name, schema);
  }
  return schema;
}

/** Strict, all errors, verbose (messages need the failing schema); never fetches a remote $ref. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}
