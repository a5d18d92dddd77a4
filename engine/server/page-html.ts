import { formatDuration } from '../model/duration.js';
import type { RunDetail, RunListItem, WaitView } from './run-views.js';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const h = escapeHtml;

/** `<time>` in UTC; the page's script turns it into the reader's local time. */
function time(iso: string | null, style: 'time' | 'datetime' = 'datetime'): string {
  if (!iso) return '-';
  const text = style === 'time' ? `${iso.slice(11, 16)} UTC` : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return `<time datetime="${h(iso)}" data-local="${style}">${h(text)}</time>`;
}

function layout(title: string, bodyAttrs: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(title)}</title>
<link rel="stylesheet" href="/assets/page.css">
<script src="/assets/page.js" defer></script>
</head>
<body${bodyAttrs}>
<header class="top"><a href="/" class="home">drplan</a><span class="sub">approvals</span><span id="live" class="live" aria-live="polite"></span></header>
${main}
</body>
</html>
`;
}

const STATE_LABEL: Record<string, string> = {
  running: 'running',
  waiting: 'waiting for people',
  paused: 'paused',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  damaged: 'damaged journal',
  'never-started': 'never started',
};

function badge(state: string): string {
  return `<span class="badge state-${h(state)}">${h(STATE_LABEL[state] ?? state)}</span>`;
}

/** `GET /`: the runs, those waiting for people first. */
export function renderRunsPage(items: readonly RunListItem[]): string {
  const waiting = items.filter((r) => r.state === 'waiting' || r.state === 'paused');
  const others = items.filter((r) => r.state !== 'waiting' && r.state !== 'paused');
  const card = (r: RunListItem) => `<li><a class="run-card" href="/runs/${encodeURIComponent(r.runId)}">
<span class="run-title">${h(r.plan)} ${badge(r.state)}</span>
<span class="run-meta">${h(r.mode)}${r.dryRun ? ' · dry-run' : ''} · started ${time(r.startedAt)}</span>
${r.waitingOn.length > 0 ? `<span class="run-wait">Waiting on ${r.waitingOn.map((s) => `<b>${h(s)}</b>`).join(', ')}</span>` : ''}
<span class="run-id">${h(r.runId)}</span></a></li>`;
  const main = `<main id="runs">
<h1>Runs</h1>
${waiting.length > 0 ? `<section><h2>Waiting for a decision</h2><ul class="runs">${waiting.map(card).join('\n')}</ul></section>` : '<p class="empty">No run is waiting for a decision.</p>'}
${others.length > 0 ? `<section><h2>Other runs</h2><ul class="runs">${others.map(card).join('\n')}</ul></section>` : ''}
${items.length === 0 ? '<p class="empty">No runs yet in this server’s state folder.</p>' : ''}
</main>`;
  return layout('drplan runs', ' data-page="runs"', main);
}

/** `GET /runs/:id`: what waits on the approver, its instructions and context, and the decision buttons. */
export function renderRunPage(d: RunDetail): string {
  const decidable = d.waiting.filter(isOpen);
  const elapsed = d.objectives.elapsedMs;
  const rto = d.objectives.rto;
  const clock =
    elapsed === null
      ? ''
      : rto === null
        ? `<p class="clock">Elapsed <b>${h(formatDuration(elapsed))}</b> (the plan sets no RTO)</p>`
        : `<div class="clock ${elapsed > rto ? 'over' : ''}"><p>${d.finishedAt ? 'Took' : 'Elapsed'} <b>${h(formatDuration(elapsed))}</b> of the <b>${h(formatDuration(rto))}</b> recovery time objective${
            elapsed > rto ? ` — <b>${h(formatDuration(elapsed - rto))} over</b>` : d.finishedAt ? ' — met' : ` — ${h(formatDuration(rto - elapsed))} left`
          }${d.simulated ? ' (simulated time)' : ''}</p><meter min="0" max="${rto}" low="${Math.round(rto * 0.7)}" high="${Math.round(rto * 0.9)}" optimum="0" value="${Math.min(elapsed, rto)}"></meter></div>`;
  const warnings = [
    d.planUnavailable ? `<p class="warn">The plan of this run cannot be read again (${h(d.planUnavailable)}). Decisions cannot be taken until it is restored.</p>` : '',
    d.planChanged ? `<p class="warn">The plan file changed since this run started. Decisions are signed against the version the run started from (digest ${h(d.planChanged.previousDigest.slice(0, 12))}…).</p>` : '',
    d.dryRun ? '<p class="note">This is a dry-run against the simulator: nothing real is touched.</p>' : '',
  ].join('');
  const lastSeq = d.lastSeq;
  const main = `<main id="run" data-state="${h(d.state)}" data-last-seq="${lastSeq}" data-waits="${h(decidable.map((w) => w.stepId).join(' '))}">
