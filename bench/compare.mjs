// Compares two builds of campaign-lint on the 1M-row bench campaign, runs interleaved
// (A, B, A, B...) so that both see the same load on a shared machine; prints each build's
// runs and median. A build is a checkout with `dist/` built, typically a git worktree:
//   git worktree add ../base HEAD~1 && (cd ../base && npm ci && npm run build)
//   node bench/compare.mjs ../base . [runs=7]
// Run `npm run bench` once first: it generates the data and the campaign.
import console from 'node:console';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [first, second, runsArgument] = process.argv.slice(2);
if (first === undefined || second === undefined) {
  console.error('usage: node bench/compare.mjs <checkout A> <checkout B> [runs]');
  process.exit(2);
}
const campaignDir = fileURLToPath(new URL('data/campaign-1m/', import.meta.url));
if (!existsSync(join(campaignDir, 'campaign.yaml'))) {
  console.error('no bench campaign: run `npm run bench` once first');
  process.exit(2);
}
const builds = [first, second].map((dir) => resolve(dir, 'dist/bin/campaign-lint.js'));
for (const bin of builds) {
  if (!existsSync(bin)) {
    console.error(`${bin} does not exist: build that checkout first`);
    process.exit(2);
  }
}
const runs = Number(runsArgument ?? 7);
const args = ['--config', 'campaign-lint.config.yaml', '--format', 'json', '--output-file', join(campaignDir, 'compare-report.json'), 'campaign.yaml'];
const times = builds.map(() => []);
// CPU time (user + sys) too, from GNU time when present: on a busy machine it moves less than wall time.
const gnuTime = existsSync('/usr/bin/time');
const cpu = builds.map(() => []);
for (let run = 0; run < runs; run++) {
  builds.forEach((bin, index) => {
    const started = process.hrtime.bigint();
    const result = gnuTime
      ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, bin, ...args], { cwd: campaignDir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
      : spawnSync(process.execPath, [bin, ...args], { cwd: campaignDir, stdio: 'ignore' });
    if (result.status !== 0 && result.status !== 1) throw new Error(`${bin} exited ${result.status}`);
    times[index].push(Number(process.hrtime.bigint() - started) / 1e6);
    const used = gnuTime ? /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) : null;
    if (used) cpu[index].push((Number(used[1]) + Number(used[2])) * 1000);
  });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
builds.forEach((bin, index) => {
  const label = index === 0 ? 'A' : 'B';
  console.log(`${label} ${bin}\n  runs (ms): ${times[index].map((ms) => ms.toFixed(0)).join(' ')}\n  median ${median(times[index]).toFixed(0)} ms`);
  if (cpu[index].length > 0) console.log(`  CPU (user + sys, ms): ${cpu[index].map((ms) => ms.toFixed(0)).join(' ')}; median ${median(cpu[index]).toFixed(0)} ms`);
});
