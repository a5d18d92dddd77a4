import type { JsonObject, OperationDeclaration } from '../../adapters/types.js';
import type { DrplanRecoveryPlan } from './plan-document.generated.js';

/**
 * The validated, normalised plan: defaults applied, durations in milliseconds, ids generated,
 * every step's kind made explicit, and a JSON pointer kept on everything so later stages can
 * point back at the source. Produced only by `validatePlan`; everything after it trusts it.
 */

export const MODES = ['planned', 'unplanned', 'test'] as const;
export type ModeName = (typeof MODES)[number];

export type Scalar = string | number | boolean;

export type StepSection = 'prechecks' | 'pre' | 'post' | 'finalize' | 'cleanup' | 'onFailure';
export type FailurePolicy = 'abort' | 'continue' | 'pause';

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  attempts: number;
  backoffMs: number;
  factor: number;
  maxBackoffMs?: number;
}

export interface GateEscalation {
  approvers: string[];
  /** Principals the escalation's approvers resolve to. */
  principals: string[];
  quorum: number;
  timeoutMs?: number;
}

export interface GateSpec {
  approvers: string[];
  /** Principals the named groups and principals resolve to, deduplicated, in plan order. */
  principals: string[];
  quorum: number;
  timeoutMs?: number;
  onTimeout: 'fail' | 'approve' | { escalate: GateEscalation };
  instructions?: string;
  allowInitiator: boolean;
}

export interface ManualSpec {
  instructions: string;
  assignees: string[];
  /** Principals allowed to mark it done; null when anyone with a key in the plan may. */
  principals: string[] | null;
  timeoutMs?: number;
}

interface StepBase {
  id: string;
  name?: string;
  description?: string;
  /** JSON pointer of the step in the plan document. */
  pointer: string;
  section: StepSection;
  /** The group for `pre`/`post` steps, otherwise null. */
  group: string | null;
  /** Modes the step runs in; null = all. */
  modes: ModeName[] | null;
  timeoutMs?: number;
  retry: RetryPolicy;
  /** As written; the engine applies section defaults (see `effectiveFailurePolicy`). */
  onFailure?: FailurePolicy;
  estimateMs?: number;
  /** A `forEach: vm` step's estimate written as a template of VM attributes; worked out per VM (`estimates.ts`). */
  estimateTemplate?: string;
  forEach: boolean;
}

export interface ActionStep extends StepBase {
  kind: 'action';
  adapter: string;
  operation: string;
  with: JsonObject;
}

export interface RunStep extends StepBase {
  kind: 'run';
  /** argv as written; with `script`, argv[0] is the script path relative to the plan file. */
  argv: string[];
  script: boolean;
}

export interface GateStep extends StepBase {
  kind: 'gate';
  gate: GateSpec;
}

export interface ManualStep extends StepBase {
  kind: 'manual';
  manual: ManualSpec;
}

export type PlanStep = ActionStep | RunStep | GateStep | ManualStep;
export type StepKind = PlanStep['kind'];

export interface PlanVm {
  name: string;
  attributes: Record<string, Scalar>;
  pointer: string;
}

export interface PlanGroup {
  id: string;
  name?: string;
  pointer: string;
  /** Explicit `dependsOn`, or the previous group (none for the first). */
  dependsOn: string[];
  vms: PlanVm[];
  /** VM operations at once; defaults to the number of VMs (at least 1). */
  concurrency: number;
  pre: PlanStep[];
  post: PlanStep[];
}

export interface AdapterInstanceSpec {
  name: string;
  type: string;
  config: JsonObject;
  /** Per-operation estimates from the instance's `estimates`. */
  estimatesMs: Record<string, number>;
  /** What the adapter type declares for this config (filled in by validation). */
  operations: Record<string, OperationDeclaration>;
  pointer: string;
}

export interface ParameterSpec {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  default?: Scalar;
  enum?: Scalar[];
}

export interface ModeSettings {
  planned?: Record<string, never>;
  unplanned?: { recoveryPoint: string };
  test?: { network?: string; cleanup: 'always' | 'on-success' | 'manual' };
}

export interface Plan {
  file: string;
  name: string;
  description?: string;
  objectives: { rtoMs?: number; rpoMs?: number };
  adapters: Record<string, AdapterInstanceSpec>;
  sites: { source: string; target: string };
  parameters: Record<string, ParameterSpec>;
  approvers: Record<string, string[]>;
  approverKeys?: string;
  notifications?: NonNullable<DrplanRecoveryPlan['spec']['notifications']>;
  /** Declared modes. A plan without `spec.modes` declares all three with their defaults. */
  modes: ModeSettings;
  prechecks: PlanStep[];
  groups: PlanGroup[];
  finalize: PlanStep[];
  cleanup: PlanStep[];
  onFailure: PlanStep[];
  /** The document as written, for digests and reports. */
  document: DrplanRecoveryPlan;
}

/** Every step of the plan in document order (prechecks, groups' pre/post, finalize, cleanup, onFailure). */
export function allSteps(plan: Plan): PlanStep[] {
  return [
    ...plan.prechecks,
    ...plan.groups.flatMap((g) => [...g.pre, ...g.post]),
    ...plan.finalize,
    ...plan.cleanup,
    ...plan.onFailure,
  ];
}

/**
 * The failure policy that applies to a step in a mode: what the plan says, else `continue` for
 * prechecks in unplanned mode (the source may be gone), else `abort`.
 */
export function effectiveFailurePolicy(step: PlanStep, mode: ModeName): FailurePolicy {
  if (step.onFailure) return step.onFailure;
  if (step.section === 'prechecks' && mode === 'unplanned') return 'continue';
  return 'abort';
}
