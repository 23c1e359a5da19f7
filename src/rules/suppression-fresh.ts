/**
 * A suppression export older than `maxAgeHours` (48 by default): people who unsubscribed since the
 * export are still mailed. The age comes from the newest timestamp in `timestampColumn` when the
 * list has that column, else from the file's last commit (`git log -1 --format=%cI`), else (a file
 * changed since its last commit, untracked, or outside a repository) from its modification time.
 *
 * Off in `recommended` (it reads the clock: a repository's examples and goldens would turn red
 * on a date); an error under `strict`. Its verdict depends on the date, so `meta.timeDependent`
 * keeps `--cache` from reusing a campaign's results while it is on.
 */
import { childProcess } from '../core/lazy-builtins.js';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isInside, resolveInside, toPosixRelative } from '../core/paths.js';
import type { SourceLocation } from '../core/types.js';
import { readCsv } from '../parsers/csv.js';
import { defineRule } from './define.js';

/** The clock the rule reads: tests replace `now` to make the age exact. */
export const clock = { now: (): number => Date.now() };

interface Options {
  maxAgeHours: number;
  timestampColumn?: string;
}

interface ListFile {
  path: string;
  /** As written: a campaign `suppress` entry or a config path. */
  written: string;
  /** Index in the campaign's `suppress`, for campaign entries. */
  index?: number;
}

const HOUR = 3_600_000;

/**
 * A timestamp as exports write it, in milliseconds, or undefined: ISO 8601 (`2024-01-31T12:00:00Z`,
 * with an offset or without, read as UTC), `2024-01-31 12:00:00` (UTC), a date alone, Unix seconds
 * (SendGrid's `created`) or milliseconds, and RFC 2822 dates with a zone (`Wed, 31 Jan 2024 12:00:00 GMT`).
 */
export function parseTimestamp(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (/^\d{10}$/.test(value)) return Number(value) * 1000;
  if (/^\d{13}$/.test(value)) return Number(value);
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i.exec(value);
  if (iso) {
    const zone = iso[3] === undefined || /^(z|utc|gmt)$/i.test(iso[3]) ? 'Z' : iso[3].length === 5 ? `${iso[3].slice(0, 3)}:${iso[3].slice(3)}` : iso[3];
    const time = Date.parse(`${iso[1] ?? ''}T${iso[2] ?? '00:00'}${zone}`);
    return Number.isNaN(time) ? undefined : time;
  }
  // RFC 2822 and the like: only with an explicit zone, never in the machine's local time.
  if (/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(:\d{2})? (GMT|UTC|[+-]\d{4})$/.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    childProcess().execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 64 * 1024 }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim());
    });
  });
}

/** The file's date: its last commit, or its modification time when it changed since (or git has none). */
async function fileDate(path: string): Promise<{ time: number; source: string } | undefined> {
  const cwd = dirname(path);
  const name = basename(path);
  const status = await git(['status', '--porcelain', '--', name], cwd);
  if (status === '') {
    const committed = await git(['log', '-1', '--format=%cI', '--', name], cwd);
    const time = committed === undefined || committed === '' ? NaN : Date.parse(committed);
    if (!Number.isNaN(time)) return { time, source: 'its last commit' };
  }
  try {
    const stats = await stat(path);
    return { time: stats.mtimeMs, source: status === undefined ? 'its modification time (not in a git repository)' : 'its modification time (changed since its last commit)' };
  } catch {
    return undefined;
  }
}

/** The newest timestamp in `column` and its cell's place; undefined when the list has no such column or no readable timestamp in it. */
async function newestTimestamp(path: string, name: string): Promise<{ time: number; loc: SourceLocation } | undefined> {
  const wanted = name.trim().toLowerCase();
  let index = -1;
  let newest: { time: number; loc: SourceLocation } | undefined;
  await readCsv(path, {
    onHeader(header) {
      index = header.names.findIndex((each) => each.trim().toLowerCase() === wanted);
    },
    onRecord(record) {
      if (index === -1) return;
      const time = parseTimestamp(record.fields[index] ?? '');
      if (time !== undefined && (newest === undefined || time > newest.time)) newest = { time, loc: record.fieldLocation(index) };
    },
    onProblem() {
      // The list's own problems are recipient-suppressed's to report.
    },
  });
  return newest;
}

