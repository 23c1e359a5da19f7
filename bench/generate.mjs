// Writes seeded, deterministic synthetic recipient lists into bench/data/.
//   node bench/generate.mjs            1M recipients + 100k suppression list
//   node bench/generate.mjs --large    also the 10M-row list (about 700 MB)
// Only example.com / example.org / .test domains and invented names are used.
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** mulberry32: tiny, fast and good enough to make the same file on every machine. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const firstNames = ['Ada', 'Bram', 'Cleo', 'Dario', 'Elin', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kaia', 'Lior', 'Mira', 'Nils', 'Oona', 'Pavel', 'Quinn', 'Rosa', 'Soren', 'Tove', 'Ugo', 'Vera', 'Wim', 'Xena', 'Yusuf', 'Zoë'];
const lastNames = ['Abelsen', 'Brightwater', 'Castellane', 'Dunmore', 'Eastwick', 'Fairclough', 'Greystone', 'Holloway', 'Ivers', 'Jarrow', 'Kettering', 'Lindqvist', 'Marlowe', 'Northcote', 'Oakhurst', 'Pemberton', 'Quillfeather', 'Rowntree', 'Sallow', 'Thornbury'];
const suffixes = ['Jr.', 'Sr.', 'III', 'PhD'];
const cities = ['Springfield', 'Riverton', 'Lakeside', 'Hill Valley', 'Fairview', 'Greenville', 'Oakdale', 'Brookfield'];
const domains = ['example.com', 'example.org', 'mail.example.com', 'shop.test', 'news.example.org', 'corp.test'];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

/** The canonical address of recipient n: unique per n, so the only duplicates are the injected ones. */
function addressOf(n) {
  const name = firstNames[(n * 7) % firstNames.length].toLowerCase().replace('ë', 'e');
  return `user${n.toString(36)}.${name}@${domains[n % domains.length]}`;
}

/** Upper-cases the local part only: equal to the original only under case-insensitive comparison. */
function shoutLocalPart(address) {
  const at = address.lastIndexOf('@');
  return address.slice(0, at).toUpperCase() + address.slice(at);
}

function csvQuote(value) {
  return `"${value.replaceAll('"', '""')}"`;
}

async function writeLines(path, produceLines) {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let batch = '';
  for (const line of produceLines()) {
    batch += line;
    if (batch.length > 1 << 16) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  const bytes = statSync(path).size;
  console.log(`wrote ${path} (${(bytes / 1e6).toFixed(1)} MB)`);
}

/**
 * Recipients: every 997th row repeats the address of row n-500 (local part upper-cased, so
 * only case-insensitive comparison sees it), every 1009th is invalid, and every 1013th is
 * on the suppression list. Some quoted last names contain commas or doubled quotes.
 */
function* recipients(rows) {
  const random = seededRandom(42);
  yield '\uFEFFemail,first_name,last_name,consent,city\r\n';
  for (let n = 1; n <= rows; n++) {
    let email = addressOf(n);
    if (n % 997 === 0) email = shoutLocalPart(addressOf(n - 500));
    else if (n % 1009 === 0) email = `user${n.toString(36)}@@example.com`;
    const first = pick(random, firstNames);
    let last = pick(random, lastNames);
    const r = random();
    if (r < 0.2) last = csvQuote(`${last}, ${pick(random, suffixes)}`);
    else if (r < 0.22) last = csvQuote(`${last} "the ${pick(random, cities)}"`);
    const consent = random() < 0.98 ? 'yes' : 'no';
    yield `${email},${first},${last},${consent},${pick(random, cities)}\r\n`;
  }
}

/** Every 1013th recipient (upper-cased here) plus unrelated unsubscribed addresses. */
function* suppression(rows, recipientRows) {
  yield 'email\n';
  let written = 0;
  for (let n = 1013; n <= recipientRows && written < rows; n += 1013, written++) {
    yield `${addressOf(n).toUpperCase()}\n`;
  }
  for (let n = 0; written < rows; n++, written++) yield `gone${n.toString(36)}@unsubscribed.example.org\n`;
}

const large = process.argv.includes('--large');
const rows1m = 1_000_000;
await writeLines(join(dataDir, 'recipients-1m.csv'), () => recipients(rows1m));
await writeLines(join(dataDir, 'suppression-100k.csv'), () => suppression(100_000, rows1m));
if (large) await writeLines(join(dataDir, 'recipients-10m.csv'), () => recipients(10_000_000));
