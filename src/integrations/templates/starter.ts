/**
 * The files `campaign-lint init` writes. The example campaign is meant to pass
 * every rule except two-person-approval: nobody has approved it yet, and that
 * finding is the first thing a new user should see the tool insist on.
 */
import { campaignWorkflow } from './workflow.js';

export const ACTION_REPOSITORY = 'campaign-lint/campaign-lint';

/**
 * Where the installed package's schemas are, relative to the repository root: the `$schema`
 * comments and the editor setting point there, so they resolve without the network once
 * `npm install --save-dev campaign-lint` has run.
 */
export const SCHEMA_DIR = 'node_modules/campaign-lint/schemas';

/** VS Code's YAML extension (`yaml.schemas`): schema path (from the workspace root) → globs. */
export const EDITOR_SCHEMAS: Record<string, string[]> = {
  [`./${SCHEMA_DIR}/campaign.schema.json`]: ['campaigns/**/campaign.yaml', 'campaigns/**/*.campaign.yaml'],
  [`./${SCHEMA_DIR}/config.schema.json`]: ['campaign-lint.config.yaml'],
};

const CONFIG = `# yaml-language-server: $schema=./node_modules/campaign-lint/schemas/config.schema.json
# campaign-lint policy. Data only: nothing here is ever executed.
# In pull requests the GitHub Action reads this file from the base commit,
# so a change to it takes effect only once it is merged.
extends: recommended
include: ["campaigns/**/campaign.yaml", "campaigns/**/*.campaign.yaml"]
organization:
  # Marketing mail must carry your postal address (CAN-SPAM, PECR guidance).
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
  archive_addresses: [archive@example.com]
approval:
  required: 2
  # record: approvals written in the campaign file by \`campaign-lint approve --by <email>\`;
  # this is what a local run and the pre-commit hook check. In pull requests the workflow
  # raises it to github mode (approvals: github): reviews on the head commit are the
  # approvals. A mode given there may only raise this one, never lower it. What each mode
  # proves, and what it cannot: docs/approval.md.
  verify: record
  # Each reviewer once, as a person: the email they approve with locally (and that
  # \`author:\` uses) and the GitHub login they review pull requests with. Approvals count
  # once per person. Replace these placeholders with your reviewers.
  approvers:
    - { name: Reviewer One, email: reviewer.one@example.com, github: reviewer-one }
    - { name: Reviewer Two, email: reviewer.two@example.com, github: reviewer-two }
`;

const EXAMPLE_CAMPAIGN = `# yaml-language-server: $schema=../../node_modules/campaign-lint/schemas/campaign.schema.json
version: 1
id: example
name: Example newsletter
category: marketing
author: alice@example.com
from:
  name: Example Shop
  address: news@mail.example.com
to: "{{first_name}} <{{email}}>"   # one message per recipient, to that recipient only
subject: "{{first_name}}, this month at Example Shop"
headers:
  List-Unsubscribe: "<https://mail.example.com/unsubscribe?u={{unsubscribe_token}}>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
body:
  html: body.html
  text: body.txt
recipients:
  file: recipients.csv
  email_column: email
  consent_column: consent
  expected_count: 3
defaults:
  first_name: there
approvals: []                      # campaign-lint approve campaigns/example/campaign.yaml --by <your email>
`;

const EXAMPLE_RECIPIENTS = `email,first_name,consent,unsubscribe_token
ann.example@example.com,Ann,yes,u-7f3a
bo.sample@example.org,Bo,yes,u-91c2
chris.test@example.net,,yes,u-4d08
`;

const EXAMPLE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>This month at Example Shop</title></head>
  <body>
    <p>Hello {{first_name}},</p>
    <p>Here is what is new at Example Shop this month.</p>
    <p><a href="https://mail.example.com/unsubscribe?u={{unsubscribe_token}}">Unsubscribe</a> from these emails.</p>
    <p>Example Ltd, 1 Main Street, London N1 1AA</p>
  </body>
</html>
`;

const EXAMPLE_TEXT = `Hello {{first_name}},

Here is what is new at Example Shop this month.

Unsubscribe from these emails: https://mail.example.com/unsubscribe?u={{unsubscribe_token}}

Example Ltd, 1 Main Street, London N1 1AA
`;

function preCommitConfig(version: string): string {
  return `# campaign-lint on every commit that touches a campaign, its recipients or templates.
repos:
  - repo: https://github.com/${ACTION_REPOSITORY}
    rev: v${version}
    hooks:
      - id: campaign-lint
`;
}

/** Repository-relative path → content, in the order they are written. */
export function starterFiles(version: string): [string, string][] {
  return [
    ['campaign-lint.config.yaml', CONFIG],
    ['campaigns/example/campaign.yaml', EXAMPLE_CAMPAIGN],
    ['campaigns/example/recipients.csv', EXAMPLE_RECIPIENTS],
    ['campaigns/example/body.html', EXAMPLE_HTML],
    ['campaigns/example/body.txt', EXAMPLE_TEXT],
    ['.github/workflows/campaign-lint.yml', campaignWorkflow(`${ACTION_REPOSITORY}@v${version}`)],
    ['.pre-commit-config.yaml', preCommitConfig(version)],
  ];
}