<section class="summary">
<h1>${h(d.plan)} ${badge(d.state)}</h1>
<p class="meta">Run <code>${h(d.runId)}</code> · mode <b>${h(d.mode)}</b> · started ${time(d.startedAt ?? null)}${d.initiator ? ` by <b>${h(d.initiator)}</b>` : ''}${d.finishedAt ? ` · ended ${time(d.finishedAt)}` : ''}</p>
${clock}
${warnings}
${d.failure ? `<p class="error">Failed${d.failure.stepId ? ` at <b>${h(d.failure.stepId)}</b>` : ''}: ${h(d.failure.error ?? '')}</p>` : ''}
</section>
${engineLine(d)}
${d.waiting.length === 0 ? `<p class="empty">${d.state === 'running' ? 'Nothing waits on an approver right now; the run is working.' : 'Nothing waits on an approver.'}</p>` : d.waiting.map((w) => renderWait(d, w, w === firstOpen(d))).join('\n')}
${renderRan(d)}
</main>`;
  return layout(`${d.waiting.length > 0 ? '⏳ ' : ''}${d.plan} · drplan`, ` data-page="run" data-run-id="${h(d.runId)}"`, NOTICE + main);
}

const NOTICE = '<p id="notice" class="notice" role="status" aria-live="polite" hidden></p>\n';

/** A wait someone can still act on: not a pause, not already decided and waiting for an engine. */
function isOpen(w: WaitView): boolean {
  return w.kind !== 'pause' && !w.rejection && !w.doneBy && !(w.kind === 'gate' && w.needed === 0);
}

function firstOpen(d: RunDetail): WaitView | undefined {
  return d.waiting.find(isOpen);
}

function engineLine(d: RunDetail): string {
  if (d.finishedAt || d.waiting.length === 0) return '';
  return d.engine
    ? `<p class="note">An engine is driving this run (pid ${d.engine.pid} on ${h(d.engine.host)}): a decision takes effect at once.</p>`
    : `<p class="note">No engine is driving this run right now: decisions are recorded, and the run goes on when an operator runs <code>drplan resume ${h(d.runId)}</code>.</p>`;
}

/**
 * Where the approver gives their key: inside the first card that waits on someone, just above its
 * buttons. The page's script keeps this element (and the key) when it swaps in a fresh view.
 */
function identitySection(): string {
  return `<section id="identity" class="identity">
