// The peer in `npm run bench`: DuckDB (@duckdb/node-api, a devDependency) doing the list checks
// alone on the bench lists, as a user might instead of campaign-lint: rows, invalid addresses
// (the WHATWG grammar campaign-lint checks), repeated addresses (trimmed, lower-cased), rows on
// the suppression list, rows without consent. No templates, no rendering, no positions.
//   node bench/duckdb-peer.mjs <recipients.csv> <suppression.csv>
// Prints one JSON line with the counts. Exit 3 when @duckdb/node-api is not installed.
import process from 'node:process';

const [recipients, suppression] = process.argv.slice(2);
let DuckDBInstance;
try {
  ({ DuckDBInstance } = await import('@duckdb/node-api'));
} catch (error) {
  process.stderr.write(`@duckdb/node-api is not installed (${error.code ?? error.message})\n`);
  process.exit(3);
}
const quote = (path) => `'${path.replaceAll("'", "''")}'`;
const EMAIL = "^[a-zA-Z0-9.!#$%&''*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$";
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const result = await connection.runAndReadAll(`
  WITH r AS (SELECT lower(trim(email)) AS e, consent FROM read_csv(${quote(recipients)}, header = true, all_varchar = true)),
       s AS (SELECT DISTINCT lower(trim(email)) AS e FROM read_csv(${quote(suppression)}, header = true, all_varchar = true))
  SELECT
    (SELECT count(*) FROM r) AS rows,
    (SELECT count(*) FROM r WHERE e IS NULL OR NOT regexp_full_match(e, '${EMAIL}')) AS invalid,
    (SELECT count(*) FROM (SELECT e FROM r WHERE e IS NOT NULL GROUP BY e HAVING count(*) > 1)) AS repeated,
    (SELECT count(*) FROM r JOIN s USING (e)) AS suppressed,
    (SELECT count(*) FROM r WHERE coalesce(lower(trim(consent)), '') NOT IN ('yes', 'true', 'y', '1')) AS unconsented
`);
const [row] = result.getRowObjectsJson();
process.stdout.write(`${JSON.stringify(row)}\n`);
