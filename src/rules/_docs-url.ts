export const DOCS_BASE_URL = 'https://github.com/campaign-lint/campaign-lint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  // A custom rule (`brand/privacy-link`) is the organisation's own: its page is how custom rules work.
  if (ruleId.includes('/')) return `${DOCS_BASE_URL.replace(/rules\/$/, '')}policy.md#custom-rules`;
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
