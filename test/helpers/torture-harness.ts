/**
 * Drives one crash-torture case: a real `drplan run` of a generated plan, SIGKILLed at chosen
 * moments, resumed (`drplan resume`, itself sometimes killed) until the run ends, with the harness
 * playing the operator at every pause: it checks the effect ledger and answers `drplan skip` (the
 * effect happened) or `drplan retry` (it did not), as the pause message asks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../engine/cli/cli.js';
import { RunHistory, type RunState } from '../../engine/run/run-history.js';
import type { JournalRecord } from '../../engine/store/journal.js';
import { readJournal } from '../../engine/store/read-journal.js';
import { readHolder } from '../../engine/store/run-lock.js';
import { effectCounts, killLedgerCommands, readLedger, waitForOrphans } from './torture-ledger.js';
import { tortureSteps, tortureYaml, type TortureMode, type TortureShape } from './torture-plan.js';
import { drplanEnv, isAlive, runDrplan, type KillPoint, type ProcessOutcome } from './torture-process.js';

export interface TortureCase {
  shape: TortureShape;
  mode: TortureMode;
  kills: KillPoint[];
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

export interface TortureOutcome {
  runId: string;
  exitCode: number;
  state: RunState;
  records: JournalRecord[];
  history: RunHistory;
  killsDelivered: number;
  processes: number;
  decisions: Decision[];
  pauseMessages: Map<string, string>;
  /** Each resume that found a dead engine's lock: whether it said it took it over. */
  takeovers: { deadPid: number; warned: boolean }[];
  lockLeft: boolean;
  transcript: string[];
}

export interface Reference {
  state: RunState;
  exitCode: number;
  succeeded: Set<string>;
  effects: Map<string, number>;
}

const RUN_LINE = /^run (\S+) ·/m;

/** `drplan <args>` through the in-process CLI (the code bin/drplan.js runs, from source). */
export async function inProcess(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: drplanEnv(), cwd, isTTY: false });
  return { code, stdout, stderr };
}

/** The same plan and mode run once without interruption (in-process CLI, real clock, real commands). */
export async function referenceRun(dir: string, c: Pick<TortureCase, 'shape' | 'mode'>): Promise<Reference> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plan.yaml'), tortureYaml(c.shape));
  const ledger = join(dir, 'ledger');
  const { code, stdout, stderr } = await inProcess(dir, ['run', 'plan.yaml', '--mode', c.mode, '--param', `ledger=${ledger}`, '--state', 'state']);
  const runId = RUN_LINE.exec(stdout)?.[1];
  if (!runId || (code !== 0 && code !== 1)) throw new Error(`reference run ended with exit ${code}:\n${stdout}${stderr}`);
  const history = RunHistory.of(readJournal(readFileSync(join(dir, 'state', 'runs', runId, 'journal.jsonl'), 'utf8'), 'journal.jsonl').records);
  const succeeded = new Set([...history.steps].filter(([, h]) => h.status === 'succeeded').map(([id]) => id));
  return { state: history.state, exitCode: code, succeeded, effects: effectCounts(readLedger(ledger, runId)) };
}

