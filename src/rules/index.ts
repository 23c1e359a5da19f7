import type { Rule, RuleMeta } from '../core/types.js';
import disableReason from './disable-reason.js';
import fromDomain from './from-domain.js';
import headerInjection from './header-injection.js';
import headerSingleInstance from './header-single-instance.js';
import lockedRule from './locked-rule.js';
import mergeFieldDefined from './merge-field-defined.js';
import noBulkBcc from './no-bulk-bcc.js';
import noCc from './no-cc.js';
import noRecipientDataLeak from './no-recipient-data-leak.js';
import payloadSettings from './payload-settings.js';
import postalAddress from './postal-address.js';
import renderedMessage from './rendered-message.js';
import recipientConsent from './recipient-consent.js';
import recipientCount from './recipient-count.js';
import recipientDuplicate from './recipient-duplicate.js';
import recipientEmailValid from './recipient-email-valid.js';
import recipientFormulaInjection from './recipient-formula-injection.js';
import recipientRoleAddress from './recipient-role-address.js';
import recipientSensitiveColumn from './recipient-sensitive-column.js';
import recipientSuppressed from './recipient-suppressed.js';
import recipientUnusedColumn from './recipient-unused-column.js';
import recipientsFile from './recipients-file.js';
import schema from './schema.js';
import senderAddress from './sender-address.js';
import senderAuthentication from './sender-authentication.js';
import singleRecipientTo from './single-recipient-to.js';
import subjectHonest from './subject-honest.js';
import suppressionFresh from './suppression-fresh.js';
import twoPersonApproval from './two-person-approval.js';
import unlintedCampaign from './unlinted-campaign.js';
import unsubscribeHeader from './unsubscribe-header.js';
import unsubscribeLink from './unsubscribe-link.js';

/** Every rule, in the order they run (schema first so its findings lead). */
export const rules: readonly Rule<never>[] = [
  schema,
  noCc,
  singleRecipientTo,
  noBulkBcc,
  senderAddress,
  headerInjection,
  renderedMessage,
  noRecipientDataLeak,
  recipientsFile,
  recipientEmailValid,
  recipientDuplicate,
  recipientSuppressed,
  suppressionFresh,
  recipientConsent,
  recipientCount,
  recipientSensitiveColumn,
  recipientUnusedColumn,
  recipientFormulaInjection,
  recipientRoleAddress,
  unsubscribeHeader,
  headerSingleInstance,
  unsubscribeLink,
  payloadSettings,
  senderAuthentication,
  postalAddress,
  fromDomain,
  subjectHonest,
  mergeFieldDefined,
  disableReason,
  lockedRule,
  twoPersonApproval,
  unlintedCampaign,
];

export const ruleMetas: readonly RuleMeta[] = rules.map((rule) => rule.meta);

export function findRule(id: string): Rule<never> | undefined {
  return rules.find((rule) => rule.meta.id === id);
}

export { DOCS_BASE_URL, docsUrl } from './_docs-url.js';
