import type { Command } from 'commander';
import { formatDiagnostic, summarizeDiagnostics } from '../format-diagnostics.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { expandPlanPaths, readPlan } from '../../app/read-plans.js';
import { formatOption, type OutputFormat } from '../options.js';

/** `drplan validate <file or dir>...`: every problem of every plan, compiler style or JSON. */
export function registerValidate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check plans against the schema and for meaning: every problem, not just the first')
    .argument('<paths...>', 'plan files, or directories searched for *.yaml / *.yml')
    .addOption(formatOption(['text', 'json']))
    .action((paths: string[], options: { format: OutputFormat }) => {
      const { files, problems } = expandPlanPaths(paths, io.cwd);
      const checked = files.map((f) => readPlan(f, io.cwd));
      const diagnostics = [...problems, ...checked.flatMap((c) => c.diagnostics)];
      const ok = !diagnostics.some((d) => d.severity === 'error');
      if (options.format === 'json') {
        io.stdout(
          JSON.stringify(
            {
              ok,
              diagnostics: diagnostics.map((d) => ({
                code: d.code,
                severity: d.severity,
                file: d.file,
                line: d.line,
                col: d.col,
                message: d.message,
                ...(d.hint ? { hint: d.hint } : {}),
              })),
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        const p = paint(useColor(io));
        const texts = new Map(checked.map((c) => [c.file, c.text]));
        for (const d of diagnostics) io.stdout(formatDiagnostic(d, texts.get(d.file), p) + '\n\n');
        const plural = files.length === 1 ? 'plan' : 'plans';
        const verdict = ok ? p.green('ok') : p.red('invalid');
        io.stdout(`${files.length} ${plural} checked: ${verdict} (${summarizeDiagnostics(diagnostics)})\n`);
      }
      setExit(ok ? EXIT.ok : EXIT.failed);
    });
}
