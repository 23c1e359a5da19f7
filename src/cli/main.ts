import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, UsageError, errorMessage } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { toolVersion } from '../core/version.js';
import { COMMANDS, DEFAULT_COMMAND, findCommand } from './commands/index.js';
import type { CommandMeta } from './commands/meta.js';
import { EngineNeeded } from './engine-needed.js';
import { commandHelp, globalHelp } from './help.js';
import type { CliEnvironment } from './io.js';
import { GLOBAL_OPTIONS, checkLine, tokenize } from './options.js';
import type { OptionTable } from './options.js';

export type { CliValues } from './commands/index.js';
import type { CliValues } from './commands/index.js';

/** Every option of every command: to split the words, and to say which command an option belongs to. */
function allOptions(): { known: OptionTable; owners: Map<string, string[]> } {
  const known: Record<string, OptionTable[string]> = { ...GLOBAL_OPTIONS };
  const owners = new Map<string, string[]>();
  for (const command of COMMANDS) {
    for (const [name, spec] of Object.entries(command.options)) {
      known[name] ??= spec;
      if (spec.hidden !== true) owners.set(name, [...(owners.get(name) ?? []), command.name]);
    }
  }
  return { known, owners };
}

function unknownCommand(word: string, couldBePath = true): UsageError {
  const suggestion = closest(word, [...COMMANDS.map((command) => command.name), 'help']);
  if (suggestion !== undefined) return new UsageError(`unknown command \`${word}\`; did you mean \`campaign-lint ${suggestion}\`? (campaign-lint --help lists the commands)`);
  if (!couldBePath) return new UsageError(`unknown command \`${word}\` (campaign-lint --help lists the commands)`);
  return new UsageError(`\`${word}\` is neither a command nor a file or folder here (campaign-lint --help lists the commands)`);
}

/** A bare name that is not a file or folder here is a mistyped command (a glob or path is lint's to judge). */
function mistypedCommand(word: string, cwd: string): UsageError | undefined {
  if (!/^[a-z][a-z-]*$/i.test(word) || existsSync(resolve(cwd, word))) return undefined;
  return unknownCommand(word);
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: CliEnvironment): Promise<number> {
  try {
    const { known, owners } = allOptions();
    const tokens = tokenize(argv, known);
    // The command is the first word before any `--`; anything else is lint's first path.
    const terminator = tokens.findIndex((token) => token.kind === 'option-terminator');
    const first = tokens.findIndex((token, index) => token.kind === 'positional' && (terminator === -1 || index < terminator));
    const named = first === -1 ? undefined : tokens[first]?.value;
    let command: CommandMeta = DEFAULT_COMMAND;
    let rest = tokens;
    if (named === 'help') {
      // `campaign-lint help [command]`
      const topic = tokens.slice(first + 1).find((token) => token.kind === 'positional')?.value;
      const about = topic === undefined ? undefined : findCommand(topic);
      if (topic !== undefined && about === undefined) throw unknownCommand(topic, false);
      io.stdout.write(about === undefined ? globalHelp() : commandHelp(about));
      return 0;
    }
    const found = named === undefined ? undefined : findCommand(named);
    if (found !== undefined) {
      command = found;
      rest = tokens.filter((_, index) => index !== first);
    }
    const explicit = found !== undefined;
    const wantsHelp = rest.some((token) => token.kind === 'option' && token.name === 'help' && token.rawName !== '--no-help');
    if (wantsHelp) {
      io.stdout.write(explicit ? commandHelp(command) : globalHelp());
      return 0;
    }
    const { values: rawValues, positionals } = checkLine(rest, { ...command.options, ...GLOBAL_OPTIONS }, {
      command: explicit ? `campaign-lint ${command.name}` : 'campaign-lint',
      owners,
    });
    const values = rawValues as CliValues;
    if (values.version === true) {
      io.stdout.write(`${toolVersion()}\n`);
      return 0;
    }
    if (!explicit && named !== undefined && values['error-on-unmatched-pattern'] !== false) {
      const mistyped = mistypedCommand(named, io.cwd);
      if (mistyped) throw mistyped;
    }
    return await command.run(positionals, values, io);
  } catch (error) {
    // Only the front bundle throws it (src/cli/front.ts): the launcher then runs the whole command line.
    if (error instanceof EngineNeeded) throw error;
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr.write(`campaign-lint: ${error.message}\n`);
      return 2;
    }
    if (io.env.DEBUG?.split(',').includes('campaign-lint') === true && error instanceof Error) {
      io.stderr.write(`${error.stack ?? error.message}\n`);
    } else {
      io.stderr.write(`campaign-lint: internal error: ${errorMessage(error).split('\n', 1)[0] ?? ''} (DEBUG=campaign-lint shows the stack)\n`);
    }
    return 2;
  }
}
