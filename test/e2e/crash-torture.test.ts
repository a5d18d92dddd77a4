/**
 * Crash torture (SPEC §4 Store, STYLE "Durability"): the real `drplan` process disrupted at random
 * moments — SIGKILLed during start-up, between an effect and its journal record, during a resume;
 * resumed 2–3 at once on the stale lock a crash left; its stdout closed by a `| head -1` reader;
 * hung up (SIGHUP to its process group) — and resumed until the run ends. Whatever happened, the
 * run must end as an uninterrupted run of the same plan does, no effect may happen twice or go
 * missing, an attempt in doubt must pause for an operator unless it may safely run again, and
 * the journal must verify.
 *
 * This is the short version of `npm run torture` (scripts/torture.js): the same campaign
 * (test/helpers/torture-campaign.ts), fewer cases. Effects are real: `run` steps execute
 * test/fixtures/torture/ledger.sh, which appends fsync'd lines to a ledger file that the harness
 * reads as an operator would check the world. VM operations run on the simulator with 10 ms
 * estimates on the real clock.
 *
 * Environment: DRPLAN_TORTURE_CASES (default 12), DRPLAN_TORTURE_SEED (case i is generated from
 * seed + i: DRPLAN_TORTURE_SEED=<a failed case's seed> DRPLAN_TORTURE_CASES=1 reruns it),
 * DRPLAN_TORTURE_DISRUPTIONS (comma-separated kill, race, closed-stdout, hangup, or all),
 * DRPLAN_TORTURE_KEEP=1 (keep the cases' folders), DRPLAN_TORTURE_LOG=<file> (every transcript).
 *
 * Needs the build (`npm test` builds first): the processes run bin/drplan.js → dist/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunHistory } from '../../engine/run/run-history.js';
import { DISRUPTION_KINDS, MAX_DISRUPTIONS, parseDisruptionKinds, runCampaign, type DisruptionKind } from '../helpers/torture-campaign.js';
import { inProcess, journalRecords, referenceRun, runIdOf, verifyRun, writeTorturePlan } from '../helpers/torture-cli.js';
import { tortureRun, type TortureCase } from '../helpers/torture-harness.js';
import { checkPausesWaitForOperator } from '../helpers/torture-invariants.js';
import { killLedgerCommands, readLedger, waitForOrphans } from '../helpers/torture-ledger.js';
import type { TortureShape } from '../helpers/torture-plan.js';
import { formatReport, rerunCommand } from '../helpers/torture-report.js';
import { ROOT, runDrplan, type ProcessOutcome } from '../helpers/torture-process.js';
import { doubleDrivers } from '../helpers/torture-races.js';
import { describeFailure, judgeOutcome } from '../helpers/torture-verdict.js';

/** The disruptions the suite's torture uses unless DRPLAN_TORTURE_DISRUPTIONS says otherwise: all of them. */
const SHORT_SUITE_DISRUPTIONS: readonly DisruptionKind[] = DISRUPTION_KINDS;

/** About 2.5 s each on a loaded 2-core machine, some 2 SIGKILLs each: the file stays under a minute. */
const CASES = Number(process.env.DRPLAN_TORTURE_CASES ?? 12);
const SEED = process.env.DRPLAN_TORTURE_SEED ? Number(process.env.DRPLAN_TORTURE_SEED) : Math.floor(Math.random() * 2 ** 31);
const KINDS = process.env.DRPLAN_TORTURE_DISRUPTIONS ? parseDisruptionKinds(process.env.DRPLAN_TORTURE_DISRUPTIONS) : [...SHORT_SUITE_DISRUPTIONS];

let scratch = '';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
  scratch = mkdtempSync(join(tmpdir(), 'drplan-torture-'));
});
afterAll(() => {
  // DRPLAN_TORTURE_KEEP=1 keeps the cases' directories (plan, ledger, state) to look at.
  if (scratch && !process.env.DRPLAN_TORTURE_KEEP) rmSync(scratch, { recursive: true, force: true });
  else if (scratch) process.stdout.write(`[torture] kept ${scratch}\n`);
});

