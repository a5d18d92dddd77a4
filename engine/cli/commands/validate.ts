import type { Command } from 'commander';
import { addCounts, type DiagnosticCounts } from '../../model/diagnostic-cap.js';
import { countDiagnostics, summarizeCounts, writeDiagnostics } from '../format-diagnostics.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { expandPlanPaths, readPlan } from '../../app/read-plans.js';
import { formatOption, type OutputFormat } from '../options.js';

/**
 * `drplan validate <file or dir>...`: every problem of every plan, compiler style or JSON. Each
 * file shows its first MAX_DIAGNOSTICS_PER_FILE problems and says how many more it has; the
 * counts (summary line, JSON `errors`/`warnings`) include every one.
 */
export function registerValidate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check plans against the schema and for meaning: every problem, not just the first')
    .argument('<paths...>', 'plan files, or directories searched for *.yaml / *.yml')
    .addOption(formatOption(['text', 'json']))
    .action((paths: string[], options: { format: OutputFormat }) => {
      const { files, problems } = expandPlanPaths(paths, io.cwd);
      const checked = files.map((f) => readPlan(f, io.cwd));
      let total: DiagnosticCounts = countDiagnostics(problems);
      for (const c of checked) total = addCounts(total, addCounts(countDiagnostics(c.diagnostics), c.omitted));
      const ok = total.errors === 0;
      if (options.format === 'json') {
        const diagnostics = [...problems, ...checked.flatMap((c) => c.diagnostics)];
        const omitted = checked.filter((c) => c.omitted.errors + c.omitted.warnings > 0).map((c) => ({ file: c.file, ...c.omitted }));
        io.stdout(
          JSON.stringify(
            {
              ok,
              errors: total.errors,
              warnings: total.warnings,
              diagnostics: diagnostics.map((d) => ({
                code: d.code,
                severity: d.severity,
                file: d.file,
                line: d.line,
                col: d.col,
                message: d.message,
                ...(d.hint ? { hint: d.hint } : {}),
              })),
              omitted,
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        const p = paint(useColor(io));
        writeDiagnostics(io.stdout, problems, undefined, p);
        for (const c of checked) writeDiagnostics(io.stdout, c.diagnostics, c.text, p, { file: c.file, counts: c.omitted });
        const plural = files.length === 1 ? 'plan' : 'plans';
        const verdict = ok ? p.green('ok') : p.red('invalid');
        io.stdout(`${files.length} ${plural} checked: ${verdict} (${summarizeCounts(total)})\n`);
      }
      setExit(ok ? EXIT.ok : EXIT.failed);
    });
}
