import { isScalar } from 'yaml';
import type { Campaign } from './campaign.js';
import type { ResolvedConfig } from './config.js';
import { readTextFile } from './safe-file.js';
import { KNOWN_HELPERS, mapScalarPosition, parseTemplate } from '../parsers/template.js';
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
    if (written.includes('{{') || /[\r\n]/.test(written)) {
      // The template written in place of its file name: say so, not "cannot be read: it does not exist".
      problems.push({ filePath: campaign.filePath, line: at.line, column: at.column, message: `\`body.${kind}\` holds template text, but it names a file: put the template in a file next to the campaign (such as \`body.${kind === 'html' ? 'html' : 'txt'}\`) and write that file's name here` });
      continue;
    }
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
    const encoding = encodingProblem(source);
    if (encoding) problems.push({ filePath: resolved.path, ...encoding });
    const parsed = parseTemplate(source);
    // A file in another encoding fails to parse as a consequence: its one finding is the encoding.
    if (!parsed.ok && !encoding) {
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

/**
 * A body file that is not UTF-8, found in its decoded text: NUL characters (UTF-16, with or
 * without a byte order mark) or replacement characters (bytes that are not UTF-8, such as a
 * Windows-1252 export). One line, at the first bad character, naming the fix.
 */
export function encodingProblem(source: string): { line: number; column: number; message: string } | undefined {
  const nul = source.indexOf('\u0000');
  const utf16 = nul !== -1 || source.startsWith('\uFFFD\uFFFD');
  const bad = utf16 ? (nul === -1 ? 0 : nul) : source.indexOf('\uFFFD');
  if (bad === -1) return undefined;
  // Lines end at CRLF, CR or LF, as every other position in a template is counted.
  const breaks = [...source.slice(0, bad).matchAll(/\r\n|\r|\n/g)];
  const last = breaks.at(-1);
  const line = breaks.length + 1;
  const column = bad - (last === undefined ? 0 : last.index + last[0].length) + 1;
  const message = utf16
    ? 'template file looks like UTF-16: templates are read as UTF-8. Save it as UTF-8 (in most editors: Save with encoding, UTF-8)'
    : 'template file is not valid UTF-8 (often a Windows-1252 or Latin-1 export): save it as UTF-8 (in most editors: Save with encoding, UTF-8)';
  return { line: utf16 ? 1 : line, column: utf16 ? 1 : column, message };
}

export interface TemplateFailurePlace {
  filePath: string;
  loc: { line: number; column: number; endLine?: number; endColumn?: number };
  /** The helper the failure names, when it names one. */
  helper?: string;
  /** The failure said as a fix, when it is a missing or misused helper. */
  message?: string;
}

/**
 * Where in its template a render failure comes from: a missing helper (`{{formatDate send_at}}`,
 * `{{#bullets items}}`) or a built-in called wrongly (`{{#each}}` with nothing to iterate) is
 * placed at its call, in the body file or inside the YAML value (a subject, a header), and said
 * with the helpers that exist. Undefined when the failure names no call the parse found.
 */
export function templateFailurePlace(template: CampaignTemplate, reason: string): TemplateFailurePlace | undefined {
  if (!template.parsed.ok) return undefined;
  const missing = /Missing helper: "([^"]+)"/.exec(reason)?.[1];
  const misused = missing === undefined ? /#(\w+)/.exec(reason)?.[1] : undefined;
  const name = missing ?? misused;
  if (name === undefined) return undefined;
  const use = template.parsed.helpers.find((helper) => helper.name === name);
  if (use === undefined) return undefined;
  const start = template.locate(use.line, use.column);
  const end = template.locate(use.endLine, use.endColumn);
  const known = KNOWN_HELPERS.map((helper) => `\`${helper}\``).join(', ');
  const message =
    missing !== undefined
      ? `\`${template.label}\` calls helper \`${name}\`, which does not exist: the helpers are Handlebars' built-ins (${known}). Put the value in a column of the recipient list instead (docs/templates.md)`
      : `\`${template.label}\` calls \`#${name}\` wrongly (${reason}): the helpers are Handlebars' built-ins (${known}), used as docs/templates.md shows`;
  return { filePath: template.filePath, loc: { line: start.line, column: start.column, endLine: end.line, endColumn: end.column }, helper: name, message };
}
