// Measures the recipient-list engine (streaming reader + AddressSet) doing a full audit pass
// against the floor: a Node script that streams the same file, decodes UTF-8 and counts newlines.
// Each measurement runs in a fresh process so that peak RSS belongs to it alone.
//   node bench/generate.mjs [--large]          first, once
//   node bench/csv-engine.mjs [--large] [--map]
//     --large  also the 10M-row list
//     --map    also the same audit with a Map<string, number> instead of AddressSet, for comparison
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { TextDecoder } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';

const dataFile = (name) => fileURLToPath(new URL(`data/${name}`, import.meta.url));
// A child process gets `<mode> <csv> <suppression csv>`; the parent only flags.
const [mode, file, suppressionFile] = process.argv[2]?.startsWith('--') === false ? process.argv.slice(2) : [];

async function floor() {
  const decoder = new TextDecoder();
  let newlines = 0;
  for await (const chunk of createReadStream(file)) {
    const text = decoder.decode(chunk, { stream: true });
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) newlines++;
  }
  return { newlines };
}

async function audit(useMap, { readCsv, readSuppressionList, isValidAddress, normalizeAddress, AddressEncoder, AddressSet, AddressPlaces, findRepeats }) {
  const counts = { rows: 0, invalid: 0, duplicates: 0, suppressed: 0, problems: 0 };
  const onProblem = () => counts.problems++;
  let emailColumn = 0;
  if (useMap) {
    // The straightforward version, for comparison: normalised strings in Maps.
    const suppressed = new Map();
    await readSuppressionList(suppressionFile, {
      onAddress: (address, record) => suppressed.set(normalizeAddress(address), record.line),
      onProblem,
    });
    const seen = new Map();
    const summary = await readCsv(file, {
      onHeader: (header) => (emailColumn = header.names.indexOf('email')),
      onRecord(record) {
        const address = (record.fields[emailColumn] ?? '').trim();
        if (!isValidAddress(address)) return void counts.invalid++;
        const key = normalizeAddress(address);
        if (seen.has(key)) counts.duplicates++;
        else seen.set(key, record.line);
        if (suppressed.has(key)) counts.suppressed++;
      },
      onProblem,
    });
    return { ...counts, rows: summary.rows };
  }
  const suppressed = new AddressSet();
  await readSuppressionList(suppressionFile, {
    onAddress: (address, record) => suppressed.addOrGet(address, record.line),
    onProblem,
  });
  const encoder = new AddressEncoder();
  const places = new AddressPlaces();
  const summary = await readCsv(file, {
    onHeader: (header) => (emailColumn = header.names.indexOf('email')),
    onRecord(record) {
      const address = (record.fields[emailColumn] ?? '').trim();
      if (!isValidAddress(address)) return void counts.invalid++;
      encoder.encode(address);
      places.add(encoder.hash, record.line, 1, record.byteOffset);
      if (suppressed.getEncoded(encoder) !== 0) counts.suppressed++;
    },
    onProblem,
  });
  const bytesBeforeFinish = places.byteLength + suppressed.byteLength;
  counts.duplicates = (await findRepeats(places, { filePath: file, column: emailColumn, lineBreak: summary.lineBreak })).length;
  return { ...counts, rows: summary.rows, structuresMB: Math.round(bytesBeforeFinish / 1e6) };
}

/** Loads the engine before the clock starts: module loading is not what is being measured. */
async function loadEngine() {
  return {
    ...(await import('../src/parsers/csv.ts')),
    ...(await import('../src/parsers/suppression.ts')),
    ...(await import('../src/core/address.ts')),
    ...(await import('../src/core/address-set.ts')),
    ...(await import('../src/core/duplicates.ts')),
  };
}

async function parseOnly({ readCsv }) {
  let fields = 0;
  const summary = await readCsv(file, {
    onRecord(record) {
      fields += record.fields.length;
    },
    onProblem: () => undefined,
  });
  return { rows: summary.rows, fields };
}

async function measure() {
  const engine = mode === 'floor' ? undefined : await loadEngine();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = engine === undefined ? await floor() : mode === 'parse' ? await parseOnly(engine) : await audit(mode === 'map', engine);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(JSON.stringify({ ms, cpuMs, rssMB: process.resourceUsage().maxRSS / 1024, result }));
}

function runChild(childMode, csv, suppression) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), childMode, csv, suppression], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${childMode} failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

const runsArgument = process.argv.indexOf('--runs');
const runs = runsArgument === -1 ? 3 : Number(process.argv[runsArgument + 1]);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Modes run interleaved, `runs` times each, and the median is shown: on a shared machine the
// floor and the engine then see the same background load.
function report(label, csv, suppression) {
  const megabytes = statSync(csv).size / 1e6;
  const modes = ['floor', 'parse', 'audit', ...(process.argv.includes('--map') ? ['map'] : [])];
  const samples = Object.fromEntries(modes.map((name) => [name, []]));
  for (let run = 0; run < runs; run++) for (const childMode of modes) samples[childMode].push(runChild(childMode, csv, suppression));
  const floorMs = median(samples.floor.map((run) => run.ms));
  const floorCpuMs = median(samples.floor.map((run) => run.cpuMs));
  console.log(`\n${label}: ${csv} (${megabytes.toFixed(1)} MB) + ${suppression}; median of ${runs} runs`);
  for (const childMode of modes) {
    const ms = median(samples[childMode].map((run) => run.ms));
    const rss = Math.max(...samples[childMode].map((run) => run.rssMB));
    const last = samples[childMode].at(-1);
    const rows = last.result.rows ?? last.result.newlines;
    console.log(
      `  ${childMode.padEnd(6)} ${(ms / 1000).toFixed(2)} s  ${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s  ` +
        `${(megabytes / (ms / 1000)).toFixed(1)} MB/s  peak RSS ${rss.toFixed(0)} MB  ${(ms / floorMs).toFixed(2)}× floor` +
        `  (CPU time ${(median(samples[childMode].map((run) => run.cpuMs)) / floorCpuMs).toFixed(2)}× floor's)` +
        `  (all: ${samples[childMode].map((run) => (run.ms / 1000).toFixed(2)).join(' ')})`,
    );
    if (childMode !== 'floor') console.log(`         ${JSON.stringify(last.result)}`);
  }
}

if (mode) {
  await measure();
} else {
  const suppression = dataFile('suppression-100k.csv');
  const lists = [['1M recipients', dataFile('recipients-1m.csv')]];
  if (process.argv.includes('--large')) lists.push(['10M recipients', dataFile('recipients-10m.csv')]);
  for (const [label, csv] of lists) {
    if (!existsSync(csv)) {
      console.error(`missing ${csv}: run node bench/generate.mjs${label.startsWith('10M') ? ' --large' : ''} first`);
      process.exit(2);
    }
    report(label, csv, suppression);
  }
}
