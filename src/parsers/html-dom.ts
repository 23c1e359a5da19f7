/**
 * HTML bodies read with a WHATWG-conformant parser (parse5), so that links and
 * visible text are what a mail client would see, not what a regular expression
 * guesses. Handlebars expressions survive parsing as ordinary text and attribute
 * values, so `href="{{unsubscribe_url}}"` is found with its raw value.
 *
 * Its own module so that parse5 (≈ 0.3 MB of code) loads only when a campaign has an HTML
 * body: rules import it with `await import(...)`.
 */
import { collapseWhitespace } from './html.js';
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

