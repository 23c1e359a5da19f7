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
