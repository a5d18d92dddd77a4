import { formatDuration } from '../model/duration.js';
import type { ExecStep, ExecutionPlan } from '../model/execution.js';
import type { JournalRecord } from '../store/journal.js';
import type { CliIo, Paint } from './io.js';

/**
 * Progress of a run as people read it. On a terminal: one line per notable event and a status
 * line redrawn in place (phase, group, VMs done/total, elapsed against the RTO). Elsewhere (CI
 * logs): one plain line per event, nothing redrawn.
 */
export class RunProgress {
  private readonly vmTotal: number;
  private vmDone = 0;
  private phase = '';
  private group: string | null = null;
  private startedAt: number | null = null;
  private now = 0;
  private statusShown = false;
  /** Steps by id: a record names its step, and a lookup per record must not scan the plan. */
  private readonly steps: ReadonlyMap<string, ExecStep>;

  constructor(
    private readonly io: CliIo,
    private readonly exec: ExecutionPlan,
    private readonly p: Paint,
    private readonly live: boolean,
  ) {
    this.vmTotal = exec.steps.filter((s) => s.kind === 'vm' && !s.skipped).length;
    this.steps = new Map([...exec.steps, ...exec.onFailure].map((s) => [s.id, s]));
  }

  onRecord(r: JournalRecord): void {
    this.now = r.time;
    if (r.type === 'run.started') this.startedAt = r.time;
    const line = this.describe(r);
    if (line) this.print(line);
    if (this.live) this.redrawStatus();
  }

  /** Clears the status line before the final summary. */
  end(): void {
    if (this.live && this.statusShown) this.io.stdout('\r\u001b[K');
    this.statusShown = false;
  }

  private describe(r: JournalRecord): string | null {
    const p = this.p;
    const at = this.startedAt === null ? '' : `+${formatDuration(r.time - this.startedAt)}`.padEnd(8);
    const step = 'stepId' in r.data ? this.steps.get((r.data as { stepId: string }).stepId) : undefined;
    if (step) {
      this.phase = step.phase;
      this.group = step.group;
    }
    switch (r.type) {
      case 'step.started':
        return this.live && step?.kind === 'vm' ? null : `${at} ${p.dim('start')}   ${r.data.stepId}${r.data.attempt > 1 ? ` (attempt ${r.data.attempt})` : ''}`;
      case 'step.succeeded':
        if (step?.kind === 'vm') this.vmDone++;
        return this.live && step?.kind === 'vm' ? null : `${at} ${p.green('done')}    ${r.data.stepId}`;
      case 'step.failed':
        return `${at} ${p.red('failed')}  ${r.data.stepId}: ${r.data.error}${r.data.final ? '' : p.dim(' (will retry)')}`;
      case 'step.retrying':
        return `${at} ${p.yellow('retry')}   ${r.data.stepId} attempt ${r.data.attempt} at +${formatDuration(r.data.at - (this.startedAt ?? r.data.at))}`;
      case 'step.skipped':
        return `${at} ${p.dim('skipped')} ${r.data.stepId}: ${r.data.reason}`;
      case 'step.waiting':
        return `${at} ${p.yellow('waiting')} ${r.data.stepId}: ${r.data.kind === 'pause' ? r.data.reason ?? 'paused for an operator' : `${r.data.kind} for ${r.data.quorum ?? 1} of ${r.data.principals.join(', ') || 'any assignee'}`}${r.data.deadline ? ` until +${formatDuration(r.data.deadline - (this.startedAt ?? r.data.deadline))}` : ''}`;
      case 'gate.approved':
        return `${at} ${p.green('approved')} ${r.data.stepId} by ${r.data.by}${r.data.simulated ? p.dim(' (simulated)') : ''}`;
      case 'gate.rejected':
        return `${at} ${p.red('rejected')} ${r.data.stepId} by ${r.data.by}${r.data.comment ? `: ${r.data.comment}` : ''}`;
      case 'gate.timedOut':
        return `${at} ${p.yellow('timeout')} ${r.data.stepId}: ${r.data.outcome}`;
      case 'manual.done':
        return `${at} ${p.green('done')}    ${r.data.stepId} by ${r.data.by}${r.data.simulated ? p.dim(' (simulated)') : ''}`;
      case 'run.cancelRequested':
        return `${at} ${p.yellow('cancel')}  requested by ${r.data.by}${r.data.reason ? `: ${r.data.reason}` : ''}`;
      default:
        return null;
    }
  }

  private print(line: string): void {
    if (this.live && this.statusShown) this.io.stdout('\r\u001b[K');
    this.statusShown = false;
    this.io.stdout(line + '\n');
  }

  private redrawStatus(): void {
    const elapsed = this.startedAt === null ? 0 : this.now - this.startedAt;
    const rto = this.exec.objectives.rtoMs;
    const clock = `${formatDuration(elapsed)}${rto !== null ? ` / RTO ${formatDuration(rto)}` : ''}`;
    const vms = this.vmTotal > 0 ? ` · VMs ${this.vmDone}/${this.vmTotal}` : '';
    const where = `${this.phase || 'starting'}${this.group ? ` · group ${this.group}` : ''}`;
    this.io.stdout(`\r\u001b[K${this.p.dim(`${where}${vms} · ${clock}`)}`);
    this.statusShown = true;
  }
}
