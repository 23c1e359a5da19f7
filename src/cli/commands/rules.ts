import { loadConfig } from '../../core/config.js';
import type { ResolvedConfig } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import { closest } from '../../core/suggest.js';
import type { RuleMeta, SeverityName } from '../../core/types.js';
import { docsUrl, ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';
import { parseApprovals } from './lint.js';

const SEVERITY_NAMES: Record<0 | 1 | 2, SeverityName> = { 0: 'off', 1: 'warn', 2: 'error' };

interface Effective {
  severity: SeverityName;
  /** What the preset alone would say, when the config file changed it. */
  presetSeverity: SeverityName | undefined;
  locked: boolean;
}

/** The severity a rule has under the loaded policy: the config's overrides applied to its preset. */
function effectiveOf(meta: RuleMeta, config: ResolvedConfig): Effective {
  const severity = SEVERITY_NAMES[config.rules.get(meta.id)?.severity ?? 0];
  const preset: SeverityName = config.preset === 'strict' ? 'error' : meta.defaultSeverity;
  return { severity, presetSeverity: severity === preset ? undefined : preset, locked: config.locked.has(meta.id) };
}

function flagsOf(effective: Effective): string {
  return `${effective.severity}${effective.locked ? ', locked' : ''}${effective.presetSeverity === undefined ? '' : ` (preset: ${effective.presetSeverity})`}`;
}

export function runRules(args: string[], values: CliValues, io: CliEnvironment): Promise<number> {
  const [id, extra] = args;
  if (extra !== undefined) throw new UsageError('usage: campaign-lint rules [id]');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`rules prints text or json, not \`${format}\``);
  const config = loadConfig(
    { cwd: io.cwd, configFile: values.config, configRef: values['config-ref'], approvals: parseApprovals(values.approvals) },
    ruleMetas,
  );
  const policy = config.source === undefined ? `the ${config.preset} preset (no config file found)` : `${config.source} (extends: ${config.preset})`;
  if (id === undefined) {
    const sorted = [...ruleMetas].sort((a, b) => a.id.localeCompare(b.id));
    if (format === 'json') {
      const listed = sorted.map((meta) => {
        const effective = effectiveOf(meta, config);
        return { ...meta, effectiveSeverity: effective.severity, locked: effective.locked };
      });
      io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
      return Promise.resolve(0);
    }
    const rows = sorted.map((meta) => ({ meta, flags: flagsOf(effectiveOf(meta, config)) }));
    const width = Math.max(...rows.map((row) => row.meta.id.length));
    const flagsWidth = Math.max(13, ...rows.map((row) => row.flags.length));
    io.stdout.write(`Rules in effect under ${policy}:\n\n`);
    for (const { meta, flags } of rows) io.stdout.write(`${meta.id.padEnd(width)}  ${flags.padEnd(flagsWidth)}  ${meta.description}\n`);
    return Promise.resolve(0);
  }
  const meta = ruleMetas.find((candidate) => candidate.id === id);
  if (!meta) {
    const suggestion = closest(id, ruleMetas.map((candidate) => candidate.id));
    throw new UsageError(`unknown rule \`${id}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; \`campaign-lint rules\` lists them`);
  }
  const effective = effectiveOf(meta, config);
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ ...meta, effectiveSeverity: effective.severity, locked: effective.locked }, null, 2)}\n`);
    return Promise.resolve(0);
  }
  const lines = [
    meta.id,
    '',
    meta.description,
    '',
    `category:          ${meta.category}`,
    `recommended:       ${meta.defaultSeverity}${meta.lockedByDefault ? ' (locked: inline comments cannot disable it)' : ''}`,
    `in effect:         ${flagsOf(effective)}, under ${policy}`,
    `special-category:  ${meta.privacy ? 'privacy rule: warnings become errors' : 'unchanged'}`,
    `options:           ${meta.optionsSchema ? JSON.stringify(config.rules.get(meta.id)?.options ?? meta.defaultOptions ?? {}) : 'none'}`,
    `docs:              ${docsUrl(meta.id)}`,
    '',
    'messages:',
    ...Object.entries(meta.messages).map(([messageId, text]) => `  ${messageId}: ${text}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return Promise.resolve(0);
}
