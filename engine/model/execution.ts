import type { ModeName, Plan, PlanStep, Scalar } from './plan.js';

/**
 * The resolved execution of a plan in one mode (SPEC §2.3, §3.1): every step that would run,
 * VM operations included, with its phase and the steps it waits for. `drplan plan` prints it,
 * `drplan graph` draws it, `compilePlan` turns it into a state machine. Pure data.
 */

export type Phase = 'prechecks' | 'shutdown' | 'sync' | 'groups' | 'finalize' | 'cleanup' | 'onFailure';
export type ExecKind = 'action' | 'run' | 'gate' | 'manual' | 'vm';

export interface ExecStep {
  /** `step-id`, `<group>/<vm>/<operation>` for VM operations, `<step-id>/<vm>` for forEach steps. */
  id: string;
  kind: ExecKind;
  phase: Phase;
  group: string | null;
  vm: string | null;
  /** The adapter operation (action and VM steps), else null. */
  operation: string | null;
  /** Adapter instance called (action and VM steps), else null. */
  adapter: string | null;
  /** Excluded by the step's `modes`: shown, never run. */
  skipped: boolean;
  /** Ids of the steps that must finish first. */
  after: string[];
  /** Expected duration; 0 when unknown (see `estimated`). */
  estimateMs: number;
  estimated: boolean;
  /** The plan step this comes from (null for VM operations). */
  step: PlanStep | null;
  /** For VM operations and forEach steps: the group's concurrency slot pool they share. */
  pool: string | null;
}

export interface CriticalPath {
  steps: string[];
  estimateMs: number;
}

export interface ExecutionPlan {
  plan: Plan;
  mode: ModeName;
  params: Record<string, Scalar>;
  /** In an order that respects `after`. */
  steps: ExecStep[];
  /** The plan's `onFailure` steps, run once if the run ends failed or cancelled. */
  onFailure: ExecStep[];
  /** Concurrency of each pool named by `ExecStep.pool`. */
  pools: Record<string, number>;
  criticalPath: CriticalPath;
  objectives: { rtoMs: number | null; fits: boolean | null };
  /** Steps that lack an estimate (and so make `fits` optimistic). */
  unestimated: string[];
}