export async function tortureRun(dir: string, c: TortureCase): Promise<TortureOutcome> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plan.yaml'), tortureYaml(c.shape));
  const ledger = join(dir, 'ledger');
  const state = join(dir, 'state');
  const steps = tortureSteps(c.shape, c.mode);
  const kills = [...c.kills];
  const transcript: string[] = [];
  const decisions: Decision[] = [];
  const pauseMessages = new Map<string, string>();
  const takeovers: TortureOutcome['takeovers'] = [];
  let killsDelivered = 0;
  let processes = 0;
  let runId: string | null = null;

  const journalFile = (id: string) => join(state, 'runs', id, 'journal.jsonl');
  const lockFile = (id: string) => join(state, 'runs', id, 'lock');
  const records = (id: string): JournalRecord[] => (existsSync(journalFile(id)) ? readJournal(readFileSync(journalFile(id), 'utf8'), journalFile(id)).records : []);
  const note = (what: string, out: ProcessOutcome) => {
    transcript.push(`${what}: ${out.killed ? 'KILLED' : `exit ${out.code}`} after ${out.ms} ms (pid ${out.pid})`);
    if (out.stderr.trim()) transcript.push(`  stderr: ${out.stderr.trim().split('\n').join('\n          ')}`);
  };
  const spawn = async (what: string, args: string[], id: string | null, onTick?: () => Promise<void>) => {
    // A kill point the process did not live to reach is kept for the next process.
    const kill = kills[0] ?? null;
    processes++;
    const out = await runDrplan(args, {
      cwd: dir,
      kill,
      ledgerFile: ledger,
      killCommands: () => killLedgerCommands(ledger),
      journalFile: id ? journalFile(id) : (stdout) => {
        const m = RUN_LINE.exec(stdout);
        return m ? journalFile(m[1]!) : null;
      },
      ...(onTick ? { onTick } : {}),
    });
    if (out.killed) {
      killsDelivered++;
      kills.shift();
    }
    note(`${what}${kill ? ` (kill at ${JSON.stringify(kill)})` : ''}`, out);
    if (out.killed) await waitForOrphans(ledger);
    return out;
  };

  /** The operator: every pause nobody has answered yet gets retry or skip, from the ledger. */
  const settlePauses = async (id: string, live: boolean) => {
    const history = RunHistory.of(records(id));
    for (const [stepId, h] of history.steps) {
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
      if (out.code !== 0) throw new Error(`drplan ${args.join(' ')} failed (exit ${out.code}):\n${out.stdout}${out.stderr}\n${transcript.join('\n')}`);
    }
  };

  // Start the run. A kill before its first record is durable leaves nothing to resume: start anew.
  let last: ProcessOutcome;
  for (;;) {
    last = await spawn('run', ['run', 'plan.yaml', '--mode', c.mode, '--param', `ledger=${ledger}`, '--state', 'state'], null);
    const id = RUN_LINE.exec(last.stdout)?.[1];
    if (id && records(id)[0]?.type === 'run.started') {
      runId = id;
      break;
    }
    if (!last.killed) throw new Error(`drplan run ended (exit ${last.code}) without starting a run:\n${last.stdout}${last.stderr}`);
    if (id && readLedger(ledger, id).length > 0) throw new Error(`run ${id} has effects but no run.started record`);
  }

  for (let round = 0; ; round++) {
    if (round > 50) throw new Error(`no end after 50 resumes:\n${transcript.join('\n')}`);
    if (!last.killed && (last.code === 0 || last.code === 1)) {
      if (RunHistory.of(records(runId)).ended) break;
      throw new Error(`drplan exited ${last.code} but run ${runId} has not ended:\n${last.stdout}${last.stderr}\n${transcript.join('\n')}`);
    }
    if (!last.killed && last.code !== 3) throw new Error(`unexpected exit ${last.code}:\n${last.stdout}${last.stderr}\n${transcript.join('\n')}`);
    await settlePauses(runId, false);
    const holder = readHolder(lockFile(runId));
    const stale = holder && !isAlive(holder.pid) ? holder.pid : null;
    const id = runId;
    last = await spawn('resume', ['resume', id, '--state', 'state', ...(c.detach ? ['--detach'] : [])], id, c.detach ? undefined : () => settlePauses(id, true));
    if (/is being driven by another drplan/.test(last.stderr)) throw new Error(`a resume was refused by a stale lock:\n${last.stderr}\n${transcript.join('\n')}`);
    // The resume took the lock when it journaled run.resumed with its pid.
    const tookLock = records(id).some((r) => r.type === 'run.resumed' && r.data.pid === last.pid);
    if (stale !== null && tookLock) takeovers.push({ deadPid: stale, warned: last.stderr.includes(`taking over the lock of pid ${stale}`) });
  }

  const final = records(runId);
  const history = RunHistory.of(final);
  return {
    runId,
    exitCode: last.code ?? -1,
    state: history.state,
    records: final,
    history,
    killsDelivered,
    processes,
    decisions,
    pauseMessages,
    takeovers,
    // The lock directory stays (its last epoch says "free"): left means an engine is still named.
    lockLeft: readHolder(lockFile(runId)) !== null,
    transcript,
  };
}

/** Writes the plan of `shape` into `dir`; returns the paths a hand-written scenario needs. */
export function writeTorturePlan(dir: string, shape: TortureShape): { ledger: string; journal: (runId: string) => string } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plan.yaml'), tortureYaml(shape));
  return { ledger: join(dir, 'ledger'), journal: (runId) => join(dir, 'state', 'runs', runId, 'journal.jsonl') };
}

/** The run id a `drplan run` printed on its first line. */
export function runIdOf(stdout: string): string {
  const id = RUN_LINE.exec(stdout)?.[1];
  if (!id) throw new Error(`no run id in:\n${stdout}`);
  return id;
}

export function journalRecords(file: string): JournalRecord[] {
  return readJournal(readFileSync(file, 'utf8'), file).records;
}
