export const HELP = `Usage: campaign-lint [options] [path ...]

Lint email campaigns kept as code: a campaign YAML, its recipient CSV,
templates and suppression lists. Paths may be campaign files, folders, globs,
or a CSV/template (every campaign that uses it is linted). Without paths, the
config's include globs are linted.

Commands:
  campaign-lint [options] [path ...]        lint (default)
  campaign-lint digest <campaign.yaml>      print the content digest
  campaign-lint approve <campaign.yaml> --by <id> [--sign-key <file>] [--yes]
  campaign-lint preview <campaign.yaml> [--row N]
  campaign-lint report <campaign.yaml> -o FILE.html
  campaign-lint init                        write a starter config and example
  campaign-lint rules [id]                  list rules, or explain one
  campaign-lint test <dir>                  check policy fixtures against their expect.yaml
  campaign-lint --print-config [campaign]   print the effective policy as JSON

Options:
  -c, --config <file>          config file (default: campaign-lint.config.yaml, searched upward)
      --config-ref <git-ref>   read the config from a git ref (a pull request's base)
  -f, --format <name>          stylish (default) | json | sarif | github | junit | markdown
  -o, --output-file <file>     write the report to a file instead of stdout
      --max-warnings <n>       exit 1 when there are more than n warnings
      --quiet                  report errors only
      --show-pii               print recipient values unmasked (local use only)
      --approvals <mode>       signature | github: raise the config's record mode (never lowers it)
      --no-error-on-unmatched-pattern
                               skip, instead of failing on, a path no campaign matches
      --color, --no-color      force colours on or off (NO_COLOR, FORCE_COLOR honoured)
      --by <id>                approve: who approves (default: git config user.email)
      --sign-key <file>        approve: SSH key to sign the digest with (ssh-keygen -Y sign)
      --row <n>                preview: which recipient, from 1 (default 1); masked unless --show-pii
  -y, --yes                    approve: do not ask for confirmation on a terminal
      --print-config           print the effective policy (for a campaign: with its overrides) as JSON
  -h, --help                   show this help
  -v, --version                show the version

Exit codes: 0 no errors; 1 lint errors (or too many warnings); 2 usage error,
invalid config, unmatched path or internal error.
`;
