import type { Paint } from './paint.js';
import { formatDuration } from '../model/duration.js';
import type { RunHistory, StepStatus } from '../run/run-history.js';
import type { LockHolder } from '../store/run-lock.js';
import { describeDecision, describeRunKind, describeParams, formatTime, rtoLine, stepNote } from './run-report-text.js';
import { countStatuses, stepSections } from './run-report-timeline.js';
import type { RunFacts, StepFacts, WaitFacts } from './run-summary.js';

/** What `drplan status` knows besides the journal. */
export interface StatusContext {
  now: number;
  /** The engine holding the run's lock, null when none does. */
  engine: LockHolder | null;
  /** Why the plan could not be resolved again (then only the journal speaks). */
  planUnavailable: string | null;
  /** The plan file changed since the run started. */
  planChanged: { previousDigest: string; digest: string } | null;
}

const MARK: Record<StepStatus, string> = { succeeded: '✓', failed: '✗', running: '▶', waiting: '⏸', skipped: '-', pending: '·', cancelled: '⊘' };

/**
 * `drplan status` for people: who started what, where it stands against the RTO, what it waits
 * on and who may act, then every step by phase and group. Pure: facts in, text out.
 */
export function formatStatusText(facts: RunFacts, ctx: StatusContext, p: Paint): string {
  const s = facts.started;
  const out: string[] = [];
  const field = (k: string, v: string) => out.push(`  ${p.dim(k.padEnd(10))} ${v}`);
  out.push(`run ${p.bold(facts.runId)}`);
  field('plan', `${facts.plan}${s ? ` · ${s.planFile} · sha256 ${s.planDigest.slice(0, 12)}` : ''}${ctx.planChanged ? p.yellow(` · the file changed since (now ${ctx.planChanged.digest.slice(0, 12)})`) : ''}`);
  if (ctx.planUnavailable) field('', p.yellow(`shown from the journal alone: ${ctx.planUnavailable}`));
  if (facts.untrusted.length > 0) {
    field('journal', p.red(`${facts.untrusted.length} record${facts.untrusted.length === 1 ? '' : 's'} that no live decision could have produced, left out below; the run cannot be resumed (\`drplan verify ${facts.runId}\`)`));
    for (const u of facts.untrusted) field('', p.red(`journal.jsonl:${u.seq}: ${u.reason}`));
  }
  field('mode', `${facts.mode} · ${describeRunKind(facts)}`);
  field('state', colourState(facts.state, p) + (facts.failure ? ` at ${facts.failure.stepId ?? '?'}: ${facts.failure.error ?? ''}` : ''));
  field('initiator', s?.initiator ?? '-');
  field('params', describeParams(facts));
  field('started', `${formatTime(facts.startedAt)} · ${clockLine(facts, p)}`);
  if (facts.endedAt !== null) field('ended', formatTime(facts.endedAt));
  else if (ctx.engine) field('engine', `pid ${ctx.engine.pid} on ${ctx.engine.host} is driving it (since ${ctx.engine.since})`);
  else field('engine', facts.untrusted.length > 0 ? p.red('none is driving it, and none can: resume and decisions refuse this journal') : p.yellow(`none is driving it; \`drplan resume ${facts.runId}\` carries it on`));
  out.push('');

  for (const w of facts.waiting) out.push(...waitLines(facts, w, ctx.now, p), '');

  const decisions = new Map<string, string[]>();
  for (const d of facts.gateDecisions) decisions.set(d.stepId, [...(decisions.get(d.stepId) ?? []), describeDecision(d)]);
  for (const m of facts.manual) decisions.set(m.stepId, [...(decisions.get(m.stepId) ?? []), `done by ${m.by}${m.simulated ? ' (simulated)' : ''}`]);
  const width = Math.min(44, facts.steps.reduce((max, st) => Math.max(max, st.id.length), 16));
  for (const section of stepSections(facts)) {
    out.push(p.bold(section.title));
    let group: string | null = null;
    for (const row of section.rows) {
      const st = row.kind === 'step' ? row.step : row.steps[0]!;
      if (st.group !== group) {
        group = st.group;
        if (group !== null) out.push(`  ${p.cyan(`group ${group}`)}`);
      }
      const indent = group === null ? '  ' : '    ';
      if (row.kind === 'collapsed') {
        const durations = row.steps.map((x) => x.durationMs).filter((d): d is number => d !== null);
        out.push(`${indent}${p.dim('Σ')} ${`${row.what} ×${row.steps.length}`.padEnd(width + 4 - indent.length)}  ${countStatuses(row.steps)}${durations.length ? p.dim(` · ${formatDuration(durations.reduce((a, b) => Math.min(a, b)))}–${formatDuration(durations.reduce((a, b) => Math.max(a, b)))}`) : ''}`);
        continue;
      }
      // Ids are padded so the columns line up whether or not the step sits under a group heading.
      out.push(`${indent}${stepLine(st, width + 4 - indent.length, decisions.get(st.id) ?? [], p)}`);
    }
    out.push('');
  }
  if (facts.steps.length === 0) out.push(p.dim('no step has started yet'), '');
  return out.join('\n');
}

function stepLine(s: StepFacts, width: number, decisions: string[], p: Paint): string {
  const mark = colourStatus(s.status, MARK[s.status], p);
  const attempts = s.attempts > 1 ? p.yellow(`${s.attempts} attempts`) : s.attempts === 1 ? '1 attempt' : '';
  const duration = s.durationMs !== null ? formatDuration(s.durationMs) : '';
  const notes = [stepNote(s), ...decisions].filter(Boolean).join('; ');
  return `${mark} ${s.id.padEnd(width)}  ${colourStatus(s.status, s.status.padEnd(9), p)} ${attempts.padEnd(10)} ${duration.padStart(7)}${notes ? `  ${s.status === 'failed' ? p.red(notes) : p.dim(notes)}` : ''}`.trimEnd();
}