const hours = (ms: number) => Math.floor(ms / HOUR);

export default defineRule<Options>({
  meta: {
    id: 'suppression-fresh',
    description: 'Require suppression lists to be exported no longer ago than a configured age (48 hours by default)',
    category: 'compliance',
    defaultSeverity: 'off',
    timeDependent: true,
    messages: {
      stale: 'suppression list `{{file}}` is {{age}} hours old (from {{source}}), older than {{max}} hours: people who unsubscribed since are still mailed. Export it again and commit it',
      noTimestamp: 'suppression list `{{file}}` has no readable timestamp in column `{{column}}`; its age is taken from {{source}}',
    },
    optionsSchema: {
      type: 'object',
      properties: {
        maxAgeHours: { type: 'number', exclusiveMinimum: 0, description: 'Oldest age, in hours, a suppression list may have (default 48).' },
        timestampColumn: { type: 'string', minLength: 1, description: 'Column holding each entry’s timestamp (ISO 8601, `YYYY-MM-DD HH:MM:SS` UTC, Unix seconds or milliseconds); the newest one dates the list.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { maxAgeHours: 48 },
  },
  async check(context) {
    const { campaign, config, options } = context;
    const maxHours = options.maxAgeHours;
    const lists: ListFile[] = [];
    const suppress = campaign.get(['suppress']);
    if (Array.isArray(suppress)) {
      suppress.forEach((entry: unknown, index) => {
        const written = typeof entry === 'string' ? entry : entry !== null && typeof entry === 'object' && typeof (entry as { file?: unknown }).file === 'string' ? (entry as { file: string }).file : undefined;
        if (written === undefined) return;
        const resolved = campaign.resolve(written);
        if (resolved.ok) lists.push({ path: resolved.path, written, index });
      });
    }
    for (const pattern of config.suppression) {
      const { glob } = await import('tinyglobby');
      const matched = (await glob([pattern], { cwd: config.baseDir, absolute: true, dot: true, onlyFiles: true })).sort();
      for (const path of matched) if (isInside(config.rootDir, path)) lists.push({ path, written: toPosixRelative(config.rootDir, path) });
    }
    for (const spec of config.suppressionSources) {
      const resolved = resolveInside(config.rootDir, config.baseDir, spec.file);
      if (resolved.ok) lists.push({ path: resolved.path, written: toPosixRelative(config.rootDir, resolved.path) });
    }
    const now = clock.now();
    const seen = new Set<string>();
    for (const list of lists) {
      if (seen.has(list.path)) continue;
      seen.add(list.path);
      const at = (loc?: SourceLocation) =>
        list.index !== undefined ? { loc: campaign.valueLocation(['suppress', list.index]) } : { loc: loc ?? { line: 1, column: 1 }, filePath: list.path };
      const column = options.timestampColumn;
      let dated: { time: number; source: string; loc?: SourceLocation } | undefined;
      if (column !== undefined) {
        const newest = await newestTimestamp(list.path, column);
        if (newest !== undefined) dated = { time: newest.time, source: `its newest \`${column}\``, loc: newest.loc };
        // A list without the column (another platform's export), or with no readable date in it, is dated by its file.
        else {
          const file = await fileDate(list.path);
          if (file) context.report({ messageId: 'noTimestamp', data: { file: list.written, column, source: file.source }, severity: 'warn', ...at() });
          dated = file;
        }
      }
      dated ??= await fileDate(list.path);
      // A list that cannot be read is recipient-suppressed's to report.
      if (dated === undefined) continue;
      const age = now - dated.time;
      if (age > maxHours * HOUR) context.report({ messageId: 'stale', data: { file: list.written, age: hours(age), source: dated.source, max: maxHours }, ...at(dated.loc) });
    }
  },
});
