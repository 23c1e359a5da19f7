import type { Campaign } from './campaign.js';
import { readCsv } from '../parsers/csv.js';
import { recipientListOptions } from './columns.js';
import { checkFile } from './safe-file.js';
import type { CsvProblem, CsvProgress } from '../parsers/csv.js';
import type { RuleListeners } from './types.js';

export interface RecipientPassOptions {
  /** Called after each chunk read, for a progress bar. */
  onProgress?: (progress: CsvProgress & { filePath: string }) => void;
  /** Problems no rule subscribed to (recipients-file switched off) still end the file's check. */
  onUnhandledProblem?: (problem: CsvProblem) => void;
}

/** The recipient list's absolute path, when the campaign names one inside the repository that exists. */
export function recipientsPath(campaign: Campaign): Promise<string | undefined> {
  const path = campaign.recipientsFile();
  if (path === undefined) return Promise.resolve(undefined);
  // The safe reader's check: inside the repository by its real path, and a regular file (a FIFO would hang the read).
  return Promise.resolve(checkFile(path, { rootDir: campaign.rootDir }).ok ? path : undefined);
}

/**
 * Why the recipient list cannot be read, in the words of the rules that must fail closed on it:
 * "`lists/x.csv` does not exist", "... leaves the repository root". Never names a symlink's target.
 */
export function recipientListProblem(campaign: Campaign): string {
  const written = campaign.get(['recipients', 'file']);
  if (typeof written !== 'string' || written === '') return 'the campaign names no recipient list (`recipients.file`)';
  const resolved = campaign.resolve(written);
  if (!resolved.ok) return `the recipient list \`${written}\` ${resolved.reason}`;
  const checked = checkFile(resolved.path, { rootDir: campaign.rootDir });
  return `the recipient list \`${written}\` ${checked.ok ? 'cannot be read' : checked.reason}`;
}

/**
 * Streams the recipient list once and hands every header, record and
 * problem to every subscribed rule. A list of millions of rows is never held in memory.
 */
export async function runRecipientPass(campaign: Campaign, listeners: readonly RuleListeners[], options: RecipientPassOptions = {}): Promise<void> {
  const filePath = await recipientsPath(campaign);
  if (filePath === undefined) return;
  const onHeader = listeners.filter((listener) => listener.recipientsHeader);
  const onRow = listeners.flatMap((listener) => (listener.recipientRow ? [listener.recipientRow] : []));
  const onProblem = listeners.filter((listener) => listener.recipientsProblem);
  if (onHeader.length + onRow.length + onProblem.length === 0 && !listeners.some((listener) => listener.recipientsEnd)) return;
  const dispatchRow =
    onRow.length === 1 && onRow[0]
      ? onRow[0]
      : (record: Parameters<NonNullable<RuleListeners['recipientRow']>>[0]) => {
          for (const handle of onRow) handle(record);
        };
  const summary = await readCsv(filePath, {
    onHeader: (header) => {
      for (const listener of onHeader) listener.recipientsHeader?.(header);
    },
    onRecord: dispatchRow,
    onProblem: (problem) => {
      if (onProblem.length === 0) options.onUnhandledProblem?.(problem);
      for (const listener of onProblem) listener.recipientsProblem?.(problem);
    },
    ...(options.onProgress ? { onProgress: (progress: CsvProgress) => options.onProgress?.({ ...progress, filePath }) } : {}),
  }, recipientListOptions(campaign));
  for (const listener of listeners) await listener.recipientsEnd?.({ ...summary, filePath });
}
