/**
 * `.vscode/settings.json` for `init`: maps campaign files to the shipped schema through the YAML
 * extension's `yaml.schemas`. An existing file is JSON with comments (VS Code's format); it is
 * changed by inserting text only, so its comments, order and formatting survive, and the result
 * must parse to the old settings plus the mappings, or nothing is written.
 */
import { isDeepStrictEqual } from 'node:util';

export type EditorSettingsOutcome =
  | { kind: 'write'; text: string; added: string[] }
  | { kind: 'unchanged' }
  | { kind: 'unreadable'; reason: string };

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Tokens of a JSONC text without its comments and blanks; undefined for an unterminated string or comment. */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (/\s/.test(char)) {
      index++;
    } else if (text.startsWith('//', index)) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end + 1;
    } else if (text.startsWith('/*', index)) {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) return undefined;
      index = end + 2;
    } else if (char === '"') {
      let end = index + 1;
      while (end < text.length && text.charAt(end) !== '"') end += text.charAt(end) === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      tokens.push({ text: text.slice(index, end + 1), start: index, end: end + 1 });
      index = end + 1;
    } else if ('{}[]:,'.includes(char)) {
      tokens.push({ text: char, start: index, end: index + 1 });
      index++;
    } else {
      let end = index;
      while (end < text.length && !/[\s{}[\]:,"/]/.test(text.charAt(end))) end++;
      if (end === index) return undefined;
      tokens.push({ text: text.slice(index, end), start: index, end });
      index = end;
    }
  }
  return tokens;
}

/** JSON with comments and trailing commas, as VS Code reads settings; undefined when it is not. */
export function parseJsonc(text: string): { value: unknown; tokens: Token[] } | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined) return undefined;
  const kept = tokens.filter((token, index) => !(token.text === ',' && (tokens[index + 1]?.text === '}' || tokens[index + 1]?.text === ']')));
  try {
    return { value: JSON.parse(kept.map((token) => token.text).join('')) as unknown, tokens: kept };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The token after which an object's first member goes: its `{`, found by the path of keys to it. */
function objectStart(tokens: readonly Token[], key: string | undefined): { open: Token; empty: boolean } | undefined {
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token === undefined) break;
    if (key === undefined && index === 0 && token.text === '{') return { open: token, empty: tokens[1]?.text === '}' };
    if (token.text === '{' || token.text === '[') depth++;
    else if (token.text === '}' || token.text === ']') depth--;
    else if (depth === 1 && key !== undefined && token.text === JSON.stringify(key) && tokens[index + 1]?.text === ':' && tokens[index + 2]?.text === '{') {
      const open = tokens[index + 2];
      return open === undefined ? undefined : { open, empty: tokens[index + 3]?.text === '}' };
    }
  }
  return undefined;
}

function indentOf(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

/**
 * The settings file with `schemas` added to `yaml.schemas`: a new file when there is none; the
 * mappings it lacks, inserted as text, when there is one; a mapping the user already has for a
 * schema path is left as it is.
 */
export function mergeEditorSettings(existing: string | undefined, schemas: Record<string, string[]>): EditorSettingsOutcome {
  if (existing === undefined) {
    return { kind: 'write', text: `${JSON.stringify({ 'yaml.schemas': schemas }, null, 2)}\n`, added: Object.keys(schemas) };
  }
  const parsed = parseJsonc(existing);
  if (parsed === undefined || !isObject(parsed.value)) return { kind: 'unreadable', reason: 'not a JSON object with comments' };
  const current = parsed.value['yaml.schemas'];
  if (current !== undefined && !isObject(current)) return { kind: 'unreadable', reason: '`yaml.schemas` is not an object' };
  const missing = Object.entries(schemas).filter(([path]) => current?.[path] === undefined);
  if (missing.length === 0) return { kind: 'unchanged' };
  const unit = indentOf(existing);
  let text: string;
  if (current === undefined) {
    const at = objectStart(parsed.tokens, undefined);
    if (at === undefined) return { kind: 'unreadable', reason: 'no top-level object' };
    const body = JSON.stringify(Object.fromEntries(missing), null, unit).replace(/\n/g, `\n${unit}`);
    text = `${existing.slice(0, at.open.end)}\n${unit}"yaml.schemas": ${body}${at.empty ? '\n' : ','}${existing.slice(at.open.end)}`;
  } else {
    const at = objectStart(parsed.tokens, 'yaml.schemas');
    if (at === undefined) return { kind: 'unreadable', reason: '`yaml.schemas` cannot be located' };
    const members = missing.map(([path, globs]) => `\n${unit}${unit}${JSON.stringify(path)}: ${JSON.stringify(globs)}`).join(',');
    text = `${existing.slice(0, at.open.end)}${members}${at.empty ? `\n${unit}` : ','}${existing.slice(at.open.end)}`;
  }
  const expected = { ...parsed.value, 'yaml.schemas': { ...Object.fromEntries(missing), ...current } };
  const reparsed = parseJsonc(text);
  if (reparsed === undefined || !isDeepStrictEqual(reparsed.value, expected)) return { kind: 'unreadable', reason: 'the mapping could not be inserted without changing other settings' };
  return { kind: 'write', text, added: missing.map(([path]) => path) };
}
