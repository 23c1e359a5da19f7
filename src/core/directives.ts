import { yamlComments } from '../parsers/yaml.js';
import type { ParsedYaml } from '../parsers/yaml.js';
import type { LintMessage, SourceLocation } from './types.js';

export type DirectiveKind = 'disable' | 'disable-next-line';

export interface Directive {
  kind: DirectiveKind;
  ruleIds: string[];
  /** Text after `--`, trimmed; undefined when missing or empty. */
  reason: string | undefined;
  loc: SourceLocation;
}

const DIRECTIVE = /^\s*campaign-lint-(disable-next-line|disable)(?=\s|$)(.*)$/s;

/**
 * Inline disables live in YAML comments of the campaign file. Only comments
 * the YAML lexer sees count, so text inside a block scalar is never a directive.
 */
export function parseDirectives(parsed: ParsedYaml): Directive[] {
  const directives: Directive[] = [];
  for (const comment of yamlComments(parsed.text, parsed.lineCounter)) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const kind = match[1] as DirectiveKind;
    const rest = match[2] ?? '';
    const separator = rest.indexOf('--');
    const idsText = separator === -1 ? rest : rest.slice(0, separator);
    const reasonText = separator === -1 ? '' : rest.slice(separator + 2).trim();
    directives.push({
      kind,
      ruleIds: idsText
        .split(/[\s,]+/)
        .map((id) => id.trim())
        .filter((id) => id !== ''),
      reason: reasonText === '' ? undefined : reasonText,
      loc: { line: comment.line, column: comment.column, endLine: comment.line, endColumn: comment.endColumn },
    });
  }
  return directives;
}

/**
 * Whether a directive may silence findings: it needs a reason, must name rules,
 * and a locked rule is never silenced (the `locked-rule` and `disable-reason`
 * rules report the directives that fail this).
 */
export function isEffective(directive: Directive, knownRule: (id: string) => boolean): boolean {
  return directive.reason !== undefined && directive.ruleIds.length > 0 && directive.ruleIds.every(knownRule);
}

export function isSuppressed(
  message: LintMessage,
  inCampaignFile: boolean,
  directives: readonly Directive[],
  canDisable: (ruleId: string) => boolean,
): boolean {
  const ruleId = message.ruleId;
  if (ruleId === null || !canDisable(ruleId)) return false;
  return directives.some(
    (directive) =>
      directive.ruleIds.includes(ruleId) &&
      (directive.kind === 'disable' || (inCampaignFile && directive.loc.line + 1 === message.line)),
  );
}
