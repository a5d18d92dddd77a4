import type { JsonObject } from '../../adapters/types.js';
import type { ExecKind, ExecStep, ExecutionPlan, Phase } from '../model/execution.js';
import type { UntrustedRecord } from '../run/replay-decisions.js';
import { RunHistory, type RunState, type StepStatus } from '../run/run-history.js';
import type { JournalRecord, RecordData, RefusalRepeats } from '../store/journal.js';

/**
 * What happened in a run, as facts: the one model `status`, `runs` and every `report` format
 * render. A pure function of the journal, plus the plan (re-resolved) when it is still there:
 * the plan adds phases, objectives and the steps that never ran; without it the journal alone
 * still tells who did what and when.
 */

export interface StepFacts {
  id: string;
  /** From the plan; from the id for VM operations when the plan is unavailable; else null. */
  kind: ExecKind | null;
  phase: Phase | null;
  group: string | null;
  vm: string | null;
  operation: string | null;
  /** Excluded by the step's `modes` (never run). */
  skippedByMode: boolean;
  /** False for a step in the journal that the plan (as it is now) does not have. */
  inPlan: boolean;
  /** As SPEC §3.1 reports it: steps left pending by a failed or cancelled run are `cancelled`. */
  status: StepStatus;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  output?: JsonObject;
  error?: string;
}

export interface WaitFacts {
  stepId: string;
  kind: 'gate' | 'manual' | 'pause';
  since: number;
  deadline: number | null;
  principals: string[];
  quorum: number | null;
  instructions: string | null;
  reason: string | null;
  /** Distinct approvals so far (gates). */
  approvedBy: string[];
}

export interface GateDecision {
  stepId: string;
  decision: 'approved' | 'rejected' | 'timedOut';
  /** Who decided; null for a timeout. */
  by: string | null;
  time: number;
  /** An `--auto-approve` decision, or a timeout on a dry-run's simulated clock. */
  simulated: boolean;
  comment?: string;
  /** For timeouts: what the timeout did. */
  outcome?: 'failed' | 'approved' | 'escalated';
  /** The decision carries the person's signed statement (`drplan verify` checks it against their key). */
  signed: boolean;
}

export interface ManualFacts {
  stepId: string;
  by: string;
  time: number;
  simulated: boolean;
  comment?: string;
  signed: boolean;
}

export type InterventionType = 'operator.retry' | 'operator.skip' | 'operator.abort' | 'run.cancelRequested' | 'run.resumed' | 'request.refused';

export interface Intervention {
  seq: number;
  time: number;
  type: InterventionType;
  by: string | null;
  stepId: string | null;
  /** The reason given, or why a request was refused. */
  reason: string | null;
  /** For `run.resumed` with a changed plan. */
  planChanged?: { previousDigest: string; digest: string };
  /** For `request.refused`: the request as made. */
  request?: Record<string, unknown>;
  /** For a `request.refused` that stands for many (a flood `drplan serve` counted): how many, when. */
  repeats?: RefusalRepeats;
}

export interface FailureFacts {
  stepId: string;
  attempt: number;
  time: number;
  error: string;
  /** The last attempt (no retry follows by policy). */
  final: boolean;
}

export interface ObjectiveFacts {
  rto: {
    objectiveMs: number | null;
    /** Start → recovery complete (the last step before cleanup); null when not (yet) recovered. */
    achievedMs: number | null;
    /** Start → now (or the run's end): how long the outage clock has run. */
    elapsedMs: number;
    /** What `achievedMs` was measured to. */
    measuredTo: 'finalize' | 'last recovery step' | 'run end' | null;
    met: boolean | null;
  };
  rpo: {
    objectiveMs: number | null;
    achievedMs: number | null;
    basis: 'planned' | 'unplanned' | 'test';
    /** The failover steps that reported a data-loss window (unplanned). */
    reportedBy: { stepId: string; dataLossWindowSeconds: number; recoveryPoint: string | null }[];
    met: boolean | null;
  };
}

