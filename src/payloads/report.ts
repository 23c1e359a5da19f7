/**
 * The locked rules' payload branch: each reports the verdicts of src/payloads/judge.ts that it owns.
 */
import type { RuleContext } from '../core/types.js';
import { judgePayload } from './judge.js';
import type { PayloadFinding } from './judge.js';
import type { PayloadModel } from './model.js';

const verdicts = new WeakMap<PayloadModel, Map<string, PayloadFinding[]>>();

/** Reports the findings of `model` that belong to `context`'s rule (the verdict is computed once per model and masking). */
export function reportPayloadFindings(context: RuleContext, model: PayloadModel): void {
  let byMask = verdicts.get(model);
  if (!byMask) {
    byMask = new Map();
    verdicts.set(model, byMask);
  }
  // The rules of one run share one masking: a probe value tells it apart from --show-pii.
  const maskKey = context.pii('probe@example.com');
  let findings = byMask.get(maskKey);
  if (!findings) {
    findings = judgePayload(model, { archiveAddresses: context.config.organization.archiveAddresses }, (value) => context.pii(value));
    byMask.set(maskKey, findings);
  }
  for (const finding of findings) {
    if (finding.rule === context.ruleId) context.report({ messageId: finding.messageId, data: finding.data, loc: finding.loc });
  }
}
