import type { Command } from 'commander';
import { formatExecutionText, executionToJson } from '../../report/execution-output.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { formatOption, modeOption, paramOption, type ModeName, type OutputFormat } from '../options.js';
import { prepareExecution } from '../prepare-execution.js';

/** `drplan plan <file> --mode M`: what a run would do, without doing anything. */
export function registerPlan(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('show what a run in a mode would do: phases, groups, steps, gates, critical path, RTO fit (no side effects)')
    .argument('<file>', 'plan file')
    .addOption(modeOption(true))
    .addOption(paramOption())
    .addOption(formatOption(['text', 'json']))
    .action((file: string, options: { mode: ModeName; param: Record<string, string>; format: OutputFormat }) => {
      const prepared = prepareExecution(io, file, options.mode, options.param);
      if (!prepared.ok) return setExit(prepared.exit);
      if (options.format === 'json') io.stdout(JSON.stringify(executionToJson(prepared.exec), null, 2) + '\n');
      else io.stdout(formatExecutionText(prepared.exec, paint(useColor(io))));
      setExit(EXIT.ok);
    });
}
