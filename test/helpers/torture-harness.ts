/**
 * Drives one crash-torture case: a real `drplan run` of a generated plan, disrupted at chosen
 * moments — SIGKILLed, its stdout closed by a `| head -1` reader, hung up — and resumed
 * (`drplan resume`, itself disrupted in turn, and on a stale lock sometimes 2–3 of them started at
 * the same instant) until the run ends, with the harness playing the operator at every pause: it
 * checks the effect ledger and answers `drplan skip` (the effect happened) or `drplan retry` (it
 * did not), as the pause message asks.
 *
 * What goes wrong on the way (an engine that stops, a stale lock that blocks, a journal that
 * breaks) is collected as problems, not thrown: the run is carried on as far as an operator
 * could carry it, so that what it did to the world can still be judged (torture-verdict.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunHistory, type RunState } from '../../engine/run/run-history.js';
import type { JournalRecord } from '../../engine/store/journal.js';
import { readJournal } from '../../engine/store/read-journal.js';
import { readHolder } from '../../engine/store/run-lock.js';
import { inProcess, RUN_LINE, verifyRun } from './torture-cli.js';
import { effectCounts, killLedgerCommands, readLedger, waitForOrphans } from './torture-ledger.js';
import { tortureSteps, tortureYaml, type TortureMode, type TortureShape } from './torture-plan.js';
import { problem, type Problem } from './torture-problems.js';
import { forgetPolledFiles, runDrplan, type KillPoint, type ProcessOutcome, type SpawnOptions } from './torture-process.js';
import { doubleDrivers, REFUSED, resumedPids } from './torture-races.js';

/** What is done to one drplan process. */
export type Disruption =
  /** SIGKILL at `at` (with `at.machine`, the commands drplan started die too: the host went down). */
  | { kind: 'kill'; at: KillPoint }
  /** At `at`, SIGHUP to the engine's process group and its output pipes closed: the terminal went. */
  | { kind: 'hangup'; at: KillPoint }
  /** `drplan … | head -1`: the reader takes the first line of stdout and closes the pipe. */
  | { kind: 'closed-stdout' };

export interface TortureCase {
  shape: TortureShape;
  mode: TortureMode;
  /**
   * In order, one at a time: each process gets the first one left. A kill or hangup the process
   * does not live to reach is kept for the next process; a closed stdout is used up by the
   * process it was given to.
   */
  disruptions: Disruption[];
  /**
   * How many `drplan resume` are started at the same instant each time the run is found with a
   * stale lock (one a crash left), in order; 1 when the list has run out.
   */
  racers: number[];
  /** Resume with --detach (exit 3 at a pause; the operator journals directly) or stay attached (the operator goes through the engine's inbox). */
  detach: boolean;
}

export interface Decision {
  stepId: string;
  decision: 'retry' | 'skip';
  /** Effects the ledger showed when the operator decided. */
  effects: number;
  live: boolean;
}

export interface TortureCounts {
  processes: number;
  /** `drplan resume` processes, racers included. */
  resumes: number;
  /** SIGKILLs delivered, by the command the process ran. */
  kills: { run: number; resume: number };
  /** Kills that took the host down (the commands drplan started died too). */
  machineKills: number;
  hangups: { delivered: number; enginesStopped: number };
  closedStdouts: { delivered: number; enginesStopped: number };
  /** Operator commands an engine driving the run refused (the operator asked again). */
  operatorRefusals: number;
}

export interface Race {
  racers: number;
  /** Racers that took the run (journaled `run.resumed` with their pid). */
  winners: number;
}

export interface TortureOutcome {
  /** Null when no run ever started (then `problems` says why). */
  runId: string | null;
  /** Exit code of the engine that ended the run (-1 when none did). */
  exitCode: number;
  /** Null when the journal cannot be read. */
  state: RunState | null;
  records: JournalRecord[];
  history: RunHistory | null;
  counts: TortureCounts;
  decisions: Decision[];
  pauseMessages: Map<string, string>;
  /** Each time a dead engine's lock was taken over: whether the resume said it took it over. */
  takeovers: { deadPid: number | null; warned: boolean }[];
  races: Race[];
  /** `drplan verify --format json` on the final journal. */
  verified: { intact: boolean; detail: string } | null;
  lockLeft: boolean;
  /** Found while driving the run (the verdict adds what the end state shows). */
  problems: Problem[];
  transcript: string[];
}


/** Resumes after which a run that has not ended is given up as stuck. */
const MAX_ROUNDS = 40;

/** The pid in a run lock file, whatever else the lock records (null when unreadable). */
/** Runs `fn`s one after the other: there is one operator, who decides one thing at a time. */
function serially(): <T>(fn: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };
}

