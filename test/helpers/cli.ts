import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/bin/campaign-lint.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cliEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const scrubbed = new Set(['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'GITHUB_ACTIONS', 'CI', 'GITHUB_TOKEN', 'GITHUB_EVENT_PATH']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !scrubbed.has(name)));
  return { ...env, ...extra };
}

/** Like runCli, without blocking the event loop: for tests whose own process serves the CLI (a fake GitHub API). */
export function runCliAsync(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the built bin as users do; the environment is scrubbed of colour and debug settings. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
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
