import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built bin as users do; the environment is scrubbed of colour and debug settings. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'GITHUB_ACTIONS', 'CI']) env[name] = undefined;
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.DEBUG;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...env, ...options.env },
    encoding: 'utf8',
    input: options.input ?? '',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A real git repository, so discovery sees .gitignore the way users' repositories do. */
export function gitInit(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  git('config', 'commit.gpgsign', 'false');
}

export function gitCommitAll(dir: string, message = 'commit'): void {
  execFileSync('git', ['add', '-A'], { cwd: dir, stdio: 'pipe' });
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: dir, stdio: 'pipe' });
}
