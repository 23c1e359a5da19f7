import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { resolveConfig } from '../../src/core/config.js';
import type { ResolvedConfig } from '../../src/core/config.js';
import { ruleMetas } from '../../src/rules/index.js';

/** The policy of the --cache tests (test/cli/cache*.test.ts): no approvals, one config suppression glob. */
export const CACHE_TEST_CONFIG = `organization:
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
approval:
  required: 0
suppression: ["suppression/*.csv"]
`;

/** A marketing campaign that passes every rule; tests change one thing at a time. */
export const VALID_CAMPAIGN = `version: 1
id: test-campaign
name: Test campaign
category: marketing
author: alice@example.com
from:
  name: Example Shop
  address: news@mail.example.com
to: "{{first_name}} <{{email}}>"
subject: "Hello {{first_name}}"
headers:
  List-Unsubscribe: "<https://mail.example.com/u/{{token}}>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
body:
  text: body.txt
recipients:
  file: recipients.csv
  consent_column: consent
  expected_count: 2
`;

export const VALID_FILES: Record<string, string> = {
  'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\n',
  'body.txt': 'Hello {{first_name}}\n\nUnsubscribe: https://mail.example.com/u/{{token}}\n\nExample Ltd, 1 Main Street, London N1 1AA\n',
};

const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** Writes files into a fresh temporary folder and returns its path. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'campaign-lint-test-'));
  created.push(root);
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}

export function testConfig(root: string, raw: Parameters<typeof resolveConfig>[0] = {}): ResolvedConfig {
  return resolveConfig(
    {
      organization: {
        postal_address: 'Example Ltd, 1 Main Street, London N1 1AA',
        sending_domains: ['mail.example.com'],
        archive_addresses: ['archive@example.com'],
      },
      ...raw,
    },
    ruleMetas,
    { source: 'test config', baseDir: root, rootDir: root },
  );
}
