/**
 * Masked forms of personal data for output that many people read (CI logs,
 * code-scanning alerts): enough to find the record, not enough to learn who it is.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return maskCell(address);
  return `${address.charAt(0)}***${address.slice(at)}`;
}

/** A cell value: its first character only, never its length. */
export function maskValue(value: string): string {
  if (value.includes('@')) return maskAddress(value);
  return maskCell(value);
}

// Separate from maskValue so that a value starting with `@` (no local part) cannot recurse.
function maskCell(value: string): string {
  const first = value.trim().codePointAt(0);
  return first === undefined ? '(empty)' : `${String.fromCodePoint(first)}***`;
}

const ADDRESS_IN_TEXT = /[\w.!#$%&'*+/=?^`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;

/** Every address-like token of a text masked (for source lines shown in code frames). */
export function maskAddressesInText(text: string): string {
  return text.replace(ADDRESS_IN_TEXT, (address) => maskAddress(address));
}
