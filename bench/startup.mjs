// Start-up cost of linting one small campaign, against a bare `node -e 0`,
// measured side by side (interleaved runs, medians), as a pre-commit hook feels it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 21);
const campaign = 'campaigns/2026-12-winter-sale/campaign.yaml';
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'campaign-lint <one campaign>': [process.execPath, [`${root}dist/bin/campaign-lint.js`, campaign]],
};
// STARTUP_BASE=<another checkout, built>: its command too, interleaved with these (an A/B of start-up).
if (process.env.STARTUP_BASE) commands['base <one campaign>'] = [process.execPath, [`${process.env.STARTUP_BASE}/dist/bin/campaign-lint.js`, campaign]];
// CPU time (user + sys) from GNU time when present: on a busy machine it moves less than wall time.
const gnuTime = existsSync('/usr/bin/time');
const cpuSamples = {};

function time([command, args], name) {
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', command, ...args], { cwd: `${root}examples`, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    : spawnSync(command, args, { cwd: `${root}examples`, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  const used = gnuTime ? /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) : null;
  if (used && name) (cpuSamples[name] ??= []).push((Number(used[1]) + Number(used[2])) * 1000);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (const name of Object.keys(commands)) time(commands[name]); // warm the file cache
for (let i = 0; i < runs; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(time(command, name));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples['node -e 0']);
console.log(`start-up (${runs} interleaved runs, medians):`);
for (const [name, values] of Object.entries(samples)) {
  const value = median(values);
  console.log(`  ${name.padEnd(30)} ${value.toFixed(1).padStart(7)} ms  ${(value / base).toFixed(2)}x`);
}
const cpuBase = cpuSamples['node -e 0'] && median(cpuSamples['node -e 0']);
if (cpuBase) for (const [name, values] of Object.entries(cpuSamples)) console.log(`  CPU ${name.padEnd(26)} ${median(values).toFixed(0).padStart(7)} ms  ${(median(values) / cpuBase).toFixed(2)}x`);
const ratio = median(samples['campaign-lint <one campaign>']) / base;
console.log(`target: at most 2.5x node -e 0 (issue 19) -> ${ratio <= 2.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
