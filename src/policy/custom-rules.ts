/**
 * Declarative custom rules (`custom_rules`): data only, nothing executed. Each rule names paths
 * into a campaign model (`given`) and checks the values found there with built-in functions
 * (`then`). Regular expressions run on RE2 (re2js): matching is linear in the input whatever the
 * pattern, so a policy cannot stall CI. Each custom rule runs as an ordinary unlocked rule: its
 * findings carry its id, obey inline disables, and never touch a locked rule's verdict.
 *
 * The model (docs/policy.md):
 * - any campaign key, as written: `subject`, `from.address`, `headers.List-Unsubscribe`, `send_at`,
 *   `approvals[*].by`; positions are the YAML value's line:column.
 * - `body.html.text`, `body.text.text`: a body's visible text (HTML: tags removed, entities
 *   decoded, as the postal-address rule reads it); positions in the template file.
 * - `body.html.links[*].href` / `.text`, `body.text.links[*].href`: links, at their place in the template.
 * - `recipients.columns[*]`: the recipient list's column names; `recipients.rows[*].<column>`:
 *   each row's value in a column (streamed; values are masked in messages unless --show-pii).
 */
import type { Campaign } from '../core/campaign.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { recipientsPath } from '../core/recipients.js';
import { campaignTemplates } from '../core/templates.js';
import type { Rule, RuleContext, RuleListeners, RuleMeta, SourceLocation } from '../core/types.js';
import { findUrls } from '../parsers/html.js';
import type { CsvHeader, CsvRecord } from '../parsers/csv.js';
import { PER_VALUE, WEEKDAYS } from './custom-rule-definition.js';
import type { CustomRuleDefinition, GivenPath, RawThen, Segment } from './custom-rule-definition.js';

export interface LinearRegex {
  /** The index of the first match, or -1. */
  search(text: string): { index: number; length: number } | undefined;
}

type Re2Module = typeof import('re2js');
let re2: Re2Module | undefined;

/** Compiles with RE2 (linear time); throws a ConfigError naming `where` when RE2 cannot. */
export async function compileLinear(pattern: string, flags: string | undefined, where: string, key: string): Promise<LinearRegex> {
  re2 ??= await import('re2js');
  const { RE2JS } = re2;
  let mask = 0;
  for (const flag of flags ?? '') {
    if (flag === 'i') mask |= RE2JS.CASE_INSENSITIVE;
    else if (flag === 'm') mask |= RE2JS.MULTILINE;
    else if (flag === 's') mask |= RE2JS.DOTALL;
    else throw new ConfigError(`${where}: invalid config: \`${key}\` flag \`${flag}\` is not one of i, m, s`);
  }
  let compiled: ReturnType<typeof RE2JS.compile>;
  try {
    compiled = RE2JS.compile(pattern, mask);
  } catch (error) {
    throw new ConfigError(`${where}: invalid config: \`${key}\` is not a regular expression RE2 accepts (${errorMessage(error).split('\n', 1)[0] ?? ''}); RE2 has no lookaround or backreferences`);
  }
  return {
    search(text) {
      const matcher = compiled.matcher(text);
      if (!matcher.find()) return undefined;
      return { index: matcher.start(), length: matcher.end() - matcher.start() };
    },
  };
}

/* ---------------------------------------------------------------- values */

interface Found {
  value: unknown;
  /** The concrete path (`approvals[1].by`). */
  path: string;
  file: string;
  loc: SourceLocation;
  /** The template source a body text value was read from, for pointing at a match. */
  source?: { text: string; html: boolean };
  /** Recipient data: masked in messages unless --show-pii. */
  personal?: boolean;
}

