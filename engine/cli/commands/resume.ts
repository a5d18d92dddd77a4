import type { Command } from 'commander';
import { resumeRun } from '../../app/resume-run.js';
import { followRun } from '../follow-run.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from '../io.js';
import { printDiagnostics } from '../format-diagnostics.js';
import { formatOption, type OutputFormat } from '../options.js';
import { actingPrincipal, openStateStore, STATE_OPTION } from '../state-dir.js';
import { DRPLAN_VERSION } from '../version.js';
import { parseFaults } from './run.js';

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
      const resumed = await resumeRun(store, runId, {
        cwd: io.cwd,
        by: actingPrincipal(io),
        engineVersion: DRPLAN_VERSION,
        forcePlan: Boolean(options.forcePlan),
        warn: (message) => io.stderr(`drplan: warning: ${message}\n`),
      });
      switch (resumed.code) {
        case 'ALREADY_ENDED':
          io.stdout(`${resumed.message}\n`);
          return setExit(resumed.state === 'succeeded' ? EXIT.ok : EXIT.failed);
        case 'PLAN_CHANGED':
          io.stderr(`drplan: ${resumed.message}\n  ${resumed.hint}\n`);
          return setExit(EXIT.failed);
        case 'NOT_STARTED':
        case 'PLAN_MISSING':
        case 'PLAN_INVALID':
          if (resumed.checked) printDiagnostics(io, resumed.checked);
          throw new UsageError(resumed.message, resumed.hint);
        case 'RESUMED':
          break;
      }
      const { journal, started, exec, checked } = resumed;
      try {
        const p = paint(useColor(io));
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
