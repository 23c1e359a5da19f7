import { closeSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Node, Pair } from 'yaml';
import { campaignRefusal, openFileForUpdate } from '../core/safe-file.js';
import { parseYaml } from '../parsers/yaml.js';

export interface NewApproval {
  by: string;
  digest: string;
  at: string;
  signature?: string;
}

/** The spellings of YAML's null that `approvals: ~` and friends may use. */
const NULL_SOURCE = /^(?:|~|null|Null|NULL)$/;

/**
 * Appends one approval to a campaign's text without touching anything else. Every form
 * YAML allows for an empty or existing list is accepted:
 *
 * - a block list: the new item goes after its last item, at the same indentation;
 * - a flow list with items (`[ {…}, {…} ]`): the new item goes after its last item, as a flow map;
 * - an empty flow list (`approvals: []`, what `init` writes), a null value (`approvals:`,
 *   `approvals: ~`): the empty value is replaced by a block list under the key;
 * - no `approvals` key: `approvals:` and the item are added at the end of the file.
 *
 * Only the empty value itself is replaced; every other byte (comments, quoting, the key's own
 * line and its comment, line breaks, CRLF included) is kept. The result is re-parsed and must
 * equal the old document plus the approval, or nothing is written.
 */
export function appendApproval(text: string, approval: NewApproval): string {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) throw new Error(`the campaign has a YAML syntax error: ${parsed.errors[0]?.message ?? ''}`);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const block = (indentation: string) => withEol(indent(stringify([approval], { lineWidth: 0 }), indentation), eol);
  const contents = parsed.doc.contents;
  if (!isMap(contents)) throw new Error('the campaign is not a YAML map of keys');
  const pair = contents.items.find((item: Pair) => isScalar(item.key) && item.key.value === 'approvals');
  let next: string;
  if (pair === undefined) {
    const base = text.length === 0 || text.endsWith('\n') ? text : `${text}${eol}`;
    next = `${base}approvals:${eol}${block('  ')}`;
  } else {
    const key = pair.key as unknown;
    const keyRange = isScalar(key) ? key.range : undefined;
    if (!keyRange) throw new Error('the `approvals` key cannot be located; write it as a plain `approvals:` key');
    const itemIndent = ' '.repeat(parsed.lineCounter.linePos(keyRange[0]).col - 1 + 2);
    const value = pair.value as unknown;
    if (isSeq(value) && value.range && value.items.length > 0 && !value.flow) {
      next = appendToBlockList(text, value.range[1], parsed.lineCounter.linePos(value.range[0]).col, block, eol);
    } else if (isSeq(value) && value.range && value.items.length > 0) {
      const last: unknown = value.items[value.items.length - 1];
      const lastRange = isNode(last) ? last.range : undefined;
      if (!lastRange) throw new Error('`approvals` is a flow list whose last item cannot be located; write it as a block list');
      // Quoted as inside a flow list: `[ {…} ]` without its brackets.
      const flowItem = stringify([approval], { collectionStyle: 'flow', lineWidth: 0 }).trim().replace(/^\[\s*/, '').replace(/\s*\]$/, '');
      next = `${text.slice(0, lastRange[1])}, ${flowItem}${text.slice(lastRange[1])}`;
    } else if (isSeq(value) && value.range && !/[#\r\n]/.test(text.slice(value.range[0], value.range[1]))) {
      next = replaceEmptyValue(text, value.range[0], value.range[1], block(itemIndent), eol);
    } else if (value === null || (isScalar(value) && value.value === null)) {
      const range = isScalar(value) ? value.range : undefined;
      if (isScalar(value) && (value.tag !== undefined || value.anchor !== undefined || !NULL_SOURCE.test(range ? text.slice(range[0], range[1]) : ''))) {
        throw new Error('`approvals` holds a tagged or anchored null; write `approvals: []` or delete the key');
      }
      const [start, end] = range ? [range[0], range[1]] : [keyRange[1] + 1, keyRange[1] + 1];
      next = replaceEmptyValue(text, start, end, block(itemIndent), eol);
    } else {
      throw new Error('`approvals` must be a list (`approvals: []`, a block list or a flow list) or empty for approve to append to it');
    }
  }
  verify(text, next, approval);
  return next;
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}

function appendToBlockList(text: string, listEnd: number, column: number, block: (indentation: string) => string, eol: string): string {
  let end = listEnd;
  while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
  const lineEnd = text.indexOf('\n', end);
  const insertAt = lineEnd === -1 ? text.length : lineEnd + 1;
  const prefix = lineEnd === -1 ? `${text}${eol}` : text.slice(0, insertAt);
  return `${prefix}${block(' '.repeat(column - 1))}${text.slice(insertAt)}`;
}

/**
 * Replaces an empty value (`[]`, `~`, or nothing) that sits on the key's line by a block list
 * under the key: the value and the blanks before it go, the rest of the line (a comment) stays,
 * and the items follow on the next lines.
 */
function replaceEmptyValue(text: string, start: number, end: number, items: string, eol: string): string {
  const tail = text.slice(Math.min(end, text.length));
  const lineEnd = tail.indexOf('\n');
  const restOfLine = lineEnd === -1 ? `${tail}${eol}` : tail.slice(0, lineEnd + 1);
  const after = lineEnd === -1 ? '' : tail.slice(lineEnd + 1);
  let cut = Math.min(start, text.length);
  // Blanks before the value go with it, unless a comment follows right after it (which needs one before it).
  if (restOfLine.trim() === '' || restOfLine.startsWith(' ') || restOfLine.startsWith('\t')) {
    while (cut > 0 && (text.charAt(cut - 1) === ' ' || text.charAt(cut - 1) === '\t')) cut--;
  }
  return `${text.slice(0, cut)}${restOfLine}${items}${after}`;
}

function withEol(block: string, eol: string): string {
  return eol === '\n' ? block : block.replace(/\n/g, eol);
}

function indent(block: string, prefix: string): string {
  return block
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

function verify(before: string, after: string, approval: NewApproval): void {
  const old = parseDocument(before).toJS() as Record<string, unknown>;
  const now = parseDocument(after).toJS() as Record<string, unknown>;
  const oldApprovals: unknown[] = Array.isArray(old.approvals) ? (old.approvals as unknown[]) : [];
  const expected = { ...old, approvals: [...oldApprovals, approval] };
  if (!isDeepStrictEqual(now, expected)) throw new Error('appending the approval would change other content; nothing was written');
}

/**
 * Appends the approval to the campaign file at `path`, which must still hold `expected`.
 * The file is opened by the safe reader for update: never through a symlink (at any level),
 * never outside `rootDir`, never a FIFO or a device; it is read and rewritten through the
 * one descriptor that was checked, so nothing is ever written anywhere else.
 */
export function appendApprovalToFile(path: string, rootDir: string, expected: string, approval: NewApproval): void {
  const opened = openFileForUpdate(path, { rootDir });
  if (!opened.ok) throw new Error(campaignRefusal(opened, 'approve'));
  try {
    const size = opened.stats.size;
    const buffer = Buffer.alloc(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(opened.fd, buffer, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    if (buffer.subarray(0, offset).toString('utf8') !== expected) throw new Error('the campaign file changed while approving; run approve again');
    const next = Buffer.from(appendApproval(expected, approval), 'utf8');
    let written = 0;
    while (written < next.length) written += writeSync(opened.fd, next, written, next.length - written, written);
    ftruncateSync(opened.fd, next.length);
  } finally {
    closeSync(opened.fd);
  }
}
