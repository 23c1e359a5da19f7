import { closeSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { isSeq, parseDocument, stringify } from 'yaml';
import { campaignRefusal, openFileForUpdate } from '../core/safe-file.js';
import { parseYaml } from '../parsers/yaml.js';

export interface NewApproval {
  by: string;
  digest: string;
  at: string;
  signature?: string;
}

/**
 * Appends one approval to a campaign's text without touching anything else:
 * the yaml Document locates the `approvals` list, the new item is inserted as
 * text after its last item (or a new `approvals:` key is added at the end), so
 * the diff is additions only and every comment and quote style survives.
 * The result is re-parsed and must equal the old document plus the approval.
 */
export function appendApproval(text: string, approval: NewApproval): string {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) throw new Error(`the campaign has a YAML syntax error: ${parsed.errors[0]?.message ?? ''}`);
  const item = stringify([approval], { lineWidth: 0 });
  const seq = parsed.doc.getIn(['approvals'], true);
  let next: string;
  if (seq === undefined || seq === null) {
    const base = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
    next = `${base}approvals:\n${indent(item, '  ')}`;
  } else if (isSeq(seq) && !seq.flow && seq.range && seq.items.length > 0) {
    const start = parsed.lineCounter.linePos(seq.range[0]);
    const itemIndent = ' '.repeat(start.col - 1);
    let end = seq.range[1];
    while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
    const lineEnd = text.indexOf('\n', end);
    const insertAt = lineEnd === -1 ? text.length : lineEnd + 1;
    const prefix = lineEnd === -1 ? `${text}\n` : text.slice(0, insertAt);
    next = `${prefix}${indent(item, itemIndent)}${text.slice(insertAt)}`;
  } else {
    throw new Error('`approvals` must be a block list (or absent) for approve to append to it; rewrite `approvals: []` as a list or delete it');
  }
  verify(text, next, approval);
  return next;
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
