import type { Command } from 'commander';
import { renderDot } from '../../report/graph-dot.js';
import { renderMermaid } from '../../report/graph-mermaid.js';
import { EXIT, type CliIo } from '../io.js';
import { formatOption, modeOption, paramOption, type ModeName, type OutputFormat } from '../options.js';
import { prepareExecution } from '../prepare-execution.js';

/** `drplan graph <file> [--mode M] --format mermaid|dot`. */
export function registerGraph(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('graph')
    .description('draw the plan as a diagram (Mermaid renders on GitHub and GitLab; DOT for Graphviz)')
    .argument('<file>', 'plan file')
    .addOption(modeOption(false))
    .addOption(paramOption())
    .addOption(formatOption(['mermaid', 'dot']))
    .action((file: string, options: { mode?: ModeName; param: Record<string, string>; format: OutputFormat }) => {
      const prepared = prepareExecution(io, file, options.mode, options.param);
      if (!prepared.ok) return setExit(prepared.exit);
      io.stdout(options.format === 'dot' ? renderDot(prepared.exec) : renderMermaid(prepared.exec));
      setExit(EXIT.ok);
    });
}
