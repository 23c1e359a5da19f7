/**
 * `campaign-lint fix-list <campaign> (-o FILE | --in-place)`: writes the deliverable recipient
 * list. It drops the rows the list rules report, with their own predicates:
 *
 * - invalid: no valid address in the email column (`recipient-email-valid`, RowAddress.valid);
 * - unconsented: a marketing campaign's consent column is not yes/true/y/1 (`recipient-consent`,
 *   isConsent / consentColumnOf);
 * - suppressed: the address is on one of the campaign's or the config's suppression lists
 *   (`recipient-suppressed`, suppressionOf / findSuppressed, exact bytes after normalisation);
 * - duplicate: the address is on an earlier row that is kept (`recipient-duplicate`,
 *   findRepeats), so the first deliverable row of each address stays.
 *
 * Every other row is kept byte for byte, header, BOM, quoting and line breaks as in the source:
 * the output is the source file with the dropped records' byte ranges cut out. The list is read
 * once by the recipient pass (src/core/recipients.ts) keeping 4 bytes per row (its length) and
 * the rules' 12-16 bytes per kept address, then copied once. A list the pass cannot read exactly
 * (broken quoting, invalid UTF-8, no email column), or a suppression list that cannot be read, is
 * refused: a fixer that guesses would make a list look clean that is not.
 *
 * The output must be named: `-o FILE` (`-o -` for stdout) or `--in-place`, which replaces the
 * list atomically. The list's digest changes, so every approval of the campaign goes stale.
 */