export interface RunFacts {
  runId: string;
  started: (RecordData['run.started'] & { time: number }) | null;
  plan: string;
  mode: string;
  state: RunState;
  startedAt: number | null;
  endedAt: number | null;
  lastRecordAt: number | null;
  failure: { stepId: string | null; error: string | null } | null;
  /** Whether the plan could be resolved again (phases, objectives, steps that never ran). */
  planAvailable: boolean;
  steps: StepFacts[];
  waiting: WaitFacts[];
  gateDecisions: GateDecision[];
  manual: ManualFacts[];
  interventions: Intervention[];
  failures: FailureFacts[];
  objectives: ObjectiveFacts;
  records: number;
  /**
   * Records that do not count when the journal is replayed (engine/run/replay-decisions.ts): a
   * decision no live check would have accepted, a gate passed without one. Left out of every fact
   * above; listed so the reader sees the journal was tampered with.
   */
  untrusted: UntrustedRecord[];
}

export interface SummarizeOptions {
  /** The present, for the elapsed time of a run on the real clock that has not ended. */
  now: number;
  /** Records the replay did not count (by `seq`): left out of the facts, and listed. */
  untrusted?: readonly UntrustedRecord[];
}

/** The site operations a VM step id `<group>/<vm>/<operation>` can end with, and their phases. */
const VM_OPERATION_PHASE: Record<string, Phase> = {
  shutdown: 'shutdown',
  sync: 'sync',
  failover: 'groups',
  start: 'groups',
  testFailover: 'groups',
  cleanupTest: 'cleanup',
};

const RECOVERY_PHASES = new Set<Phase>(['prechecks', 'shutdown', 'sync', 'groups', 'finalize']);

/**
 * Folds a run's records (and its plan, when available) into the facts reports are made of.
 *
 * @example
 * const facts = summarizeRun(store.read(runId).records, exec, { now: Date.now() });
 * facts.objectives.rto; // { objectiveMs: 1800000, achievedMs: 335000, measuredTo: 'finalize', met: true, ... }
 */
