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
import { cssDeclarations, shownCssText } from './css-text.js';
import type { CssShownText } from './css-text.js';
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


/**
 * What a reader of an HTML body can see or follow, as plain strings for address scans:
 * character references decoded (the parser does that), tags and comments removed, and
 * adjacent inline text joined, so `ann<span></span>@example.com`, `ann<!-- -->@example.com`
 * and `ann&#64;example.com` all read `ann@example.com`.
 *
 * Each string comes with the source offsets of its pieces, so a finding in the decoded text
 * can point back into the template. Scans run over every reading: the text with hidden
 * elements (`hidden`, `display:none`, …) and the text without them, link targets, and
 * attributes a reader is shown (`alt`, `title`, `aria-label`).
 */
export interface HtmlReading {
  text: string;
  /** Start index in `text` of each piece, increasing. */
  starts: number[];
  /** Source offset of each piece (UTF-16), -1 when unknown. */
  offsets: number[];
  /** Whether the piece is a text node read in order, so an index inside it maps to about the same distance into the source. */
  inline: boolean[];
}

/**
 * Elements laid out as blocks (or replaced by a line break): their boundaries separate words.
 * Every other element, custom ones included, is inline and joins the text around it.
 */
const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'button', 'caption', 'center', 'col', 'colgroup', 'dd',
  'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'iframe', 'input', 'legend', 'li', 'main',
  'menu', 'nav', 'ol', 'optgroup', 'option', 'p', 'pre', 'section', 'select', 'summary', 'table', 'tbody', 'td',
  'textarea', 'tfoot', 'th', 'thead', 'tr', 'ul', 'video', 'audio', 'object', 'embed', 'canvas', 'svg', 'math',
]);
/** Never shown as text (a mail client drops them), though their source is still scanned raw by callers. */
const NON_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['head', 'script', 'style', 'template', 'noscript', 'title']);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|max-(?:height|width)\s*:\s*0(?![.\d]*[1-9])|mso-hide\s*:\s*all/i;
const SHOWN_ATTRIBUTES: ReadonlySet<string> = new Set(['alt', 'title', 'aria-label', 'placeholder', 'value', 'label']);
const LINK_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'action', 'cite', 'background', 'poster', 'data', 'formaction']);

class ReadingBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  readonly starts: number[] = [];
  readonly offsets: number[] = [];
  readonly inline: boolean[] = [];
  private lastSpace = false;

  push(text: string, offset: number, inline = false): void {
    if (text === '') return;
    // Block edges add a space each; one space between two blocks reads the same and halves the parts.
    if (text === ' ' && !inline && this.lastSpace) return;
    this.lastSpace = text === ' ' && !inline;
    this.starts.push(this.length);
    this.offsets.push(offset);
    this.inline.push(inline);
    this.parts.push(text);
    this.length += text.length;
  }

  reading(): HtmlReading {
    return { text: this.parts.join(''), starts: this.starts, offsets: this.offsets, inline: this.inline };
  }
}

function isHidden(element: Element): boolean {
  for (const attribute of element.attrs) {
    if (attribute.name === 'hidden') return true;
    if (attribute.name === 'aria-hidden' && attribute.value.trim().toLowerCase() === 'true') return true;
    if (attribute.name === 'style' && HIDDEN_STYLE.test(attribute.value)) return true;
  }
  return false;
}

function startOffset(node: ChildNode): number {
  return node.sourceCodeLocation?.startOffset ?? -1;
}

/**
 * `locations: false` leaves every offset at -1 and parses three to four times faster: for a
 * rendered message, whose findings point at the recipient row, not into the HTML.
 */
export function htmlReadings(source: string, options: { locations?: boolean } = {}): HtmlReading[] {
  return readHtml(source, options).readings;
}

/** What reading an HTML body finds besides its readings: text its CSS adds, and reordering no reading reproduces. */
export interface HtmlRead {
  readings: HtmlReading[];
  /** Text CSS adds to the page (`content`, `quotes`, …), which the readings do not place. */
  cssText: CssShownText[];
  /** A style sheet (not a `style` attribute) forces the display order of characters (`unicode-bidi: bidi-override`). */
  styleSheetOverride: boolean;
}

