// The lab's write-load client: inserts one row at a time through the service address (HAProxy)
// and logs every insert PostgreSQL acknowledged, so a failover can be checked against the truth.
//
//   node scripts/lab/write-load.js --host 127.0.40.1 --port 5432 --log acked.log [--interval-ms 5]
//
// Log format, one line per attempt (appended as it happens):
//   <id> <ack time, ms since epoch> <server address>     acknowledged: COMMIT returned
//   # <time> <id> failed: <error>                        not acknowledged (may or may not exist)
// Every attempt uses a new id, so an id is acknowledged at most once. Stops on SIGTERM/SIGINT
// after the insert in flight, prints a one-line JSON summary on stdout and exits 0.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.40.1' },
    port: { type: 'string', default: '5432' },
    log: { type: 'string' },
    'interval-ms': { type: 'string', default: '5' },
    'max-seconds': { type: 'string', default: '3600' },
  },
});
if (!values.log) {
  process.stderr.write('usage: write-load.js --log FILE [--host H] [--port P] [--interval-ms N] [--max-seconds N]\n');
  process.exit(2);
}
const interval = Number(values['interval-ms']);
const deadline = Date.now() + Number(values['max-seconds']) * 1000;
const out = createWriteStream(values.log, { flags: 'a' });
let stopping = false;
process.on('SIGTERM', () => (stopping = true));
process.on('SIGINT', () => (stopping = true));

// Ids grow with time, so a restarted writer never reuses one.
let nextId = Date.now() * 1000;
let acked = 0;
let failed = 0;
let client = null;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function connect() {
  const c = new pg.Client({
    host: values.host,
    port: Number(values.port),
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 500,
    query_timeout: 2000,
    application_name: 'drplan-lab-writer',
  });
  c.on('error', () => undefined); // a dropped connection shows up on the next query
  await c.connect();
  return c;
}

while (!stopping && Date.now() < deadline) {
  const id = nextId++;
  try {
    client ??= await connect();
    const res = await client.query('INSERT INTO drplan_lab_writes (id, client_ms) VALUES ($1, $2) RETURNING inet_server_addr()::text AS server', [id, Date.now()]);
    out.write(`${id} ${Date.now()} ${String(res.rows[0]?.server ?? '?').replace(/\/32$/, '')}\n`);
    acked++;
    if (interval > 0) await sleep(interval);
  } catch (error) {
    failed++;
    out.write(`# ${Date.now()} ${id} failed: ${String(error?.message ?? error).replace(/\s+/g, ' ')}\n`);
    const c = client;
    client = null;
    c?.end().catch(() => undefined);
    await sleep(20);
  }
}
await client?.end().catch(() => undefined);
await new Promise((r) => out.end(r));
process.stdout.write(JSON.stringify({ acked, failed }) + '\n');
