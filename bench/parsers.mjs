// Quick comparison of the candidate CSV parsers on the same file, against the floor
// (stream + UTF-8 decode + count newlines). Each candidate runs in its own process so
// that one's garbage does not slow the next.
//   node bench/parsers.mjs [file]
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { TextDecoder } from 'node:util';
import { createReadStream } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';

const file = process.argv[3] ?? fileURLToPath(new URL('data/recipients-1m.csv', import.meta.url));
const candidate = process.argv[2];

async function floor() {
  const decoder = new TextDecoder();
  let newlines = 0;
  for await (const chunk of createReadStream(file)) {
    const text = decoder.decode(chunk, { stream: true });
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines++;
  }
  return newlines;
}

async function csvParseRun(withInfo) {
  let rows = 0;
  const parser = createReadStream(file).pipe(
    csvParse({ bom: true, relax_column_count: true, info: withInfo, raw: withInfo }),
  );
  for await (const record of parser) {
    rows += withInfo ? record.record.length : record.length;
  }
  return rows;
}

async function papaRun() {
  const decoder = new TextDecoder();
  let fields = 0;
  let partial = '';
  let base = 0;
  for await (const chunk of createReadStream(file)) {
    const text = partial + decoder.decode(chunk, { stream: true });
    const parser = new Papa.Parser({
      step(result) {
        fields += result.data.length;
      },
    });
    const out = parser.parse(text, base, true);
    const consumed = out.meta.cursor;
    partial = text.slice(consumed);
    base += consumed;
  }
  return fields;
}

const runs = {
  floor,
  'csv-parse': () => csvParseRun(false),
  'csv-parse+info+raw': () => csvParseRun(true),
  papaparse: papaRun,
};

if (candidate) {
  const start = performance.now();
  const count = await runs[candidate]();
  const ms = performance.now() - start;
  console.log(JSON.stringify({ candidate, ms: Math.round(ms), count, rssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  for (const name of Object.keys(runs)) {
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name, file], { encoding: 'utf8' });
    process.stdout.write(result.stdout + result.stderr);
  }
}
