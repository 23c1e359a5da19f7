/**
 * JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure
 * Pipelines, test-reporter actions).
 *
 * Shape: `<testsuites>` holding one `<testsuite name="campaign-lint">`, one
 * `<testcase>` per linted file (its repository-relative path as `name`; no
 * `file` attribute, which the Jenkins JUnit schema does not allow on a testcase).
 * Each error is a `<failure>` (`type` = rule id); a fatal finding (the
 * file could not be parsed or read) is an `<error type="fatal">`, because the
 * checks never ran. Warnings do not fail the test case: they are listed in its
 * `<system-out>`.
 */
import type { Formatter, LintMessage } from '../core/types.js';
import { FATAL_RULE_ID, TOOL_NAME, repoRelativePath } from './sarif.js';

/**
 * Characters XML 1.0 cannot carry at all, not even as character references:
 * C0 controls other than TAB, LF and CR, lone surrogates, U+FFFE and U+FFFF.
 * With the `u` flag a surrogate range only matches surrogates that are not part of a pair.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const REPLACEMENT = '\uFFFD';

function replaceIllegal(value: string): string {
  return value.replace(XML_ILLEGAL, REPLACEMENT);
}

/** Escapes element text; CR is kept as a reference because parsers normalise a raw CR to LF. */
export function escapeXmlText(value: string): string {
  return replaceIllegal(value)
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/\r/gu, '&#13;');
}

/** Escapes an attribute value; TAB, LF and CR as references because parsers turn raw ones into spaces. */
export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value)
    .replace(/"/gu, '&quot;')
    .replace(/'/gu, '&apos;')
    .replace(/\t/gu, '&#9;')
    .replace(/\n/gu, '&#10;');
}

function attributes(pairs: [string, string | number][]): string {
  return pairs.map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`).join('');
}

/** `path:line:column`, shortened when the finding has no position (an unreadable file). */
function locationOf(file: string, message: LintMessage): string {
  if (message.line < 1) return file;
  return message.column < 1 ? `${file}:${message.line}` : `${file}:${message.line}:${message.column}`;
}

function ruleOf(message: LintMessage): string {
  return message.ruleId ?? FATAL_RULE_ID;
}

function isFatal(message: LintMessage): boolean {
  return message.fatal === true || message.ruleId === null;
}

function problemElement(file: string, message: LintMessage): string {
  const element = isFatal(message) ? 'error' : 'failure';
  const body = `${locationOf(file, message)} ${ruleOf(message)}: ${message.message}`;
  return `      <${element}${attributes([['message', message.message], ['type', ruleOf(message)]])}>${escapeXmlText(body)}</${element}>`;
}

export const junit: Formatter = (results, context) => {
  let failures = 0;
  let errors = 0;
  const testcases: string[] = [];
  for (const result of results) {
    const file = repoRelativePath(result.filePath, context.rootDir);
    const children: string[] = [];
    const warnings: string[] = [];
    for (const message of result.messages) {
      if (message.severity === 2) {
        children.push(problemElement(file, message));
      } else {
        warnings.push(`warning ${locationOf(file, message)} ${ruleOf(message)}: ${message.message}`);
      }
    }
    // Counted per test case, so that tests - failures - errors is the number that passed.
    if (result.messages.some((message) => message.severity === 2 && isFatal(message))) errors += 1;
    else if (children.length > 0) failures += 1;
    if (warnings.length > 0) children.push(`      <system-out>${escapeXmlText(warnings.join('\n'))}</system-out>`);
    // No `file` attribute: the Jenkins JUnit schema (junit-10.xsd) allows only name, classname,
    // time and group on a testcase. The path is the name.
    const open = `    <testcase${attributes([['classname', TOOL_NAME], ['name', file]])}`;
    testcases.push(children.length === 0 ? `${open}/>` : `${open}>\n${children.join('\n')}\n    </testcase>`);
  }
  const counts: [string, number][] = [
    ['tests', results.length],
    ['failures', failures],
    ['errors', errors],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes([['name', TOOL_NAME], ...counts])}>`,
    `  <testsuite${attributes([['name', TOOL_NAME], ...counts, ['skipped', 0]])}>`,
    ...testcases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};

export default junit;
