/**
 * Recorded journals replay to the same state (STYLE "Durability": the journal is the run; like
 * Temporal's recorded histories, old journals are fixtures every later version must replay).
 *
 * Each `test/fixtures/journals/<plan>.<case>.jsonl` was written by a real drplan run of
 * `<plan>.plan.yaml` (README.md there says how). This test reads it with `readJournal` (the chain
 * must verify), folds it with `RunHistory.of`, and compares what `drplan status --format json`
 * would print (`runStatusJson`) with the committed `<plan>.<case>.expected.json`.
 *
 * A change that makes an old journal replay differently fails here: either the change is wrong,
 * or it is a deliberate change of meaning — then write down why, and regenerate the expectations
 * with `DRPLAN_UPDATE_JOURNAL_FIXTURES=1 npx vitest run test/unit/store/journal-replay.test.ts`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import type { ModeName } from '../../../engine/model/plan.js';
import { RunHistory } from '../../../engine/run/run-history.js';
import { runStatusJson } from '../../../engine/run/run-status.js';
import { readJournal } from '../../../engine/store/read-journal.js';
import { validPlan } from '../../helpers/pipeline.js';

const DIR = fileURLToPath(new URL('../../fixtures/journals/', import.meta.url));
const UPDATE = Boolean(process.env.DRPLAN_UPDATE_JOURNAL_FIXTURES);

/** What each recording is of: the state its replay must reach, whatever else changes. */
const STATES: Record<string, string> = {
  'replay.planned-success': 'succeeded',
  'replay.test-failure-cleanup': 'failed',
  'replay.gate-wait': 'waiting',
  'replay.pause-on-failure': 'paused',
  'replay-crash.pause-in-doubt': 'paused',
  'replay-crash.skipped-after-crash': 'succeeded',
};

const recordings = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => f.slice(0, -'.jsonl'.length))
  .sort();

function replay(name: string) {
  const file = join(DIR, `${name}.jsonl`);
  const read = readJournal(readFileSync(file, 'utf8'), file);
  const history = RunHistory.of(read.records);
  const started = history.started;
  if (!started) throw new Error(`${name}: no run.started record`);
  const planFile = join(DIR, `${name.split('.')[0]}.plan.yaml`);
  const planBytes = readFileSync(planFile);
  const plan = validPlan(planBytes.toString('utf8'), planFile);
  const exec = resolveExecution(plan, started.mode as ModeName, started.params);
  return { read, history, started, planBytes, exec, status: runStatusJson(exec, history) };
}

describe('recorded journals replay to the committed state', () => {
  it('every recording is listed here with the state it records', () => {
    expect(recordings).toEqual(Object.keys(STATES).sort());
  });

  it.each(recordings)('%s', (name) => {
    const { read, history, started, planBytes, status } = replay(name);
    // Recorded whole: no torn tail, the chain verified while reading.
    expect(read.tornTail).toBeUndefined();
    // The plan beside it is the one the run started from.
    expect(createHash('sha256').update(planBytes).digest('hex')).toBe(started.planDigest);
    expect(history.state).toBe(STATES[name]);

    const expectedFile = join(DIR, `${name}.expected.json`);
    if (UPDATE || !existsSync(expectedFile)) {
      if (!UPDATE) throw new Error(`${expectedFile} is missing; record it with DRPLAN_UPDATE_JOURNAL_FIXTURES=1`);
      writeFileSync(expectedFile, JSON.stringify(status, null, 2) + '\n');
    }
    expect(JSON.parse(JSON.stringify(status))).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });

  it.each(recordings)('%s: applying the records one by one gives the state of every prefix folded at once', (name) => {
    const { read } = replay(name);
    const incremental = new RunHistory();
    for (const [i, record] of read.records.entries()) {
      incremental.apply(record);
      const folded = RunHistory.of(read.records.slice(0, i + 1));
      expect(incremental.state).toBe(folded.state);
      expect(incremental.waitingOn).toEqual(folded.waitingOn);
    }
    expect([...incremental.steps]).toEqual([...RunHistory.of(read.records).steps]);
  });
});

describe('what the recordings show (so a regeneration cannot quietly bless a wrong state)', () => {
  const steps = (name: string) => new Map(replay(name).status.steps.map((s) => [s.id, s]));

  it('planned success: every step succeeded, VM operations included, the gate approved as simulated', () => {
    const s = steps('replay.planned-success');
    expect([...s.values()].every((x) => x.status === 'succeeded')).toBe(true);
    expect(s.get('db/pg-1/failover')).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(s.get('dba-ok')?.output).toMatchObject({ approvedBy: ['auto-approve'], simulated: true });
  });

  it('test with a failure: the failed test failover is the failure, cleanup ran for the VMs that have a copy, onFailure ran', () => {
    const { status } = replay('replay.test-failure-cleanup');
    expect(status.failure).toEqual({ stepId: 'app/app-2/testFailover', error: expect.stringContaining('injected fault') });
    const s = new Map(status.steps.map((x) => [x.id, x.status]));
    expect(s.get('app/app-2/testFailover')).toBe('failed');
    for (const id of ['app/app-1/cleanupTest', 'app/app-3/cleanupTest', 'db/pg-1/cleanupTest', 'drop-net', 'mark-unusable']) expect(s.get(id)).toBe('succeeded');
  });

  it('gate wait: waiting on the gate, with its principals and rendered instructions', () => {
    const { history, status } = replay('replay.gate-wait');
    expect(status.waitingOn).toEqual(['dba-ok']);
    expect(history.step('dba-ok').waiting).toMatchObject({ kind: 'gate', principals: ['alice', 'bob'], quorum: 1, instructions: 'Confirm db may fail over' });
  });

  it('pause on failure: paused on the failed step for an operator', () => {
    const { history, status } = replay('replay.pause-on-failure');
    expect(status.waitingOn).toEqual(['dns']);
    expect(history.step('dns').waiting).toMatchObject({ kind: 'pause' });
  });

  it('crash: the step killed mid-run is paused in doubt, naming its idempotency key; skipped by an operator, the run ends', () => {
    const paused = replay('replay-crash.pause-in-doubt');
    expect(paused.read.records.filter((r) => r.type === 'run.resumed')).toHaveLength(1);
    expect(paused.history.step('promote').waiting?.reason).toMatch(new RegExp(`key ${paused.started.runId}:promote:1\\b`));
    const done = replay('replay-crash.skipped-after-crash');
    expect(done.history.step('promote')).toMatchObject({ status: 'skipped', attempts: 1 });
    // The same run: the later recording extends the earlier one record for record.
    expect(done.read.records.slice(0, paused.read.records.length)).toEqual(paused.read.records);
  });
});
