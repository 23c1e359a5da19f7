/**
 * Errors that end a run with exit 2 and one clear line on stderr. Anything
 * else that escapes is an internal error (also exit 2), shown with its stack
 * only under DEBUG=campaign-lint.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
