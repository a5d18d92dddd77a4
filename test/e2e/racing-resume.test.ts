/**
 * Two operators who both run `drplan resume` after a crash: real `drplan resume` processes
 * started together on the stale lock of a run whose steps are non-idempotent commands recording
 * their effect in a ledger (test/fixtures/torture/ledger.sh). One engine may drive the run; the
 * others are refused. Whatever the interleaving, every effect happens once and the journal
 * verifies.
 *
 * Needs the build: the processes run bin/drplan.js → dist/.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunHistory } from '../../engine/run/run-history.js';
import { inProcess, journalRecords, writeTorturePlan } from '../helpers/torture-cli.js';
import { effectCounts, readLedger, waitForOrphans } from '../helpers/torture-ledger.js';
import { tortureSteps, type TortureShape } from '../helpers/torture-plan.js';
import { ROOT, runDrplan, type ProcessOutcome } from '../helpers/torture-process.js';

const TRIALS = Number(process.env.DRPLAN_RACE_TRIALS ?? 6);
const RACERS = 3;
const RUN_LINE = /^run (\S+) ·/m;

const steady = (id: string) => ({ id, failFirst: 0, attempts: 1 });
const SHAPE: TortureShape = {
  kind: 'sequential',
  vmIdempotent: true,
  prechecks: [steady('pre1'), steady('pre2'), steady('pre3')],
  groups: [{ id: 'db', vms: ['db-1'], concurrency: 1, pre: [steady('db-pre')], post: [steady('db-post')] }],
  finalize: [steady('fin1'), steady('fin2')],
  cleanup: [],
  onFailure: [],
};

let scratch = '';
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  scratch = mkdtempSync(join(tmpdir(), 'drplan-racing-resume-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** One trial: a run killed mid-way, then RACERS resumes at once, then an operator finishing it. */
async function trial(n: number): Promise<string[]> {
  const dir = join(scratch, `trial-${n}`);
  const { ledger, journal } = writeTorturePlan(dir, SHAPE);
  const steps = tortureSteps(SHAPE, 'unplanned');
  const transcript: string[] = [];
  const note = (what: string, out: ProcessOutcome) => transcript.push(`${what} (pid ${out.pid}): ${out.killed ? 'KILLED' : `exit ${out.code}`} ${out.stderr.trim()}`);

  // The run, killed once its journal holds a few records (after pre1 or so): a stale lock.
  const run = await runDrplan(['run', 'plan.yaml', '--mode', 'unplanned', '--param', `ledger=${ledger}`, '--state', 'state'], {
    cwd: dir,
    kill: { kind: 'journal', records: 3 + (n % 3) },
    ledgerFile: ledger,
    journalFile: (stdout) => {
      const m = RUN_LINE.exec(stdout);
      return m ? journal(m[1]!) : null;
    },
  });
  note('run', run);
  const runId = RUN_LINE.exec(run.stdout)?.[1];
  if (!runId) throw new Error(`no run id:\n${run.stdout}${run.stderr}`);
  await waitForOrphans(ledger);

  // The race: several operators resume at the same moment.
  const racers = await Promise.all(Array.from({ length: RACERS }, () => runDrplan(['resume', runId, '--state', 'state', '--detach'], { cwd: dir })));
  racers.forEach((r) => note('racing resume', r));
  await waitForOrphans(ledger);

  // An operator finishes the run: pauses answered from the ledger, then resume until it ends.
  for (let round = 0; !RunHistory.of(journalRecords(journal(runId))).ended; round++) {
    if (round > 20) throw new Error(`no end after 20 resumes:\n${transcript.join('\n')}`);
    const history = RunHistory.of(journalRecords(journal(runId)));
    for (const [stepId, h] of history.steps) {
      if (h.status !== 'waiting' || h.waiting?.kind !== 'pause' || h.operator) continue;
      const happened = (effectCounts(readLedger(ledger, runId)).get(stepId) ?? 0) > 0;
      const args = happened ? ['skip', runId, stepId, '--reason', 'the ledger shows its effect'] : ['retry', runId, stepId, '--reason', 'the ledger shows no effect'];
      const out = await inProcess(dir, [...args, '--state', 'state']);
      transcript.push(`${args[0]} ${stepId}: exit ${out.code}`);
    }
    const out = await runDrplan(['resume', runId, '--state', 'state', '--detach'], { cwd: dir });
    note('resume', out);
    await waitForOrphans(ledger);
  }

  const problems: string[] = [];
  const records = journalRecords(journal(runId));
  const history = RunHistory.of(records);
  if (history.state !== 'succeeded') problems.push(`ended ${history.state}`);
  const verify = await inProcess(dir, ['verify', runId, '--state', 'state']);
  if (verify.code !== 0) problems.push(`verify exit ${verify.code}: ${verify.stdout}`);
  const effects = effectCounts(readLedger(ledger, runId));
  for (const [id, info] of steps) if (info.ledger && effects.get(id) !== 1) problems.push(`the effect of ${id} happened ${effects.get(id) ?? 0} times`);
  // Each racer drove the run (its run.resumed is journaled), was refused, or came after the end.
  for (const r of racers) {
    const drove = records.some((x) => x.type === 'run.resumed' && x.data.pid === r.pid);
    const refused = r.code === 1 && r.stderr.includes('is being driven by another drplan');
    const late = r.code === 0 && r.stdout.includes('already ended');
    if (!drove && !refused && !late) problems.push(`racer pid ${r.pid} neither drove, nor was refused: exit ${r.code} ${r.stderr}`);
  }
  if (process.env.DRPLAN_RACE_LOG) process.stdout.write(`[race] trial ${n}\n  ${transcript.join('\n  ')}\n`);
  return problems.length === 0 ? [] : [`trial ${n}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n  transcript:\n    ${transcript.join('\n    ')}`];
}

describe('racing `drplan resume` on a stale lock', () => {
  it(`${TRIALS} crashed runs, ${RACERS} resumes started together on each: every effect once, the journal verifies`, async () => {
    const problems: string[] = [];
    for (let n = 0; n < TRIALS; n++) {
      // A journal broken by two engines writing at once throws from the operator's reading: a problem too.
      problems.push(...(await trial(n).catch((error: Error) => [`trial ${n}: ${error.message}`])));
    }
    expect(problems).toEqual([]);
  }, 900_000);
});
