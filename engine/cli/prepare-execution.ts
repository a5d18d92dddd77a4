import { resolveExecution } from '../compile/resolve-execution.js';
import { resolveParams } from '../compile/resolve-params.js';
import type { ExecutionPlan } from '../model/execution.js';
import { MODES, type ModeName } from '../model/plan.js';
import { writeDiagnostics } from './format-diagnostics.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from './io.js';
import { readPlan, type CheckedPlan } from '../app/read-plans.js';

export type Prepared = { ok: true; exec: ExecutionPlan; checked: CheckedPlan } | { ok: false; exit: number };

/**
 * The common front half of `plan`, `graph` and `run`: read and validate the plan (printing its
 * diagnostics), check the mode is declared and the parameters fit, resolve the execution.
 */
export function prepareExecution(io: CliIo, file: string, mode: ModeName | undefined, given: Record<string, string>): Prepared {
  const checked = readPlan(file, io.cwd);
  const plan = checked.plan;
  if (!plan) {
    writeDiagnostics(io.stderr, checked.diagnostics, checked.text, paint(useColor(io)), { file, counts: checked.omitted });
    io.stderr(`${file}: the plan is invalid; fix the errors above, then check it again with \`drplan validate ${file}\`\n`);
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
