/**
 * Policy tests (`campaign-lint test <dir>`): every fixture campaign under a folder has an expect
 * file listing the findings it must produce, and the run fails on any difference, as conftest's
 * `verify` does for Rego. A fixture `campaign.yaml` is checked against `expect.yaml` beside it;
 * `<name>.campaign.yaml` against `<name>.expect.yaml`.
 *
 * An expect file is a list of findings, or a map { rules: [globs], findings: [...] } whose
 * `rules` limits the comparison to those rules (e.g. `brand/*`, to test custom rules alone).
 * A finding is { rule, line?, column?, file?, severity?, message? }: `file` relative to the
 * fixture's folder (default: the campaign file), `message` a part of the text, `rule: fatal` for
 * a finding without a rule (a syntax error).
 */
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { UsageError } from '../core/errors.js';
import type { LintMessage, LintResult } from '../core/types.js';
import { locateKey, parseYaml } from '../parsers/yaml.js';

export interface ExpectedFinding {
  rule: string;
  line?: number;
  column?: number;
  /** Absolute. */
  file: string;
  severity?: 'error' | 'warn';
  message?: string;
  /** Where the entry is written, for the diff. */
  at: string;
}

export interface Expectation {
  rules: string[] | undefined;
  findings: ExpectedFinding[];
}

export function expectFileFor(campaignPath: string): string {
  const name = basename(campaignPath);
  return name === 'campaign.yaml' ? join(dirname(campaignPath), 'expect.yaml') : join(dirname(campaignPath), name.replace(/\.campaign\.yaml$/, '.expect.yaml'));
}

const FINDING_KEYS = new Set(['rule', 'line', 'column', 'file', 'severity', 'message']);

export function parseExpectation(text: string, label: string, campaignPath: string): Expectation {
  const parsed = parseYaml(text);
  const fail = (path: (string | number)[], why: string): UsageError => {
    const loc = locateKey(parsed, path);
    return new UsageError(`${label}:${String(loc.line)}:${String(loc.column)}: ${why}`);
  };
  const syntax = parsed.errors[0];
  if (syntax) throw new UsageError(`${label}:${String(syntax.line)}:${String(syntax.column)}: YAML syntax error: ${syntax.message}`);
  let list: unknown = parsed.value ?? [];
  let rules: string[] | undefined;
  let prefix: (string | number)[] = [];
  if (list !== null && typeof list === 'object' && !Array.isArray(list)) {
    const map = list as Record<string, unknown>;
    for (const key of Object.keys(map)) if (key !== 'rules' && key !== 'findings') throw fail([key], `unknown key \`${key}\`; an expect file is a list of findings, or { rules, findings }`);
    if (map.rules !== undefined) {
      if (!Array.isArray(map.rules) || !map.rules.every((rule) => typeof rule === 'string')) throw fail(['rules'], '`rules` must be a list of rule ids or globs (brand/*)');
      rules = map.rules;
    }
    list = map.findings ?? [];
    prefix = ['findings'];
  }
  if (!Array.isArray(list)) throw fail(prefix, 'expected a list of findings: - rule: brand/privacy-link\\n  line: 12');
  const findings = list.map((entry: unknown, index): ExpectedFinding => {
    const path = [...prefix, index];
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw fail(path, 'each finding is a map: { rule, line, column?, file?, severity?, message? }');
    const item = entry as Record<string, unknown>;
    for (const key of Object.keys(item)) if (!FINDING_KEYS.has(key)) throw fail([...path, key], `unknown key \`${key}\` (rule, line, column, file, severity, message)`);
    if (typeof item.rule !== 'string' || item.rule === '') throw fail(path, 'each finding needs `rule` (a rule id, or fatal)');
    for (const key of ['line', 'column'] as const) {
      const value = item[key];
      if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) throw fail([...path, key], `\`${key}\` must be a whole number from 1`);
    }
    if (item.severity !== undefined && item.severity !== 'error' && item.severity !== 'warn') throw fail([...path, 'severity'], '`severity` must be error or warn');
    if (item.file !== undefined && typeof item.file !== 'string') throw fail([...path, 'file'], '`file` must be a path relative to the fixture folder');
    if (item.message !== undefined && typeof item.message !== 'string') throw fail([...path, 'message'], '`message` must be text');
    const loc = locateKey(parsed, path);
    return {
      rule: item.rule,
      ...(typeof item.line === 'number' ? { line: item.line } : {}),
      ...(typeof item.column === 'number' ? { column: item.column } : {}),
      file: typeof item.file === 'string' ? resolve(dirname(campaignPath), item.file) : campaignPath,
      ...(item.severity === 'error' || item.severity === 'warn' ? { severity: item.severity } : {}),
      ...(typeof item.message === 'string' ? { message: item.message } : {}),
      at: `${label}:${String(loc.line)}`,
    };
  });
  return { rules, findings };
}

export interface Reported {
  file: string;
  message: LintMessage;
}

export interface Difference {
  missing: ExpectedFinding[];
  unexpected: Reported[];
}

function matches(expected: ExpectedFinding, reported: Reported): boolean {
  const { message } = reported;
  return (
    expected.file === reported.file &&
    expected.rule === (message.ruleId ?? 'fatal') &&
    (expected.line === undefined || expected.line === message.line) &&
    (expected.column === undefined || expected.column === message.column) &&
    (expected.severity === undefined || (expected.severity === 'error') === (message.severity === 2)) &&
    (expected.message === undefined || message.message.includes(expected.message))
  );
}

/** Pairs expected and reported findings one to one; what is left on either side is the difference. */
export function compare(expectation: Expectation, results: readonly LintResult[]): Difference {
  const inScope = expectation.rules === undefined ? () => true : picomatch(expectation.rules);
  const reported: Reported[] = results.flatMap((result) =>
    result.messages.filter((message) => inScope(message.ruleId ?? 'fatal')).map((message) => ({ file: result.filePath, message })),
  );
  const used = new Set<number>();
  const missing: ExpectedFinding[] = [];
  // The most specific expectations pick first, so a loose one cannot take the finding a precise one needs.
  const specificity = (finding: ExpectedFinding) => Number(finding.line !== undefined) + Number(finding.column !== undefined) + Number(finding.message !== undefined) + Number(finding.severity !== undefined);
  for (const expected of [...expectation.findings].sort((a, b) => specificity(b) - specificity(a))) {
    const index = reported.findIndex((candidate, position) => !used.has(position) && matches(expected, candidate));
    if (index === -1) missing.push(expected);
    else used.add(index);
  }
  return { missing, unexpected: reported.filter((_, position) => !used.has(position)) };
}

const posix = (path: string) => path.split(sep).join('/');

/** The difference as lines: `-` expected but not reported, `+` reported but not expected. */
export function describeDifference(difference: Difference, cwd: string): string[] {
  const lines: string[] = [];
  for (const expected of difference.missing) {
    const place = `${posix(relative(cwd, expected.file))}${expected.line === undefined ? '' : `:${String(expected.line)}`}${expected.column === undefined ? '' : `:${String(expected.column)}`}`;
    lines.push(`  - expected  ${place}  ${expected.severity ?? ''}${expected.severity === undefined ? '' : '  '}${expected.rule}${expected.message === undefined ? '' : `  "${expected.message}"`}  (not reported; ${expected.at})`);
  }
  for (const { file, message } of difference.unexpected) {
    lines.push(`  + reported  ${posix(relative(cwd, file))}:${String(message.line)}:${String(message.column)}  ${message.severity === 2 ? 'error' : 'warn'}  ${message.ruleId ?? 'fatal'}  ${message.message}`);
  }
  return lines;
}
