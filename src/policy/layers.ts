/**
 * `extends`: the layers a policy is built from. Besides the presets, an entry is a relative file
 * (`./policies/base.yaml`) or an npm package (`@acme/campaign-lint-config`, optionally with a
 * file inside it: `@acme/campaign-lint-config/strict.yaml`), resolved from node_modules. Every
 * layer is data (YAML or JSON, validated by the same schema); nothing is ever imported or run.
 * Layers chain (an extended file may extend others), depth first, with cycle detection.
 *
 * With --config-ref, relative files are read from that git ref (never the working tree), and a
 * package's installed version must be the one the ref's package-lock.json pins.
 */
import { childProcess } from '../core/lazy-builtins.js';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Preset, RawConfig } from '../core/config.js';
import { parseConfigText, readPolicyFileFromRef, validateConfig } from '../core/config.js';
import { isInside } from '../core/paths.js';
import { readTextFile } from '../core/safe-file.js';
import { locateKey } from '../parsers/yaml.js';
import type { ParsedYaml } from '../parsers/yaml.js';

export type LayerKind = 'preset' | 'file' | 'package';

export interface Layer {
  kind: LayerKind;
  /** How messages and --print-config name it: `preset:strict`, `policies/base.yaml`, `main:policies/base.yaml`, `@acme/x@1.2.0/campaign-lint.config.yaml`. */
  label: string;
  preset?: Preset;
  raw: RawConfig;
  parsed?: ParsedYaml;
  /** Folder its relative `extends` and its overrides' globs are relative to. */
  baseDir: string;
  /** The repository's own config (the only layer that may name files). */
  root?: boolean;
  /** For a package layer: the package folder (files it extends must stay inside), and `name@version`. */
  packageDir?: string;
  packageId?: string;
  /** Where this layer's keys sit in `parsed` (an override's keys sit under `overrides[i]`). */
  pathPrefix?: (string | number)[];
  /** Each of `raw.overrides`, expanded: the layers its `extends` stands for. */
  overrideExtends?: Layer[][];
}

export interface LayerSource {
  raw: RawConfig;
  parsed: ParsedYaml | undefined;
  label: string;
  baseDir: string;
}

export interface ReadPlace {
  rootDir: string;
  gitRoot: string | undefined;
  /** --config-ref: relative files come from this ref. */
  ref?: string;
}

