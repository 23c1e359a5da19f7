/**
 * Suppression lists as platforms hand them over, named by an object entry of the config's
 * `suppression` or of a campaign's `suppress`: `{ file, hash?, column?, where? }`.
 *
 * - `hash: md5 | sha1 | sha256`: the list holds hex digests of normalised addresses (trimmed,
 *   lower-cased), one per line or in `column`. Recipients are hashed the same way and looked up:
 *   no plain address from the list is ever held, because the list has none.
 * - `column`: the address (or digest) column by name: Mailchimp's `Email Address`.
 * - `where: { column, value }`: only rows whose `column` holds `value` (case-insensitive) are
 *   entries: a HubSpot-style export with an `Unsubscribed from all email` = `true` column.
 * - Without `column`, a list with a header uses its `email` / `Email Address` column; a list
 *   without one (SES's account suppression export) its first column.
 */
import { hash } from 'node:crypto';
import { extractAddress, normalizeAddress } from '../core/address.js';
import { resolveInside, toPosixRelative } from '../core/paths.js';
import type { SourceLocation } from '../core/types.js';
import { readCsv } from './csv.js';

export const HASH_ALGORITHMS = ['md5', 'sha1', 'sha256'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];
const HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = { md5: 32, sha1: 40, sha256: 64 };

export interface SuppressionSourceSpec {
  file: string;
  hash?: HashAlgorithm;
  column?: string;
  where?: { column: string; value: string };
}

export interface SuppressionSourceProblem {
  /** The list as the config names it. */
  file: string;
  filePath?: string;
  reason: string;
  loc: SourceLocation;
  /** Index in the campaign's `suppress`, for a campaign's object entries. */
  index?: number;
}

export interface SuppressionSourceMatch {
  /** The list, relative to the repository root. */
  file: string;
  line: number;
}

const MAX_PROBLEMS_PER_LIST = 20;
const EMAIL_COLUMNS = new Set(['email', 'emailaddress', 'mail', 'address', 'e-mail']);

/** The comparison form the platforms hash: the address an entry holds, trimmed, lower-cased. */
export function hashForm(address: string): string {
  return normalizeAddress(extractAddress(address));
}

export function digestOf(algorithm: HashAlgorithm, address: string): string {
  return hash(algorithm, hashForm(address), 'hex');
}

/** Every object-form suppression list, loaded: digests by algorithm, addresses of plain exports. */
export class SuppressionSources {
  readonly digests = new Map<HashAlgorithm, Map<string, SuppressionSourceMatch>>();
  readonly addresses = new Map<string, SuppressionSourceMatch>();
  readonly problems: SuppressionSourceProblem[] = [];

  get size(): number {
    let size = this.addresses.size;
    for (const map of this.digests.values()) size += map.size;
    return size;
  }

  /** The first list entry (in config order) holding `address`, or undefined. */
  match(address: string): SuppressionSourceMatch | undefined {
    const form = hashForm(address);
    if (form === '') return undefined;
    const plain = this.addresses.get(form);
    if (plain) return plain;
    for (const [algorithm, map] of this.digests) {
      // One-shot hashing (crypto.hash): about half the cost of createHash().update().digest() per row.
      const found = map.get(hash(algorithm, form, 'hex'));
      if (found) return found;
    }
    return undefined;
  }
}

const norm = (name: string) => name.trim().toLowerCase().replace(/[\s_]+/g, '');

