import { loadRunPlan, type LoadedRunPlan } from '../app/load-run-plan.js';
import type { CheckedPlan } from '../app/read-plans.js';
import type { RecordData } from '../store/journal.js';
import { formatDiagnostic } from './format-diagnostics.js';
import { paint, useColor, UsageError, type CliIo } from './io.js';

/**
 * The plan a run was started from, for a command that cannot go on without it: an invalid plan's
 * diagnostics are printed, and a plan that cannot be had is wrong usage (exit 2).
 */
export function requireRunPlan(io: CliIo, started: RecordData['run.started']): LoadedRunPlan {
  const loaded = loadRunPlan(io.cwd, started);
  if (loaded.outcome === 'loaded') return loaded;
  if (loaded.checked) printDiagnostics(io, loaded.checked);
  throw new UsageError(loaded.message, loaded.hint);
}

/** Why a run's plan is no longer valid, as `drplan validate` would say it. */
export function printDiagnostics(io: CliIo, checked: CheckedPlan): void {
  const p = paint(useColor(io));
  for (const d of checked.diagnostics) io.stderr(formatDiagnostic(d, checked.text, p) + '\n\n');
}