export function summarizeRun(allRecords: readonly JournalRecord[], exec: ExecutionPlan | null, options: SummarizeOptions): RunFacts {
  const untrusted = [...(options.untrusted ?? [])];
  const left = new Set(untrusted.map((u) => u.seq));
  const records = left.size === 0 ? allRecords : allRecords.filter((r) => !left.has(r.seq));
  const history = RunHistory.of(records);
  const started = history.started ?? null;
  const simulatedClock = started?.simulated ?? false;
  const waitSince = new Map<string, number>();
  const gateDecisions: GateDecision[] = [];
  const manual: ManualFacts[] = [];
  const interventions: Intervention[] = [];
  const failures: FailureFacts[] = [];
  for (const r of records) {
    switch (r.type) {
      case 'step.waiting':
        waitSince.set(r.data.stepId, r.time);
        break;
      case 'gate.approved':
        gateDecisions.push({ stepId: r.data.stepId, decision: 'approved', by: r.data.by, time: r.time, simulated: r.data.simulated ?? false, signed: r.data.signed !== undefined, ...(r.data.comment ? { comment: r.data.comment } : {}) });
        break;
      case 'gate.rejected':
        gateDecisions.push({ stepId: r.data.stepId, decision: 'rejected', by: r.data.by, time: r.time, simulated: false, signed: r.data.signed !== undefined, ...(r.data.comment ? { comment: r.data.comment } : {}) });
        break;
      case 'gate.timedOut':
        gateDecisions.push({ stepId: r.data.stepId, decision: 'timedOut', by: null, time: r.time, simulated: simulatedClock, outcome: r.data.outcome, signed: false });
        break;
      case 'manual.done':
        manual.push({ stepId: r.data.stepId, by: r.data.by, time: r.time, simulated: r.data.simulated ?? false, signed: r.data.signed !== undefined, ...(r.data.comment ? { comment: r.data.comment } : {}) });
        break;
      case 'step.failed':
        failures.push({ stepId: r.data.stepId, attempt: r.data.attempt, time: r.time, error: r.data.error, final: r.data.final });
        break;
      case 'operator.retry':
      case 'operator.abort':
      case 'operator.skip':
        interventions.push({ seq: r.seq, time: r.time, type: r.type, by: r.data.by, stepId: r.data.stepId, reason: r.data.reason ?? null });
        break;
      case 'run.cancelRequested':
        interventions.push({ seq: r.seq, time: r.time, type: r.type, by: r.data.by, stepId: null, reason: r.data.reason ?? null });
        break;
      case 'run.resumed':
        interventions.push({ seq: r.seq, time: r.time, type: r.type, by: r.data.by, stepId: null, reason: null, ...(r.data.planChanged ? { planChanged: r.data.planChanged } : {}) });
        break;
      case 'request.refused': {
        const req = r.data.request;
        interventions.push({
          seq: r.seq,
          time: r.time,
          type: r.type,
          by: typeof req.by === 'string' ? req.by : null,
          stepId: typeof req.stepId === 'string' ? req.stepId : null,
          reason: r.data.reason,
          request: req,
          ...(r.data.repeats ? { repeats: r.data.repeats } : {}),
        });
        break;
      }
      default:
        break;
    }
  }

  const endedBadly = history.ended?.state === 'failed' || history.ended?.state === 'cancelled';
  const stepFacts = (id: string, planned: ExecStep | null, inPlan: boolean): StepFacts => {
    const h = history.steps.get(id);
    const skippedByMode = planned?.skipped ?? false;
    let status: StepStatus = skippedByMode ? 'skipped' : (h?.status ?? 'pending');
    if (endedBadly && (status === 'pending' || status === 'running' || status === 'waiting')) status = 'cancelled';
    const shape = planned ? { kind: planned.kind, phase: planned.phase, group: planned.group, vm: planned.vm, operation: planned.operation } : inferShape(id, h?.waiting?.kind, h?.approvals.length ?? 0);
    const startedAt = h?.startedAt ?? null;
    const finishedAt = h?.finishedAt ?? null;
    return {
      id,
      ...shape,
      skippedByMode,
      inPlan,
      status,
      attempts: h?.attempts ?? 0,
      startedAt,
      finishedAt,
      durationMs: startedAt !== null && finishedAt !== null ? finishedAt - startedAt : null,
      ...(h?.output ? { output: h.output } : {}),
      ...(h?.error && status === 'failed' ? { error: h.error } : {}),
    };
  };

  const steps: StepFacts[] = [];
  if (exec) {
    const known = new Set<string>();
    for (const s of exec.steps) {
      steps.push(stepFacts(s.id, s, true));
      known.add(s.id);
    }
    for (const s of exec.onFailure) {
      known.add(s.id);
      if (history.steps.has(s.id)) steps.push(stepFacts(s.id, s, true));
    }
    // Steps the run did that the plan no longer has (it changed since): still evidence.
    for (const id of history.steps.keys()) if (!known.has(id)) steps.push(stepFacts(id, null, false));
  } else {
    for (const id of history.steps.keys()) steps.push(stepFacts(id, null, true));
  }

  const waiting: WaitFacts[] = [];
  for (const [id, h] of history.steps) {
    if (h.status !== 'waiting' || !h.waiting) continue;
    const w = h.waiting;
    waiting.push({
      stepId: id,
      kind: w.kind,
      since: waitSince.get(id) ?? h.startedAt ?? 0,
      deadline: w.deadline,
      principals: w.principals,
      quorum: w.quorum ?? null,
      instructions: w.instructions ?? null,
      reason: w.reason ?? null,
      approvedBy: [...new Set(h.approvals.map((a) => a.by))],
    });
  }

  const startedAt = started?.time ?? records[0]?.time ?? null;
  const lastRecordAt = records.at(-1)?.time ?? null;
  const endedAt = history.ended?.time ?? null;
  const facts: RunFacts = {
    runId: started?.runId ?? '',
    started,
    plan: exec?.plan.name ?? started?.plan ?? '?',
    mode: exec?.mode ?? started?.mode ?? '?',
    state: history.state,
    startedAt,
    endedAt,
    lastRecordAt,
    failure: history.ended?.state === 'failed' ? { stepId: history.ended.stepId ?? null, error: history.ended.error ?? null } : null,
    planAvailable: exec !== null,
    steps,
    waiting,
    gateDecisions,
    manual,
    interventions,
    failures,
    objectives: { rto: { objectiveMs: null, achievedMs: null, elapsedMs: 0, measuredTo: null, met: null }, rpo: { objectiveMs: null, achievedMs: null, basis: 'test', reportedBy: [], met: null } },
    records: allRecords.length,
    untrusted,
  };
  facts.objectives = measureObjectives(facts, exec, simulatedClock, options.now);
  return facts;
}