export const PRESETS: readonly Preset[] = ['recommended', 'strict'];
const MAX_DEPTH = 16;
/** npm's package name grammar, with an optional path to a file inside the package. */
const PACKAGE = /^((?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*)(?:\/(.+))?$/;
const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const PACKAGE_CONFIG_NAMES = ['campaign-lint.config.yaml', 'campaign-lint.config.yml', 'campaign-lint.config.json'];

export function presetLayer(preset: Preset): Layer {
  return { kind: 'preset', label: `preset:${preset}`, preset, raw: {}, baseDir: '' };
}

export function extendsList(value: RawConfig['extends']): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** Paths that name files in the repository: only the repository's own config may set them. */
const FILE_KEYS: readonly (readonly string[])[] = [['include'], ['ignore'], ['suppression'], ['payloads'], ['approval', 'allowed_signers']];

/** The root config and everything it extends, as layers in the order they apply. */
export function loadLayers(root: LayerSource, place: ReadPlace): Layer[] {
  const rootLayer: Layer = { kind: 'file', label: root.label, raw: root.raw, baseDir: root.baseDir, root: true, ...(root.parsed ? { parsed: root.parsed } : {}) };
  return expand(rootLayer, place, [root.label]);
}

/** The layers an `extends` value (of `from`, a layer or an override) stands for, each expanded, in order. */
export function extendsLayers(entries: readonly string[], from: Layer, place: ReadPlace, keyPath: (string | number)[], stack: readonly string[]): Layer[] {
  const layers: Layer[] = [];
  entries.forEach((entry, index) => {
    const at = entries.length === 1 && typeof from.raw.extends === 'string' ? keyPath : [...keyPath, index];
    const where = where_(from, at);
    const loaded = loadEntry(entry, from, place, where);
    if (loaded.kind === 'preset') {
      layers.push(loaded);
      return;
    }
    const identity = loaded.label;
    if (stack.includes(identity)) throw new ConfigError(`${where}: invalid config: extends cycle: ${[...stack, identity].join(' -> ')}`);
    if (stack.length >= MAX_DEPTH) throw new ConfigError(`${where}: invalid config: extends chain deeper than ${String(MAX_DEPTH)} files`);
    layers.push(...expand(loaded, place, [...stack, identity]));
  });
  return layers;
}

function expand(layer: Layer, place: ReadPlace, stack: readonly string[]): Layer[] {
  if (layer.root !== true) {
    for (const path of FILE_KEYS) {
      let value: unknown = layer.raw;
      for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      if (value !== undefined) {
        throw new ConfigError(`${where_(layer, path)}: invalid config: \`${path.join('.')}\` names files, which only the repository's own config may do; move it there`);
      }
    }
  }
  const overrides = layer.raw.overrides ?? [];
  if (overrides.length > 0) {
    layer.overrideExtends = overrides.map((override, index) =>
      extendsLayers(extendsList(override.extends), { ...layer, raw: { extends: override.extends } }, place, ['overrides', index, 'extends'], stack),
    );
  }
  return [...extendsLayers(extendsList(layer.raw.extends), layer, place, ['extends'], stack), layer];
}

function where_(layer: Layer, path: readonly (string | number)[]): string {
  if (layer.parsed === undefined) return layer.label;
  const loc = locateKey(layer.parsed, path);
  return `${layer.label}:${String(loc.line)}:${String(loc.column)}`;
}

function loadEntry(entry: string, from: Layer, place: ReadPlace, where: string): Layer {
  if ((PRESETS as readonly string[]).includes(entry)) return presetLayer(entry as Preset);
  const refuse = (why: string) => new ConfigError(`${where}: invalid config: extends \`${entry}\` ${why}`);
  if (entry.startsWith('./') || entry.startsWith('../')) return loadRelative(entry, from, place, refuse);
  if (isAbsolute(entry) || entry.includes('\\')) throw refuse('must be a preset (recommended, strict), a relative file (./x.yaml) or an npm package name');
  const match = PACKAGE.exec(entry);
  if (!match) throw refuse('is not a preset (recommended, strict), a relative file (starting with ./ or ../) or an npm package name');
  return loadPackage(match[1] ?? entry, match[2], from, place, refuse);
}

function checkDataFile(path: string, refuse: (why: string) => ConfigError): void {
  if (!DATA_EXTENSIONS.has(extname(path).toLowerCase())) throw refuse('must name a .yaml, .yml or .json file: a policy is data, never code');
}

function parseLayer(text: string, label: string): { raw: RawConfig; parsed: ParsedYaml } {
  const parsed = parseConfigText(text, label);
  return { raw: validateConfig(parsed, label), parsed };
}

function loadRelative(entry: string, from: Layer, place: ReadPlace, refuse: (why: string) => ConfigError): Layer {
  checkDataFile(entry, refuse);
  const path = resolve(from.baseDir, entry);
  if (from.kind === 'package' && from.packageDir !== undefined) {
    // Inside a package, a relative file stays inside that package.
    if (!isInside(from.packageDir, path)) throw refuse(`points outside the package \`${from.label}\``);
    const read = readTextFile(path, { rootDir: from.packageDir });
    if (!read.ok) throw refuse(`cannot be read: it ${read.kind === 'missing' ? 'does not exist' : read.reason}`);
    const label = `${from.packageId ?? 'package'}/${relative(from.packageDir, path).split(sep).join('/')}`;
    return { kind: 'package', label, ...parseLayer(read.text, label), baseDir: dirname(path), packageDir: from.packageDir, ...(from.packageId === undefined ? {} : { packageId: from.packageId }) };
  }
  if (place.ref !== undefined && place.gitRoot !== undefined) {
    // The trusted ref's copy, never the working tree's: outside the repository, absent from the ref,
    // or not a regular file there is refused (readPolicyFileFromRef says which).
    const text = readPolicyFileFromRef(place.ref, place.gitRoot, path, `extends \`${entry}\``, from.label);
    const label = `${place.ref}:${relative(place.gitRoot, path).split(sep).join('/')}`;
    return { kind: 'file', label, ...parseLayer(text, label), baseDir: dirname(path) };
  }
  if (!isInside(place.rootDir, path)) throw refuse('points outside the repository');
  const read = readTextFile(path, { rootDir: place.rootDir });
  if (!read.ok) throw refuse(`cannot be read: it ${read.kind === 'missing' ? 'does not exist' : read.reason}`);
  const label = relative(place.rootDir, path).split(sep).join('/');
  return { kind: 'file', label, ...parseLayer(read.text, label), baseDir: dirname(path) };
}

/** node_modules/<name> from `start` upwards, as Node resolves packages. */
function findPackageDir(name: string, start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function loadPackage(name: string, subpath: string | undefined, from: Layer, place: ReadPlace, refuse: (why: string) => ConfigError): Layer {
  const start = from.packageDir ?? from.baseDir;
  const found = findPackageDir(name, start);
  if (found === undefined) throw refuse(`is not installed: no node_modules/${name} from ${relative(place.rootDir, start) || '.'} upwards (add it to package.json and run npm ci)`);
  const packageDir = realpathSync(found);
  const manifestRead = readTextFile(join(packageDir, 'package.json'), { rootDir: packageDir });
  if (!manifestRead.ok) throw refuse(`has an unreadable package.json: it ${manifestRead.reason}`);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(manifestRead.text) as Record<string, unknown>;
  } catch {
    throw refuse('has a package.json that is not JSON');
  }
  const version = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  if (place.ref !== undefined && place.gitRoot !== undefined) checkPinned(version, found, { ref: place.ref, gitRoot: place.gitRoot }, refuse);
  let file: string | undefined = subpath;
  if (file === undefined && typeof manifest['campaign-lint'] === 'string') file = manifest['campaign-lint'];
  file ??= PACKAGE_CONFIG_NAMES.find((candidate) => existsSync(join(packageDir, candidate)));
  if (file === undefined) throw refuse(`has no policy file: add campaign-lint.config.yaml to the package, or name one in its package.json ("campaign-lint": "policy.yaml")`);
  checkDataFile(file, refuse);
  const path = resolve(packageDir, file);
  if (!isInside(packageDir, path)) throw refuse('names a file outside the package');
  if (existsSync(path) && !statSync(path).isFile()) throw refuse(`names \`${file}\`, which is not a file`);
  const read = readTextFile(path, { rootDir: packageDir });
  if (!read.ok) throw refuse(`names \`${file}\`, which cannot be read: it ${read.kind === 'missing' ? 'does not exist' : read.reason}`);
  const label = `${name}@${version}/${relative(packageDir, path).split(sep).join('/')}`;
  return { kind: 'package', label, ...parseLayer(read.text, label), baseDir: dirname(path), packageDir, packageId: `${name}@${version}` };
}

/**
 * With --config-ref the pull request's working tree installs the packages; its lockfile could pin
 * another version. The installed version must be the one the trusted ref's package-lock.json pins.
 */
function checkPinned(version: string, found: string, place: { ref: string; gitRoot: string }, refuse: (why: string) => ConfigError): void {
  const key = relative(place.gitRoot, found).split(sep).join('/');
  let lock: { packages?: Record<string, { version?: string; integrity?: string }> };
  try {
    const text = childProcess().execFileSync('git', ['show', `${place.ref}:package-lock.json`], { cwd: place.gitRoot, stdio: 'pipe', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    lock = JSON.parse(text) as typeof lock;
  } catch {
    throw refuse(`cannot be checked: with --config-ref a policy package must be pinned by package-lock.json in \`${place.ref}\`, which has none`);
  }
  const pinned = lock.packages?.[key]?.version;
  if (pinned === undefined) throw refuse(`is not pinned: package-lock.json in \`${place.ref}\` has no \`${key}\``);
  if (pinned !== version) throw refuse(`is installed at ${version}, but package-lock.json in \`${place.ref}\` pins ${pinned}: run npm ci`);
  // The same version string is not the same policy: the copy must be the one the ref's lockfile
  // pins by integrity, installed by npm (whose own record is node_modules/.package-lock.json), and
  // neither it nor that record may be files the pull request commits.
  const record = ['node_modules', '.package-lock.json'].join('/');
  let tracked: string;
  try {
    tracked = childProcess().execFileSync('git', ['ls-files', '--', key, record], { cwd: place.gitRoot, stdio: 'pipe', encoding: 'utf8' }).trim();
  } catch {
    throw refuse('cannot be checked: git ls-files failed');
  }
  if (tracked !== '') throw refuse(`is committed to the repository (\`${tracked.split('\n', 1)[0] ?? key}\`): with --config-ref a policy package must be installed by npm ci, never committed`);
  const integrity = lock.packages?.[key]?.integrity;
  let installed: string | undefined;
  try {
    const hidden = JSON.parse(readFileSync(join(place.gitRoot, 'node_modules', '.package-lock.json'), 'utf8')) as typeof lock;
    installed = hidden.packages?.[key]?.integrity;
  } catch {
    installed = undefined;
  }
  if (integrity === undefined || installed !== integrity) {
    throw refuse(`is not the copy package-lock.json in \`${place.ref}\` pins (${integrity === undefined ? 'it records no integrity' : 'npm recorded another integrity, or none'}): run npm ci`);
  }
}
