/**
 * Lints one sending-platform payload file: the request is mapped into the recipient-surface model
 * and judged by the same locked rules as a campaign (their payload branch), plus the suppression
 * lists and `payload-settings`. No campaign YAML is involved; the config still names suppression
 * lists, archive addresses and the rules' severities.
 */
import { Campaign } from '../core/campaign.js';
import type { ResolvedConfig } from '../core/config.js';
import { setPayloadEnvelope } from '../core/envelope.js';
import { reportOnce } from '../core/linter.js';
import { maskPii } from '../core/mask.js';
import { buildResults, formatMessage } from '../core/report.js';
import { campaignRefusal, readTextFile } from '../core/safe-file.js';
import type { LintMessage, LintResult, ReportDescriptor, Rule, RuleContext } from '../core/types.js';
import { parseYaml } from '../parsers/yaml.js';
import type { PayloadFormat } from './model.js';
import { readPayload } from './read.js';

/** The rules that judge payloads: the locked visibility rules, suppression, and the platforms' own settings. */
export const PAYLOAD_RULES: readonly string[] = ['single-recipient-to', 'no-cc', 'no-bulk-bcc', 'sender-address', 'header-injection', 'recipient-suppressed', 'payload-settings', 'sender-authentication'];

const MAX_PER_RULE = 100;

export interface LintPayloadOptions {
  showPii?: boolean;
  format?: PayloadFormat;
  rules: readonly Rule<never>[];
}

export async function lintPayload(filePath: string, config: ResolvedConfig, options: LintPayloadOptions): Promise<LintResult[]> {
  const messages = new Map<string, LintMessage[]>([[filePath, []]]);
  const push = (file: string, message: LintMessage) => {
    const list = messages.get(file);
    if (list) list.push(message);
    else messages.set(file, [message]);
  };
  const read = readTextFile(filePath, { rootDir: config.rootDir, maxBytes: config.maxFileSize });
  if (!read.ok) {
    push(filePath, { ruleId: null, severity: 2, fatal: true, message: campaignRefusal(read).replace(/^campaign file/, 'payload file'), line: 1, column: 1 });
    return buildResults(messages);
  }
  const { model, errors } = readPayload(read.text, filePath, options.format);
  for (const error of errors) push(filePath, { ruleId: null, severity: 2, fatal: true, message: `JSON syntax error: ${error.message}`, line: error.line, column: error.column });
  if (errors.length > 0) return buildResults(messages);

  // The stand-in campaign the rules receive: an empty document at the payload's path, whose envelope is the payload's.
  const campaign = new Campaign(filePath, config.rootDir, parseYaml('{}\n'));
  setPayloadEnvelope(campaign, model);
  const counts = new Map<string, number>();
  for (const rule of options.rules) {
    if (!PAYLOAD_RULES.includes(rule.meta.id)) continue;
    const severity = config.rules.get(rule.meta.id)?.severity ?? 0;
    if (severity === 0) continue;
    const context: RuleContext = {
      ruleId: rule.meta.id,
      options: config.rules.get(rule.meta.id)?.options ?? {},
      campaign,
      config,
      pii: (value) => (options.showPii === true ? value : maskPii(value)),
      report(descriptor: ReportDescriptor) {
        const template = rule.meta.messages[descriptor.messageId];
        if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId ${descriptor.messageId}`);
        const file = descriptor.filePath ?? filePath;
        const key = `${rule.meta.id}\u0000${file}`;
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        if (count > MAX_PER_RULE) return;
        push(file, { ruleId: rule.meta.id, severity: descriptor.severity === 'warn' ? 1 : severity, message: formatMessage(template, descriptor.data), messageId: descriptor.messageId, ...descriptor.loc });
      },
    };
    // In payload mode no rule subscribes to a recipient pass: there is no recipient list.
    await (rule as unknown as Rule).check(context);
  }
  for (const [key, count] of counts) {
    if (count <= MAX_PER_RULE) continue;
    const [ruleId = '', file = filePath] = key.split('\u0000');
    push(file, { ruleId, severity: 2, message: `${count - MAX_PER_RULE} more ${ruleId} findings in this file are not listed (the first ${MAX_PER_RULE} are)`, line: 1, column: 1 });
  }
  for (const [file, list] of messages) messages.set(file, reportOnce(list, config.locked));
  return buildResults(messages);
}
