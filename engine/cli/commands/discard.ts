import type { Command } from 'commander';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';

/**
 * `drplan discard <run-id>`: removes a run that never started — an empty journal, left when an
 * older drplan was stopped between creating the journal and writing its start record. A run
 * with any record is evidence and is refused (exit 2).
 */
export function registerDiscard(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('discard')
    .description('remove a run that never started (its journal is empty); a run that started is never removed')
    .argument('<run-id>', 'the run')
    .option(...STATE_OPTION)
    .action(async (runId: string, options: { state?: string }) => {
      const store = openStateStore(io, options.state);
      const outcome = await store.discardNeverStarted(runId);
      if (!outcome.discarded) {
        throw new UsageError(
          `run ${runId} started (its journal has ${outcome.records} record${outcome.records === 1 ? '' : 's'}): only a run that never started can be discarded`,
          `a started run is evidence and stays; \`drplan status ${runId}\` shows where it stands, \`drplan resume\` or \`drplan cancel\` ends it`,
        );
      }
      io.stdout(`discarded run ${runId}: it never started (its journal was empty)\n`);
      setExit(EXIT.ok);
    });
}