export async function tortureRun(dir: string, c: TortureCase): Promise<TortureOutcome> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plan.yaml'), tortureYaml(c.shape));
  const ledger = join(dir, 'ledger');
  const state = join(dir, 'state');
  const steps = tortureSteps(c.shape, c.mode);
  const pending = [...c.disruptions];
  const racers = [...c.racers];
  const transcript: string[] = [];
  const problems: Problem[] = [];
  const decisions: Decision[] = [];
  const pauseMessages = new Map<string, string>();
  const takeovers: TortureOutcome['takeovers'] = [];
  const races: Race[] = [];
  const counts: TortureCounts = { processes: 0, resumes: 0, kills: { run: 0, resume: 0 }, machineKills: 0, hangups: { delivered: 0, enginesStopped: 0 }, closedStdouts: { delivered: 0, enginesStopped: 0 }, operatorRefusals: 0 };
  const asOperator = serially();
  let runId: string | null = null;
  let broken: string | null = null;

  const journalFile = (id: string) => join(state, 'runs', id, 'journal.jsonl');
  const lockFile = (id: string) => join(state, 'runs', id, 'lock');
  /** The journal's records; null once it cannot be read (then `broken` says why). */
  const records = (id: string): JournalRecord[] | null => {
    if (broken !== null) return null;
    if (!existsSync(journalFile(id))) return [];
    try {
      return readJournal(readFileSync(journalFile(id), 'utf8'), journalFile(id)).records;
    } catch (error) {
      broken = (error as Error).message;
      problems.push(problem('BROKEN_JOURNAL', `the journal cannot be read: ${broken}`));
      transcript.push(`journal broken: ${broken}`);
      return null;
    }
  };
  /** A new run's id: from the line `drplan run` prints first, else the only run in the state folder. */
  const newRunId = (stdout: string): string | null => {
    const printed = RUN_LINE.exec(stdout)?.[1];
    if (printed) return printed;
    const runs = existsSync(join(state, 'runs')) ? readdirSync(join(state, 'runs')) : [];
    return runs.length === 1 ? runs[0]! : null;
  };

  /** The operator: every pause nobody has answered yet gets retry or skip, from the ledger. */
  const settlePauses = (id: string, live: boolean) =>
    asOperator(async () => {
      const recs = records(id);
      if (!recs) return;
      for (const [stepId, h] of RunHistory.of(recs).steps) {
        if (h.status !== 'waiting' || h.waiting?.kind !== 'pause' || h.operator) continue;
        pauseMessages.set(stepId, h.waiting.reason ?? '');
        const info = steps.get(stepId);
        const effects = effectCounts(readLedger(ledger, id)).get(stepId) ?? 0;
        // A VM operation on the simulator leaves nothing behind a crash: doing it again is the answer.
        const decision = info?.ledger && effects > 0 ? 'skip' : 'retry';
        decisions.push({ stepId, decision, effects, live });
        const args = decision === 'skip' ? ['skip', id, stepId, '--reason', 'the ledger shows its effect', '--state', 'state'] : ['retry', id, stepId, '--reason', 'the ledger shows no effect', '--state', 'state'];
        // The operator's command in-process (the same `cli` the binary runs): no Node start-up per decision.
        const out = await inProcess(dir, args);
        transcript.push(`${decision} ${stepId} (${live ? 'via the engine' : 'journaled'}): exit ${out.code} ${out.stdout.trim()} ${out.stderr.trim()}`);
        if (out.code === 0) continue;
        // An engine driving the run can be a step ahead of the journal the operator read (it
        // re-judges a step as it resumes): the operator reads again and asks again on the next
        // tick, and a run that never gets its answer does not end (stuck). With no engine
        // running, the journal is all there is: a refusal is a failure.
        if (live) counts.operatorRefusals++;
        else problems.push(problem('OPERATOR_REFUSED', `drplan ${args.join(' ')} exited ${out.code}: ${(out.stdout + out.stderr).trim()}`));
      }
    });

  const describe = (o: SpawnOptions) =>
    o.closeStdout ? ' (stdout closed after its first line)' : o.hangup ? ` (hangup at ${JSON.stringify(o.hangup)})` : o.kill ? ` (kill at ${JSON.stringify(o.kill)})` : '';

  /**
   * Starts `count` identical drplan processes at the same instant with the first disruption left.
   * Among racers, what strikes one process — a kill at a moment of its own life, a hangup, a
   * closed pipe: one operator's terminal — strikes the first; what strikes the engine that
   * drives (a kill at its Nth effect or record) or the host (a machine kill) strikes them all.
   */
  const launch = async (role: 'run' | 'resume', args: string[], id: string | null, count: number): Promise<ProcessOutcome[]> => {
    const d = pending[0] ?? null;
    const options = (racer: number): SpawnOptions => {
      const first = racer === 0;
      return {
        cwd: dir,
        ledgerFile: ledger,
        killCommands: () => killLedgerCommands(ledger),
        journalFile: id ? journalFile(id) : (stdout) => {
          const found = newRunId(stdout);
          return found ? journalFile(found) : null;
        },
        kill: d?.kind === 'kill' && (first || d.at.kind !== 'delay' || d.at.machine) ? d.at : null,
        hangup: d?.kind === 'hangup' && first ? d.at : null,
        closeStdout: d?.kind === 'closed-stdout' && first,
        ...(role === 'resume' && !c.detach && id ? { onTick: () => settlePauses(id, true) } : {}),
        // A run here takes seconds; one wedged (by two engines, say) is given up on in half a minute.
        timeoutMs: 30_000,
      };
    };
    const given = Array.from({ length: count }, (_, racer) => options(racer));
    const outs = await Promise.all(given.map((o) => runDrplan(args, o)));
    const delivered = d?.kind === 'kill' ? outs.some((o) => o.killed) : d?.kind === 'hangup' ? outs.some((o) => o.hungUp) : d !== null;
    if (delivered) pending.shift();
    for (const [i, out] of outs.entries()) {
      counts.processes++;
      if (role === 'resume') counts.resumes++;
      if (out.killed) {
        counts.kills[role]++;
        if (d?.kind === 'kill' && d.at.machine) counts.machineKills++;
      }
      if (out.hungUp) counts.hangups.delivered++;
      if (d?.kind === 'closed-stdout' && out.stdoutClosed) counts.closedStdouts.delivered++;
      transcript.push(`${args[0]}${count > 1 ? ` (one of ${count} racing)` : ''}${describe(given[i]!)}: ${out.killed ? 'KILLED' : out.code === null ? `ended by ${out.signal}` : `exit ${out.code}`}${out.hungUp ? ', hung up' : ''} after ${out.ms} ms (pid ${out.pid})`);
      if (out.stderr.trim()) transcript.push(`  stderr: ${out.stderr.trim().split('\n').join('\n          ')}`);
    }
    // Commands a dead engine started go on: the ledger says all there is to say once they are done.
    try {
      await waitForOrphans(ledger);
    } catch (error) {
      problems.push(problem('STUCK', (error as Error).message));
    }
    return outs;
  };

  /**
   * How each process ended, against what the journal shows now. Killed by the harness: expected.
   * Otherwise an engine that took the run ends when the run ends (0 succeeded, 1 failed or
   * cancelled) or waits for people (3); one that lost a race is refused (1) or finds the run
   * already ended. Anything else is an engine that stopped mid-run.
   */
  const judgeExits = (outs: ProcessOutcome[], role: 'run' | 'resume', id: string, racing: boolean) => {
    const recs = records(id);
    if (!recs) return;
    const history = RunHistory.of(recs);
    for (const out of outs) {
      if (out.killed) continue;
      const how = out.code === null ? `was ended by ${out.signal}` : `exited ${out.code}`;
      const tail = (out.stderr.trim().split('\n').slice(-3).join(' | ') || 'nothing on stderr').slice(0, 400);
      if (out.timedOut) {
        problems.push(problem('STUCK', `${role} pid ${out.pid} ran past its timeout and was killed (the run was ${history.state})`));
        continue;
      }
      const tookRun = role === 'run' || recs.some((r) => r.type === 'run.resumed' && r.data.pid === out.pid);
      if (!tookRun && out.code === 1 && REFUSED.test(out.stderr)) {
        if (!racing) problems.push(problem('STALE_LOCK_BLOCKED', `a resume was refused by the lock of an engine that no longer runs: ${tail}`));
        continue;
      }
      const ended = Boolean(history.ended);
      const fine =
        (out.code === 0 && ended && history.state === 'succeeded') ||
        (out.code === 1 && ended && history.state !== 'succeeded') ||
        (out.code === 3 && !ended && (history.state === 'waiting' || history.state === 'paused'));
      if (fine) continue;
      if (out.hungUp) counts.hangups.enginesStopped++;
      else if (out.stdoutClosed) counts.closedStdouts.enginesStopped++;
      const cause = out.hungUp ? ' after a hangup (SIGHUP, output pipes closed)' : out.stdoutClosed ? ' after its stdout was closed' : '';
      const when = tookRun ? `while the run was ${history.state}` : 'before it took the run or was refused it';
      problems.push(problem('ENGINE_STOPPED', `${role} pid ${out.pid} ${how}${cause} ${when}: ${tail}`));
    }
  };

  // Start the run. A process that dies before the run's first record is durable leaves nothing
  // to resume: start anew, as an operator would.
  let last: ProcessOutcome[] = [];
  for (let attempt = 0; runId === null; attempt++) {
    if (attempt >= 10) {
      problems.push(problem('STUCK', 'no `drplan run` started the run in 10 attempts'));
      break;
    }
    last = await launch('run', ['run', 'plan.yaml', '--mode', c.mode, '--param', `ledger=${ledger}`, '--state', 'state'], null, 1);
    const out = last[0]!;
    const id = newRunId(out.stdout);
    const recs = id ? records(id) : [];
    if (id && recs && recs[0]?.type === 'run.started') {
      runId = id;
      judgeExits(last, 'run', id, false);
      break;
    }
    if (!recs) break;
    if (id && readLedger(ledger, id).length > 0) problems.push(problem('UNTRACKED_EFFECT', `run ${id} has effects but no run.started record`));
    if (!out.killed) {
      if (out.hungUp) counts.hangups.enginesStopped++;
      else if (out.stdoutClosed) counts.closedStdouts.enginesStopped++;
      const cause = out.hungUp ? ' after a hangup' : out.stdoutClosed ? ' after its stdout was closed' : '';
      problems.push(problem('ENGINE_STOPPED', `drplan run ${out.code === null ? `was ended by ${out.signal}` : `exited ${out.code}`}${cause} without starting a run: ${(out.stdout + out.stderr).trim().slice(0, 400) || 'no output'}`));
    }
  }

  /** The processes that ended the run, if any: not killed, exit 0 or 1, not a refused racer. */
  const enders = (outs: ProcessOutcome[]) => outs.filter((o) => !o.killed && !o.timedOut && (o.code === 0 || o.code === 1) && !REFUSED.test(o.stderr));
  for (let round = 0; runId !== null; round++) {
    const id = runId;
    const recs = records(id);
    if (!recs) break;
    // Ended, and an engine said how: done. Ended under an engine that was killed before it could
    // say (or release its lock): one more resume answers "already ended" with the outcome, as an
    // operator finding the engine gone would ask.
    if (RunHistory.of(recs).ended && enders(last).length > 0) break;
    if (round >= MAX_ROUNDS) {
      problems.push(problem('STUCK', `no end after ${MAX_ROUNDS} resumes (the run is ${RunHistory.of(recs).state})`));
      break;
    }
    await settlePauses(id, false);
    // Every engine of this case has exited: a lock still there is one a dead engine left.
    // (The lock directory stays after a release; a lock still naming an engine is stale.)
    const holder = readHolder(lockFile(id));
    const stale = holder !== null;
    const deadPid = holder?.pid ?? null;
    const count = stale ? Math.max(1, Math.min(3, racers.shift() ?? 1)) : 1;
    last = await launch('resume', ['resume', id, '--state', 'state', ...(c.detach ? ['--detach'] : [])], id, count);
    judgeExits(last, 'resume', id, count > 1);
    // A resume took the run when it journaled run.resumed with its pid.
    const resumed = resumedPids(journalFile(id));
    const winners = last.filter((o) => resumed.has(o.pid));
    if (count > 1) races.push({ racers: count, winners: winners.length });
    const doubled = count > 1 ? doubleDrivers(last, resumed) : [];
    if (doubled.length > 1) {
      problems.push(problem('DOUBLE_DRIVE', `${doubled.length} racing resumes (pids ${doubled.map((o) => o.pid).join(', ')}) each took over the stale lock of pid ${deadPid ?? '?'} and held the run at the same time`));
    }
    if (count > 1 && winners.length === 0 && last.every((o) => !o.killed && !o.hungUp && o.code === 1 && REFUSED.test(o.stderr))) {
      problems.push(problem('STALE_LOCK_BLOCKED', `all ${count} racing resumes were refused by the stale lock of pid ${deadPid ?? '?'}`));
    }
    if (stale && winners.length > 0) {
      const says = deadPid === null ? 'taking over the lock' : `taking over the lock of pid ${deadPid}`;
      takeovers.push({ deadPid, warned: last.some((o) => o.stderr.includes(says)) });
    }
    if (!records(id)) break;
  }

  const final = runId ? records(runId) : null;
  const history = final ? RunHistory.of(final) : null;
  // A run that ended was ended by an engine that wrote whole records: a torn line means a writer came after it.
  if (runId && final && history?.ended && readJournal(readFileSync(journalFile(runId), 'utf8'), journalFile(runId)).tornTail) {
    problems.push(problem('BROKEN_JOURNAL', 'the final journal ends in a torn line'));
  }
  const verified = runId ? await verifyRun(dir, runId) : null;
  forgetPolledFiles(dir);
  return {
    runId,
    // The exit code that ended the run: the engine that took it (or the one that found it ended).
    exitCode: enders(last).at(-1)?.code ?? -1,
    state: history?.state ?? null,
    records: final ?? [],
    history,
    counts,
    decisions,
    pauseMessages,
    takeovers,
    races,
    verified,
    // The lock directory stays (its last epoch says "free"): left means an engine is still named.
    lockLeft: runId !== null && readHolder(lockFile(runId)) !== null,
    problems,
    transcript,
  };
}

