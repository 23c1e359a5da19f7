/**
 * Handlebars templates parsed by the real engine's parser: merge-field uses with
 * their exact positions, partial and helper uses, and rendering with the same
 * engine the sender would use.
 *
 * Scoping decisions (what counts as a merge field, i.e. a recipient-row column or a
 * `defaults` key):
 * - Paths resolved against the recipient row are fields: `{{a}}`, `{{{a}}}`, `{{a.b}}`
 *   (field `a`), `{{this.a}}`, `{{./a}}`, `{{@root.a}}`, `{{[a b]}}` (field `a b`), and
 *   `{{../a}}` when the `../` climbs back to the row.
 * - `#each`, `#with` and mustache sections (`{{#a}}…{{/a}}` with no helper named `a`)
 *   change the context for their main block: inside them `{{name}}` refers to the item,
 *   not to a CSV column, so it is not reported. Their `{{else}}` block keeps the outer
 *   context. `#if` and `#unless` keep the context (Handlebars 4 only pushes a context
 *   frame when the context changes, which is also how it counts `../`).
 * - Block parameters (`{{#each xs as |x i|}}`) are not fields; `this`, `.`, `@index`,
 *   `@key`, `@first`, `@last` and other data variables are not fields.
 * - A `../` that climbs above the row still reads the row in our model (Handlebars would
 *   yield undefined); we report it as a field so that a typo is not silently ignored.
 * - `{{lookup . "col"}}` / `{{lookup @root "col"}}` at row level is a use of `col`.
 * - Helper names are never fields. A mustache with parameters or hash arguments calls a
 *   helper; a bare `{{if}}` names a built-in helper. Unknown helpers and partials are
 *   reported separately so that rules can flag them (we register none and load no
 *   partials from disk, so they would fail at render time).
 */
import Handlebars from 'handlebars';

export type MergeFieldKind = 'escaped' | 'raw' | 'block' | 'helper-param';

export interface TemplateRange {
  /** 1-based line and column within the template source; end is exclusive (ESLint style). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface MergeFieldUse extends TemplateRange {
  /** Top-level field: for `a.b` the root `a`; for `../a` and `@root.a` it is `a`. */
  name: string;
  /** The path as written in the template, e.g. `a.b`, `../a`, `@root.a`. */
  path: string;
  kind: MergeFieldKind;
}

export interface PartialUse extends TemplateRange {
  /** Partial name as written; `(dynamic)` for `{{> (expr)}}`. */
  name: string;
  kind: 'partial' | 'partial-block';
}

export interface HelperUse extends TemplateRange {
  name: string;
  builtin: boolean;
  kind: 'helper' | 'block-helper' | 'decorator';
}

export interface TemplateParseError {
  message: string;
  /** 1-based. */
  line: number;
  column: number;
}

export type TemplateParseResult =
  | {
      ok: true;
      fields: MergeFieldUse[];
      partials: PartialUse[];
      helpers: HelperUse[];
      ast: hbs.AST.Program;
    }
  | { ok: false; error: TemplateParseError };

export const BUILTIN_HELPERS: ReadonlySet<string> = new Set([
  'if',
  'unless',
  'each',
  'with',
  'lookup',
  'log',
  'helperMissing',
  'blockHelperMissing',
]);

/** The helpers a campaign can call: Handlebars' built-ins, since campaign-lint registers none. */
export const KNOWN_HELPERS: readonly string[] = ['if', 'unless', 'each', 'with', 'lookup', 'log'];

const CONTEXT_CHANGING_HELPERS: ReadonlySet<string> = new Set(['each', 'with']);

interface Scope {
  changesContext: boolean;
  blockParams: readonly string[];
}

function rangeOf(loc: hbs.AST.SourceLocation): TemplateRange {
  return {
    line: loc.start.line,
    column: loc.start.column + 1,
    endLine: loc.end.line,
    endColumn: loc.end.column + 1,
  };
}