function campaignValues(campaign: Campaign, segments: readonly Segment[]): { found: Found[]; anchor: SourceLocation } {
  const found: Found[] = [];
  const walk = (value: unknown, path: (string | number)[], rest: readonly Segment[]): void => {
    const [segment, ...tail] = rest;
    if (segment === undefined) {
      if (value !== undefined) found.push({ value, path: pathText(path), file: campaign.filePath, loc: campaign.valueLocation(path) });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (segment.type === 'any') {
      if (Array.isArray(value)) value.forEach((item, index) => { walk(item, [...path, index], tail); });
      else for (const [key, item] of Object.entries(value)) walk(item, [...path, key], tail);
    } else if (segment.type === 'index') {
      if (Array.isArray(value)) walk(value[segment.index], [...path, segment.index], tail);
    } else if (!Array.isArray(value) && Object.hasOwn(value, segment.name)) {
      walk((value as Record<string, unknown>)[segment.name], [...path, segment.name], tail);
    }
  };
  walk(campaign.data, [], segments);
  const prefix: (string | number)[] = [];
  for (const segment of segments) {
    if (segment.type === 'any') break;
    prefix.push(segment.type === 'key' ? segment.name : segment.index);
  }
  return { found, anchor: campaign.keyLocation(prefix.length > 0 ? prefix : ['version']) };
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${String(part)}]` : /^[A-Za-z0-9_-]+$/.test(part) ? `${index === 0 ? '' : '.'}${part}` : `['${part}']`)).join('');
}

async function bodyValues(context: RuleContext, given: GivenPath): Promise<{ found: Found[]; anchor: SourceLocation }> {
  const { campaign, config } = context;
  const kindSegment = given.segments[1];
  const kinds = kindSegment?.type === 'key' ? [kindSegment.name] : ['html', 'text'];
  const { templates } = await campaignTemplates(campaign, config);
  const found: Found[] = [];
  for (const template of templates) {
    if (template.kind === 'header' || !kinds.includes(template.kind)) continue;
    const html = template.kind === 'html';
    const base = `body.${template.kind}`;
    if (given.kind === 'body-text') {
      const text = html ? (await import('../parsers/html-dom.js')).parseHtml(template.source).visibleText : template.source;
      found.push({ value: text, path: `${base}.text`, file: template.filePath, loc: { line: 1, column: 1 }, source: { text: template.source, html } });
      continue;
    }
    const links = html
      ? (await import('../parsers/html-dom.js')).parseHtml(template.source).links
      : findUrls(template.source).map((url) => ({ ...url, href: url.url, text: '' }));
    const index = given.segments[3];
    const field = given.segments[4];
    links.forEach((link, position) => {
      if (index?.type === 'index' && index.index !== position) return;
      const loc = { line: link.line, column: link.column, endLine: link.endLine, endColumn: link.endColumn };
      const value = field?.type === 'key' ? (field.name === 'href' ? link.href : link.text) : { href: link.href, text: link.text };
      found.push({ value, path: `${base}.links[${String(position)}]${field?.type === 'key' ? `.${field.name}` : ''}`, file: template.filePath, loc });
    });
  }
  return { found, anchor: campaign.keyLocation(['body', ...kinds.slice(0, kinds.length === 1 ? 1 : 0)]) };
}

/* ---------------------------------------------------------------- functions */

const MAX_QUOTE = 80;

function quote(value: unknown, personal: boolean, context: RuleContext): string {
  let text = typeof value === 'string' ? value : (JSON.stringify(value) as string | undefined) ?? String(value);
  text = text.replace(/[\r\n\t]+/g, ' ');
  if (text.length > MAX_QUOTE) text = `${text.slice(0, MAX_QUOTE - 1)}…`;
  return personal ? context.pii(text) : text;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function lineColumnAt(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a match in a body's text is in its template: exact for plain text, the first occurrence in the source for HTML. */
function matchLocation(found: Found, index: number, length: number): SourceLocation {
  if (found.source === undefined) return found.loc;
  if (!found.source.html) return lineColumnAt(found.source.text, index);
  const offset = found.source.text.indexOf(String(found.value).slice(index, index + length));
  return offset === -1 ? found.loc : lineColumnAt(found.source.text, offset);
}

type Report = (found: { file: string; loc: SourceLocation } | undefined, detail: string) => void;

interface Compiled {
  then: RawThen;
  regex?: LinearRegex;
}

/** Checks one value against a per-value function; the detail of a failure, or undefined. */
function checkValue(compiled: Compiled, found: Found, context: RuleContext, report: Report): void {
  const { then, regex } = compiled;
  const shown = () => quote(found.value, found.personal === true, context);
  const text = scalarText(found.value);
  switch (then.function) {
    case 'pattern':
      if (text === undefined) report(found, `\`${found.path}\` is not a text value`);
      else if (regex?.search(text) === undefined) report(found, `\`${found.path}\` (\`${shown()}\`) does not match /${then.match ?? ''}/`);
      return;
    case 'notPattern': {
      if (text === undefined) return;
      const match = regex?.search(text);
      if (match !== undefined) {
        const excerpt = quote(text.slice(match.index, match.index + Math.min(match.length, MAX_QUOTE)), found.personal === true, context);
        report({ file: found.file, loc: matchLocation(found, match.index, match.length) }, `\`${found.path}\` matches /${then.match ?? ''}/ (\`${excerpt}\`)`);
      }
      return;
    }
    case 'enum':
      if (!(then.values ?? []).some((allowed) => allowed === found.value)) {
        report(found, `\`${found.path}\` is \`${shown()}\`, not one of ${(then.values ?? []).map((allowed) => `\`${String(allowed)}\``).join(', ')}`);
      }
      return;
    case 'length': {
      const length = Array.isArray(found.value) ? found.value.length : text === undefined ? undefined : Array.from(text).length;
      if (length === undefined) report(found, `\`${found.path}\` has no length`);
      else if (then.min !== undefined && length < then.min) report(found, `\`${found.path}\` is ${String(length)} long; at least ${String(then.min)}`);
      else if (then.max !== undefined && length > then.max) report(found, `\`${found.path}\` is ${String(length)} long; at most ${String(then.max)}`);
      return;
    }
    case 'undefined':
      report(found, `\`${found.path}\` is set`);
      return;
    case 'dateWindow':
      checkDate(then, found, report);
      return;
    default:
      return;
  }
}

