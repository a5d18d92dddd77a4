import type { Command } from 'commander';
import { formatRunList, runListEntry, runListJson, type RunListEntry } from '../../report/run-report-runs.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { formatOption, type OutputFormat } from '../options.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';

/** `drplan runs`: every run in the state directory, newest first. A damaged journal is listed as `damaged`, not fatal. */
export function registerRuns(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('runs')
    .description('list the runs in the state directory, newest first')
    .option(...STATE_OPTION)
    .addOption(formatOption(['text', 'json']))
    .action(async (options: { state?: string; format: OutputFormat }) => {
      const store = openStateStore(io, options.state);
      const now = Date.now();
      const entries: RunListEntry[] = [];
      for (const summary of await store.list()) {
        let read: Parameters<typeof runListEntry>[1];
        try {
          read = { records: store.read(summary.runId).records };
        } catch (error) {
          read = { error: error instanceof Error ? error.message : String(error) };
        }
        entries.push(runListEntry(summary, read, now));
      }
      if (options.format === 'json') io.stdout(JSON.stringify(runListJson(entries), null, 2) + '\n');
      else if (entries.length === 0) io.stdout(`no runs in ${store.dir}\n`);
      else io.stdout(formatRunList(entries, paint(useColor(io))));
      setExit(EXIT.ok);
    });
}