function isPath(node: hbs.AST.Node): node is hbs.AST.PathExpression {
  return node.type === 'PathExpression';
}

function isStringLiteral(node: hbs.AST.Node): node is hbs.AST.StringLiteral {
  return node.type === 'StringLiteral';
}

/** `this.a`, `./a`, `this`, `.`: explicitly scoped to the current context. */
function isScoped(path: hbs.AST.PathExpression): boolean {
  return path.original === '.' || path.original === 'this' || /^(\.\/|this[./])/.test(path.original);
}

/** The AST types declare `hash` always present; the parser leaves it undefined without arguments. */
function hashPairs(node: { hash?: hbs.AST.Hash | undefined }): hbs.AST.HashPair[] {
  return node.hash?.pairs ?? [];
}

/** A string literal standing where a path may: the one-segment path it looks up. */
function literalPath(literal: hbs.AST.StringLiteral): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [literal.value], original: literal.value, loc: literal.loc };
}

function isSimpleName(path: hbs.AST.PathExpression): boolean {
  return !path.data && path.depth === 0 && path.parts.length === 1 && !isScoped(path);
}

class FieldCollector extends Handlebars.Visitor {
  readonly fields: MergeFieldUse[] = [];
  readonly partials: PartialUse[] = [];
  readonly helpers: HelperUse[] = [];
  private readonly scopes: Scope[] = [];

  /** Root field name a path reads from the recipient row, or undefined. */
  private rowFieldOf(path: hbs.AST.PathExpression): string | undefined {
    if (path.data) {
      return path.parts[0] === 'root' && path.parts.length > 1 ? path.parts[1] : undefined;
    }
    const first = path.parts[0];
    if (first === undefined) return undefined; // `this`, `.`, `..`
    if (path.depth === 0 && !isScoped(path) && this.scopes.some((scope) => scope.blockParams.includes(first))) {
      return undefined;
    }
    const contextFrames = this.scopes.filter((scope) => scope.changesContext).length;
    return path.depth >= contextFrames ? first : undefined;
  }

  private recordPath(path: hbs.AST.PathExpression, kind: MergeFieldKind): void {
    const name = this.rowFieldOf(path);
    if (name !== undefined) this.fields.push({ name, path: path.original, kind, ...rangeOf(path.loc) });
  }

  private recordHelper(path: hbs.AST.PathExpression, kind: HelperUse['kind']): void {
    this.helpers.push({ name: path.original, builtin: BUILTIN_HELPERS.has(path.original), kind, ...rangeOf(path.loc) });
  }

  private expression(node: hbs.AST.Expression, kind: MergeFieldKind): void {
    if (isPath(node)) {
      this.recordPath(node, kind);
    } else if (node.type === 'SubExpression') {
      this.call(node as hbs.AST.SubExpression, 'helper');
    }
  }

  /** A helper call: the path names the helper, params and hash values are uses. */
  private call(node: { path: hbs.AST.PathExpression; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash | undefined }, kind: HelperUse['kind']): void {
    this.recordHelper(node.path, kind);
    for (const param of node.params) this.expression(param, 'helper-param');
    for (const pair of hashPairs(node)) this.expression(pair.value, 'helper-param');
    this.dynamicLookup(node);
  }

  /** `lookup . "col"` reads a row column chosen by a string literal. */
  private dynamicLookup(node: { path: hbs.AST.PathExpression; params: hbs.AST.Expression[] }): void {
    const [target, key] = node.params;
    if (node.path.original !== 'lookup' || target === undefined || key === undefined) return;
    if (!isPath(target) || !isStringLiteral(key)) return;
    const readsRow =
      (target.data && target.original === '@root') ||
      (!target.data && target.parts.length === 0 && target.depth >= this.scopes.filter((scope) => scope.changesContext).length);
    if (readsRow) this.fields.push({ name: key.value, path: key.value, kind: 'helper-param', ...rangeOf(key.loc) });
  }

