import type { ErrorObject } from 'ajv';
import { locateKey, locateValue } from '../parsers/yaml.js';
import type { ParsedYaml, YamlPath } from '../parsers/yaml.js';
import type { SourceLocation } from './types.js';
import { closest } from './suggest.js';

export interface SchemaProblem {
  /** Dotted path for one-line messages, e.g. `recipients.file`. */
  path: string;
  message: string;
  loc: SourceLocation;
}

/**
 * Turns ajv's errors into one sentence each, placed on the offending key or
 * value of the YAML. anyOf branches are collapsed to the branch that got
 * furthest, so a bad rule option reads as that option's problem and not as
 * three failed alternatives.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], parsed: ParsedYaml): SchemaProblem[] {
  const kept = collapseAnyOf(errors);
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of kept) {
    const problem = describe(error, parsed);
    if (!problem) continue;
    const key = `${problem.loc.line}:${problem.loc.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function collapseAnyOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfErrors = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  if (anyOfErrors.length === 0) return [...errors];
  const dropped = new Set<ErrorObject>();
  for (const anyOf of anyOfErrors) {
    const branchErrors = errors.filter((error) => error !== anyOf && error.schemaPath.startsWith(`${anyOf.schemaPath}/`));
    const depth = (error: ErrorObject) => error.instancePath.split('/').length;
    const deepest = Math.max(...branchErrors.map(depth));
    const ownDepth = depth(anyOf);
    for (const error of branchErrors) if (deepest <= ownDepth || depth(error) < deepest) dropped.add(error);
    if (deepest > ownDepth) dropped.add(anyOf);
  }
  return errors.filter((error) => !dropped.has(error));
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function dotted(path: YamlPath): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : segment)).join('.').replace(/\.\[/g, '[');
}

function label(path: YamlPath): string {
  return path.length === 0 ? 'the document' : `\`${dotted(path)}\``;
}

function describe(error: ErrorObject, parsed: ParsedYaml): SchemaProblem | undefined {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const at = (target: YamlPath, message: string, where: 'key' | 'value' = 'value'): SchemaProblem => ({
    path: dotted(target),
    message,
    loc: where === 'key' ? locateKey(parsed, target) : locateValue(parsed, target),
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(key, known);
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
      return at([...path, key], `unknown key \`${key}\`${path.length ? ` in ${label(path)}` : ''}${hint}`, 'key');
    }
    case 'required':
      return at(path, `missing required key \`${String(params.missingProperty)}\`${path.length ? ` in ${label(path)}` : ''}`, 'key');
    case 'propertyNames': {
      const name = String(params.propertyName);
      const propertyNames = (error.parentSchema as { propertyNames?: { enum?: string[]; anyOf?: { enum?: string[] }[]; description?: string } } | undefined)?.propertyNames;
      // `rules` also takes namespaced custom rule ids (brand/x): the built-in names are its first choice.
      const names = propertyNames?.enum ?? propertyNames?.anyOf?.[0]?.enum;
      if (names) {
        const suggestion = closest(name, names);
        return at([...path, name], `unknown ${path[path.length - 1] === 'rules' ? 'rule' : 'name'} \`${name}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`, 'key');
      }
      const hint = propertyNames?.description === undefined ? '' : `: ${propertyNames.description}`;
      return at([...path, name], `\`${name}\` is not a valid name in ${label(path)}${hint}`, 'key');
    }
    case 'type':
      return at(path, `${label(path)} must be ${article(String(params.type))}`);
    case 'enum': {
      if (error.propertyName !== undefined) return undefined; // reported by propertyNames
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      return at(path, `${label(path)} must be one of ${allowed.join(', ')}`);
    }
    case 'const':
      return at(path, `${label(path)} must be ${JSON.stringify(params.allowedValue)}`);
    case 'format':
      return at(path, `${label(path)} must be ${formatDescription(String(params.format))}`);
    case 'pattern':
      if (error.propertyName !== undefined) return undefined;
      return at(path, `${label(path)} must match the pattern ${String(params.pattern)}`);
    case 'minLength':
      return at(path, Number(params.limit) === 1 ? `${label(path)} must not be empty` : `${label(path)} must be at least ${String(params.limit)} characters long`);
    case 'maxLength':
      return at(path, `${label(path)} must be at most ${String(params.limit)} characters long`);
    case 'minProperties': {
      const names = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return at(path, `${label(path)} needs at least one of ${names.map((name) => `\`${name}\``).join(', ')}`, 'key');
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(path, `${label(path)} must be ${String(params.comparison)} ${String(params.limit)}`);
    case 'uniqueItems':
      return at(path, `${label(path)} must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal)`);
    case 'minItems':
    case 'maxItems':
      return at(path, `${label(path)} must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} items`);
    case 'anyOf':
    case 'oneOf': {
      if (error.propertyName !== undefined) return undefined; // reported by propertyNames
      if (path.length >= 2 && path[path.length - 2] === 'rules') {
        return at(path, `${label(path)} must be "off", "warn" or "error", or a list [severity, options]`);
      }
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return at(path, `${label(path)} is not valid${description ? `: ${lowerFirst(description)}` : ''}`);
    }
    case 'false schema':
      return at(path, `${label(path)} is not allowed here`);
    default:
      return at(path, `${label(path)} ${error.message ?? 'is not valid'}`);
  }
}

function article(type: string): string {
  const names = type.split(',').map((name) => (name === 'integer' ? 'a whole number' : name === 'object' ? 'a map' : name === 'array' ? 'a list' : `a ${name}`));
  return names.join(' or ');
}

function formatDescription(format: string): string {
  if (format === 'date-time') return 'an RFC 3339 date-time with offset, e.g. 2026-12-01T09:00:00+01:00';
  return `a valid ${format}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
