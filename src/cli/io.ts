export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** --color/--no-color win; then NO_COLOR (any non-empty value), then FORCE_COLOR, then whether the stream is a terminal. */
export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: Output): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  return stream.isTTY === true && env.TERM !== 'dumb';
}
