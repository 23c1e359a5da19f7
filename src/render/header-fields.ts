/**
 * Counts the header fields of a raw message as it goes on the wire. A parser may keep only one of
 * two `To` or `Subject` fields; mail clients differ in which one they show, so duplicates are
 * counted in the raw header block itself. Linear in the header block; folded lines are read as
 * part of the field they continue.
 */

/** RFC 5322 §3.6: at most once in a message (plus RFC 2369/8058's unsubscribe fields). */
export const SINGLE_INSTANCE_HEADERS: readonly string[] = [
  'From',
  'Sender',
  'Reply-To',
  'To',
  'Cc',
  'Bcc',
  'Message-ID',
  'In-Reply-To',
  'References',
  'Subject',
  'Date',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
];

/** The single-instance fields that show or route addresses: a duplicate is a visibility problem. */
export const ADDRESS_SINGLE_INSTANCE: ReadonlySet<string> = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc']);

export interface HeaderFieldCount {
  /** The field name as first written. */
  name: string;
  count: number;
}

/** Field counts by lower-cased name, in the order fields first appear. */
export function headerFieldCounts(raw: string): Map<string, HeaderFieldCount> {
  const counts = new Map<string, HeaderFieldCount>();
  let start = 0;
  while (start < raw.length) {
    let end = raw.indexOf('\n', start);
    if (end === -1) end = raw.length;
    const line = raw.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    // The blank line ends the header block.
    if (line === '') break;
    // A continuation line (folded field) starts with white space.
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const key = name.toLowerCase();
    const found = counts.get(key);
    if (found) found.count++;
    else counts.set(key, { name, count: 1 });
  }
  return counts;
}
