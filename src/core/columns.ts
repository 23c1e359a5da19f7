/**
 * The one resolver for the recipient list's email column. Every rule, the renderer and the
 * report ask here, so that the column the list checks read is the column the templates bind:
 * a template binds `{{Email}}` only to a header spelled exactly `Email`.
 */
import type { Campaign } from './campaign.js';

export const DEFAULT_EMAIL_COLUMN = 'email';

export type EmailColumn =
  /** The header has a column spelled exactly as `recipients.email_column`. */
  | { ok: true; name: string; index: number }
  /**
   * Only a column that differs in case or surrounding spaces (`found`): list checks may read it,
   * but a template written with `name` binds nothing, so the locked rules must report it.
   */
  | { ok: false; reason: 'spelling'; name: string; found: string; index: number }
  /** No such column at all. */
  | { ok: false; reason: 'missing'; name: string; index: -1 }
  /** `recipients.email_column` is not a non-empty string: nothing can be bound. */
  | { ok: false; reason: 'type'; name: string; index: -1 };

/** `recipients.email_column` as written, `email` when absent; undefined when present with a wrong type or empty. */
export function emailColumnName(campaign: Campaign): string | undefined {
  if (!campaign.has(['recipients', 'email_column'])) return DEFAULT_EMAIL_COLUMN;
  const written = campaign.get(['recipients', 'email_column']);
  return typeof written === 'string' && written !== '' ? written : undefined;
}

export function resolveEmailColumn(campaign: Campaign, headerNames: readonly string[]): EmailColumn {
  const name = emailColumnName(campaign);
  if (name === undefined) return { ok: false, reason: 'type', name: String(campaign.get(['recipients', 'email_column'])), index: -1 };
  const exact = headerNames.indexOf(name);
  if (exact !== -1) return { ok: true, name, index: exact };
  const key = name.trim().toLowerCase();
  const loose = headerNames.findIndex((header) => header.trim().toLowerCase() === key);
  if (loose !== -1) return { ok: false, reason: 'spelling', name, found: headerNames[loose] ?? '', index: loose };
  return { ok: false, reason: 'missing', name, index: -1 };
}