export function readHtml(source: string, options: { locations?: boolean } = {}): HtmlRead {
  const document = parse(source, { sourceCodeLocationInfo: options.locations ?? true });
  const all = new ReadingBuilder();
  const shown = new ReadingBuilder();
  const targets: HtmlReading[] = [];
  const seen = { hidden: false };
  const walk = (node: ParentNode, hidden: boolean): void => {
    for (const child of childrenOf(node)) {
      if (child.nodeName === '#text' && 'value' in child) {
        all.push(child.value, startOffset(child), true);
        if (!hidden) shown.push(child.value, startOffset(child), true);
        continue;
      }
      if (!isElement(child)) continue; // comments and doctypes show nothing and split nothing
      const offset = startOffset(child);
      for (const attribute of child.attrs) {
        const name = attribute.name.toLowerCase();
        if (LINK_ATTRIBUTES.has(name) || SHOWN_ATTRIBUTES.has(name)) {
          targets.push({ text: attribute.value, starts: [0], offsets: [offset], inline: [false] });
        }
      }
      const style = child.attrs.find((attribute) => attribute.name === 'style')?.value;
      if (NON_TEXT_ELEMENTS.has(child.tagName)) continue;
      const breaks = BLOCK_ELEMENTS.has(child.tagName);
      // What the element does to the display order, as the Unicode controls that do the same.
      const [open, close] = bidiControls(child, style);
      if (open !== '') {
        all.push(open, offset, true);
        if (!hidden) shown.push(open, offset, true);
      }
      const childHidden = hidden || isHidden(child);
      if (childHidden) seen.hidden = true;
      if (breaks) {
        all.push(' ', offset);
        if (!hidden) shown.push(' ', offset);
      }
      if (child.tagName === 'img') {
        const alt = child.attrs.find((attribute) => attribute.name === 'alt');
        if (alt) {
          all.push(alt.value, offset);
          if (!childHidden) shown.push(alt.value, offset);
        }
      }
      walk(child, childHidden);
      if (close !== '') {
        all.push(close, offset, true);
        if (!hidden) shown.push(close, offset, true);
      }
      if (breaks) {
        all.push(' ', offset);
        if (!hidden) shown.push(' ', offset);
      }
    }
  };
  walk(document, false);
  // Without hidden elements the shown text is the whole text: reading it twice finds nothing new.
  const readings = seen.hidden ? [all.reading(), shown.reading(), ...targets] : [all.reading(), ...targets];
  // Style sheets sit in <head> too, and style attributes on hidden elements still style their visible children.
  const cssText: CssShownText[] = [];
  let styleSheetOverride = false;
  const pending: ParentNode[] = [document];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    for (const child of childrenOf(node)) {
      if (!isElement(child)) continue;
      const style = child.attrs.find((attribute) => attribute.name === 'style')?.value;
      if (style !== undefined && MAY_SHOW_TEXT.test(style)) cssText.push(...shownCssText(style));
      if (child.tagName === 'style') {
        const sheet = childrenOf(child).map((text) => ('value' in text ? text.value : '')).join('');
        if (MAY_SHOW_TEXT.test(sheet)) cssText.push(...shownCssText(sheet));
        if (MAY_REORDER.test(sheet) && overridesOrder(cssDeclarations(sheet, BIDI_PROPERTIES))) styleSheetOverride = true;
      }
      pending.push(child);
    }
  }
  return { readings, cssText, styleSheetOverride };
}

// Cheap tests before tokenizing: a property name may be written with escapes (`cont\65nt`).
const MAY_SHOW_TEXT = /content|quotes|list-style|text-overflow|\\/i;
const MAY_REORDER = /unicode-bidi|\\/i;
const BIDI_PROPERTIES: ReadonlySet<string> = new Set(['unicode-bidi', 'direction']);

function overridesOrder(declarations: ReadonlyMap<string, readonly string[]>): boolean {
  return (declarations.get('unicode-bidi') ?? []).some((value) => /override/i.test(value));
}

/**
 * The Unicode controls equal to an element's effect on display order: `<bdo dir=rtl>` and
 * `unicode-bidi: bidi-override` force it (RLO/LRO … PDF), `dir` isolates (RLI/LRI/FSI … PDI).
 * The readings then hold them, and the address scan reads the text in display order too.
 */
function bidiControls(element: Element, style: string | undefined): [open: string, close: string] {
  const dir = element.attrs.find((attribute) => attribute.name === 'dir')?.value.trim().toLowerCase();
  let override = element.tagName === 'bdo';
  let direction = dir;
  if (style !== undefined && MAY_REORDER.test(style)) {
    const declarations = cssDeclarations(style, BIDI_PROPERTIES);
    if (overridesOrder(declarations)) override = true;
    direction = declarations.get('direction')?.at(-1)?.trim().toLowerCase() ?? direction;
  }
  if (override && (direction === 'rtl' || direction === 'ltr')) return [direction === 'rtl' ? '\u202e' : '\u202d', '\u202c'];
  if (dir === 'rtl') return ['\u2067', '\u2069'];
  if (dir === 'ltr') return ['\u2066', '\u2069'];
  if (dir === 'auto') return ['\u2068', '\u2069'];
  return ['', ''];
}

/** The source offset of the reading's character at `index`. */
export function readingOffset(reading: HtmlReading, index: number): number {
  let low = 0;
  let high = reading.starts.length - 1;
  if (high < 0) return -1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((reading.starts[middle] ?? 0) <= index) low = middle;
    else high = middle - 1;
  }
  const offset = reading.offsets[low] ?? -1;
  // Character references are longer in the source than decoded, so this stays at or before the place.
  return offset === -1 || reading.inline[low] !== true ? offset : offset + index - (reading.starts[low] ?? 0);
}
