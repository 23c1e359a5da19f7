/**
 * A declarative custom rule as the config writes it, checked (`defineCustomRule`): data only.
 * How it runs is in custom-rules.ts; this half is all that reading a config needs, so that
 * loading a policy does not load the template and list readers a custom rule runs with.
 */
import { ConfigError } from '../core/errors.js';
import type { SeverityName } from '../core/types.js';
import { closest } from '../core/suggest.js';

export const CUSTOM_FUNCTIONS = ['pattern', 'notPattern', 'enum', 'length', 'defined', 'undefined', 'contains', 'count', 'dateWindow'] as const;
export type CustomFunction = (typeof CUSTOM_FUNCTIONS)[number];

export interface RawThen {
  function: CustomFunction;
  match?: string;
  flags?: string;
  values?: (string | number | boolean)[];
  value?: string | number | boolean;
  min?: number;
  max?: number;
  after?: string;
  before?: string;
  weekdays?: string[];
  hours?: [number, number];
}

export interface RawCustomRule {
  description: string;
  severity?: SeverityName;
  message?: string;
  given: string | string[];
  then: RawThen | RawThen[];
}

export type Segment = { type: 'key'; name: string } | { type: 'any' } | { type: 'index'; index: number };

export interface GivenPath {
  text: string;
  segments: Segment[];
  kind: 'campaign' | 'body-text' | 'body-links' | 'columns' | 'rows';
}

export interface CustomRuleDefinition {
  id: string;
  description: string;
  message: string;
  severity: SeverityName;
  given: GivenPath[];
  then: RawThen[];
  /** Where it is written (`file:line:column`). */
  origin: string;
  /** Where each `then[i].match` is written, for regular-expression errors. */
  matchAt: string[];
  raw: RawCustomRule;
}

