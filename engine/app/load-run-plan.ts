import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { approverKeysDir, loadPublicKeys } from '../approvals/keys.js';
import { resolveExecution } from '../compile/resolve-execution.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { ModeName } from '../model/plan.js';
import type { RecordData } from '../store/journal.js';
import { digestOf } from './plan-digest.js';
import { readPlan, type CheckedPlan } from './read-plans.js';

/** Why a run's plan cannot be had again: its file is gone, or no longer valid. */
export type RunPlanCode = 'PLAN_MISSING' | 'PLAN_INVALID';

export interface LoadedRunPlan {
  outcome: 'loaded';
  exec: ExecutionPlan;
  checked: CheckedPlan;
  /** Set when the plan file no longer has the digest recorded at start. */
  changed: { previousDigest: string; digest: string } | null;
}

export interface RunPlanRefusal {
  outcome: 'refused';
  code: RunPlanCode;
  message: string;
  hint: string;
  /** With PLAN_INVALID: the plan as read, whose diagnostics say why (a caller may print them). */
  checked?: CheckedPlan;
}

/**
 * The plan a run was started from, resolved again with the run's recorded mode and parameters
 * (a relative plan path is taken from `cwd`). A plan edited since the start is reported in
 * `changed`; the caller decides whether that may go on.
 *
 * @example
 * const loaded = loadRunPlan(process.cwd(), history.started);
 * if (loaded.outcome === 'refused') console.error(loaded.code, loaded.message);
 */
export function loadRunPlan(cwd: string, started: RecordData['run.started']): LoadedRunPlan | RunPlanRefusal {
  const path = started.planPath ?? resolve(cwd, started.planFile);
  if (!existsSync(path)) {
    return {
      outcome: 'refused',
      code: 'PLAN_MISSING',
      message: `run ${started.runId} was started from ${path}, which no longer exists`,
      hint: 'restore the plan file at that path (the run must continue with the plan it started with)',
    };
  }
  const checked = readPlan(path, cwd);
  checked.file = started.planFile;
  if (!checked.plan) {
    return {
      outcome: 'refused',
      code: 'PLAN_INVALID',
      message: `the plan of run ${started.runId} (${path}) is no longer valid`,
      hint: 'restore the version the run started with, or fix the errors above',
      checked,
    };
  }
  const exec = resolveExecution(checked.plan, started.mode as ModeName, started.params);
  const digest = digestOf(checked.bytes);
  return { outcome: 'loaded', exec, checked, changed: digest === started.planDigest ? null : { previousDigest: started.planDigest, digest } };
}

/** The public keys of the plan's approvers (`spec.approverKeys`, default `approvers/` beside the plan file). */
export function planKeys(checked: CheckedPlan, exec: ExecutionPlan): Map<string, KeyObject> {
  return loadPublicKeys(approverKeysDir(dirname(checked.path), exec.plan.approverKeys)).keys;
}
