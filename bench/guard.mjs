// The guard's cost per message (`node bench/guard.mjs`, after `npm run build`): assertSendable on a
// single-recipient nodemailer message and a SendGrid request, and the nodemailer compile plugin
// alone, each timed over many calls after a warm-up. Target: under 20 µs per single-recipient message.
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const guardUrl = new URL('../dist/guard/index.js', import.meta.url);
const { assertSendable, guardPlugin } = await import(fileURLToPath(guardUrl));
const policy = { archiveAddresses: ['archive@example.com'] };

function time(label, calls, fn) {
  for (let i = 0; i < Math.min(calls, 20_000); i++) fn(i); // warm-up
  const samples = [];
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e3 / calls);
  }
  samples.sort((a, b) => a - b);
  const median = samples[2];
  console.log(`  ${label.padEnd(52)} ${median.toFixed(2).padStart(6)} µs per message (median of 5 rounds of ${calls.toLocaleString('en')})`);
  return median;
}

export function benchGuard(calls = Number(process.env.BENCH_GUARD_CALLS ?? 100_000)) {
  console.log('guard (campaign-lint/guard), per message:');
  const nodemailerMessage = (i) => ({ from: 'Example News <news@mail.example.com>', to: `Person ${i} <person${i}@example.com>`, subject: 'Hello', text: 'Hi', headers: { 'List-Unsubscribe': `<https://mail.example.com/u/${i}>` } });
  const single = time('assertSendable, nodemailer, one recipient', calls, (i) => assertSendable(nodemailerMessage(i), { format: 'nodemailer', policy }));
  time('assertSendable, SendGrid, one personalization', calls, (i) =>
    assertSendable({ from: { email: 'news@mail.example.com' }, subject: 'Hello', personalizations: [{ to: [{ email: `person${i}@example.com` }] }], asm: { group_id: 1 } }, { format: 'sendgrid', policy }),
  );
  time('assertSendable, shape detection (no format)', calls, (i) => assertSendable(nodemailerMessage(i), { policy }));
  const plugin = guardPlugin(policy);
  const done = (error) => {
    if (error) throw error;
  };
  time('nodemailer compile plugin', calls, (i) => plugin({ data: nodemailerMessage(i) }, done));
  console.log(`  target: under 20 µs for a single-recipient message -> ${single < 20 ? 'met' : 'NOT met'}`);
  return single;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) benchGuard();