  private withScope(scope: Scope, program: hbs.AST.Program | undefined): void {
    if (!program) return;
    this.scopes.push(scope);
    this.accept(program);
    this.scopes.pop();
  }

  override MustacheStatement(mustache: hbs.AST.MustacheStatement): void {
    const written = mustache.path;
    // `{{"first name"}}` reads the column `first name`, as `{{[first name]}}` does: Handlebars
    // looks a lone string literal up in the context. `{{true}}`, `{{1}}` read nothing.
    const path = isStringLiteral(written) && mustache.params.length === 0 && hashPairs(mustache).length === 0 ? literalPath(written) : written;
    if (!isPath(path)) return;
    const hasArguments = mustache.params.length > 0 || hashPairs(mustache).length > 0;
    if (hasArguments || (isSimpleName(path) && BUILTIN_HELPERS.has(path.original))) {
      this.call({ path, params: mustache.params, hash: mustache.hash }, 'helper');
      return;
    }
    this.recordPath(path, mustache.escaped ? 'escaped' : 'raw');
  }

  override Decorator(decorator: hbs.AST.Decorator): void {
    if (isPath(decorator.path)) this.call({ ...decorator, path: decorator.path }, 'decorator');
  }

  override BlockStatement(block: hbs.AST.BlockStatement): void {
    const name = block.path.original;
    const hasArguments = block.params.length > 0 || hashPairs(block).length > 0;
    const program = block.program as hbs.AST.Program | undefined;
    const inverse = block.inverse as hbs.AST.Program | undefined;
    const blockParams = program?.blockParams ?? [];
    let changesContext: boolean;
    if (isSimpleName(block.path) && (hasArguments || BUILTIN_HELPERS.has(name))) {
      this.recordHelper(block.path, 'block-helper');
      for (const param of block.params) this.expression(param, BUILTIN_HELPERS.has(name) ? 'block' : 'helper-param');
      for (const pair of hashPairs(block)) this.expression(pair.value, 'helper-param');
      changesContext = CONTEXT_CHANGING_HELPERS.has(name);
    } else {
      // A mustache section: blockHelperMissing runs the block with the value as context.
      this.recordPath(block.path, 'block');
      changesContext = true;
    }
    this.withScope({ changesContext, blockParams }, program);
    this.withScope({ changesContext: false, blockParams: [] }, inverse);
  }

  override DecoratorBlock(block: hbs.AST.DecoratorBlock): void {
    this.call(block, 'decorator');
    this.withScope({ changesContext: false, blockParams: [] }, block.program);
  }

  private partial(partial: hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement, kind: PartialUse['kind']): void {
    const name = isPath(partial.name) ? partial.name.original : '(dynamic)';
    this.partials.push({ name, kind, ...rangeOf(partial.loc) });
    if (!isPath(partial.name)) this.expression(partial.name, 'helper-param');
    for (const param of partial.params) this.expression(param, 'helper-param');
    for (const pair of hashPairs(partial)) this.expression(pair.value, 'helper-param');
  }

  override PartialStatement(partial: hbs.AST.PartialStatement): void {
    this.partial(partial, 'partial');
  }

  override PartialBlockStatement(partial: hbs.AST.PartialBlockStatement): void {
    this.partial(partial, 'partial-block');
    // The fallback content renders in the current context when the partial is missing.
    this.withScope({ changesContext: false, blockParams: [] }, partial.program);
  }

  override Program(program: hbs.AST.Program): void {
    for (const statement of program.body) this.accept(statement);
  }
}

