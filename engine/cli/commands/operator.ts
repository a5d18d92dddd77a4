import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { signDecision, type DecisionStatement } from '../../approvals/decision-statement.js';
import { privateKeyPath } from '../../approvals/keys.js';
import { applyRequest } from '../../app/apply-request.js';
import type { OperatorRequest } from '../../store/operator-request.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { printDiagnostics } from '../format-diagnostics.js';
import { actingPrincipal, openStateStore, STATE_OPTION } from '../state-dir.js';

/**
 * Operator controls — retry, skip, cancel, done — each journaled with who and why. When an engine
 * drives the run, the request goes through its inbox and the engine answers; when none does, the
 * request is judged and journaled here, and `drplan resume` carries the run on.
 */
export function registerOperatorCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const act = (build: (by: string) => OperatorRequest, runId: string, state: string | undefined) =>
    submitOperatorRequest(io, runId, state, build(actingPrincipal(io))).then(setExit);

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
        setExit(await submitOperatorRequest(io, runId, o.state, request));
      });
  decide('approve', 'approve a gate, signed with your key');
  decide('reject', 'reject a gate (the run fails with your reason), signed with your key');
  decide('done', 'mark a manual step done, signed with your key (as an assignee)');
}

/** Applies the request (app/apply-request.ts) and prints what became of it; the exit code. */
export async function submitOperatorRequest(io: CliIo, runId: string, state: string | undefined, request: OperatorRequest): Promise<number> {
  const applied = await applyRequest(openStateStore(io, state), runId, request, { cwd: io.cwd });
  switch (applied.code) {
    case 'APPLIED':
    case 'HANDED':
    case 'RECORDED':
      io.stdout(`${applied.message}\n`);
      return EXIT.ok;
    case 'REFUSED':
      io.stderr(`drplan: refused: ${applied.message}\n`);
      return EXIT.failed;
    case 'RUN_HELD':
      io.stderr(`drplan: ${applied.message}\n`);
      return EXIT.failed;
    case 'NO_START_RECORD':
    case 'PLAN_MISSING':
    case 'PLAN_INVALID':
      if (applied.checked) printDiagnostics(io, applied.checked);
      throw new UsageError(applied.message, applied.hint);
  }
}
