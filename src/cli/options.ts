/**
 * Command-line options: the shape of a command's option table, the options every command
 * takes, and the parser that checks a command line against one command's table. Node's
 * parseArgs only splits the words (strict: false); the checks and their one-line messages
 * (with a did-you-mean) are ours, so no parser boilerplate reaches the user.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in help: `<file>`. */
  arg?: string;
  /** One line for the help page; continuation lines may follow after `\n`. */
  description: string;
  /** Accepted (usually to refuse it with a message of the command's own), never listed in help. */
  hidden?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** Every command takes these. */
export const GLOBAL_OPTIONS = {
  color: { type: 'boolean', description: 'force colours on or off (--no-color; NO_COLOR, FORCE_COLOR honoured)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  version: { type: 'boolean', short: 'v', description: 'show the version' },
} as const satisfies OptionTable;

/** Where the policy is read from: every command that loads the config. */
export const POLICY_OPTIONS = {
  config: { type: 'string', short: 'c', arg: '<file>', description: 'config file (default: campaign-lint.config.yaml, searched upward)' },
  'config-ref': { type: 'string', arg: '<git-ref>', description: "read the config from a git ref (a pull request's base)" },
  approvals: { type: 'string', arg: '<mode>', description: "signature | github: raise the config's record mode (never lowers it)" },
} as const satisfies OptionTable;

/** The parsed values of an option table: strings for value options, booleans for flags. */
export type ValuesOf<T extends OptionTable> = { -readonly [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

export interface ParsedLine {
  values: Record<string, string | boolean>;
  positionals: string[];
}

interface Token {
  kind: 'option' | 'positional' | 'option-terminator';
  name?: string;
  rawName?: string;
  value?: string | undefined;
  inlineValue?: boolean | undefined;
}

/** Splits the words; `known` says which options take a value, so that their value is not read as a path. */
export function tokenize(argv: readonly string[], known: OptionTable): Token[] {
  const options = Object.fromEntries(
    Object.entries(known).map(([name, spec]) => [name, spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short }]),
  );
  return parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, allowNegative: true, tokens: true }).tokens;
}

/** `--name` or `-n`, as the user would type it. */
export function flagOf(name: string, spec?: OptionSpec): string {
  return spec?.short === undefined ? `--${name}` : `-${spec.short}, --${name}`;
}

export interface CheckContext {
  /** `campaign-lint approve`: how messages name the command. */
  command: string;
  /** The options of every command, to say where an option belongs. */
  owners: ReadonlyMap<string, string[]>;
}

/**
 * Checks the words against one command's table and returns its values; the first problem is a
 * UsageError of one line: an unknown option (with the nearest known one), an option of another
 * command, a missing or unexpected value.
 */
export function checkLine(tokens: readonly Token[], table: OptionTable, context: CheckContext): ParsedLine {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const helpHint = `${context.command} --help lists ${context.command === 'campaign-lint' ? 'the' : 'its'} options`;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value ?? '');
      continue;
    }
    if (token.kind !== 'option' || token.name === undefined) continue;
    const raw = token.rawName ?? `--${token.name}`;
    const negated = raw.startsWith('--no-');
    const spec = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
    if (spec !== undefined && negated && spec.type !== 'boolean') {
      throw new UsageError(`unknown option ${raw}: --${token.name} takes a value (${helpHint})`);
    }
    if (spec === undefined) throw unknownOption(raw, token.name, negated, table, context, helpHint);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${raw} takes no value (got \`${raw}=${token.value}\`); ${helpHint}`);
      values[token.name] = !negated;
      continue;
    }
    // A value option followed by another option (`-f --quiet`) was given no value.
    const value = token.value;
    if (value === undefined || (token.inlineValue !== true && value.startsWith('--') && value.length > 2)) {
      throw new UsageError(`${raw} needs a value: ${raw} ${spec.arg ?? '<value>'}`);
    }
    values[token.name] = value;
  }
  return { values, positionals };
}

function unknownOption(raw: string, name: string, negated: boolean, table: OptionTable, context: CheckContext, helpHint: string): UsageError {
  const owners = context.owners.get(name);
  if (owners !== undefined && owners.length > 0) {
    const where = owners.map((owner) => `campaign-lint ${owner}`).join(', ');
    return new UsageError(`${raw} is an option of ${where}, not of ${context.command}; ${helpHint}`);
  }
  if (raw.startsWith('--')) {
    // `--no-colour` is compared with the flags that have a `--no-` form.
    const candidates = Object.keys(table).filter((option) => table[option]?.hidden !== true && (!negated || table[option]?.type === 'boolean'));
    const suggestion = closest(name, candidates);
    if (suggestion !== undefined) return new UsageError(`unknown option ${raw}; did you mean --${negated ? 'no-' : ''}${suggestion}? (${helpHint})`);
  }
  return new UsageError(`unknown option ${raw}; ${helpHint}`);
}
