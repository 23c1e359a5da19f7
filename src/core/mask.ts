import { findAddresses, maskAddress, maskValue } from './address.js';

/**
 * A personal value for output: an address keeps its domain (`j***@example.com`),
 * anything else its first character (`J***`). Never the length.
 */
export function maskPii(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  // Anything shaped like an address, valid or not, keeps its domain: that is what lets a
  // reader find the record without seeing who it is.
  return at > 0 && /^[^\s@]+$/.test(trimmed.slice(at + 1)) ? maskAddress(trimmed) : maskValue(trimmed);
}

/**
 * True when a header cell looks like a recipient's data rather than a column name: it holds an
 * `@` (an address, valid or not), looks like a phone number, or like a token (20+ characters
 * without spaces, at least 30% digits, or 16+ hexadecimal digits). A list whose first row is
 * data has its "column names" masked like data wherever they are printed.
 */
export function looksLikeData(cell: string): boolean {
  const value = cell.trim();
  if (value.includes('@')) return true;
  const digits = value.replace(/\D/g, '').length;
  if (digits >= 7 && /^\+?[\d ().-]+$/.test(value)) return true;
  if (/^[0-9a-f]{16,}$/i.test(value.replace(/-/g, '')) && digits > 0) return true;
  return value.length >= 20 && /^[\w+/=.-]+$/.test(value) && digits / value.length >= 0.3;
}

/** Every address-like token of a text masked (source lines shown in code frames). */
export function maskAddressesInText(text: string): string {
  let masked = '';
  let last = 0;
  for (const { address, index } of findAddresses(text)) {
    masked += text.slice(last, index) + maskAddress(address);
    last = index + address.length;
  }
  return masked + text.slice(last);
}
