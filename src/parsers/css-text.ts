/**
 * What CSS does to the text a mail client shows. Strings in `content` (on `::before`, `::after`,
 * `::marker`), `quotes` (shown by `open-quote`), string list markers and `text-overflow` are shown
 * as text: Apple Mail, iOS Mail and Thunderbird render `content: "bo\40 example.org"`, an address
 * the HTML's own text never holds. `unicode-bidi` and `direction` change the order characters are
 * shown in.
 *
 * Read with css-tree's tokenizer, so escapes (`\40`, `cont\65nt`), comments and quoting are
 * decoded as a browser decodes them. Which element a rule applies to would need selector
 * matching; callers do not place the text, they only learn that there is some.
 */
import { tokenize, tokenTypes } from 'css-tree/tokenizer';
import { ident, string } from 'css-tree/utils';

/** Properties whose string values are shown as text. */
const SHOWN_PROPERTIES: ReadonlySet<string> = new Set(['content', 'quotes', 'list-style', 'list-style-type', 'text-overflow']);

export interface CssShownText {
  /** The decoded strings of one declaration, joined with nothing between them (as `content` joins them). */
  text: string;
  /** Whether the declaration also takes text from the document (`attr()`), which no static reading knows. */
  fromAttributes: boolean;
}

interface Declaration {
  property: string;
  /** Decoded strings in the value. */
  strings: string[];
  /** Decoded identifiers and function names in the value, lower-cased. */
  words: string[];
}

/**
 * Every declaration of `wanted` properties in a style sheet or a `style` attribute. Linear: one
 * pass of the tokenizer and a small state machine over its tokens (idle → property name →
 * colon → value up to `;`, `{` or `}` outside brackets).
 */
function declarations(css: string, wanted: ReadonlySet<string>): Declaration[] {
  const found: Declaration[] = [];
  let state: 'idle' | 'name' | 'value' = 'idle';
  let depth = 0;
  let current: Declaration = { property: '', strings: [], words: [] };
  const finish = () => {
    if (state === 'value') found.push(current);
    state = 'idle';
  };
  tokenize(css, (type, start, end) => {
    const token = css.slice(start, end);
    if (state === 'value') {
      if (type === tokenTypes.Function || type === tokenTypes.LeftParenthesis || type === tokenTypes.LeftSquareBracket) {
        depth++;
        if (type === tokenTypes.Function) current.words.push(`${ident.decode(token.slice(0, -1)).toLowerCase()}(`);
      } else if (type === tokenTypes.RightParenthesis || type === tokenTypes.RightSquareBracket) depth = Math.max(0, depth - 1);
      else if (type === tokenTypes.String || type === tokenTypes.BadString) current.strings.push(string.decode(token));
      else if (type === tokenTypes.Ident) current.words.push(ident.decode(token).toLowerCase());
      else if ((type === tokenTypes.Semicolon || type === tokenTypes.RightCurlyBracket || type === tokenTypes.LeftCurlyBracket) && depth === 0) finish();
      return;
    }
    if (type === tokenTypes.WhiteSpace || type === tokenTypes.Comment) return;
    if (state === 'name' && type === tokenTypes.Colon) {
      state = 'value';
      depth = 0;
      return;
    }
    const name = type === tokenTypes.Ident ? ident.decode(token).toLowerCase() : '';
    if (wanted.has(name)) {
      state = 'name';
      current = { property: name, strings: [], words: [] };
    } else state = 'idle';
  });
  finish();
  return found;
}

/** The shown text of each declaration that shows any (`content: ""` shows none). */
export function shownCssText(css: string): CssShownText[] {
  return declarations(css, SHOWN_PROPERTIES).flatMap((declaration) => {
    const fromAttributes = declaration.words.includes('attr(');
    const text = declaration.strings.join('');
    return text !== '' || fromAttributes ? [{ text, fromAttributes }] : [];
  });
}

/** The values of `wanted` properties, in order, each as its decoded words joined by spaces. */
export function cssDeclarations(css: string, wanted: ReadonlySet<string>): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const declaration of declarations(css, wanted)) {
    const list = values.get(declaration.property) ?? [];
    list.push(declaration.words.join(' '));
    values.set(declaration.property, list);
  }
  return values;
}