const OFFSET = /(?:Z|([+-])(\d{2}):?(\d{2}))$/i;

function checkDate(then: RawThen, found: Found, report: Report): void {
  const text = scalarText(found.value);
  const time = text === undefined ? Number.NaN : Date.parse(text);
  if (text === undefined || Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    report(found, `\`${found.path}\` is not an ISO 8601 date-time`);
    return;
  }
  if (then.after !== undefined && time < Date.parse(then.after)) {
    report(found, `\`${found.path}\` (${text}) is before ${then.after}`);
    return;
  }
  if (then.before !== undefined && time >= Date.parse(then.before)) {
    report(found, `\`${found.path}\` (${text}) is not before ${then.before}`);
    return;
  }
  // Weekday and hour as written: in the value's own UTC offset.
  const offset = OFFSET.exec(text);
  const minutes = offset?.[1] === undefined ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const local = new Date(time + minutes * 60_000);
  const day = WEEKDAYS[local.getUTCDay()] ?? '';
  if (then.weekdays !== undefined && !then.weekdays.includes(day)) {
    report(found, `\`${found.path}\` (${text}) falls on ${day}, not one of ${then.weekdays.join(', ')}`);
    return;
  }
  if (then.hours !== undefined) {
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    const [from, to] = then.hours;
    if (hour < from || hour >= to) report(found, `\`${found.path}\` (${text}) is outside ${String(from)}:00-${String(to)}:00 in its own offset`);
  }
}

/** Functions over all the values a path found: checked once, at the end. */
function checkCollection(then: RawThen, path: string, values: { count: number; contains: boolean }, anchor: { file: string; loc: SourceLocation }, report: Report): void {
  switch (then.function) {
    case 'defined':
      if (values.count === 0) report(anchor, `\`${path}\` is not set`);
      return;
    case 'contains':
      if (!values.contains) report(anchor, `no \`${path}\` contains \`${String(then.value)}\``);
      return;
    case 'count':
      if (then.min !== undefined && values.count < then.min) report(anchor, `\`${path}\` has ${String(values.count)} values; at least ${String(then.min)}`);
      else if (then.max !== undefined && values.count > then.max) report(anchor, `\`${path}\` has ${String(values.count)} values; at most ${String(then.max)}`);
      return;
    default:
      return;
  }
}

function containsValue(then: RawThen, value: unknown): boolean {
  if (typeof value === 'string' && typeof then.value === 'string') return value.includes(then.value);
  return value === then.value;
}

/* ---------------------------------------------------------------- the rule */

const cache = new WeakMap<CustomRuleDefinition, Rule>();

export function customRuleMeta(definition: CustomRuleDefinition): RuleMeta {
  return {
    id: definition.id,
    description: definition.description,
    category: 'content',
    defaultSeverity: definition.severity,
    messages: { failed: '{{message}}: {{detail}}' },
  };
}