import { closeSync, existsSync, fchmodSync, fstatSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, relative, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { findRepeats } from '../../core/duplicates.js';
import { maskPii } from '../../core/mask.js';
import { recipientListProblem, recipientsPath, runRecipientPass } from '../../core/recipients.js';
import { findColumn } from '../../parsers/csv.js';
import type { CsvProblem } from '../../parsers/csv.js';
import { RowAddress, RowPlaces, findSuppressed, suppressionOf } from '../../rules/_recipients.js';
import { consentColumnOf, isConsent } from '../../rules/recipient-consent.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { campaignArgument } from './campaign-arg.js';

const USAGE = 'usage: campaign-lint fix-list <campaign.yaml> (-o FILE | -o - | --in-place)';
type Reason = 'invalid' | 'unconsented' | 'suppressed' | 'duplicate';
const REASON_TEXT: Record<Reason, string> = { invalid: 'invalid address', unconsented: 'without consent', suppressed: 'suppressed', duplicate: 'duplicate' };
/** Removed rows listed per reason (masked unless --show-pii); the rest are counted. */
const DETAIL_PER_REASON = 10;
/** Problems after which byte offsets or fields cannot be trusted. */
const REFUSED_PROBLEMS = new Set<CsvProblem['kind']>(['unterminated-quote', 'read-error', 'empty-file', 'too-many-columns', 'invalid-utf8', 'invalid-quote', 'missing-header']);

/** Record lengths in bytes, 4 per row, in 64k-row chunks. */
class Lengths {
  private readonly chunks: Uint32Array[] = [];
  size = 0;
  push(length: number): void {
    const chunk = this.size >>> 16;
    this.chunks[chunk] ??= new Uint32Array(1 << 16);
    this.chunks[chunk][this.size & 0xffff] = length;
    this.size++;
  }
  at(index: number): number {
    return this.chunks[index >>> 16]?.[index & 0xffff] ?? 0;
  }
}

interface Removed {
  /** Byte offsets of the dropped records, with why. */
  offsets: Map<number, Reason>;
  counts: Record<Reason, number>;
  detail: { line: number; reason: Reason; value: string }[];
}

export async function runFixList(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const output = values['output-file'];
  const inPlace = values['in-place'] === true;
  if (output === undefined && !inPlace) throw new UsageError(`fix-list writes a new list: name it with -o FILE (or -o - for stdout), or pass --in-place to replace the list; ${USAGE}`);
  if (output !== undefined && inPlace) throw new UsageError(`fix-list: -o and --in-place exclude each other; ${USAGE}`);
  const { campaign, config } = await campaignArgument('fix-list', args, values, io);
  const listPath = await recipientsPath(campaign);
  if (listPath === undefined) throw new UsageError(`fix-list: ${recipientListProblem(campaign)}`);
  const target = inPlace ? listPath : output === '-' ? undefined : resolve(io.cwd, output ?? '');
  if (target !== undefined && !inPlace) {
    checkTarget(target, output ?? '', io.cwd);
    // Never over a file the campaign uses: the list itself is --in-place's job, and a suppression list or template must not become a recipient list.
    const used = [campaign.filePath, ...campaign.referencedFiles().flatMap((written) => {
      const resolved = campaign.resolve(written);
      return resolved.ok ? [resolved.path] : [];
    })];
    const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));
    if (used.some((path) => real(path) === real(target))) {
      throw new UsageError(`fix-list: -o ${output ?? ''} is one of the campaign's own files; write a new file, or pass --in-place to replace the list`);
    }
  }

  const showPii = values['show-pii'] === true;
  const row = new RowAddress(config.caseSensitiveLocalPart);
  const kept = new RowPlaces(row);
  const lengths = new Lengths();
  const removed: Removed = { offsets: new Map(), counts: { invalid: 0, unconsented: 0, suppressed: 0, duplicate: 0 }, detail: [] };
  const detailCount: Record<Reason, number> = { invalid: 0, unconsented: 0, suppressed: 0, duplicate: 0 };
  const drop = (offset: number, reason: Reason, line: number, value: string) => {
    removed.offsets.set(offset, reason);
    removed.counts[reason]++;
    if (detailCount[reason]++ < DETAIL_PER_REASON) removed.detail.push({ line, reason, value: showPii ? value : maskPii(value) });
  };
  const consentName = consentColumnOf(campaign);
  let consentColumn = -1;
  let firstOffset: number | undefined;
  let lastOffset = 0;
  let refusal: string | undefined;
  let lineBreak: '\n' | '\r\n' | '\r' = '\n';
  let rows = 0;
  await runRecipientPass(campaign, [
    {
      recipientsHeader(header) {
        row.setHeader(header, campaign);
        if (row.column === -1) refusal ??= 'the recipient list has no email column';
        if (consentName !== undefined) {
          consentColumn = findColumn(header.names, consentName);
          if (consentColumn === -1) refusal ??= `the consent column \`${consentName}\` is not in the recipient list header`;
        }
      },
      recipientRow(record) {
        if (firstOffset === undefined) firstOffset = record.byteOffset;
        else lengths.push(record.byteOffset - lastOffset);
        lastOffset = record.byteOffset;
        rows++;
        const cell = () => (row.column === -1 ? '' : (record.fields[row.column] ?? '').trim());
        if (!row.valid(record)) drop(record.byteOffset, 'invalid', record.line, cell());
        else if (consentColumn !== -1 && !isConsent(record.fields[consentColumn] ?? '')) drop(record.byteOffset, 'unconsented', record.line, cell());
        else kept.add(record);
      },
      recipientsProblem(problem) {
        if (REFUSED_PROBLEMS.has(problem.kind)) refusal ??= `line ${problem.line}: ${problem.message}`;
      },
      async recipientsEnd(summary) {
        lineBreak = summary.lineBreak;
        const size = statSync(listPath).size;
        if (firstOffset !== undefined) lengths.push(size - lastOffset);
        if (refusal !== undefined) return;
        const suppression = await suppressionOf(campaign, config);
        const blocking = suppression.problems.find((problem) => problem.kind !== 'invalid-entry' && !(problem.kind === 'more' && problem.source === undefined));
        if (blocking !== undefined) {
          refusal = `suppression list \`${blocking.written}\` cannot be used (${blocking.reason || blocking.kind}): who is suppressed is not known`;
          return;
        }
        const source = { filePath: listPath, column: row.column, lineBreak, caseSensitiveLocalPart: config.caseSensitiveLocalPart };
        for (const { place, address } of await findSuppressed(kept, suppression, source)) drop(place.byteOffset, 'suppressed', place.line, address);
        for (const repeat of await findRepeats(kept.places, source)) {
          // A repeat of a suppressed address is suppressed itself: counted once, as suppressed.
          if (!removed.offsets.has(repeat.byteOffset)) drop(repeat.byteOffset, 'duplicate', repeat.line, repeat.address);
        }
      },
    },
  ]);
  if (refusal !== undefined) throw new UsageError(`fix-list: ${relative(io.cwd, listPath) || listPath}: ${refusal}; nothing written`);

  writeList(listPath, target, firstOffset, lengths, removed.offsets, io);
  const report = target === undefined ? io.stderr : io.stdout;
  const total = removed.offsets.size;
  const counts = (Object.keys(REASON_TEXT) as Reason[]).map((reason) => `${removed.counts[reason]} ${REASON_TEXT[reason]}`).join(', ');
  const where = target === undefined ? 'stdout' : relative(io.cwd, target) || target;
  report.write(`fix-list: kept ${rows - total} of ${rows} rows, removed ${total} (${counts}); wrote ${where}\n`);
  const listName = relative(io.cwd, listPath) || listPath;
  for (const { line, reason, value } of removed.detail.sort((a, b) => a.line - b.line)) report.write(`  ${listName}:${line}: ${REASON_TEXT[reason]}: ${value === '' ? '(empty)' : value}\n`);
  const unlisted = total - removed.detail.length;
  if (unlisted > 0) report.write(`  … and ${unlisted} more (the first ${DETAIL_PER_REASON} of each reason are listed)\n`);
  if (total > 0 && inPlace) report.write('fix-list: the list changed, so the campaign digest changed: its approvals no longer count; approve it again\n');
  return 0;
}