/** Handlebars' jison parser throws bare Errors; its lexer still holds the failing token's place. */
function toParseError(error: unknown): TemplateParseError {
  const raw = error instanceof Error ? error.message : String(error);
  const withLoc = error as { lineNumber?: unknown; column?: unknown };
  if (typeof withLoc.lineNumber === 'number' && typeof withLoc.column === 'number') {
    return { message: raw.replace(/ - \d+:\d+$/, ''), line: withLoc.lineNumber, column: withLoc.column + 1 };
  }
  const lexer = (Handlebars as unknown as { Parser: { lexer?: { yylloc?: { first_line: number; first_column: number } } } })
    .Parser.lexer;
  const place = lexer?.yylloc ?? { first_line: 1, first_column: 0 };
  // Jison messages: "Parse error on line N:\n<source>\n---^\nExpecting …" or
  // "Lexical error on line N. Unrecognized text.\n<source>\n---^". The place is
  // given separately, so drop the line number and the echoed source.
  const lines = raw.split('\n');
  const [kind = raw, inline = ''] = (lines[0] ?? raw).split(/ on line \d+[.:]\s*/);
  const explanation = [inline, ...lines.slice(3)].filter((part) => part.trim() !== '').join(' ');
  const message = explanation === '' ? kind : `${kind}: ${explanation}`;
  return { message, line: place.first_line, column: place.first_column + 1 };
}

/** Deepest nesting of blocks (an `{{else if}}` chain counts once per link) or of subexpressions accepted. */
export const MAX_TEMPLATE_NESTING = 100;

function placeOf(source: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = source.indexOf('\n'); at !== -1 && at < index; at = source.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: index - lineStart + 1 };
}

const ELSE_CHAIN = /^\s*else\s+[^\s}~]/;

/**
 * A template nested deeper than MAX_TEMPLATE_NESTING, found in one linear pass over the source
 * BEFORE Handlebars parses it: Handlebars' parser and compiler recurse once per level, and a
 * template of 5,000 nested `{{#if}}` hung the run (subexpressions overflowed the stack).
 * Comments and raw blocks are skipped; quoted strings inside a mustache are not read as
 * parentheses. The count may only err high on odd templates, never let a deep one through.
 */
export function templateNestingProblem(source: string): TemplateParseError | undefined {
  const refuse = (index: number, what: string, depth: number): TemplateParseError => ({
    message: `the template nests ${what} ${depth} deep, over the limit of ${MAX_TEMPLATE_NESTING}`,
    ...placeOf(source, index),
  });
  const chains: number[] = [];
  let blocks = 0;
  let pos = 0;
  for (let open = source.indexOf('{{', pos); open !== -1; open = source.indexOf('{{', pos)) {
    let at = open + 2;
    if (source.startsWith('{{', at)) {
      // A raw block: its content is text up to the closing raw tag.
      const close = source.indexOf('{{{{/', at);
      const end = close === -1 ? -1 : source.indexOf('}}}}', close);
      pos = end === -1 ? source.length : end + 4;
      continue;
    }
    if (source[at] === '{' || source[at] === '&') at++;
    if (source[at] === '~') at++;
    const kind = source[at];
    if (kind === '!') {
      const long = source.startsWith('--', at + 1);
      const end = source.indexOf(long ? '--' : '}}', at + (long ? 3 : 1));
      if (end === -1) break;
      const closing = long ? source.indexOf('}}', end) : end;
      pos = closing === -1 ? source.length : closing + 2;
      continue;
    }
    let parens = 0;
    let quote = 0;
    let end = at;
    for (; end < source.length; end++) {
      const code = source.charCodeAt(end);
      if (quote !== 0) {
        if (code === quote) quote = 0;
      } else if (code === 0x22 || code === 0x27) {
        quote = code;
      } else if (code === 0x28) {
        if (++parens > MAX_TEMPLATE_NESTING) return refuse(end, 'subexpressions', parens);
      } else if (code === 0x29) {
        parens--;
      } else if (code === 0x7d && source.charCodeAt(end + 1) === 0x7d) {
        break;
      }
    }
    const next = source[at + 1];
    if (kind === '#' || (kind === '^' && next !== undefined && next !== '}' && next !== '~' && next.trim() !== '')) {
      chains.push(1);
      if (++blocks > MAX_TEMPLATE_NESTING) return refuse(open, 'blocks', blocks);
    } else if (kind === '/') {
      blocks -= chains.pop() ?? 0;
    } else if (chains.length > 0 && ELSE_CHAIN.test(source.slice(at, Math.min(end, at + 16)))) {
      chains[chains.length - 1] = (chains.at(-1) ?? 0) + 1;
      if (++blocks > MAX_TEMPLATE_NESTING) return refuse(open, 'blocks', blocks);
    }
    pos = end + 2;
  }
  return undefined;
}

