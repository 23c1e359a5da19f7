import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { SourceLocation } from './types.js';
import { resolveInside } from './paths.js';
import { FileRefusedError, readTextFile } from './safe-file.js';
import type { FileRefusal } from './safe-file.js';
import type { ResolvedPath } from './paths.js';
import { locateEntry, locateKey, locateValue, nodeAt, nodeLocation, pairAt, parseYaml } from '../parsers/yaml.js';
import type { ParsedYaml, YamlPath } from '../parsers/yaml.js';
import { parseDirectives } from './directives.js';
import { computeDigestDetails, referencedFilesOf } from '../approval/digest.js';
import type { DigestDetails, DigestFailure } from '../approval/digest.js';
import type { Directive } from './directives.js';

export type CampaignCategory = 'marketing' | 'transactional' | 'service';

/**
 * A campaign file as rules see it: the parsed YAML with positions, the plain
 * value, and safe accessors. Rules run even when the schema fails, so every
 * accessor tolerates a value of the wrong type.
 */
export class Campaign {
  readonly dir: string;
  readonly directives: Directive[];
  /** Set from the policy (an override's `sensitivity`): special-category whatever the file says. */
  policySensitivity: 'special-category' | undefined;

  constructor(
    readonly filePath: string,
    readonly rootDir: string,
    readonly yaml: ParsedYaml,
  ) {
    this.dir = dirname(filePath);
    this.directives = parseDirectives(yaml);
  }

  /** Reads and parses a campaign file through the safe reader; throws a {@link FileRefusedError} when refused. */
  static load(filePath: string, rootDir: string, maxBytes?: number): Promise<Campaign> {
    const read = Campaign.read(filePath, rootDir, maxBytes);
    return read instanceof Campaign ? Promise.resolve(read) : Promise.reject(new FileRefusedError(read, 'campaign file'));
  }

  /**
   * The campaign, or why its file was refused: a symlink that leaves the repository, a FIFO,
   * a folder, a file over `maxBytes`. The refusal never holds the content or a symlink's target.
   */
  static read(filePath: string, rootDir: string, maxBytes?: number): Campaign | FileRefusal {
    const read = readTextFile(filePath, { rootDir, maxBytes });
    if (!read.ok) return read;
    return new Campaign(filePath, rootDir, parseYaml(read.text));
  }

  get text(): string {
    return this.yaml.text;
  }

  get data(): Record<string, unknown> {
    const value = this.yaml.value;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }

  get category(): CampaignCategory | undefined {
    const category = this.data.category;
    return category === 'marketing' || category === 'transactional' || category === 'service' ? category : undefined;
  }

  get isSpecialCategory(): boolean {
    return this.sensitivity === 'special-category';
  }

  /** The campaign's `sensitivity`, raised to special-category when the policy says so for its path. */
  get sensitivity(): string | undefined {
    if (this.policySensitivity !== undefined) return this.policySensitivity;
    const written = this.data.sensitivity;
    return typeof written === 'string' ? written : undefined;
  }

  get id(): string | undefined {
    return this.string(['id']);
  }

  /** The string at `path`, or undefined when absent or not a string. */
  string(path: YamlPath): string | undefined {
    const value = this.get(path);
    return typeof value === 'string' ? value : undefined;
  }

  get(path: YamlPath): unknown {
    let current: unknown = this.data;
    for (const segment of path) {
      if (current === null || typeof current !== 'object') return undefined;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string | number, unknown>)[segment];
    }
    return current;
  }

  node(path: YamlPath): Node | undefined {
    return nodeAt(this.yaml.doc, path);
  }

  has(path: YamlPath): boolean {
    return path.length > 0 && (typeof path[path.length - 1] === 'number' ? this.node(path) !== undefined : pairAt(this.yaml.doc, path) !== undefined);
  }

  /** Key names of the map at `path`, with their YAML spelling (for case-insensitive header checks). */
  keys(path: YamlPath): string[] {
    const node = this.node(path);
    if (!isMap(node)) return [];
    return node.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
  }

  /** Number of items of the sequence at `path` (0 when absent or not a sequence). */
  length(path: YamlPath): number {
    const node = this.node(path);
    return isSeq(node) ? node.items.length : 0;
  }

  keyLocation(path: YamlPath): SourceLocation {
    return locateKey(this.yaml, path);
  }

  valueLocation(path: YamlPath): SourceLocation {
    return locateValue(this.yaml, path);
  }

  entryLocation(path: YamlPath): SourceLocation {
    return locateEntry(this.yaml, path);
  }

  nodeLocation(node: Node): SourceLocation | undefined {
    return nodeLocation(this.yaml, node);
  }

  /** A path written in the campaign, resolved from its folder and kept inside the repository. */
  resolve(written: string): ResolvedPath {
    return resolveInside(this.rootDir, this.dir, written);
  }

  /** The recipient list's absolute path (undefined when unnamed or outside the repository). */
  recipientsFile(): string | undefined {
    const written = this.string(['recipients', 'file']);
    if (written === undefined) return undefined;
    const resolved = this.resolve(written);
    return resolved.ok ? resolved.path : undefined;
  }

  /** Paths (as written) of every file the campaign references: recipients, bodies, suppression lists. */
  referencedFiles(): string[] {
    return referencedFilesOf(this.data);
  }

  /** The content digest approvals are bound to (docs/rules/two-person-approval.md); files outside the repository are never read. */
  digest(): Promise<DigestDetails | DigestFailure> {
    return computeDigestDetails(this.data, this.dir, this.referencedFiles(), (written) => {
      const resolved = this.resolve(written);
      if (resolved.ok) return resolved.path;
      // A FIFO or a folder inside the repository: hashFile refuses it with its own reason.
      return resolved.kind === 'not-regular' ? resolve(this.dir, written) : undefined;
    }, this.rootDir);
  }
}
