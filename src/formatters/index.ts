import type { Formatter } from '../core/types.js';

/** Formatters load on demand so a run pays only for the one it prints with. */
const loaders: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import('./stylish.js')).default,
  json: async () => (await import('./json.js')).default,
  sarif: async () => (await import('./sarif.js')).default,
  github: async () => (await import('./github.js')).default,
  junit: async () => (await import('./junit.js')).default,
  markdown: async () => (await import('./markdown.js')).default,
};

export const formatterNames = Object.keys(loaders);

export async function loadFormatter(name: string): Promise<Formatter | undefined> {
  return Object.hasOwn(loaders, name) ? loaders[name]?.() : undefined;
}