function checkTarget(target: string, written: string, cwd: string): void {
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`fix-list: cannot write ${written}: the folder ${relative(cwd, folder) || folder} does not exist`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`fix-list: cannot write ${written}: it is a folder`);
}

const COPY_CHUNK = 1 << 20;

/**
 * The source's bytes without the dropped records: written to a temporary file beside the target
 * and renamed over it (the list itself with --in-place), or to stdout.
 */
function writeList(listPath: string, target: string | undefined, firstOffset: number | undefined, lengths: Lengths, dropped: ReadonlyMap<number, Reason>, io: CliEnvironment): void {
  const input = openSync(listPath, 'r');
  const temp = target === undefined ? undefined : resolve(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const buffer = Buffer.allocUnsafe(COPY_CHUNK);
  let out: number | undefined;
  try {
    const size = fstatSync(input).size;
    out = temp === undefined ? undefined : openSync(temp, 'wx', 0o600);
    // The new list keeps the permissions of the one it replaces (or derives from).
    if (out !== undefined) fchmodSync(out, fstatSync(input).mode & 0o777);
    const emit = (bytes: Buffer) => {
      // Bytes, not text: the list's own encoding and line breaks go through untouched.
      if (out === undefined) io.stdout.write(bytes as unknown as string);
      else writeSync(out, bytes);
    };
    const copy = (from: number, to: number) => {
      for (let at = from; at < to; ) {
        const read = readSync(input, buffer, 0, Math.min(COPY_CHUNK, to - at), at);
        if (read === 0) throw new Error(`the list changed while it was fixed (ended at byte ${at})`);
        emit(target === undefined ? Buffer.from(buffer.subarray(0, read)) : buffer.subarray(0, read));
        at += read;
      }
    };
    if (firstOffset === undefined) {
      copy(0, size);
    } else {
      // Runs of kept records are copied in one piece.
      let runStart = 0;
      let offset = firstOffset;
      for (let index = 0; index < lengths.size; index++) {
        const length = lengths.at(index);
        if (dropped.has(offset)) {
          copy(runStart, offset);
          runStart = offset + length;
        }
        offset += length;
      }
      copy(runStart, size);
    }
    if (out !== undefined) {
      if (statSync(listPath).size !== size) throw new Error('the list changed while it was fixed');
      closeSync(out);
      out = undefined;
      if (temp !== undefined && target !== undefined) renameSync(temp, target);
    }
  } catch (error) {
    if (out !== undefined) closeSync(out);
    if (temp !== undefined) rmSync(temp, { force: true });
    throw error;
  } finally {
    closeSync(input);
  }
}
