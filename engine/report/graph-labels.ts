import { formatDuration } from '../model/duration.js';
import type { ExecStep, Phase } from '../model/execution.js';
import type { ModeName, PlanGroup, PlanStep } from '../model/plan.js';

/**
 * The words on a diagram's nodes and cluster frames, as plain text lines. Escaping belongs to
 * each renderer; what a node says belongs here, so that Mermaid and DOT say the same thing.
 */

/** Longest command or instruction excerpt shown on a node; ids are never cut. */
const MAX_DETAIL = 48;

/** What a collapsed node stands for: how many VMs, and how many of them at once. */
export interface BatchInfo {
  vms: number;
  concurrency: number | null;
}

/**
 * The lines of a node: one step, or (with `batch`) the same operation or `forEach` step on every
 * VM of a crowded group, whose title then reads "failover × 120 VMs (concurrency 8)" where a
 * single step shows its id.
 *
 * @example
 * describeNode(gateStep, 'test', false, null);
 * // ['gate: dba-signoff · quorum 1 of dba', 'timeout 30m']
 */
export function describeNode(step: ExecStep, mode: ModeName, skipped: boolean, batch: BatchInfo | null): string[] {
  const title = batch === null ? step.id : describeBatchTitle(batchName(step), batch);
  const lines = describeKind(step, title, batch !== null);
  if (skipped) lines.push(`(skipped in ${mode})`);
  return lines.map(flattenText);
}

/** A batch is named for the VM operation, or for the `forEach` step whose per-VM copies it gathers. */
function batchName(step: ExecStep): string {
  return step.kind === 'vm' ? (step.operation ?? 'vm') : (step.step?.id ?? step.id);
}

function describeKind(step: ExecStep, title: string, batch: boolean): string[] {
  const source = step.step;
  switch (step.kind) {
    case 'gate':
      return source?.kind === 'gate' ? describeGate(source, title) : [`gate: ${title}`];
    case 'manual':
      return [title, source?.kind === 'manual' && source.manual.assignees.length > 0 ? `manual · ${source.manual.assignees.join(', ')}` : 'manual'];
    case 'run':
      return [title, source?.kind === 'run' ? describeCommand(source.argv, source.script) : 'run'];
    case 'vm':
      // The VM is what a reader looks for on a single node; a batch's title already names the operation.
      return batch || step.vm === null ? [title] : [step.vm, operationOf(step)];
    case 'action':
      return [title, operationOf(step)];
  }
}

function describeGate(source: Extract<PlanStep, { kind: 'gate' }>, title: string): string[] {
  const gate = source.gate;
  const lines = [`gate: ${title} · quorum ${gate.quorum} of ${gate.approvers.join(', ')}`];
  const timeout = gate.timeoutMs === undefined ? null : `timeout ${formatDuration(gate.timeoutMs)}`;
  if (timeout !== null) {
    const then =
      gate.onTimeout === 'fail'
        ? ''
        : gate.onTimeout === 'approve'
          ? ', then approve'
          : `, then escalate to ${gate.onTimeout.escalate.approvers.join(', ')}`;
    lines.push(timeout + then);
  }
  return lines;
}

function describeCommand(argv: string[], script: boolean): string {
  const head = argv[0] ?? '';
  const text = script ? `script ${head}` : `$ ${head}${argv.length > 1 ? ' …' : ''}`;
  return shorten(text);
}

function operationOf(step: ExecStep): string {
  if (step.adapter !== null && step.operation !== null) return `${step.adapter}.${step.operation}`;
  return step.operation ?? step.kind;
}

function describeBatchTitle(name: string, { vms, concurrency }: BatchInfo): string {
  const count = `${name} × ${vms} ${vms === 1 ? 'VM' : 'VMs'}`;
  return concurrency === null ? count : `${count} (concurrency ${concurrency})`;
}

/** A group's frame: its id, and its name when it has one. */
export function describeGroup(id: string, group: PlanGroup | undefined): string {
  return flattenText(group?.name !== undefined && group.name !== id ? `${id} · ${group.name}` : id);
}

const PHASE_TITLES: Record<Phase, string> = {
  prechecks: 'prechecks',
  shutdown: 'shutdown · source side, groups in reverse',
  sync: 'sync · final replication',
  groups: 'groups',
  finalize: 'finalize',
  cleanup: 'cleanup',
  onFailure: 'on failure · once, if the run fails or is cancelled',
};

/** A phase's frame. */
export function describePhase(phase: Phase): string {
  // A phase this version does not know (a newer resolver) is still framed, under its own name.
  return PHASE_TITLES[phase] ?? phase;
}

/** Text on one line (labels are split by the renderers, never by what a plan author wrote). */
export function flattenText(text: string): string {
  return text.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
}

function shorten(text: string): string {
  return text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL - 1)}…`;
}