export function parseTemplate(source: string): TemplateParseResult {
  const tooDeep = templateNestingProblem(source);
  if (tooDeep) return { ok: false, error: tooDeep };
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    return { ok: false, error: toParseError(error) };
  }
  const collector = new FieldCollector();
  collector.accept(ast);
  return { ok: true, fields: collector.fields, partials: collector.partials, helpers: collector.helpers, ast };
}

export interface RenderTemplateOptions {
  /**
   * `html` escapes `{{x}}` (the html body); `text` never HTML-escapes (subject, headers,
   * addresses, text body), because those are not HTML and `&amp;` would reach the inbox.
   */
  mode?: 'html' | 'text';
  /** Missing fields throw instead of rendering empty (Handlebars `strict`). */
  strict?: boolean;
}

export type RenderTemplateResult = { ok: true; output: string } | { ok: false; error: { message: string } };

/**
 * One isolated Handlebars environment: nothing registered globally by other code
 * (helpers, partials) can change what a campaign renders to.
 */
const environment = Handlebars.create();

/** Compiling costs far more than running; a sample renders the same few templates for every row. */
const compiled = new Map<string, HandlebarsTemplateDelegate>();
const COMPILED_CACHE_LIMIT = 256;

function compileCached(source: string, options: RenderTemplateOptions): HandlebarsTemplateDelegate {
  const key = `${options.mode ?? 'text'}:${String(options.strict ?? false)}:${source}`;
  let template = compiled.get(key);
  if (!template) {
    const tooDeep = templateNestingProblem(source);
    if (tooDeep) throw new Error(tooDeep.message);
    template = environment.compile(source, { noEscape: options.mode !== 'html', strict: options.strict ?? false });
    if (compiled.size >= COMPILED_CACHE_LIMIT) compiled.clear();
    compiled.set(key, template);
  }
  return template;
}

