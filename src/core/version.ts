import { readFileSync } from 'node:fs';

declare const CAMPAIGN_LINT_VERSION: string | undefined;

/** campaign-lint's version: baked into the bundles at build time, read from package.json under tsc output and tsx. */
export function toolVersion(): string {
  if (typeof CAMPAIGN_LINT_VERSION === 'string') return CAMPAIGN_LINT_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