describe('crash torture: disrupt the real drplan anywhere, resume until the end', () => {

  it(
    `${CASES} generated runs (all modes), disrupted by ${KINDS.join(', ')}: the same end as uninterrupted, every effect exactly once, journals that verify`,
    async () => {
      const failures: string[] = [];
      const report = await runCampaign({
        seed: SEED,
        cases: CASES,
        jobs: 1,
        kinds: KINDS,
        maxDisruptions: MAX_DISRUPTIONS.suite,
        scratch: join(scratch, 'campaign'),
        keep: Boolean(process.env.DRPLAN_TORTURE_KEEP),
        log: process.env.DRPLAN_TORTURE_LOG ?? null,
        onCase(result) {
          const rerun = `DRPLAN_TORTURE_SEED=${result.seed} DRPLAN_TORTURE_CASES=1 DRPLAN_TORTURE_DISRUPTIONS=${KINDS.join(',')} npx vitest run test/e2e/crash-torture.test.ts (or ${rerunCommand(result.seed, KINDS, MAX_DISRUPTIONS.suite)})`;
          if (result.failure) failures.push(`case ${result.index}, seed ${result.seed} — rerun: ${rerun}\n${result.failure}`);
        },
      });
      // Printed for the record (docs/reliability.md describes the figures).
      process.stdout.write(`[torture] ${formatReport(report)}`);
      expect(failures.join('\n\n'), `${failures.length} of ${CASES} tortured runs failed`).toBe('');
      expect(report.problems.LAUNCHER_LEFT, 'shell launchers left running by torture engines').toBe(0);
      // The disruptions were delivered, not just drawn.
      if (KINDS.includes('kill')) expect(report.kills.total).toBeGreaterThan(0);
      if (KINDS.includes('race') && KINDS.includes('kill') && CASES >= 10) expect(report.races.total).toBeGreaterThan(0);
      if (KINDS.includes('closed-stdout') && CASES >= 10) expect(report.closedStdouts.delivered).toBeGreaterThan(0);
    },
    900_000,
  );
});

// ---- The torture's own detectors: doctored evidence must be caught, or a green torture means nothing.

describe('the crash torture catches what it is there to catch', () => {
  const plain: TortureShape = {
    kind: 'sequential',
    vmIdempotent: true,
    prechecks: [{ id: 'pre1', failFirst: 0, attempts: 1 }],
    groups: [{ id: 'db', vms: ['db-1'], concurrency: 1, pre: [], post: [{ id: 'post1', failFirst: 0, attempts: 1 }] }],
    finalize: [],
    cleanup: [],
    onFailure: [],
  };
  const c: TortureCase = { shape: plain, mode: 'planned', disruptions: [], racers: [], detach: false };

  it('a step whose effect happened twice, or not at all, and a journal with a record cut out of its middle', async () => {
    const ref = await referenceRun(join(scratch, 'detect-ref'), c);
    const dir = join(scratch, 'detect');
    const out = await tortureRun(dir, c);
    expect(judgeOutcome(c, out, ref, dir), describeFailure(c, out, [])).toEqual([]);
    const ledger = join(dir, 'ledger');
    const lines = readFileSync(ledger, 'utf8');
    const effect = lines.split('\n').find((l) => l.startsWith(`effect ${out.runId} post1 `))!;

    writeFileSync(ledger, lines + effect + '\n');
    expect(judgeOutcome(c, out, ref, dir).map((p) => p.kind)).toEqual(['DUPLICATED_EFFECT']);

    writeFileSync(ledger, lines.replace(effect + '\n', ''));
    expect(judgeOutcome(c, out, ref, dir).map((p) => p.kind)).toEqual(['MISSING_EFFECT']);

    writeFileSync(ledger, lines);
    const journal = join(dir, 'state', 'runs', out.runId!, 'journal.jsonl');
    const records = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, [...records.slice(0, 3), ...records.slice(4)].join('\n'));
    const verified = await verifyRun(dir, out.runId!);
    expect(verified.intact).toBe(false);
    expect(judgeOutcome(c, { ...out, verified }, ref, dir).map((p) => p.kind)).toEqual(['BROKEN_JOURNAL']);
  });

  it('two racers that took over the same dead engine\'s lock while both ran, and not two that came one after the other', () => {
    const racer = (pid: number, over: Partial<ProcessOutcome>): ProcessOutcome => ({
      code: 3, signal: null, killed: false, hungUp: false, stdoutClosed: false, timedOut: false, pid, stdout: '', ms: 500, startedAt: 1_000, endedAt: 1_500,
      stderr: `drplan: warning: run r: taking over the lock of pid 42 on host, which is no longer running\n`,
      ...over,
    });
    const refused = 'drplan: run r is being driven by another drplan (pid 7 on host, since …)\n';
    // Both journaled run.resumed, the second while the first still ran.
    expect(doubleDrivers([racer(7, {}), racer(8, {})], new Map([[7, 1_100], [8, 1_200]])).map((o) => o.pid)).toEqual([7, 8]);
    // The second came after the first had ended: it found the first engine's lock gone.
    expect(doubleDrivers([racer(7, { endedAt: 1_150 }), racer(8, {})], new Map([[7, 1_100], [8, 1_200]]))).toEqual([]);
    // The second took over the first's lock after the first died: it names the first, not pid 42.
    expect(doubleDrivers([racer(7, { killed: true, code: null }), racer(8, { stderr: 'taking over the lock of pid 7 on host' })], new Map([[7, 1_100], [8, 1_200]]))).toEqual([]);
    // A racer that announced the takeover and was then refused did not hold the run.
    expect(doubleDrivers([racer(7, {}), racer(8, { code: 1, stderr: racer(8, {}).stderr + refused })], new Map([[7, 1_100]]))).toEqual([]);
    // One's run.resumed was overwritten by the other's write: both still held the run.
    expect(doubleDrivers([racer(7, {}), racer(8, {})], new Map([[8, 1_200]])).map((o) => o.pid)).toEqual([7, 8]);
  });
});