export function renderTemplate(source: string, data: Readonly<Record<string, unknown>>, options: RenderTemplateOptions = {}): RenderTemplateResult {
  try {
    const template = compileCached(source, options);
    // Prototype access stays off: Handlebars' defaults, restated so that an upgrade
    // or a global setting cannot silently turn them on.
    const output = template({ ...data }, {
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
    return { ok: true, output };
  } catch (error) {
    return { ok: false, error: { message: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) } };
  }
}

/*
 * Templates embedded in YAML string values: Handlebars reports places within the
 * scalar's value, rules must report places within the YAML file. We re-read the
 * scalar's source, decoding it the way YAML does, and record for every value
 * character the file offset it came from.
 *
 * Exact: single-line plain and quoted scalars (escapes included) and literal blocks
 * (`|`, `|-`, `|+`) with auto-detected indentation. Best effort: multi-line plain and
 * quoted scalars (folding is modelled: a line break becomes a space, n empty lines
 * become n newlines) and folded blocks (`>`), and blocks with an explicit indentation
 * indicator (we do not know the parent's indentation, so the first content line's
 * indentation is used). A place past the end of the value maps to the scalar's end.
 */

export type YamlScalarType = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

interface DecodedScalar {
  value: string;
  /** File offset of each value character, plus one entry for the end of the value. */
  offsets: number[];
}

const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

function isBreak(char: string | undefined): boolean {
  return char === '\n' || char === '\r';
}

/** Past a line break (LF, CRLF or CR). */
function skipBreak(text: string, at: number): number {
  return text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
}

/** Flow scalars (plain, single- and double-quoted): folding plus quote-specific escapes. */
function decodeFlow(text: string, start: number, type: YamlScalarType, end: number): DecodedScalar {
  const chars: string[] = [];
  const offsets: number[] = [];
  /** Literal blanks may be trimmed before a fold; escaped ones may not. */
  const trimmable: boolean[] = [];
  const push = (char: string, offset: number, literalBlank: boolean): void => {
    chars.push(char);
    offsets.push(offset);
    trimmable.push(literalBlank);
  };
  const quote = type === 'QUOTE_DOUBLE' ? '"' : type === 'QUOTE_SINGLE' ? "'" : undefined;
  let at = quote ? start + 1 : start;
  while (at < end) {
    const char = text[at];
    if (char === undefined) break;
    if (quote !== undefined && char === quote) {
      if (quote === "'" && text[at + 1] === "'") {
        push("'", at, false);
        at += 2;
        continue;
      }
      break;
    }
    if (quote === undefined && char === '#' && isBlank(text[at - 1])) break;
    if (isBreak(char)) {
      while (trimmable.at(-1) === true) {
        chars.pop();
        offsets.pop();
        trimmable.pop();
      }
      const foldAt = at;
      at = skipBreak(text, at);
      let emptyLines = 0;
      for (;;) {
        while (isBlank(text[at])) at++;
        if (!isBreak(text[at])) break;
        emptyLines++;
        at = skipBreak(text, at);
      }
      if (emptyLines === 0) push(' ', foldAt, false);
      else for (let index = 0; index < emptyLines; index++) push('\n', foldAt, false);
      continue;
    }
    if (quote === '"' && char === '\\') {
      const next = text[at + 1] ?? '';
      if (isBreak(next)) {
        // An escaped line break joins the lines without a space.
        at = skipBreak(text, at + 1);
        while (isBlank(text[at])) at++;
        continue;
      }
      const hexLength = HEX_ESCAPE_LENGTH[next];
      if (hexLength !== undefined) {
        const code = Number.parseInt(text.slice(at + 2, at + 2 + hexLength), 16);
        for (const unit of String.fromCodePoint(Number.isNaN(code) ? 0xfffd : code)) {
          // Astral characters are two UTF-16 units in the value; both come from this escape.
          for (const codeUnit of unit.split('')) push(codeUnit, at, false);
        }
        at += 2 + hexLength;
        continue;
      }
      push(DOUBLE_QUOTE_ESCAPES[next] ?? next, at, false);
      at += 2;
      continue;
    }
    push(char, at, isBlank(char));
    at++;
  }
  if (quote === undefined) {
    while (trimmable.at(-1) === true) {
      chars.pop();
      offsets.pop();
      trimmable.pop();
    }
  }
  offsets.push(quote === undefined ? (offsets.at(-1) ?? start - 1) + 1 : at);
  return { value: chars.join(''), offsets };
}

/** Block scalars: `|` keeps line breaks, `>` folds lines that are not more indented. */
function decodeBlock(text: string, start: number, type: YamlScalarType): DecodedScalar {
  let at = start;
  while (at < text.length && !isBreak(text[at])) at++; // header line: indicators and comment
  const header = text.slice(start, at).split('#')[0] ?? '';
  const chomping = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  at = skipBreak(text, at);
  const lines: { offset: number; content: string }[] = [];
  let indent: number | undefined;
  while (at < text.length) {
    let lineEnd = at;
    while (lineEnd < text.length && !isBreak(text[lineEnd])) lineEnd++;
    const line = text.slice(at, lineEnd);
    const leading = line.length - line.trimStart().length;
    if (line.trim() !== '') {
      indent ??= leading;
      if (leading < indent) break;
    }
    const skip = Math.min(leading, indent ?? leading);
    lines.push({ offset: at + skip, content: line.slice(skip) });
    at = skipBreak(text, lineEnd);
  }
  let trailingEmptyLines = 0;
  while (lines.length > 0 && lines.at(-1)?.content.trim() === '') {
    lines.pop();
    trailingEmptyLines++;
  }
  const chars: string[] = [];
  const offsets: number[] = [];
  const isText = (content: string | undefined): boolean => content !== undefined && content !== '' && !isBlank(content[0]);
  lines.forEach((line, index) => {
    for (let column = 0; column < line.content.length; column++) {
      chars.push(line.content[column] ?? '');
      offsets.push(line.offset + column);
    }
    const next = lines[index + 1];
    if (next === undefined) return;
    const lineEnd = line.offset + line.content.length;
    if (type === 'BLOCK_FOLDED' && isText(line.content)) {
      // Folding: the break between two text lines becomes a space; before empty lines it is dropped.
      if (isText(next.content)) {
        chars.push(' ');
        offsets.push(lineEnd);
      } else if (next.content !== '') {
        chars.push('\n');
        offsets.push(lineEnd);
      }
      return;
    }
    chars.push('\n');
    offsets.push(lineEnd);
  });
  const last = lines.at(-1);
  const end = last ? last.offset + last.content.length : at;
  const finalBreaks = last === undefined || chomping === 'strip' ? 0 : chomping === 'clip' ? 1 : 1 + trailingEmptyLines;
  for (let index = 0; index < finalBreaks; index++) {
    chars.push('\n');
    offsets.push(end);
  }
  offsets.push(end);
  return { value: chars.join(''), offsets };
}

function decodeScalar(text: string, start: number, type: string, end: number | undefined): DecodedScalar {
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') return decodeBlock(text, start, type);
  const flowType: YamlScalarType = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? type : 'PLAIN';
  let limit = end ?? text.length;
  if (end === undefined && flowType === 'PLAIN') {
    // Without the node's end a plain scalar is taken to end with its line.
    let lineEnd = start;
    while (lineEnd < text.length && !isBreak(text[lineEnd])) lineEnd++;
    limit = lineEnd;
  }
  return decodeFlow(text, start, flowType, limit);
}

function offsetToPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    const char = text[index];
    if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Maps a 1-based (line, column) inside a template that is the value of a YAML scalar
 * to the 1-based (line, column) in the YAML file. `scalarRangeStart` and the optional
 * `scalarRangeEnd` are the `yaml` package's `Scalar.range[0]` and `range[1]`;
 * `scalarType` is `Scalar.type`.
 */
export function mapScalarPosition(
  fileText: string,
  scalarRangeStart: number,
  scalarType: string,
  templateLine: number,
  templateColumn: number,
  scalarRangeEnd?: number,
): { line: number; column: number } {
  const decoded = decodeScalar(fileText, scalarRangeStart, scalarType, scalarRangeEnd);
  let valueOffset = 0;
  for (let line = 1; line < templateLine; line++) {
    const nextBreak = decoded.value.indexOf('\n', valueOffset);
    if (nextBreak === -1) {
      valueOffset = decoded.value.length;
      break;
    }
    valueOffset = nextBreak + 1;
  }
  valueOffset = Math.min(valueOffset + Math.max(templateColumn - 1, 0), decoded.value.length);
  const fileOffset = decoded.offsets[valueOffset] ?? scalarRangeStart;
  return offsetToPosition(fileText, fileOffset);
}

/** The value as decoded by mapScalarPosition's model; exposed for tests and diagnostics. */
export function decodeScalarValue(fileText: string, scalarRangeStart: number, scalarType: string, scalarRangeEnd?: number): string {
  return decodeScalar(fileText, scalarRangeStart, scalarType, scalarRangeEnd).value;
}