/** Kind and phase of a step the plan does not describe: VM operations are known by their id. */
function inferShape(id: string, waitKind: string | undefined, approvals: number): Pick<StepFacts, 'kind' | 'phase' | 'group' | 'vm' | 'operation'> {
  const parts = id.split('/');
  if (parts.length === 3) {
    const [group, vm, operation] = parts as [string, string, string];
    const phase = VM_OPERATION_PHASE[operation];
    if (phase) return { kind: 'vm', phase, group, vm, operation };
  }
  const kind: ExecKind | null = waitKind === 'gate' || approvals > 0 ? 'gate' : waitKind === 'manual' ? 'manual' : null;
  return { kind, phase: null, group: null, vm: null, operation: null };
}

/**
 * RTO achieved: from the first record to the end of the last recovery step — finalize's last
 * step, or the last step before cleanup when the plan has no finalize (test cleanup is not part
 * of recovery). A run that did not succeed has not recovered. RPO achieved: planned failovers
 * lose nothing by design (the final sync gates promotion); unplanned ones report the largest
 * data-loss window their failovers reported; a test touches no production data.
 */
/** When the last of `steps` finished (a loop: a run can hold more steps than Math.max takes arguments). */
function latestFinish(steps: readonly StepFacts[]): number {
  let latest = 0;
  for (const s of steps) latest = Math.max(latest, s.finishedAt ?? 0);
  return latest;
}

function measureObjectives(facts: RunFacts, exec: ExecutionPlan | null, simulatedClock: boolean, now: number): ObjectiveFacts {
  const start = facts.startedAt ?? 0;
  const until = facts.endedAt ?? (simulatedClock ? (facts.lastRecordAt ?? start) : Math.max(now, facts.lastRecordAt ?? start));
  const rtoObjective = exec?.objectives.rtoMs ?? null;
  const rpoObjective = exec?.plan.objectives.rpoMs ?? null;

  let achievedMs: number | null = null;
  let measuredTo: ObjectiveFacts['rto']['measuredTo'] = null;
  if (facts.state === 'succeeded') {
    const done = facts.steps.filter((s) => s.finishedAt !== null && s.status !== 'skipped');
    const finalize = done.filter((s) => s.phase === 'finalize');
    const recovery = done.filter((s) => s.phase !== null && RECOVERY_PHASES.has(s.phase));
    const phasesKnown = done.every((s) => s.phase !== null);
    if (finalize.length > 0) {
      achievedMs = latestFinish(finalize) - start;
      measuredTo = 'finalize';
    } else if (recovery.length > 0 && phasesKnown) {
      achievedMs = latestFinish(recovery) - start;
      measuredTo = 'last recovery step';
    } else {
      achievedMs = until - start;
      measuredTo = 'run end';
    }
  }
  const ended = facts.endedAt !== null;
  const rtoMet = rtoObjective === null ? null : achievedMs !== null ? achievedMs <= rtoObjective : ended || until - start > rtoObjective ? false : null;

  const mode = facts.mode;
  const basis: ObjectiveFacts['rpo']['basis'] = mode === 'planned' ? 'planned' : mode === 'unplanned' ? 'unplanned' : 'test';
  const reportedBy: ObjectiveFacts['rpo']['reportedBy'] = [];
  for (const s of facts.steps) {
    const window = s.output?.dataLossWindowSeconds;
    if (s.status !== 'succeeded' || typeof window !== 'number') continue;
    if (s.operation !== null && s.operation !== 'failover') continue;
    const point = s.output?.recoveryPoint;
    reportedBy.push({ stepId: s.id, dataLossWindowSeconds: window, recoveryPoint: typeof point === 'string' ? point : null });
  }
  let rpoAchieved: number | null = null;
  if (basis === 'planned') rpoAchieved = 0;
  else if (basis === 'unplanned' && reportedBy.length > 0) rpoAchieved = reportedBy.reduce((max, r) => Math.max(max, r.dataLossWindowSeconds), -Infinity) * 1000;
  const rpoMet = basis === 'test' || rpoObjective === null || rpoAchieved === null ? null : rpoAchieved <= rpoObjective;

  return {
    rto: { objectiveMs: rtoObjective, achievedMs, elapsedMs: until - start, measuredTo, met: rtoMet },
    rpo: { objectiveMs: rpoObjective, achievedMs: rpoAchieved, basis, reportedBy, met: rpoMet },
  };
}