/** Top-level keys of a campaign (schemas/campaign.schema.json). */
const CAMPAIGN_KEYS = ['version', 'id', 'name', 'category', 'sensitivity', 'author', 'from', 'reply_to', 'to', 'cc', 'bcc', 'subject', 'headers', 'body', 'recipients', 'suppress', 'defaults', 'send_at', 'approvals'];
const SEGMENT = /^([A-Za-z0-9_-]+|\*)?((?:\[(?:\*|\d+|'[^']*'|"[^"]*")\])*)$/;
const BRACKET = /\[(\*|\d+|'[^']*'|"[^"]*")\]/g;

function splitPath(text: string): string[] | undefined {
  // Dots split segments except inside ['…'] / ["…"].
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      current += char;
      quote = char;
    } else if (char === '.') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (quote !== undefined) return undefined;
  parts.push(current);
  return parts;
}

/** Parses a `given` path; a string saying what is wrong when it cannot. */
export function parseGiven(text: string): GivenPath | string {
  const parts = splitPath(text);
  if (parts === undefined) return 'has an unclosed quote';
  const segments: Segment[] = [];
  for (const part of parts) {
    const match = SEGMENT.exec(part);
    if (!match || part === '') return `has an invalid segment \`${part}\` (write key, key[*], key[0] or ['a key'])`;
    if (match[1] === '*') segments.push({ type: 'any' });
    else if (match[1] !== undefined) segments.push({ type: 'key', name: match[1] });
    for (const bracket of (match[2] ?? '').matchAll(BRACKET)) {
      const inner = bracket[1] ?? '';
      if (inner === '*') segments.push({ type: 'any' });
      else if (/^\d+$/.test(inner)) segments.push({ type: 'index', index: Number(inner) });
      else segments.push({ type: 'key', name: inner.slice(1, -1) });
    }
  }
  const [first, second, third, fourth] = segments;
  if (first?.type !== 'key') return 'must start with a campaign key';
  if (!CAMPAIGN_KEYS.includes(first.name)) {
    const suggestion = closest(first.name, CAMPAIGN_KEYS);
    return `starts with \`${first.name}\`, which is no campaign key${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`;
  }
  const bodyKind = second !== undefined && (second.type === 'any' || (second.type === 'key' && (second.name === 'html' || second.name === 'text')));
  if (first.name === 'body' && bodyKind && third?.type === 'key' && third.name === 'text') {
    if (segments.length > 3) return '`body.<kind>.text` is a string and has no parts';
    return { text, segments, kind: 'body-text' };
  }
  if (first.name === 'body' && bodyKind && third?.type === 'key' && third.name === 'links') {
    const field = segments[4];
    if (segments.length > 5 || fourth?.type === 'key' || (field !== undefined && (field.type !== 'key' || (field.name !== 'href' && field.name !== 'text')))) {
      return 'a link path is `body.<kind>.links[*]`, `.links[*].href` or `.links[*].text`';
    }
    return { text, segments, kind: 'body-links' };
  }
  if (first.name === 'recipients' && second?.type === 'key' && second.name === 'columns') {
    if (segments.length > 3 || third?.type === 'key') return '`recipients.columns` is a list of names: write recipients.columns[*]';
    return { text, segments, kind: 'columns' };
  }
  if (first.name === 'recipients' && second?.type === 'key' && second.name === 'rows') {
    if (third?.type !== 'any' || fourth?.type !== 'key' || segments.length !== 4) return 'a row path is `recipients.rows[*].<column>` (use [\'a column\'] for names with dots or spaces)';
    return { text, segments, kind: 'rows' };
  }
  return { text, segments, kind: 'campaign' };
}

export const PER_VALUE: ReadonlySet<CustomFunction> = new Set(['pattern', 'notPattern', 'enum', 'length', 'undefined', 'dateWindow']);
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Checks a custom rule's definition beyond the schema: paths and option combinations. */
export function defineCustomRule(id: string, raw: RawCustomRule, origin: string, at: (path: (string | number)[]) => string): CustomRuleDefinition {
  const refuse = (path: (string | number)[], why: string) => new ConfigError(`${at(path)}: invalid config: \`custom_rules.${id}.${path.join('.')}\` ${why}`);
  const givenList = typeof raw.given === 'string' ? [raw.given] : raw.given;
  const given = givenList.map((text, index) => {
    const parsed = parseGiven(text);
    if (typeof parsed === 'string') throw refuse(typeof raw.given === 'string' ? ['given'] : ['given', index], parsed);
    return parsed;
  });
  const thenList = Array.isArray(raw.then) ? raw.then : [raw.then];
  const thenPath = (index: number, key?: string) => [...(Array.isArray(raw.then) ? ['then', index] : ['then']), ...(key === undefined ? [] : [key])];
  thenList.forEach((then, index) => {
    if ((then.function === 'pattern' || then.function === 'notPattern') && then.match === undefined) throw refuse(thenPath(index), `uses ${then.function}, which needs \`match\` (a regular expression)`);
    if (then.function === 'enum' && then.values === undefined) throw refuse(thenPath(index), 'uses enum, which needs `values`');
    if (then.function === 'contains' && then.value === undefined) throw refuse(thenPath(index), 'uses contains, which needs `value`');
    if ((then.function === 'length' || then.function === 'count') && then.min === undefined && then.max === undefined) throw refuse(thenPath(index), `uses ${then.function}, which needs \`min\` or \`max\``);
    if (then.function === 'dateWindow') {
      for (const key of ['after', 'before'] as const) {
        const value = then[key];
        if (value !== undefined && Number.isNaN(Date.parse(value))) throw refuse(thenPath(index, key), 'must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z');
      }
      const unknownDay = then.weekdays?.find((day) => !WEEKDAYS.includes(day));
      if (unknownDay !== undefined) throw refuse(thenPath(index, 'weekdays'), `has \`${unknownDay}\`; use ${WEEKDAYS.join(', ')}`);
    }
  });
  return {
    id,
    description: raw.description,
    message: raw.message ?? raw.description,
    severity: raw.severity ?? 'error',
    given,
    then: thenList,
    origin,
    matchAt: thenList.map((_, index) => at(thenPath(index, 'match'))),
    raw,
  };
}

/* ---------------------------------------------------------------- regular expressions */