function waitLines(facts: RunFacts, w: WaitFacts, now: number, p: Paint): string[] {
  const simulated = facts.started?.simulated ?? false;
  const clockNow = simulated ? (facts.lastRecordAt ?? now) : now;
  const until = w.deadline === null ? '' : ` · until ${formatTime(w.deadline)} (${w.deadline >= clockNow ? `in ${formatDuration(w.deadline - clockNow)}` : `${formatDuration(clockNow - w.deadline)} ago`})`;
  const out = [`${p.yellow('waiting on')} ${p.bold(w.stepId)} · ${w.kind} · since ${formatTime(w.since)}${until}`];
  if (w.instructions) for (const line of w.instructions.split('\n')) out.push(`  ${p.cyan('│')} ${line}`);
  if (w.reason) out.push(`  ${w.reason}`);
  switch (w.kind) {
    case 'gate': {
      const need = w.quorum ?? 1;
      out.push(`  may approve or reject: ${w.principals.join(', ') || 'nobody named'} · ${need} approval${need === 1 ? '' : 's'} needed${w.approvedBy.length ? `, ${w.approvedBy.length} so far (${w.approvedBy.join(', ')})` : ''}`);
      out.push(`  approve:  drplan approve ${facts.runId} ${w.stepId}`, `  reject:   drplan reject ${facts.runId} ${w.stepId} --comment "why"`, p.dim('  (as one of them: $DRPLAN_PRINCIPAL or --as, signed with the key `drplan keys generate` made)'));
      if (facts.started?.dryRun) out.push(p.dim('  in a dry-run, `drplan run --auto-approve` passes gates as simulated'));
      break;
    }
    case 'manual':
      out.push(`  done by ${w.principals.length ? `one of ${w.principals.join(', ')}` : 'anyone'}:`, `  drplan done ${facts.runId} ${w.stepId} --comment "what was done"`, p.dim('  (as $DRPLAN_PRINCIPAL or --as, signed with the key `drplan keys generate` made)'));
      break;
    case 'pause':
      out.push('  an operator decides:', `  retry:    drplan retry ${facts.runId} ${w.stepId}`, `  skip:     drplan skip ${facts.runId} ${w.stepId} --reason "why it is safe"`, `  cancel:   drplan cancel ${facts.runId}`);
      break;
  }
  return out;
}

function clockLine(facts: RunFacts, p: Paint): string {
  const r = facts.objectives.rto;
  const elapsed = `${formatDuration(r.elapsedMs)} elapsed`;
  if (r.objectiveMs === null) return elapsed;
  const l = rtoLine(facts);
  if (r.achievedMs !== null) return `${elapsed} · RTO ${formatDuration(r.objectiveMs)}: recovered in ${formatDuration(r.achievedMs)}, ${l.verdict === 'met' ? p.green('met') : p.red('missed')}`;
  if (facts.endedAt !== null) return `${elapsed} · RTO ${formatDuration(r.objectiveMs)}: ${p.red('not recovered')}`;
  const left = r.objectiveMs - r.elapsedMs;
  return `${elapsed} of RTO ${formatDuration(r.objectiveMs)} · ${left >= 0 ? `${formatDuration(left)} left` : p.red(`exceeded by ${formatDuration(-left)}`)}`;
}

function colourState(state: string, p: Paint): string {
  if (state === 'succeeded') return p.green(state);
  if (state === 'failed' || state === 'cancelled') return p.red(state);
  return p.yellow(state);
}

function colourStatus(status: StepStatus, text: string, p: Paint): string {
  if (status === 'succeeded') return p.green(text);
  if (status === 'failed' || status === 'cancelled') return p.red(text);
  if (status === 'waiting' || status === 'running') return p.yellow(text);
  return p.dim(text);
}

/**
 * `drplan status --format json` when the plan cannot be resolved again: the same shape as
 * `runStatusJson` (SPEC §3.1), steps in the order the journal first mentions them (steps that
 * never ran are unknown), plus `planAvailable: false` and why.
 */
export function journalStatusJson(history: RunHistory, planUnavailable: string) {
  const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
  const endedBadly = history.ended?.state === 'cancelled' || history.ended?.state === 'failed';
  return {
    runId: history.started?.runId ?? '',
    plan: history.started?.plan ?? '?',
    mode: history.started?.mode ?? '?',
    state: history.state,
    ...(history.started ? { startedAt: iso(history.started.time), dryRun: history.started.dryRun } : {}),
    ...(history.ended ? { finishedAt: iso(history.ended.time) } : {}),
    steps: [...history.steps].map(([id, h]) => {
      const status: StepStatus = endedBadly && (h.status === 'pending' || h.status === 'running' || h.status === 'waiting') ? 'cancelled' : h.status;
      return {
        id,
        status,
        attempts: h.attempts,
        startedAt: iso(h.startedAt),
        finishedAt: iso(h.finishedAt),
        ...(h.output ? { output: h.output } : {}),
        ...(h.error && status === 'failed' ? { error: h.error } : {}),
      };
    }),
    waitingOn: history.waitingOn,
    ...(history.ended?.state === 'failed' ? { failure: { stepId: history.ended.stepId ?? null, error: history.ended.error ?? null } } : {}),
    planAvailable: false,
    planUnavailable,
  };
}
