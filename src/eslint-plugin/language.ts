/**
 * The ESLint language for campaign YAML files: `parse` runs campaign-lint (./run.ts) and files
 * its findings under the ESLint rule that shows them (see ./index.ts); the AST is one
 * `Document` node holding them, which every rule visits.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Campaign } from '../core/campaign.js';
import { ruleMetas } from '../rules/index.js';
import { parseYaml } from '../parsers/yaml.js';
import type { YamlPath } from '../parsers/yaml.js';
import { referencedFilesOf } from '../approval/digest.js';
import { runCampaignLint } from './run.js';
import type { CommandMessage, CommandResult } from './run.js';

interface Position {
  line: number;
  column: number;
}

export interface ShownFinding {
  loc: { start: Position; end: Position } | Position;
  message: string;
}

export interface CampaignDocument {
  type: 'Document';
  loc: { start: Position; end: Position };
  range: [number, number];
  /** By ESLint rule name (without the plugin prefix). */
  findings: Map<string, ShownFinding[]>;
}

interface EslintFile {
  path: string;
  physicalPath: string;
  body: string | Uint8Array;
  bom: boolean;
}

const KNOWN = new Set(ruleMetas.map((meta) => meta.id));

/** The ESLint rule a finding of the command is shown under. */
export function eslintRuleOf(message: Pick<CommandMessage, 'ruleId' | 'severity'>): string {
  if (message.ruleId === null) return 'fatal';
  const id = KNOWN.has(message.ruleId) ? message.ruleId : 'custom';
  return message.severity === 1 ? `${id}-warning` : id;
}

function textOf(file: EslintFile): string {
  return typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
}

export class CampaignLanguage {
  readonly fileType = 'text';
  readonly lineStart = 1;
  readonly columnStart = 1;
  readonly nodeTypeKey = 'type';
  readonly visitorKeys = { Document: [] as string[] };
  readonly defaultLanguageOptions = {};

  validateLanguageOptions(options: Record<string, unknown>): void {
    const unknown = Object.keys(options)[0];
    if (unknown !== undefined) throw new Error(`campaign-lint/campaign takes no language options (got \`${unknown}\`): the campaign-lint config decides`);
  }

  parse(file: EslintFile): { ok: true; ast: CampaignDocument } | { ok: false; errors: { message: string; line: number; column: number }[] } {
    const text = textOf(file);
    const yaml = parseYaml(text);
    if (yaml.errors.length > 0) return { ok: false, errors: yaml.errors.map((error) => ({ message: `YAML syntax error: ${error.message}`, line: error.line, column: error.column })) };
    const lines = text.split(/\r\n|\r|\n/);
    const ast: CampaignDocument = {
      type: 'Document',
      loc: { start: { line: 1, column: 1 }, end: { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 } },
      range: [0, text.length],
      findings: new Map(),
    };
    const add = (rule: string, finding: ShownFinding) => {
      const list = ast.findings.get(rule);
      if (list) list.push(finding);
      else ast.findings.set(rule, [finding]);
    };
    let saved: string | undefined;
    try {
      saved = readFileSync(file.physicalPath, 'utf8').replace(/^\uFEFF/, '');
    } catch {
      saved = undefined;
    }
    if (saved !== text) {
      add('unsaved', { loc: { line: 1, column: 1 }, message: 'unsaved changes: campaign-lint checks the campaign as saved; save it to see its findings' });
      return { ok: true, ast };
    }
    const run = runCampaignLint(file.physicalPath, process.cwd());
    if ('error' in run) {
      add('fatal', { loc: { line: 1, column: 1 }, message: `campaign-lint: ${run.error}` });
      return { ok: true, ast };
    }
    const campaignPath = resolve(file.physicalPath);
    const placeOf = referencePlaces(campaignPath, text);
    for (const result of run.results) {
      const own = resolve(result.filePath) === campaignPath;
      for (const message of result.messages) {
        const rule = eslintRuleOf(message);
        const custom = rule.startsWith('custom') && message.ruleId !== null ? `${message.ruleId}: ` : '';
        if (own) {
          add(rule, { loc: locationOf(message), message: `${custom}${message.message}` });
        } else {
          const where = `${relative(dirname(campaignPath), result.filePath).split('\\').join('/')}:${message.line}:${message.column}`;
          add(rule, { loc: placeOf(result.filePath), message: `${where}: ${custom}${message.message}` });
        }
      }
    }
    return { ok: true, ast };
  }

  createSourceCode(file: EslintFile, input: { ast: CampaignDocument }): CampaignSourceCode {
    return new CampaignSourceCode(textOf(file), input.ast);
  }
}

function locationOf(message: CommandMessage): ShownFinding['loc'] {
  const start = { line: message.line, column: message.column };
  return message.endLine === undefined || message.endColumn === undefined ? start : { start, end: { line: message.endLine, column: message.endColumn } };
}

/** Where the campaign names a file: its `recipients.file`, `body.html`/`body.text` or `suppress` entry; else 1:1. */
function referencePlaces(campaignPath: string, text: string): (filePath: string) => ShownFinding['loc'] {
  const campaign = new Campaign(campaignPath, dirname(campaignPath), parseYaml(text));
  const paths: YamlPath[] = [['recipients', 'file'], ['body', 'html'], ['body', 'text']];
  for (let index = 0; index < campaign.length(['suppress']); index++) paths.push(['suppress', index]);
  const written = new Set(referencedFilesOf(campaign.data));
  return (filePath) => {
    for (const path of paths) {
      const value = campaign.get(path);
      if (typeof value !== 'string' || !written.has(value) || resolve(campaign.dir, value) !== resolve(filePath)) continue;
      const loc = campaign.valueLocation(path);
      return { line: loc.line, column: loc.column };
    }
    return { line: 1, column: 1 };
  };
}

export class CampaignSourceCode {
  readonly lines: string[];
  readonly visitorKeys = { Document: [] as string[] };

  constructor(
    readonly text: string,
    readonly ast: CampaignDocument,
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
  }

  getLoc(node: CampaignDocument): CampaignDocument['loc'] {
    return node.loc;
  }

  getRange(node: CampaignDocument): [number, number] {
    return node.range;
  }

  getLines(): string[] {
    return this.lines;
  }

  *traverse(): Iterable<{ kind: 1; target: CampaignDocument; phase: 1 | 2; args: [CampaignDocument, undefined] }> {
    yield { kind: 1, target: this.ast, phase: 1, args: [this.ast, undefined] };
    yield { kind: 1, target: this.ast, phase: 2, args: [this.ast, undefined] };
  }
}

export type { CommandResult };
