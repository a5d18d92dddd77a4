import { resolveExecution } from '../compile/resolve-execution.js';
import { resolveParams } from '../compile/resolve-params.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ExecutionPlan } from '../model/execution.js';
import { MODES, type ModeName } from '../model/plan.js';
import { formatDiagnostic } from './format-diagnostics.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from './io.js';
import { readPlan, type CheckedPlan } from '../app/read-plans.js';

export type Prepared = { ok: true; exec: ExecutionPlan; checked: CheckedPlan } | { ok: false; exit: number };

/**
 * The common front half of `plan`, `graph` and `run`: read and validate the plan (printing its
 * diagnostics), check the mode is declared and the parameters fit, resolve the execution.
 */
export function prepareExecution(io: CliIo, file: string, mode: ModeName | undefined, given: Record<string, string>): Prepared {
  const checked = readPlan(file, io.cwd);
  const p = paint(useColor(io));
  const print = (ds: readonly Diagnostic[]) => {
    for (const d of ds) io.stderr(formatDiagnostic(d, checked.text, p) + '\n\n');
  };
  const plan = checked.plan;
  if (!plan) {
    print(checked.diagnostics);
    io.stderr(`${file}: the plan is invalid; fix the errors above (\`drplan validate ${file}\` lists them all)\n`);
    return { ok: false, exit: EXIT.failed };
  }
  const declared = MODES.filter((m) => plan.modes[m] !== undefined);
  const chosen = mode ?? (declared.includes('planned') ? 'planned' : declared[0]!);
  if (!declared.includes(chosen)) {
    throw new UsageError(`${file}: the plan does not declare mode "${chosen}"`, `it declares ${declared.join(', ')}; add \`${chosen}: {}\` under spec.modes to allow it`);
  }
  const { params, problems } = resolveParams(plan, given);
  if (problems.length > 0) {
    for (const problem of problems) {
      const at = checked.source!.locate(problem.pointer);
      io.stderr(`${file}:${at.line}:${at.col}: ${problem.message}${problem.hint ? `\n  hint: ${problem.hint}` : ''}\n`);
    }
    return { ok: false, exit: EXIT.usage };
  }
  return { ok: true, exec: resolveExecution(plan, chosen, params), checked };
}
