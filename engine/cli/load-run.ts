import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { approverKeysDir, loadPublicKeys } from '../approvals/keys.js';
import { resolveExecution } from '../compile/resolve-execution.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { ModeName } from '../model/plan.js';
import type { RecordData } from '../store/journal.js';
import { formatDiagnostic } from './format-diagnostics.js';
import { paint, useColor, UsageError, type CliIo } from './io.js';
import { readPlan, type CheckedPlan } from '../app/read-plans.js';
import { digestOf } from '../app/plan-digest.js';

export interface LoadedRunPlan {
  exec: ExecutionPlan;
  checked: CheckedPlan;
  /** Set when the plan file no longer has the digest recorded at start. */
  changed: { previousDigest: string; digest: string } | null;
}

/**
 * The plan a run was started from, resolved again with the run's recorded mode and parameters.
 * A plan edited since the start is reported in `changed`; the caller decides whether that may go on.
 */
export function loadRunPlan(io: CliIo, started: RecordData['run.started']): LoadedRunPlan {
  const path = started.planPath ?? resolve(io.cwd, started.planFile);
  if (!existsSync(path)) {
    throw new UsageError(`run ${started.runId} was started from ${path}, which no longer exists`, 'restore the plan file at that path (the run must continue with the plan it started with)');
  }
  const checked = readPlan(path, io.cwd);
  checked.file = started.planFile;
  if (!checked.plan) {
    const p = paint(useColor(io));
    for (const d of checked.diagnostics) io.stderr(formatDiagnostic(d, checked.text, p) + '\n\n');
    throw new UsageError(`the plan of run ${started.runId} (${path}) is no longer valid`, 'restore the version the run started with, or fix the errors above');
  }
  const exec = resolveExecution(checked.plan, started.mode as ModeName, started.params);
  const digest = digestOf(checked.bytes);
  return { exec, checked, changed: digest === started.planDigest ? null : { previousDigest: started.planDigest, digest } };
}

/** The public keys of the plan's approvers (`spec.approverKeys`, default `approvers/` beside the plan file). */
export function planKeys(checked: CheckedPlan, exec: ExecutionPlan): Map<string, KeyObject> {
  return loadPublicKeys(approverKeysDir(dirname(checked.path), exec.plan.approverKeys)).keys;
}