export async function loadSuppressionSources(
  specs: readonly SuppressionSourceSpec[],
  where: { baseDir: string; rootDir: string },
  sources = new SuppressionSources(),
  /** Each spec's index in a campaign's `suppress`, for its problems. */
  indexes?: readonly number[],
): Promise<SuppressionSources> {
  for (const [position, spec] of specs.entries()) {
    const at = indexes?.[position] === undefined ? {} : { index: indexes[position] };
    const resolved = resolveInside(where.rootDir, where.baseDir, spec.file);
    if (!resolved.ok) {
      sources.problems.push({ file: spec.file, reason: resolved.reason, loc: { line: 1, column: 1 }, ...at });
      continue;
    }
    const filePath = resolved.path;
    const display = toPosixRelative(where.rootDir, filePath);
    let listed = 0;
    const problem = (reason: string, loc: SourceLocation) => {
      if (listed++ < MAX_PROBLEMS_PER_LIST) sources.problems.push({ file: display, filePath, reason, loc, ...at });
    };
    const digests = spec.hash === undefined ? undefined : (sources.digests.get(spec.hash) ?? new Map<string, SuppressionSourceMatch>());
    if (spec.hash !== undefined && digests) sources.digests.set(spec.hash, digests);
    let column = -1;
    let whereColumn = -1;
    let entries = 0;
    const take = (cells: readonly string[], line: number, at: () => SourceLocation) => {
      if (whereColumn !== -1 && (cells[whereColumn] ?? '').trim().toLowerCase() !== (spec.where?.value ?? '').trim().toLowerCase()) return;
      const cell = (cells[column] ?? '').trim();
      if (cell === '') return;
      if (digests && spec.hash) {
        const hex = cell.toLowerCase();
        if (hex.length !== HEX_LENGTH[spec.hash] || !/^[0-9a-f]+$/.test(hex)) {
          problem(`entry is not a hex ${spec.hash} digest (${HEX_LENGTH[spec.hash]} hexadecimal digits), so it suppresses nobody`, at());
          return;
        }
        if (!digests.has(hex)) digests.set(hex, { file: display, line });
      } else {
        const form = hashForm(cell);
        if (!form.includes('@')) {
          problem('entry yields no address, so it suppresses nobody', at());
          return;
        }
        if (!sources.addresses.has(form)) sources.addresses.set(form, { file: display, line });
      }
      entries++;
    };
    const read = { missing: false, headerFailed: false };
    await readCsv(filePath, {
      onHeader(header) {
        const find = (name: string) => header.names.findIndex((each) => norm(each) === norm(name));
        if (spec.where) {
          whereColumn = find(spec.where.column);
          if (whereColumn === -1) {
            problem(`has no column \`${spec.where.column}\` (where.column)`, header.positions[0] ?? { line: 1, column: 1 });
            read.headerFailed = true;
          }
        }
        if (spec.column !== undefined) {
          column = find(spec.column);
          if (column === -1) {
            problem(`has no column \`${spec.column}\` (column)`, header.positions[0] ?? { line: 1, column: 1 });
            read.headerFailed = true;
          }
        } else if (header.looksLikeData || spec.hash !== undefined) {
          column = 0;
        } else {
          column = header.names.findIndex((name) => EMAIL_COLUMNS.has(norm(name)));
          if (column === -1) {
            problem('has no `email` or `Email Address` column: name it with `column`', header.positions[0] ?? { line: 1, column: 1 });
            read.headerFailed = true;
          }
        }
        // A list without a header row: its first row is an entry (a digest or an address).
        const firstIsData = spec.column === undefined && spec.where === undefined && (header.looksLikeData || (spec.hash !== undefined && /^[0-9a-f]+$/i.test((header.names[0] ?? '').trim())));
        if (!read.headerFailed && firstIsData) take(header.names, header.positions[0]?.line ?? 1, () => header.positions[0] ?? { line: 1, column: 1 });
      },
      onRecord(record) {
        if (read.headerFailed || column === -1) return;
        take(record.fields, record.line, () => record.fieldLocation(column));
      },
      onProblem(csvProblem) {
        // A list without a header row is a shape these exports have (SES's, one digest per line): read, not a problem.
        if (csvProblem.kind === 'missing-header') return;
        if (csvProblem.kind === 'read-error' && csvProblem.message.includes('ENOENT')) {
          read.missing = true;
          return;
        }
        problem(csvProblem.message, { line: csvProblem.line, column: csvProblem.column });
      },
    });
    if (read.missing) sources.problems.push({ file: spec.file, reason: 'does not exist', loc: { line: 1, column: 1 }, ...at });
    else if (!read.headerFailed && entries === 0) problem('yields no entry: check `hash`, `column` and `where`', { line: 1, column: 1 });
    if (listed > MAX_PROBLEMS_PER_LIST) sources.problems.push({ file: display, filePath, reason: `${listed - MAX_PROBLEMS_PER_LIST} more problems are not listed`, loc: { line: 1, column: 1 }, ...at });
  }
  return sources;
}

const cache = new WeakMap<object, Promise<SuppressionSources>>();

/** The config's object-form suppression lists, loaded once per config. */
export function suppressionSourcesOf(config: { suppressionSources: readonly SuppressionSourceSpec[]; baseDir: string; rootDir: string }): Promise<SuppressionSources> {
  let loaded = cache.get(config);
  if (!loaded) {
    loaded = loadSuppressionSources(config.suppressionSources, config);
    cache.set(config, loaded);
  }
  return loaded;
}

/** A campaign's `suppress` object entries, with their index in the list; strings are plain lists (src/rules/_recipients.ts). */
export function campaignSourceSpecs(suppress: unknown): { specs: SuppressionSourceSpec[]; indexes: number[] } {
  const specs: SuppressionSourceSpec[] = [];
  const indexes: number[] = [];
  if (!Array.isArray(suppress)) return { specs, indexes };
  suppress.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return;
    const { file, hash: algorithm, column, where } = entry as Record<string, unknown>;
    // A malformed entry is the schema rule's to report; only well-formed ones are read.
    if (typeof file !== 'string' || file === '') return;
    if (algorithm !== undefined && !(HASH_ALGORITHMS as readonly unknown[]).includes(algorithm)) return;
    if (column !== undefined && typeof column !== 'string') return;
    let condition: { column: string; value: string } | undefined;
    if (where !== undefined) {
      const { column: whereColumn, value } = (where ?? {}) as Record<string, unknown>;
      if (typeof whereColumn !== 'string' || typeof value !== 'string') return;
      condition = { column: whereColumn, value };
    }
    specs.push({ file, ...(algorithm === undefined ? {} : { hash: algorithm as HashAlgorithm }), ...(column === undefined ? {} : { column }), ...(condition ? { where: condition } : {}) });
    indexes.push(index);
  });
  return { specs, indexes };
}

const campaignCache = new WeakMap<object, Promise<SuppressionSources>>();

/**
 * The object-form lists a campaign is checked against: the config's `suppression` objects, then
 * the campaign's own `suppress` objects (resolved from the campaign's folder), loaded once per campaign.
 */
export function campaignSuppressionSourcesOf(
  campaign: { data: unknown; dir: string },
  config: { suppressionSources: readonly SuppressionSourceSpec[]; baseDir: string; rootDir: string },
): Promise<SuppressionSources> {
  let loaded = campaignCache.get(campaign);
  if (!loaded) {
    const { specs, indexes } = campaignSourceSpecs((campaign.data as Record<string, unknown> | null)?.suppress);
    loaded =
      specs.length === 0
        ? suppressionSourcesOf(config)
        : loadSuppressionSources(config.suppressionSources, config).then((sources) => loadSuppressionSources(specs, { baseDir: campaign.dir, rootDir: config.rootDir }, sources, indexes));
    campaignCache.set(campaign, loaded);
  }
  return loaded;
}
