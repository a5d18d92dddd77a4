import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { signDecision, type DecisionStatement } from '../../approvals/decision-statement.js';
import { privateKeyPath } from '../../approvals/keys.js';
import { judgeRequest, type OperatorRequest } from '../../run/operator-requests.js';
import { assertTrustedJournal } from '../../run/replay-decisions.js';
import { RunHistory } from '../../run/run-history.js';
import { awaitOutcome, submitRequest, withdrawRequest } from '../../store/inbox.js';
import { RunLockedError } from '../../store/run-lock.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { planKeys } from '../../app/load-run-plan.js';
import { requireRunPlan } from '../load-run.js';
import { actingPrincipal, openStateStore, STATE_OPTION } from '../state-dir.js';

/**
 * Operator controls — retry, skip, cancel, done — each journaled with who and why. When an engine
 * drives the run, the request goes through its inbox and the engine answers; when none does, the
 * request is judged and journaled here, and `drplan resume` carries the run on.
 */
export function registerOperatorCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const act = (build: (by: string) => OperatorRequest, runId: string, state: string | undefined) =>
    applyRequest(io, runId, state, build(actingPrincipal(io))).then(setExit);

  program
    .command('retry')
    .description('retry a paused step (after a failure with onFailure: pause, or a step in doubt after a crash)')
    .argument('<run-id>')
    .argument('<step-id>')
    .option('--reason <text>', 'why (recorded)')
    .option(...STATE_OPTION)
    .action((runId: string, stepId: string, o: { reason?: string; state?: string }) => act((by) => ({ type: 'retry', stepId, by, ...(o.reason ? { reason: o.reason } : {}) }), runId, o.state));

  program
    .command('skip')
    .description('skip a paused step and go on (for example: you checked its effect happened)')
    .argument('<run-id>')
    .argument('<step-id>')
    .requiredOption('--reason <text>', 'why it is safe to skip (recorded)')
    .option(...STATE_OPTION)
    .action((runId: string, stepId: string, o: { reason: string; state?: string }) => act((by) => ({ type: 'skip', stepId, by, reason: o.reason }), runId, o.state));

  program
    .command('cancel')
    .description('cancel a run: in-flight work is stopped, test cleanup runs per policy, then the plan’s onFailure')
    .argument('<run-id>')
    .option('--reason <text>', 'why (recorded)')
    .option(...STATE_OPTION)
    .action((runId: string, o: { reason?: string; state?: string }) => act((by) => ({ type: 'cancel', by, ...(o.reason ? { reason: o.reason } : {}) }), runId, o.state));

  const decide = (decision: 'approve' | 'reject' | 'done', what: string) =>
    program
      .command(decision)
      .description(what)
      .argument('<run-id>')
      .argument(decision === 'done' ? '<step-id>' : '<gate-id>')
      .option('--comment <text>', decision === 'reject' ? 'why (recorded; shown as the gate’s failure)' : 'a note (recorded)')
      .option('--as <principal>', 'who you are (default: $DRPLAN_PRINCIPAL or your user name)')
      .option('--key <path>', 'your private key (default: the one `drplan keys generate` made)')
      .option(...STATE_OPTION)
      .action(async (runId: string, stepId: string, o: { comment?: string; as?: string; key?: string; state?: string }) => {
        const by = o.as ?? actingPrincipal(io);
        const store = openStateStore(io, o.state);
        const started = store.read(runId).records.find((r) => r.type === 'run.started');
        if (started?.type !== 'run.started') throw new UsageError(`run ${runId} has no start record`);
        const statement: DecisionStatement = {
          v: 1,
          runId,
          stepId,
          decision,
          principal: by,
          planDigest: started.data.planDigest,
          time: new Date().toISOString(),
          ...(o.comment ? { comment: o.comment } : {}),
        };
        const keyFile = resolve(io.cwd, o.key ?? privateKeyPath(by, io.env));
        let signed;
        if (existsSync(keyFile)) signed = signDecision(statement, readFileSync(keyFile, 'utf8'));
        else if (!started.data.dryRun || o.key) {
          throw new UsageError(`no private key for ${by} at ${keyFile}`, `make one with \`drplan keys generate ${by}\` and commit the .pub it writes; or pass --key`);
        }
        const request: OperatorRequest = { type: decision, stepId, by, ...(o.comment ? { comment: o.comment } : {}), ...(signed ? { signed } : {}) };
        setExit(await applyRequest(io, runId, o.state, request));
      });
  decide('approve', 'approve a gate, signed with your key');
  decide('reject', 'reject a gate (the run fails with your reason), signed with your key');
  decide('done', 'mark a manual step done, signed with your key (as an assignee)');
}