// ---- Engine bugs the torture found. Each is pinned by the smallest scenario that shows it, as
// `it.fails` until it is fixed (then drop `.fails`, and widen the property above as its comments
// say); a fixed one stays as a regression test.

const steady = (id: string) => ({ id, failFirst: 0, attempts: 1 });
const oneGroup = (over: Partial<TortureShape>): TortureShape => ({
  kind: 'sequential',
  vmIdempotent: true,
  prechecks: [steady('pre1')],
  groups: [{ id: 'db', vms: ['db-1'], concurrency: 1, pre: [], post: [] }],
  finalize: [],
  cleanup: [],
  onFailure: [],
  ...over,
});

describe('engine bugs found by the crash torture (it.fails until fixed, then regression tests)', () => {

  // BUG (engine/run/step-executor.ts runEffect; engine/run/run-history.ts 'step.waiting'): the
  // pause record clears `inFlight`, and runEffect only pauses when `inFlight` is set, so a resume
  // of a run paused on an in-doubt step — without any retry or skip — starts the step again as a
  // new attempt: the non-idempotent command runs twice although nobody checked it had not happened.
  it('a second `drplan resume` leaves a step paused in doubt alone until an operator decides', async () => {
    const dir = join(scratch, 'bug-pause-rerun');
    const { ledger, journal } = writeTorturePlan(dir, oneGroup({}));
    const run = await runDrplan(['run', 'plan.yaml', '--mode', 'unplanned', '--param', `ledger=${ledger}`, '--state', 'state'], { cwd: dir, kill: { kind: 'begin', stepId: 'pre1' }, ledgerFile: ledger });
    expect(run.killed).toBe(true);
    await waitForOrphans(ledger);
    const id = runIdOf(run.stdout);
    const first = await runDrplan(['resume', id, '--state', 'state', '--detach'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(first.stdout).toContain('paused on pre1');
    const second = await runDrplan(['resume', id, '--state', 'state', '--detach'], { cwd: dir });
    expect(checkPausesWaitForOperator(journalRecords(journal(id)))).toEqual([]);
    expect(readLedger(ledger, id).filter((l) => l.kind === 'begin' && l.stepId === 'pre1')).toHaveLength(1);
    expect(second.code).toBe(3);
  });

  // BUG (engine/run/step-executor.ts executeStep/runEffect): only succeeded and skipped steps are
  // short-circuited on replay. A step whose last attempt failed for good (`final: true`) is run
  // again by a resumed engine — here the engine is killed while the plan's onFailure handler runs,
  // and the resume calls the failed step's command once more before failing the run.
  it('a step that failed for good is not run again when the engine dies during onFailure', async () => {
    const c: TortureCase = {
      shape: oneGroup({
        kind: 'failing',
        groups: [{ id: 'db', vms: ['db-1'], concurrency: 1, pre: [], post: [{ id: 'db-broken', failFirst: 99, attempts: 1 }] }],
        onFailure: [steady('handler')],
      }),
      mode: 'unplanned',
      disruptions: [{ kind: 'kill', at: { kind: 'begin', stepId: 'handler' } }],
      racers: [],
      detach: false,
    };
    const ref = await referenceRun(join(scratch, 'bug-final-ref'), c);
    expect(ref.state).toBe('failed');
    const dir = join(scratch, 'bug-final');
    const out = await tortureRun(dir, c);
    expect(out.counts.kills.run + out.counts.kills.resume).toBe(1);
    const problems = judgeOutcome(c, out, ref, dir);
    expect(problems, describeFailure(c, out, problems)).toEqual([]);
  });

  // Regression (fixed in e607c31, found here before): `step.started` was journaled (awaiting its
  // fsync) before `activity.begin()`, so while another branch waited for a person the engine
  // looked idle for that moment; a dry-run or --detach stopped there, leaving the started step in
  // flight, or journaled as failed for good ("cancelled while running"), and every resume made at
  // most one record of progress. Journal writes now count as work.
  it('a dry-run waiting at a gate first finishes the work of the branches that do not depend on it', async () => {
    const dir = join(scratch, 'bug-detach-stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'plan.yaml'),
      [
        'apiVersion: drplan/v1',
        'kind: RecoveryPlan',
        'metadata: { name: gate-and-work }',
        'spec:',
        '  adapters:',
        '    site: { type: simulator, config: { operations: { work: { estimate: 1m } } } }',
        '  sites: { source: site, target: site }',
        '  approvers: { dba: [alice] }',
        '  groups:',
        '    - id: a',
        '      vms: [a-1]',
        '      pre:',
        '        - id: sign-off',
        '          gate: { approvers: [dba], quorum: 1 }',
        '    - id: b',
        '      dependsOn: []',
        '      vms: [b-1]',
        '      post:',
        '        - { id: w1, action: site.work }',
        '        - { id: w2, action: site.work }',
        '',
      ].join('\n'),
    );
    const run = await runDrplan(['run', 'plan.yaml', '--mode', 'unplanned', '--dry-run', '--state', 'state'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const history = RunHistory.of(journalRecords(join(dir, 'state', 'runs', runIdOf(run.stdout), 'journal.jsonl')));
    const unfinished = ['b/b-1/failover', 'b/b-1/start', 'w1', 'w2'].filter((id) => history.step(id).status !== 'succeeded');
    expect(unfinished, run.stdout).toEqual([]);
  });

  // BUG (engine/run/step-executor.ts runEffect; engine/run/run-history.ts): `drplan retry` of a
  // step paused in doubt re-runs the in-doubt attempt under its own idempotency key when an engine
  // is driving the run (settleInDoubt), but when the retry is journaled with no engine running
  // and the run is resumed, the history no longer knows the attempt was in doubt: the re-run is a
  // new attempt (new key) and the attempt that never happened uses up the retry budget. Here the
  // host dies as pre1's first attempt begins; the uninterrupted run (attempt 1 fails, attempt 2
  // succeeds) succeeds, the resumed one fails.
  it('`drplan retry` journaled while no engine runs re-runs the in-doubt attempt under its own key', async () => {
    const dir = join(scratch, 'bug-retry-attempt');
    const { ledger, journal } = writeTorturePlan(dir, oneGroup({ prechecks: [{ id: 'pre1', failFirst: 1, attempts: 2 }] }));
    const run = await runDrplan(['run', 'plan.yaml', '--mode', 'unplanned', '--param', `ledger=${ledger}`, '--state', 'state'], {
      cwd: dir,
      kill: { kind: 'begin', stepId: 'pre1', machine: true },
      ledgerFile: ledger,
      killCommands: () => killLedgerCommands(ledger),
    });
    expect(run.killed).toBe(true);
    await waitForOrphans(ledger);
    const id = runIdOf(run.stdout);
    const paused = await runDrplan(['resume', id, '--state', 'state', '--detach'], { cwd: dir });
    expect(paused.code, paused.stdout + paused.stderr).toBe(3);
    const retry = await inProcess(dir, ['retry', id, 'pre1', '--reason', 'the ledger shows no effect', '--state', 'state']);
    expect(retry.code, retry.stderr).toBe(0);
    const resumed = await runDrplan(['resume', id, '--state', 'state'], { cwd: dir });
    const records = journalRecords(journal(id));
    const retried = records.findIndex((r) => r.type === 'operator.retry');
    const rerun = records.slice(retried).find((r) => r.type === 'step.started');
    expect(rerun?.type === 'step.started' && rerun.data.idempotencyKey).toBe(`${id}:pre1:1`);
    expect(resumed.code, resumed.stdout).toBe(0);
  });
});
