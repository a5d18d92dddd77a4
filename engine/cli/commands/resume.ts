import type { Command } from 'commander';
import { assertTrustedJournal } from '../../run/replay-decisions.js';
import { RunHistory } from '../../run/run-history.js';
import { followRun } from '../follow-run.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from '../io.js';
import { planKeys } from '../../app/load-run-plan.js';
import { requireRunPlan } from '../load-run.js';
import { formatOption, type OutputFormat } from '../options.js';
import { actingPrincipal, openStateStore, STATE_OPTION } from '../state-dir.js';
import { DRPLAN_VERSION } from '../version.js';
import { parseFaults } from './run.js';
import { describeUnstarted } from '../unstarted-run.js';

/** `drplan resume <run-id>`: rebuild the run from its journal and carry on exactly where it was. */
export function registerResume(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('resume')
    .description('continue a run from its journal (after a crash, a detach, or a decision)')
    .argument('<run-id>', 'the run')
    .option('--force-plan', 'continue even though the plan file changed since the run started (warned and journaled)')
    .option('--detach', 'return as soon as the run waits for people (exit 3)')
    .option(...STATE_OPTION)
    .addOption(formatOption(['text', 'json']))
    .action(async (runId: string, options: { forcePlan?: boolean; detach?: boolean; state?: string; format: OutputFormat }) => {
      const store = openStateStore(io, options.state);
      const journal = await store.open(runId);
      try {
        const history = RunHistory.of(journal.records());
        const started = history.started;
        if (!started) throw new UsageError(`run ${runId} cannot be resumed: ${describeUnstarted(runId, journal.records()).text}`);
        const p = paint(useColor(io));
        if (history.ended) {
          io.stdout(`run ${runId} already ended: ${history.ended.state}. Nothing to resume.\n`);
          await journal.close();
          return setExit(history.ended.state === 'succeeded' ? EXIT.ok : EXIT.failed);
        }
        const { exec, checked, changed } = requireRunPlan(io, started);
        if (changed && !options.forcePlan) {
          await journal.close();
          io.stderr(
            `drplan: ${started.planFile} changed since run ${runId} started (digest ${changed.previousDigest.slice(0, 12)}… → ${changed.digest.slice(0, 12)}…).\n` +
              `  Resuming with a different plan can run steps the run never planned. Restore the original (git) or pass --force-plan to accept the change; it will be recorded.\n`,
          );
          return setExit(EXIT.failed);
        }
        if (changed) io.stderr(`drplan: warning: resuming run ${runId} with a changed plan (--force-plan); recorded in the journal\n`);
        // Before anything is written: every decision in the journal must pass the checks it passed live.
        assertTrustedJournal(runId, store.journalFile(runId), journal.records(), { exec, keys: planKeys(checked, exec) });
        await journal.append(
          [{ type: 'run.resumed', data: { by: actingPrincipal(io), engineVersion: DRPLAN_VERSION, pid: process.pid, ...(changed ? { planChanged: changed } : {}) } }],
          started.simulated ? (journal.records().at(-1)?.time ?? Date.now()) : Date.now(),
        );
        if (options.format !== 'json') io.stdout(`run ${p.bold(runId)} · plan ${started.plan} · mode ${started.mode} · resumed from ${journal.records().length} records\n`);
        setExit(
          await followRun(io, {
            exec,
            checked,
            journal,
            runDir: store.runDir(runId),
            dryRun: started.dryRun,
            faults: parseFaults(started.faults),
            seed: started.seed ?? 1,
            detach: Boolean(options.detach),
            json: options.format === 'json',
            journalFile: store.journalFile(runId),
          }),
        );
      } catch (error) {
        await journal.close().catch(() => undefined);
        throw error;
      }
    });
}