/** A custom rule as an ordinary (unlocked) rule the linter runs. */
export function customRule(definition: CustomRuleDefinition): Rule {
  const cached = cache.get(definition);
  if (cached) return cached;
  const rule: Rule = {
    meta: customRuleMeta(definition),
    async check(context) {
      const compiled: Compiled[] = await Promise.all(
        definition.then.map(async (then, index) =>
          then.match === undefined ? { then } : { then, regex: await compileLinear(then.match, then.flags, definition.matchAt[index] ?? definition.origin, `custom_rules.${definition.id}.then.match`) },
        ),
      );
      const report: Report = (found, detail) => {
        context.report({ messageId: 'failed', data: { message: definition.message, detail }, loc: found?.loc ?? { line: 1, column: 1 }, ...(found ? { filePath: found.file } : {}) });
      };
      const listeners: RuleListeners[] = [];
      for (const given of definition.given) {
        if (given.kind === 'columns' || given.kind === 'rows') {
          const listener = await recipientListeners(context, given, compiled, report);
          if (listener) listeners.push(listener);
          continue;
        }
        const { found, anchor } = given.kind === 'campaign' ? campaignValues(context.campaign, given.segments) : await bodyValues(context, given);
        for (const item of compiled) {
          if (PER_VALUE.has(item.then.function)) for (const value of found) checkValue(item, value, context, report);
          else checkCollection(item.then, given.text, { count: found.length, contains: found.some((value) => containsValue(item.then, value.value)) }, { file: found[0]?.file ?? context.campaign.filePath, loc: found[0]?.loc ?? anchor }, report);
        }
      }
      if (listeners.length === 0) return;
      return {
        recipientsHeader: (header) => { for (const listener of listeners) listener.recipientsHeader?.(header); },
        recipientRow: (record) => { for (const listener of listeners) listener.recipientRow?.(record); },
        recipientsEnd: async (summary) => { for (const listener of listeners) await listener.recipientsEnd?.(summary); },
      };
    },
  };
  cache.set(definition, rule);
  return rule;
}

async function recipientListeners(context: RuleContext, given: GivenPath, compiled: readonly Compiled[], report: Report): Promise<RuleListeners | undefined> {
  const file = await recipientsPath(context.campaign);
  const anchor = { file: context.campaign.filePath, loc: context.campaign.valueLocation(['recipients', 'file']) };
  if (file === undefined) {
    // No list to read: collection functions still get their verdict (nothing was found).
    for (const item of compiled) if (!PER_VALUE.has(item.then.function)) checkCollection(item.then, given.text, { count: 0, contains: false }, anchor, report);
    return undefined;
  }
  const column = given.segments[3]?.type === 'key' ? given.segments[3].name : undefined;
  let index = -1;
  let headerAnchor = { file, loc: { line: 1, column: 1 } as SourceLocation };
  const totals = compiled.map(() => ({ count: 0, contains: false }));
  const visit = (found: Found) => {
    compiled.forEach((item, position) => {
      const total = totals[position];
      if (total === undefined) return;
      if (PER_VALUE.has(item.then.function)) checkValue(item, found, context, report);
      total.count++;
      if (!total.contains && containsValue(item.then, found.value)) total.contains = true;
    });
  };
  return {
    recipientsHeader(header: CsvHeader) {
      if (given.kind === 'columns') {
        header.names.forEach((name, position) => {
          visit({ value: name, path: `recipients.columns[${String(position)}]`, file, loc: header.positions[position] ?? { line: 1, column: 1 }, personal: header.looksLikeData });
        });
        return;
      }
      index = header.names.indexOf(column ?? '');
      if (index === -1) index = header.names.findIndex((name) => name.trim().toLowerCase() === (column ?? '').trim().toLowerCase());
      if (index !== -1) headerAnchor = { file, loc: header.positions[index] ?? { line: 1, column: 1 } };
    },
    recipientRow(record: CsvRecord) {
      if (given.kind !== 'rows' || index === -1) return;
      const value = record.fields[index];
      if (value === undefined) return;
      visit({ value, path: `recipients.rows[${String(record.index)}].${column ?? ''}`, file, loc: { line: record.line, column: 1 }, personal: true });
    },
    recipientsEnd() {
      compiled.forEach((item, position) => {
        const total = totals[position];
        if (total !== undefined && !PER_VALUE.has(item.then.function)) checkCollection(item.then, given.text, total, given.kind === 'rows' ? headerAnchor : { file, loc: { line: 1, column: 1 } }, report);
      });
    },
  };
}
