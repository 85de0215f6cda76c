// duck.mjs — the DuckDB peer of the fisc benchmark (bench/run.sh), through
// the npm package @duckdb/node-api:
//   node duck.mjs ingest DB CSV     create the voucher table and COPY the CSV in
//   node duck.mjs rollup DB OUTDIR  类/款/项 × month and region × 类 as TSV
//   node duck.mjs total DB          count and exact sum of fen
// Sums of BIGINT are HUGEINT in DuckDB and BigInt here: exact, like fisc's.
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [cmd, dbPath, arg] = process.argv.slice(2);
const inst = await DuckDBInstance.create(dbPath);
const con = await inst.connect();

async function rows(sql) {
  const reader = await con.runAndReadAll(sql);
  return reader.getRows();
}

function tsv(rs) {
  return rs.map((r) => r.map((v) => String(v)).join('\t')).join('\n') + (rs.length ? '\n' : '');
}

if (cmd === 'ingest') {
  await con.run(`CREATE TABLE voucher(date DATE, region VARCHAR, unit INTEGER, book VARCHAR,
                 func INTEGER, econ INTEGER, fen BIGINT, number VARCHAR)`);
  await con.run(`COPY voucher FROM '${arg.replace(/'/g, "''")}' (HEADER)`);
} else if (cmd === 'rollup') {
  const fm = [];
  for (const [level, div] of [['类', 10000], ['款', 100], ['项', 1]]) {
    fm.push(...(await rows(`SELECT '${level}', func // ${div} AS code, strftime(date, '%Y-%m') AS month,
                                   count(*), sum(fen)
                            FROM voucher GROUP BY code, month`)));
  }
  const rc = await rows(`SELECT '类', region, func // 10000 AS code, count(*), sum(fen)
                         FROM voucher GROUP BY region, code`);
  writeFileSync(`${arg}/fm.tsv`, tsv(fm));
  writeFileSync(`${arg}/rc.tsv`, tsv(rc));
} else if (cmd === 'total') {
  process.stdout.write(tsv(await rows('SELECT count(*), sum(fen) FROM voucher')));
} else {
  process.stderr.write('usage: node duck.mjs ingest|rollup|total DB [ARG]\n');
  process.exit(2);
}
con.closeSync?.();