export async function applyRequest(io: CliIo, runId: string, state: string | undefined, request: OperatorRequest): Promise<number> {
  const store = openStateStore(io, state);
  const runDir = store.runDir(runId);
  const until = Date.now() + 15_000;
  for (;;) {
    let journal;
    try {
      journal = await store.open(runId);
    } catch (error) {
      if (!(error instanceof RunLockedError)) throw error;
      // Someone holds the run: an engine driving it (it will answer through the inbox), or another
      // command recording its own decision (it lets go within moments; then try the lock again).
      const id = submitRequest(runDir, request);
      const outcome = await awaitOutcome(runDir, id, 2_000);
      if (outcome) {
        if (!outcome.accepted) {
          io.stderr(`drplan: refused: ${outcome.message}\n`);
          return EXIT.failed;
        }
        io.stdout(`${describe(request)}: applied by the engine driving run ${runId}\n`);
        return EXIT.ok;
      }
      if (!withdrawRequest(runDir, id)) {
        // Taken just now: the engine has it and will answer.
        const late = await awaitOutcome(runDir, id, 10_000);
        if (late && !late.accepted) {
          io.stderr(`drplan: refused: ${late.message}\n`);
          return EXIT.failed;
        }
        io.stdout(`${describe(request)}: handed to the engine driving run ${runId}\n`);
        return EXIT.ok;
      }
      if (Date.now() > until) {
        io.stderr(`drplan: run ${runId} is held by pid ${error.holder.pid} on ${error.holder.host}, which neither answers nor lets go; nothing was recorded. Try again.\n`);
        return EXIT.failed;
      }
      continue;
    }
    return recordDirectly(io, runId, store.journalFile(runId), journal, request);
  }
}

/** No engine drives the run: judge the request against the journal and record it here. */
async function recordDirectly(io: CliIo, runId: string, journalFile: string, journal: Awaited<ReturnType<ReturnType<typeof openStateStore>['open']>>, request: OperatorRequest): Promise<number> {
  try {
    const history = RunHistory.of(journal.records());
    if (!history.started) throw new UsageError(`run ${runId} has no start record`);
    const { exec, checked } = requireRunPlan(io, history.started);
    const time = history.started.simulated ? (journal.records().at(-1)?.time ?? Date.now()) : Date.now();
    const keys = planKeys(checked, exec);
    // A journal with a decision that does not count is not added to (not even a refusal).
    assertTrustedJournal(runId, journalFile, journal.records(), { exec, keys });
    const verdict = judgeRequest(exec, history, request, { requireSignatures: !history.started.dryRun, keys, now: time });
    if (!verdict.ok) {
      if (!history.ended) await journal.append([{ type: 'request.refused', data: { request: { ...request }, reason: verdict.refusal } }], time);
      io.stderr(`drplan: refused: ${verdict.refusal}\n`);
      return EXIT.failed;
    }
    await journal.append(verdict.records, time);
    io.stdout(`${describe(request)}: recorded. No engine is driving run ${runId}; \`drplan resume ${runId}\` carries it on.\n`);
    return EXIT.ok;
  } finally {
    await journal.close();
  }
}

function describe(r: OperatorRequest): string {
  return r.type === 'cancel' ? `cancel by ${r.by}` : `${r.type} of ${r.stepId} by ${r.by}`;
}
