/**
 * The workflow `campaign-lint init` writes, also shown in docs/github-action.md
 * (a test keeps the two identical).
 */
export function campaignWorkflow(actionRef: string): string {
  return `# campaign-lint: the pre-send audit of every campaign pull request.
name: campaign-lint

on:
  pull_request:
  # Approvals in github mode are pull request reviews: re-check when one is submitted or dismissed.
  pull_request_review:
    types: [submitted, dismissed]

# Least privilege for every job; the job below adds only what it needs.
permissions: {}

concurrency:
  group: campaign-lint-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  campaign-lint:
    runs-on: ubuntu-latest
    permissions:
      contents: read          # check out the repository
      pull-requests: read     # read reviews for approvals in github mode
      security-events: write  # upload the SARIF report to code scanning
    steps:
      - uses: actions/checkout@v5
        with:
          # The merge commit and its parents: the base commit is where the policy is read from.
          fetch-depth: 2
          persist-credentials: false

      - uses: ${actionRef}
        with:
          # Raises the config's "verify: record" to github mode: approvals are reviews on the
          # head commit by the people in approval.approvers, matched by their github login.
          # This input can only raise the mode the base commit's config sets, never lower it.
          approvals: github
          sarif-file: campaign-lint.sarif
          # config-ref defaults to the pull request's base commit, so a pull request
          # cannot weaken the policy that judges it. This file is in the pull request too:
          # protect it with CODEOWNERS and a required check (docs/github-action.md).

      # Fork pull requests get a read-only token, which cannot upload; their findings
      # are still in the annotations and the job summary.
      - uses: github/codeql-action/upload-sarif@v4
        if: \${{ !cancelled() && hashFiles('campaign-lint.sarif') != '' && github.event.pull_request.head.repo.full_name == github.repository }}
        with:
          sarif_file: campaign-lint.sarif
          category: campaign-lint
`;
}
