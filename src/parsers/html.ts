/**
 * Text helpers for bodies: whitespace, unsubscribe wording, URLs in plain text. Parsing an
 * HTML body (parse5) is in `html-dom.ts`, loaded only for campaigns that have one.
 */
export type { HtmlDocumentInfo, HtmlLink } from './html-dom.js';

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/*
 * Unsubscribe wording. Anchor text matches (case-insensitive, whitespace collapsed):
 * "unsubscribe", "opt out" / "opt-out" / "optout", "manage (your) preferences",
 * "(email|subscription|communication|mailing|notification) preferences",
 * "manage (your) subscription(s)", "update (your) preferences".
 * A URL matches when it mentions unsubscribe / unsub, opt-out / opt_out / optout,
 * preferences, or manage-subscription; a Handlebars href such as
 * `{{unsubscribe_url}}` matches by the same words.
 */
const UNSUBSCRIBE_TEXT =
  /\bunsubscribe\b|\bopt[\s-]?out\b|\b(?:manage|update)\s+(?:your\s+)?(?:\w+\s+)?preferences\b|\b(?:e-?mail|subscription|communication|mailing|notification)\s+preferences\b|\bmanage\s+(?:your\s+)?subscriptions?\b/i;
const UNSUBSCRIBE_URL = /unsub|opt[-_]?out|preferences|manage[-_]?subscriptions?/i;

export function isUnsubscribeLink(href: string, text: string): boolean {
  return UNSUBSCRIBE_URL.test(href) || UNSUBSCRIBE_TEXT.test(collapseWhitespace(text));
}

export interface TextUrl {
  url: string;
  /** `url`: a written URL (https:, http:, mailto:); `template`: a whole `{{…}}` expression whose name says it is a link. */
  kind: 'url' | 'template';
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/*
 * URLs in plain-text bodies. A URL runs to the next whitespace, `<`, `>` or `"`;
 * Handlebars expressions inside it (`https://example.com/u/{{token}}`) are kept.
 * Trailing sentence punctuation (`.,;:!?` and an unbalanced `)`) is not part of it.
 * A standalone `{{…url…}}` / `{{…link…}}` / `{{…href…}}` expression is reported as
 * a `template` URL because text bodies often insert the whole link.
 */
// `[^{}]*` (not `[^}]*`): an unclosed `{{` then stops at the next brace instead of running to the
// end of the text from every URL start (quadratic on `https://{{` repeated).
const URL_PATTERN = /\b(?:https?:\/\/|mailto:)(?:\{\{[^{}]*\}\}|[^\s<>"{])+/gi;
// The name is read once and tested after: `[\w.]*(?:url|link|href)[\w.]*` backtracked over
// every split of a long name (quadratic on `{{urlurlurl…`).
const TEMPLATE_EXPRESSION = /\{\{\{?\s*([\w.]*)\s*\}?\}\}/g;
const LINK_NAME = /url|link|href/i;

function trimTrailingPunctuation(url: string): string {
  // Parentheses counted once (counting them again for each trailing `)` was quadratic).
  let opens = 0;
  let closes = 0;
  for (const char of url) {
    if (char === '(') opens++;
    else if (char === ')') closes++;
  }
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last !== undefined && '.,;:!?\''.includes(last)) {
      end--;
      continue;
    }
    if (last === ')' && opens < closes) {
      end--;
      closes--;
      continue;
    }
    return url.slice(0, end);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\n') starts.push(index + 1);
  }
  return starts;
}

function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

export function findUrls(text: string): TextUrl[] {
  const starts = lineStarts(text);
  const found: TextUrl[] = [];
  const add = (url: string, offset: number, kind: TextUrl['kind']): void => {
    const start = positionAt(starts, offset);
    const end = positionAt(starts, offset + url.length);
    found.push({ url, kind, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
  };
  const covered: [number, number][] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimTrailingPunctuation(match[0]);
    add(url, match.index, 'url');
    covered.push([match.index, match.index + url.length]);
  }
  let cursor = 0;
  for (const match of text.matchAll(TEMPLATE_EXPRESSION)) {
    if (!LINK_NAME.test(match[1] ?? '')) continue;
    // Both come in text order: one cursor over the URLs instead of a search per expression.
    while (cursor < covered.length && (covered[cursor]?.[1] ?? 0) <= match.index) cursor++;
    const inside = cursor < covered.length && (covered[cursor]?.[0] ?? Infinity) <= match.index;
    if (!inside) add(match[0], match.index, 'template');
  }
  return found.sort((left, right) => left.line - right.line || left.column - right.column);
}