<h2>Your key</h2>
<p>Choose the private key file <code>drplan keys generate</code> made for you (<code>~/.config/drplan/keys/&lt;you&gt;.key</code>). It stays in this page: the page signs your decision and sends only the signature.</p>
<label class="file"><span>Choose key file</span><input type="file" id="key-file" accept=".key,.pem,text/plain"></label>
<details><summary>or paste it</summary><textarea id="key-paste" rows="4" spellcheck="false" autocomplete="off" placeholder="-----BEGIN PRIVATE KEY-----"></textarea><button type="button" id="key-use" class="secondary">Use this key</button></details>
<p id="who" class="who" role="status" aria-live="polite">No key loaded.</p>
<noscript><p class="warn">Signing happens in the page and needs JavaScript. Without it, use the command line: <code>drplan approve &lt;run-id&gt; &lt;gate-id&gt;</code>.</p></noscript>
</section>
`;
}

function renderWait(d: RunDetail, w: WaitView, withKey: boolean): string {
  const title = w.kind === 'gate' ? 'Approval needed' : w.kind === 'manual' ? 'Manual task' : 'Paused for an operator';
  const who =
    w.principals.length > 0
      ? w.principals.map((p) => `<span class="person${w.approvals.some((a) => a.by === p && a.counts) ? ' done' : ''}">${h(p)}</span>`).join(' ')
      : w.kind === 'manual'
        ? 'any approver with a key'
        : '-';
  const approvals = w.approvals.length === 0 ? 'none yet' : w.approvals.map((a) => `<b>${h(a.by)}</b> ${time(a.at, 'time')}${a.counts ? '' : ' (does not count now)'}${a.comment ? ` — “${h(a.comment)}”` : ''}`).join('<br>');
  const deadline = w.deadline
    ? `${time(w.deadline)} <span class="countdown" data-until="${h(w.deadline)}">(${w.remainingMs !== null && w.remainingMs > 0 ? `in ${h(formatDuration(w.remainingMs))}` : 'passed'})</span>${w.onTimeout ? ` · then ${h(w.onTimeout === 'escalate' ? 'escalates' : w.onTimeout === 'approve' ? 'passes (approve on timeout)' : 'fails')}` : ''}`
    : 'none';
  const facts = [
    [w.kind === 'manual' ? 'Who may mark it done' : 'Who may decide', who],
    ...(w.kind === 'gate' ? [['Approvals', `${w.quorum - w.needed} of ${w.quorum}${w.needed > 0 ? ` — <b>${w.needed} more needed</b>` : ''}`], ['So far', approvals]] : []),
    ['Waiting since', time(w.since)],
    ['Deadline', deadline],
    ...(w.escalated ? [['Escalated', 'the first approvers did not decide in time; these approvers decide now']] : []),
    ...(w.kind === 'gate' && d.initiator && !w.allowInitiator ? [['Note', `${h(d.initiator)} started this run and may not approve it`]] : []),
    ...(w.reason ? [['Why', h(w.reason)]] : []),
  ]
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join('');
  const next =
    w.nextCount > 0
      ? `<details class="next" open><summary>What happens next (${w.nextCount} step${w.nextCount === 1 ? '' : 's'})</summary><ol>${w.next.map((n) => `<li><code>${h(n.id)}</code>${n.name ? ` ${h(n.name)}` : ''} <span class="kind">${h(n.kind)}</span></li>`).join('')}${
          w.nextCount > w.next.length ? `<li class="more">and ${w.nextCount - w.next.length} more</li>` : ''
        }</ol></details>`
      : '';
  const carryOn = d.engine ? 'The engine carries on in a moment.' : `The run goes on when an operator runs <code>drplan resume ${h(d.runId)}</code>.`;
  const form =
    w.kind === 'pause'
      ? `<p class="note">An operator decides with <code>drplan retry ${h(d.runId)} ${h(w.stepId)}</code> or <code>drplan skip … --reason "…"</code>.</p>`
      : w.rejection
        ? `<p class="error">Rejected by <b>${h(w.rejection.by)}</b>${w.rejection.comment ? `: “${h(w.rejection.comment)}”` : ''}. A rejection is final: the run fails at this gate. ${carryOn}</p>`
        : w.doneBy
          ? `<p class="notice">Marked done by <b>${h(w.doneBy)}</b>. ${carryOn}</p>`
          : w.kind === 'gate' && w.needed === 0
            ? `<p class="notice">Approved: the quorum is reached. ${carryOn}</p>`
            : `${withKey ? identitySection() : ''}<form class="decide" data-step="${h(w.stepId)}" data-kind="${w.kind}">
<label for="comment-${h(w.stepId)}">Comment${w.kind === 'gate' ? ' <span class="hint">(required to reject: say why)</span>' : ''}</label>
<textarea id="comment-${h(w.stepId)}" name="comment" rows="3" maxlength="2000"></textarea>
<div class="buttons">${
          w.kind === 'gate'
            ? `<button type="submit" name="decision" value="approve" class="approve" disabled>Approve</button><button type="submit" name="decision" value="reject" class="reject" disabled>Reject</button>`
            : `<button type="submit" name="decision" value="done" class="approve" disabled>Mark done</button>`
        }</div>
<p class="why-disabled">Load your key above to decide.</p>
<p class="result" role="status" aria-live="polite"></p>
</form>`;
  return `<section class="wait kind-${w.kind}" id="wait-${h(w.stepId)}" data-step="${h(w.stepId)}">
<h2><span class="what">${title}</span> <code>${h(w.stepId)}</code>${w.name ? ` ${h(w.name)}` : ''}${w.group ? ` <span class="group">group ${h(w.group)}</span>` : ''}</h2>
${w.instructions ? `<div class="instructions">${h(w.instructions)}</div>` : '<p class="note">The plan gives no instructions for this step.</p>'}
<dl class="facts">${facts}</dl>
${next}
${form}
</section>`;
}

function renderRan(d: RunDetail): string {
  if (d.ran.length === 0) return '';
  const shown = d.ran.slice(-15);
  return `<section class="ran"><details${d.waiting.length === 0 ? ' open' : ''}><summary>What ran (${d.ran.length} step${d.ran.length === 1 ? '' : 's'})</summary><ol>${
    d.ran.length > shown.length ? `<li class="more">${d.ran.length - shown.length} earlier steps</li>` : ''
  }${shown
    .map((s) => `<li class="st-${h(s.status)}"><code>${h(s.id)}</code> <span class="status">${h(s.status)}</span>${s.durationMs !== null ? ` <span class="dur">${h(formatDuration(s.durationMs))}</span>` : ''}${s.error ? `<br><span class="error">${h(s.error)}</span>` : ''}</li>`)
    .join('')}</ol></details></section>`;
}
