/**
 * HTML bodies read with a WHATWG-conformant parser (parse5), so that links and
 * visible text are what a mail client would see, not what a regular expression
 * guesses. Handlebars expressions survive parsing as ordinary text and attribute
 * values, so `href="{{unsubscribe_url}}"` is found with its raw value.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';

type ParentNode = DefaultTreeAdapterTypes.ParentNode;
type Element = DefaultTreeAdapterTypes.Element;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;

export interface HtmlLink {
  /** The attribute value as the browser sees it: entities decoded, templates kept raw. */
  href: string;
  /** Visible text of the anchor (plus `alt` of images inside it), whitespace-collapsed. */
  text: string;
  /** 1-based place of the start tag `<a …>` in the source; end is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface HtmlDocumentInfo {
  links: HtmlLink[];
  /** Visible text of the whole document, whitespace-collapsed; block boundaries become spaces. */
  visibleText: string;
}

/** Content the reader never sees as text. */
const INVISIBLE_ELEMENTS: ReadonlySet<string> = new Set(['head', 'script', 'style', 'template', 'noscript', 'title']);

/**
 * Elements that do not break words: `Ex<b>ample</b>` reads "Example". Every other
 * element boundary counts as whitespace, so `1 Main St<br>London` reads "1 Main St London".
 */
const INLINE_ELEMENTS: ReadonlySet<string> = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var',
]);

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isElement(node: ChildNode): node is Element {
  return 'tagName' in node;
}

function childrenOf(node: ParentNode): ChildNode[] {
  // A <template>'s children live in its content fragment.
  return 'content' in node ? node.content.childNodes : node.childNodes;
}

function collectText(node: ParentNode, parts: string[]): void {
  for (const child of childrenOf(node)) {
    if (child.nodeName === '#text' && 'value' in child) {
      parts.push(child.value);
    } else if (isElement(child)) {
      if (INVISIBLE_ELEMENTS.has(child.tagName)) continue;
      const breaks = !INLINE_ELEMENTS.has(child.tagName);
      if (breaks) parts.push(' ');
      if (child.tagName === 'img') {
        const alt = child.attrs.find((attribute) => attribute.name === 'alt');
        if (alt) parts.push(alt.value);
      }
      collectText(child, parts);
      if (breaks) parts.push(' ');
    }
  }
}

function textOf(node: ParentNode): string {
  const parts: string[] = [];
  collectText(node, parts);
  return collapseWhitespace(parts.join(''));
}

function collectLinks(node: ParentNode, links: HtmlLink[]): void {
  for (const child of childrenOf(node)) {
    if (!isElement(child)) continue;
    if (INVISIBLE_ELEMENTS.has(child.tagName) && child.tagName !== 'template') continue;
    const href = child.attrs.find((attribute) => attribute.name === 'href');
    if ((child.tagName === 'a' || child.tagName === 'area') && href) {
      const tag = child.sourceCodeLocation?.startTag ?? child.sourceCodeLocation;
      const alt = child.tagName === 'area' ? child.attrs.find((attribute) => attribute.name === 'alt')?.value ?? '' : '';
      links.push({
        href: href.value,
        text: collapseWhitespace(`${alt} ${textOf(child)}`),
        line: tag?.startLine ?? 1,
        column: tag?.startCol ?? 1,
        endLine: tag?.endLine ?? 1,
        endColumn: tag?.endCol ?? 1,
      });
    }
    collectLinks(child, links);
  }
}

export function parseHtml(source: string): HtmlDocumentInfo {
  const document = parse(source, { sourceCodeLocationInfo: true });
  const links: HtmlLink[] = [];
  collectLinks(document, links);
  return { links, visibleText: textOf(document) };
}

export function extractLinks(source: string): HtmlLink[] {
  return parseHtml(source).links;
}

export function extractVisibleText(source: string): string {
  return parseHtml(source).visibleText;
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
const URL_PATTERN = /\b(?:https?:\/\/|mailto:)(?:\{\{[^}]*\}\}|[^\s<>"{])+/gi;
const TEMPLATE_LINK_PATTERN = /\{\{\{?\s*[\w.]*(?:url|link|href)[\w.]*\s*\}?\}\}/gi;

function trimTrailingPunctuation(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last !== undefined && '.,;:!?\''.includes(last)) {
      end--;
      continue;
    }
    if (last === ')') {
      const body = url.slice(0, end);
      if ((body.match(/\(/g) ?? []).length < (body.match(/\)/g) ?? []).length) {
        end--;
        continue;
      }
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
  for (const match of text.matchAll(TEMPLATE_LINK_PATTERN)) {
    const inside = covered.some(([start, end]) => match.index >= start && match.index < end);
    if (!inside) add(match[0], match.index, 'template');
  }
  return found.sort((left, right) => left.line - right.line || left.column - right.column);
}
