import type { Paint } from './paint.js';
import { formatDuration } from '../model/duration.js';
import type { ExecStep, ExecutionPlan, Phase } from '../model/execution.js';

/** `drplan plan --format json` (SPEC §3.1), plus additive fields: estimates in ms, onFailure, unestimated. */
export function executionToJson(exec: ExecutionPlan) {
  const step = (s: ExecStep) => ({
    id: s.id,
    kind: s.kind,
    phase: s.phase,
    group: s.group,
    vm: s.vm,
    operation: s.operation,
    skipped: s.skipped,
    after: s.after,
    estimateMs: s.estimateMs,
  });
  return {
    plan: exec.plan.name,
    mode: exec.mode,
    params: exec.params,
    steps: exec.steps.map(step),
    onFailure: exec.onFailure.map(step),
    criticalPath: {
      steps: exec.criticalPath.steps,
      estimate: formatDuration(exec.criticalPath.estimateMs),
      estimateMs: exec.criticalPath.estimateMs,
    },
    objectives: {
      rto: exec.objectives.rtoMs === null ? null : formatDuration(exec.objectives.rtoMs),
      rtoMs: exec.objectives.rtoMs,
      fits: exec.objectives.fits,
    },
    unestimated: exec.unestimated,
  };
}

const PHASE_TITLES: Record<Phase, string> = {
  prechecks: 'prechecks',
  shutdown: 'shutdown on the source (groups in reverse order)',
  sync: 'final sync (nothing may be left to replicate)',
  groups: 'recovery (groups in dependency order)',
  finalize: 'finalize',
  cleanup: 'cleanup of the test',
  onFailure: 'on failure (once, if the run fails or is cancelled)',
};

/** How many VM operations of one group and phase to list before summarising the rest. */
const VM_LINES = 6;

/** `drplan plan` for people: phases, groups, steps with estimates, critical path marked with ●. */
export function formatExecutionText(exec: ExecutionPlan, p: Paint): string {
  const critical = new Set(exec.criticalPath.steps);
  const out: string[] = [];
  const params = Object.entries(exec.params).map(([k, v]) => `${k}=${String(v)}`);
  out.push(`${p.bold(exec.plan.name)} · mode ${p.bold(exec.mode)}${params.length ? ` · ${params.join(' ')}` : ''}`);
  out.push(verdictLine(exec, p), '');

  // A loop, not Math.max(...ids): a plan of 200,000 VMs has more steps than a call takes arguments.
  const width = Math.min(48, exec.steps.reduce((max, s) => Math.max(max, s.id.length), 20));
  const line = (s: ExecStep) => {
    const mark = critical.has(s.id) ? p.red('●') : ' ';
    const what = describe(s);
    const estimate = s.skipped ? '' : s.estimated ? formatDuration(s.estimateMs) : p.yellow('no estimate');
    const skipped = s.skipped ? p.dim(skipReason(exec, s)) : '';
    return `  ${mark} ${s.skipped ? p.dim(s.id.padEnd(width)) : s.id.padEnd(width)}  ${what.padEnd(34)} ${estimate.padStart(8)} ${skipped}`.trimEnd();
  };

  const sections = (phase: Phase, steps: ExecStep[]) => {
    if (steps.length === 0) return;
    const totals = new Map<string, number>();
    for (const x of steps) if (x.kind === 'vm') totals.set(`${x.group}\u0000${x.operation}`, (totals.get(`${x.group}\u0000${x.operation}`) ?? 0) + 1);
    out.push(p.bold(PHASE_TITLES[phase]));
    let group: string | null = null;
    let shown = new Map<string, number>();
    for (const s of steps) {
      if (s.group !== group) {
        group = s.group;
        shown = new Map();
        if (group !== null) out.push(`  ${p.cyan(`group ${group}`)}${groupNote(exec, group)}`);
      }
      if (s.kind === 'vm') {
        const key = s.operation ?? '';
        const n = (shown.get(key) ?? 0) + 1;
        shown.set(key, n);
        const total = totals.get(`${s.group}\u0000${s.operation}`) ?? 0;
        if (n > VM_LINES && !critical.has(s.id)) {
          if (n === total) out.push(p.dim(`    … ${s.operation} on ${total - VM_LINES} more VMs`));
          continue;
        }
      }
      out.push(line(s));
    }
    out.push('');
  };
  const phases: Phase[] = ['prechecks', 'shutdown', 'sync', 'groups', 'finalize', 'cleanup'];
  for (const phase of phases) sections(phase, exec.steps.filter((s) => s.phase === phase));
  sections('onFailure', exec.onFailure);
  if (exec.unestimated.length > 0) {
    out.push(p.yellow(`${exec.unestimated.length} step${exec.unestimated.length === 1 ? '' : 's'} without an estimate count as instant: ${exec.unestimated.slice(0, 5).join(', ')}${exec.unestimated.length > 5 ? ', …' : ''}`));
  }
  out.push(p.dim('● critical path'));
  return out.join('\n') + '\n';
}

function verdictLine(exec: ExecutionPlan, p: Paint): string {
  const path = `critical path ${formatDuration(exec.criticalPath.estimateMs)}`;
  const { rtoMs, fits } = exec.objectives;
  if (rtoMs === null) return `${path} (no RTO objective to check against)`;
  if (fits) return `${path} ${p.green('fits')} the RTO of ${formatDuration(rtoMs)} (${formatDuration(rtoMs - exec.criticalPath.estimateMs)} to spare)`;
  return `${path} ${p.red('exceeds')} the RTO of ${formatDuration(rtoMs)} by ${formatDuration(exec.criticalPath.estimateMs - rtoMs)}`;
}

function describe(s: ExecStep): string {
  const step = s.step;
  switch (s.kind) {
    case 'vm':
      return `${s.adapter}.${s.operation}`;
    case 'action':
      return `${s.adapter}.${s.operation}`;
    case 'run':
      return step?.kind === 'run' ? `run ${step.argv[0] ?? ''}` : 'run';
    case 'gate':
      if (step?.kind !== 'gate') return 'gate';
      return `gate: ${step.gate.quorum} of ${step.gate.approvers.join(', ')}${step.gate.timeoutMs ? ` within ${formatDuration(step.gate.timeoutMs)}` : ''}`;
    case 'manual':
      return step?.kind === 'manual' && step.manual.assignees.length ? `manual: ${step.manual.assignees.join(', ')}` : 'manual';
  }
}

function skipReason(exec: ExecutionPlan, s: ExecStep): string {
  if (s.phase === 'cleanup' && exec.plan.modes.test?.cleanup === 'manual') return '(skipped: cleanup is manual)';
  return `(skipped: only in ${s.step?.modes?.join(', ') ?? ''})`;
}

function groupNote(exec: ExecutionPlan, groupId: string): string {
  const group = exec.plan.groups.find((g) => g.id === groupId);
  if (!group) return '';
  const deps = group.dependsOn.length ? ` · after ${group.dependsOn.join(', ')}` : '';
  return ` · ${group.vms.length} VM${group.vms.length === 1 ? '' : 's'} · concurrency ${group.concurrency}${deps}`;
}
