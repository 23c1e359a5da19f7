import { UsageError } from '../../core/errors.js';
import { closest } from '../../core/suggest.js';
import { docsUrl, ruleMetas } from '../../rules/index.js';
import type { CliEnvironment } from '../io.js';
import type { CliValues } from '../main.js';

export function runRules(args: string[], values: CliValues, io: CliEnvironment): number {
  const [id, extra] = args;
  if (extra !== undefined) throw new UsageError('usage: campaign-lint rules [id]');
  if (id === undefined) {
    if (values.format === 'json') {
      io.stdout.write(`${JSON.stringify(ruleMetas, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...ruleMetas.map((meta) => meta.id.length));
    for (const meta of [...ruleMetas].sort((a, b) => a.id.localeCompare(b.id))) {
      const flags = `${meta.defaultSeverity}${meta.lockedByDefault ? ', locked' : ''}`;
      io.stdout.write(`${meta.id.padEnd(width)}  ${flags.padEnd(13)}  ${meta.description}\n`);
    }
    return 0;
  }
  const meta = ruleMetas.find((candidate) => candidate.id === id);
  if (!meta) {
    const suggestion = closest(id, ruleMetas.map((candidate) => candidate.id));
    throw new UsageError(`unknown rule \`${id}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; \`campaign-lint rules\` lists them`);
  }
  const lines = [
    meta.id,
    '',
    meta.description,
    '',
    `category:          ${meta.category}`,
    `recommended:       ${meta.defaultSeverity}${meta.lockedByDefault ? ' (locked: inline comments cannot disable it)' : ''}`,
    `special-category:  ${meta.privacy ? 'privacy rule: warnings become errors' : 'unchanged'}`,
    `options:           ${meta.optionsSchema ? JSON.stringify(meta.defaultOptions ?? {}) : 'none'}`,
    `docs:              ${docsUrl(meta.id)}`,
    '',
    'messages:',
    ...Object.entries(meta.messages).map(([messageId, text]) => `  ${messageId}: ${text}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
