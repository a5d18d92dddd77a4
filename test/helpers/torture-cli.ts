/**
 * drplan as the crash torture calls it besides the processes it disrupts: in-process (the same
 * `cli` bin/drplan.js runs) for the operator's commands, `verify` and the uninterrupted
 * reference run of each case, and the small readers hand-written scenarios need.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../engine/cli/cli.js';
import { RunHistory, type RunState } from '../../engine/run/run-history.js';
import type { JournalRecord } from '../../engine/store/journal.js';
import { readJournal } from '../../engine/store/read-journal.js';
import { effectCounts, readLedger } from './torture-ledger.js';
import { tortureYaml, type TortureMode, type TortureShape } from './torture-plan.js';
import { drplanEnv } from './torture-process.js';

/** The first line of `drplan run`: `run <id> · plan … · mode …`. */
export const RUN_LINE = /^run (\S+) ·/m;

export interface Reference {
  state: RunState;
  exitCode: number;
  succeeded: Set<string>;
  effects: Map<string, number>;
}

/** `drplan <args>` through the in-process CLI (the code bin/drplan.js runs). */
export async function inProcess(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: drplanEnv(), cwd, isTTY: false });
  return { code, stdout, stderr };
}

/** The same plan and mode run once without interruption (in-process CLI, real clock, real commands). */
export async function referenceRun(dir: string, c: { shape: TortureShape; mode: TortureMode }): Promise<Reference> {
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

/** `drplan verify <run> --format json` on a case's run: intact, or the first errors it lists. */
export async function verifyRun(dir: string, runId: string): Promise<{ intact: boolean; detail: string }> {
  const v = await inProcess(dir, ['verify', runId, '--format', 'json', '--state', 'state']);
  try {
    const json = JSON.parse(v.stdout) as { intact: boolean; findings?: { line: number; kind: string; message: string; severity: string }[] };
    const errors = (json.findings ?? []).filter((f) => f.severity === 'error').map((f) => `line ${f.line}: ${f.kind}: ${f.message}`);
    return { intact: json.intact === true && v.code === 0, detail: errors.slice(0, 3).join('; ') || `exit ${v.code}` };
  } catch {
    return { intact: false, detail: `drplan verify exited ${v.code}: ${(v.stdout + v.stderr).trim().slice(0, 400)}` };
  }
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
