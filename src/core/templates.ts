import { isScalar } from 'yaml';
import type { Campaign } from './campaign.js';
import type { ResolvedConfig } from './config.js';
import { readTextFile } from './safe-file.js';
import { mapScalarPosition, parseTemplate } from '../parsers/template.js';
import type { TemplateParseResult } from '../parsers/template.js';
import type { YamlPath } from '../parsers/yaml.js';

export type TemplateKind = 'header' | 'html' | 'text';

/** One Handlebars template of a campaign: a header-bound YAML value or a body file. */
export interface CampaignTemplate {
  /** `subject`, `to`, `headers.List-Unsubscribe`, `body.html`... */
  label: string;
  kind: TemplateKind;
  /** The YAML path that holds the template (the value, or the body's file name). */
  path: YamlPath;
  source: string;
  /** The file positions point into: the campaign file, or the body file. */
  filePath: string;
  parsed: TemplateParseResult;
  /** Maps a 1-based position in the template to the file's. */
  locate(line: number, column: number): { line: number; column: number };
}

export interface TemplateProblem {
  filePath: string;
  line: number;
  column: number;
  message: string;
}

export interface CampaignTemplates {
  templates: CampaignTemplate[];
  /** Unreadable bodies and template syntax errors: fatal findings, reported once by the linter. */
  problems: TemplateProblem[];
}

const HEADER_PATHS: readonly YamlPath[] = [['to'], ['subject'], ['reply_to'], ['from', 'name'], ['from', 'address']];
const cache = new WeakMap<Campaign, Promise<CampaignTemplates>>();

/** Every template of a campaign, parsed once per run whichever rules ask. */
export function campaignTemplates(campaign: Campaign, config: ResolvedConfig): Promise<CampaignTemplates> {
  let loaded = cache.get(campaign);
  if (!loaded) {
    loaded = loadTemplates(campaign, config);
    cache.set(campaign, loaded);
  }
  return loaded;
}

function loadTemplates(campaign: Campaign, config: ResolvedConfig): Promise<CampaignTemplates> {
  const templates: CampaignTemplate[] = [];
  const problems: TemplateProblem[] = [];
  const yamlTemplate = (path: YamlPath, label: string) => {
    const node = campaign.node(path);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const range = node.range;
    const type = node.type ?? 'PLAIN';
    templates.push({
      label,
      kind: 'header',
      path,
      source: node.value,
      filePath: campaign.filePath,
      parsed: parseTemplate(node.value),
      locate: (line, column) => mapScalarPosition(campaign.text, range[0], type, line, column, range[1]),
    });
  };
  for (const path of HEADER_PATHS) yamlTemplate(path, path.join('.'));
  for (const header of campaign.keys(['headers'])) yamlTemplate(['headers', header], `headers.${header}`);

  for (const kind of ['html', 'text'] as const) {
    const written = campaign.string(['body', kind]);
    if (written === undefined) continue;
    const at = campaign.valueLocation(['body', kind]);
    const resolved = campaign.resolve(written);
    if (!resolved.ok) {
      problems.push({ filePath: campaign.filePath, line: at.line, column: at.column, message: `body.${kind} \`${written}\` ${resolved.reason}` });
      continue;
    }
    const read = readTextFile(resolved.path, { rootDir: campaign.rootDir, maxBytes: config.maxFileSize });
    if (!read.ok) {
      const reason = read.kind === 'missing' ? 'cannot be read: it does not exist' : read.reason;
      problems.push({ filePath: campaign.filePath, line: at.line, column: at.column, message: `body.${kind} \`${written}\` ${reason}` });
      continue;
    }
    const source = read.text;
    const parsed = parseTemplate(source);
    if (!parsed.ok) {
      problems.push({ filePath: resolved.path, line: parsed.error.line, column: parsed.error.column, message: `template syntax error: ${parsed.error.message}` });
    }
    templates.push({ label: `body.${kind}`, kind, path: ['body', kind], source, filePath: resolved.path, parsed, locate: (line, column) => ({ line, column }) });
  }
  for (const template of templates) {
    if (template.kind === 'header' && !template.parsed.ok) {
      const { line, column } = template.locate(template.parsed.error.line, template.parsed.error.column);
      problems.push({ filePath: campaign.filePath, line, column, message: `\`${template.label}\` template syntax error: ${template.parsed.error.message}` });
    }
  }
  return Promise.resolve({ templates, problems });
}
