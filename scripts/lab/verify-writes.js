// Checks the write-load client's log against a database: which acknowledged ids are missing
// (acknowledged rows lost), and the ground-truth data-loss window they span.
//
//   node scripts/lab/verify-writes.js --log acked.log --host 127.0.40.1 --port 5432
//
// Prints one JSON object: { acked, present, lost, lostIds (first 20), lastSurvivingAckMs,
// lastLostAckMs, lossWindowSeconds, servers: { address: acked count } }. The window is the time
// between the last acknowledged row that survived and the last acknowledged row that was lost
// (0 when nothing was lost): the RPO a failover achieved, measured by the client.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.40.1' },
    port: { type: 'string', default: '5432' },
    log: { type: 'string' },
  },
});
if (!values.log) {
  process.stderr.write('usage: verify-writes.js --log FILE [--host H] [--port P]\n');
  process.exit(2);
}
const acked = [];
const servers = {};
for (const line of readFileSync(values.log, 'utf8').split('\n')) {
  const m = /^(\d+) (\d+) (\S+)$/.exec(line);
  if (!m) continue;
  acked.push({ id: BigInt(m[1]), ackMs: Number(m[2]) });
  servers[m[3]] = (servers[m[3]] ?? 0) + 1;
}
const client = new pg.Client({ host: values.host, port: Number(values.port), user: 'postgres', database: 'postgres', connectionTimeoutMillis: 3000 });
await client.connect();
const present = new Set();
const res = await client.query({ text: 'SELECT id::text FROM drplan_lab_writes', rowMode: 'array' });
for (const [id] of res.rows) present.add(BigInt(id));
await client.end();

const lost = acked.filter((a) => !present.has(a.id));
const surviving = acked.filter((a) => present.has(a.id));
const lastLost = lost.reduce((m, a) => Math.max(m, a.ackMs), 0);
// The recovery point is the newest acknowledged row the database still has before the loss.
const firstLost = lost.reduce((m, a) => Math.min(m, a.ackMs), Number.POSITIVE_INFINITY);
const lastSurviving = surviving.filter((a) => a.ackMs < firstLost).reduce((m, a) => Math.max(m, a.ackMs), 0);
process.stdout.write(
  JSON.stringify({
    acked: acked.length,
    present: acked.length - lost.length,
    lost: lost.length,
    lostIds: lost.slice(0, 20).map((a) => a.id.toString()),
    lastSurvivingAckMs: lastSurviving || null,
    lastLostAckMs: lastLost || null,
    lossWindowSeconds: lost.length === 0 ? 0 : (lastLost - lastSurviving) / 1000,
    servers,
  }) + '\n',
);
