import { beforeAll, describe, expect, it } from 'vitest';
import { paint } from '../../../engine/cli/io.js';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import type { ExecutionPlan } from '../../../engine/model/execution.js';
import type { ModeName } from '../../../engine/model/plan.js';
import type { ReportContext } from '../../../engine/report/run-report-evidence.js';
import { renderRunReportHtml } from '../../../engine/report/run-report-html.js';
import { runReportJson } from '../../../engine/report/run-report-json.js';
import { formatLogLine } from '../../../engine/report/run-report-log.js';
import { renderRunReportMarkdown } from '../../../engine/report/run-report-markdown.js';
import { renderGanttMermaid } from '../../../engine/report/run-report-mermaid.js';
import { formatRunList, runListEntry, runListJson } from '../../../engine/report/run-report-runs.js';
import { formatStatusText, journalStatusJson } from '../../../engine/report/run-report-status.js';
import { timelineOf } from '../../../engine/report/run-report-timeline.js';
import { summarizeRun, type RunFacts } from '../../../engine/report/run-summary.js';
import { RunHistory } from '../../../engine/run/run-history.js';
import { runStatusJson } from '../../../engine/run/run-status.js';
import type { JournalRecord, NewRecord } from '../../../engine/store/journal.js';
import { validPlan } from '../../helpers/pipeline.js';
import { runToEnd, type HarnessOptions } from '../../helpers/run-harness.js';

// A small plan with everything a report shows: a gate, a manual step, a crowded group (12 VMs,
// so charts and tables collapse it), finalize and test cleanup; run in-process on the simulator.
const REPORT_PLAN = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: report-test }
spec:
  objectives: { rto: 30m, rpo: 5m }
  adapters:
    site:
      type: simulator
      config:
        seed: 3
        dataLossWindow: 45s
        operations:
          setAlias: { estimate: 10s, idempotent: true, output: { ok: true } }
          dropNet: { estimate: 20s, idempotent: true, output: { ok: true } }
      estimates: { replicationHealth: 5s, shutdown: 30s, sync: 20s, failover: 1m, start: 30s, testFailover: 1m, cleanupTest: 20s }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob], ops: [carol] }
  modes: { planned: {}, unplanned: { recoveryPoint: latest }, test: { network: drill, cleanup: always } }
  prechecks:
    - id: healthy
      action: site.replicationHealth
  groups:
    - id: database
      vms: [pg-1, pg-2]
      pre:
        - id: dba-signoff
          estimate: 1m
          gate: { approvers: [dba], quorum: 1, timeout: 30m, instructions: "Check {{group.id}}" }
    - id: web
      vms: [w-01, w-02, w-03, w-04, w-05, w-06, w-07, w-08, w-09, w-10, w-11, w-12]
      post:
        - id: confirm
          estimate: 1m
          manual: { instructions: "Look at {{group.id}}", assignees: [ops] }
  finalize:
    - id: dns
      action: site.setAlias
  cleanup:
    - id: drop-net
      action: site.dropNet
`;
const plan = validPlan(REPORT_PLAN, 'report-test.yaml');
const NOW = Date.parse('2030-01-01T00:00:00Z');
const plain = paint(false);
const CTX: ReportContext = {
  generatedAt: NOW,
  drplanVersion: '9.9.9',
  source: { file: 'report-test.yaml', path: '/plans/report-test.yaml', exists: true, digestNow: 'test', matchesRun: true, unavailable: null, git: { kind: 'committed', commit: 'c0ffee'.padEnd(40, '0'), modified: false, committedMatchesRun: true } },
};

const exec = (mode: ModeName): ExecutionPlan => resolveExecution(plan, mode, {});
async function run(mode: ModeName, options: HarnessOptions = {}) {
  const { records } = await runToEnd(plan, mode, options);
  return [...records];
}
/** Records appended after the last one, a second apart, as operators' commands would write them. */
function append(records: readonly JournalRecord[], more: readonly NewRecord[]): JournalRecord[] {
  let seq = records.length;
  let time = records.at(-1)?.time ?? Date.parse('2026-11-23T10:00:00Z');
  return [...records, ...more.map((r) => ({ ...r, seq: ++seq, time: (time += 1000) }) as JournalRecord)];
}

/**
 * What GitHub's Mermaid (gantt.jison) accepts, checked line by line: statements it knows, task
 * names without `:` `;` `#` that do not start like a keyword or a date, task data of known tags,
 * a unique id and two epoch-ms timestamps in order.
 */
function ganttProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'gantt') problems.push(`first line ${lines[0]}`);
  const ids = new Set<string>();
  for (const line of lines.slice(1)) {
    if (/^ {2}(title [^#;\n]+|dateFormat x|axisFormat %H:%M(:%S)?|todayMarker off)$/.test(line)) continue;
    if (/^ {2}section [^#:;\n]+$/.test(line)) continue;
    const task = /^ {2}([^:;#%\n]+?) :([^#;\n]+)$/.exec(line);
    if (!task) {
      problems.push(`not a gantt statement: ${line}`);
      continue;
    }
    const [, name, data] = task as unknown as [string, string, string];
    if (/^(gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|title|acc|section|click|call|href)/i.test(name) || /^\d{4}-\d\d-\d\d/.test(name)) problems.push(`task name read as a statement: ${name}`);
    const parts = data.split(',').map((s) => s.trim());
    const [end, start, id] = [parts.pop(), parts.pop(), parts.pop()];
    if (!parts.every((t) => ['done', 'active', 'crit', 'milestone'].includes(t))) problems.push(`unknown tags in ${line}`);
    if (!id || !/^t\d+$/.test(id) || ids.has(id)) problems.push(`bad or repeated id in ${line}`);
    ids.add(id ?? '');
    if (!/^\d{13}$/.test(start ?? '') || !/^\d{13}$/.test(end ?? '') || Number(start) > Number(end)) problems.push(`bad times in ${line}`);
  }
  return problems;
}

/** Cells of a Markdown table row (unescaped pipes only). */
const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;

describe('summarizeRun: the facts every rendering shares', () => {
  let unplanned: JournalRecord[];
  let failedTest: JournalRecord[];
  beforeAll(async () => {
    unplanned = await run('unplanned');
    failedTest = await run('test', { faults: ['site.testFailover:w-03'] });
  });

  it('unplanned: RTO to the end of finalize; RPO the largest data-loss window the failovers reported', () => {
    const f = summarizeRun(unplanned, exec('unplanned'), { now: NOW });
    expect(f.state).toBe('succeeded');
    const dns = f.steps.find((s) => s.id === 'dns')!;
    expect(f.objectives.rto).toMatchObject({ objectiveMs: 30 * 60_000, achievedMs: dns.finishedAt! - f.startedAt!, measuredTo: 'finalize', met: true });
    expect(f.objectives.rpo).toMatchObject({ basis: 'unplanned', achievedMs: 45_000, objectiveMs: 5 * 60_000, met: true });
    expect(f.objectives.rpo.reportedBy).toHaveLength(14);
    expect(f.gateDecisions).toEqual([expect.objectContaining({ stepId: 'dba-signoff', decision: 'approved', by: 'auto-approve', simulated: true })]);
    expect(f.manual).toEqual([expect.objectContaining({ stepId: 'confirm', by: 'auto-approve', simulated: true })]);
  });

  it('planned: no data loss by design', async () => {
    const f = summarizeRun(await run('planned'), exec('planned'), { now: NOW });
    expect(f.objectives.rpo).toMatchObject({ basis: 'planned', achievedMs: 0, met: true });
  });

  it('test: RTO stops at finalize, before the cleanup; RPO does not apply', async () => {
    const f = summarizeRun(await run('test'), exec('test'), { now: NOW });
    expect(f.objectives.rto.measuredTo).toBe('finalize');
    expect(f.objectives.rto.achievedMs!).toBeLessThan(f.objectives.rto.elapsedMs);
    expect(f.objectives.rpo).toMatchObject({ basis: 'test', achievedMs: null, met: null });
  });

  it('a failed run has not recovered; its failure, and the steps it never reached, are reported', () => {
    const f = summarizeRun(failedTest, exec('test'), { now: NOW });
    expect(f.state).toBe('failed');
    expect(f.objectives.rto).toMatchObject({ achievedMs: null, met: false });
    expect(f.failures).toEqual([expect.objectContaining({ stepId: 'web/w-03/testFailover', final: true })]);
    expect(f.failure?.stepId).toBe('web/w-03/testFailover');
    expect(f.steps.find((s) => s.id === 'dns')?.status).toBe('cancelled');
    expect(f.steps.find((s) => s.id === 'web/w-03/cleanupTest')?.status).toBe('succeeded');
  });

  it('without the plan: VM operations keep their phase from their id; objectives are unknown', () => {
    const f = summarizeRun(failedTest, null, { now: NOW });
    expect(f.planAvailable).toBe(false);
    expect(f.steps.find((s) => s.id === 'web/w-01/cleanupTest')).toMatchObject({ kind: 'vm', phase: 'cleanup', group: 'web', vm: 'w-01' });
    expect(f.steps.find((s) => s.id === 'healthy')).toMatchObject({ kind: null, phase: null });
    expect(f.steps.some((s) => s.id === 'confirm')).toBe(false); // never ran: only the plan knows it
    expect(f.objectives.rto.objectiveMs).toBeNull();
  });

  it('a waiting run: who may act and the rendered instructions; every decision and intervention with who', async () => {
    const waiting = await run('unplanned', { autoApprove: false, stopWhenWaiting: true });
    let f = summarizeRun(waiting, exec('unplanned'), { now: NOW });
    expect(f.state).toBe('waiting');
    expect(f.waiting).toEqual([expect.objectContaining({ stepId: 'dba-signoff', kind: 'gate', principals: ['alice', 'bob'], quorum: 1, instructions: 'Check database' })]);
    const more = append(waiting, [
      { type: 'request.refused', data: { request: { type: 'approve', stepId: 'dba-signoff', by: 'mallory' }, reason: 'mallory may not decide' } },
      { type: 'run.resumed', data: { by: 'ivan', engineVersion: '0.1.0', pid: 1, planChanged: { previousDigest: 'a'.repeat(64), digest: 'b'.repeat(64) } } },
      { type: 'gate.rejected', data: { stepId: 'dba-signoff', by: 'bob', comment: 'lag is 2h' } },
      { type: 'run.cancelRequested', data: { by: 'ivan', reason: 'drill over' } },
    ]);
    f = summarizeRun(more, exec('unplanned'), { now: NOW });
    expect(f.interventions.map((i) => [i.type, i.by])).toEqual([
      ['request.refused', 'mallory'],
      ['run.resumed', 'ivan'],
      ['run.cancelRequested', 'ivan'],
    ]);
    expect(f.interventions[1]?.planChanged?.digest).toBe('b'.repeat(64));
    expect(f.gateDecisions).toEqual([expect.objectContaining({ decision: 'rejected', by: 'bob', comment: 'lag is 2h', simulated: false, signed: false })]);
  });
});

describe('Mermaid gantt (Markdown report)', () => {
  it('is what the forge’s gantt parser accepts, with crowded groups as one bar per operation', async () => {
    const f = summarizeRun(await run('test', { faults: ['site.testFailover:w-03'] }), exec('test'), { now: NOW });
    const text = renderGanttMermaid(f);
    expect(ganttProblems(text)).toEqual([]);
    expect(text).toMatch(/^ {2}section recovery$/m);
    expect(text).toMatch(/^ {2}web testFailover ×12 :crit, done, t\d+, \d{13}, \d{13}$/m);
    expect(text).not.toMatch(/web\/w-01\/testFailover/);
    expect(text).toMatch(/^ {2}dba-signoff :done, milestone, /m);
    const started = f.steps.filter((s) => s.startedAt !== null).length;
    const bars = timelineOf(f).sections.flatMap((s) => s.bars);
    expect(bars.reduce((n, b) => n + b.steps.length, 0)).toBe(started);
  });

  it('stays parseable whatever a journal’s step ids hold (ids from a journal are not checked by the schema)', () => {
    const hostile = ['title: boom', 'a#b;c', 'section x', 'gantt-step', '2026-01-01 later', 'click me', '%%{init}%%', 'a%b', 'line\nbreak'];
    let records: JournalRecord[] = append([], [{ type: 'run.started', data: { runId: 'r', plan: 'p', planFile: 'p.yaml', planDigest: 'd', mode: 'planned', params: {}, initiator: 'i', engineVersion: 'x', dryRun: true, autoApprove: false, faults: [], simulated: true } }]);
    for (const id of hostile) records = append(records, [{ type: 'step.started', data: { stepId: id, attempt: 1, idempotencyKey: id, deadline: null } }, { type: 'step.succeeded', data: { stepId: id, attempt: 1, output: {} } }]);
    const text = renderGanttMermaid(summarizeRun(records, null, { now: NOW }));
    expect(ganttProblems(text)).toEqual([]);
    expect(text.split('\n').filter((l) => / :done, t\d+/.test(l))).toHaveLength(hostile.length);
  });

  it('a run with no step yet still draws a valid chart', () => {
    const records = append([], [{ type: 'run.started', data: { runId: 'r', plan: 'p', planFile: 'p.yaml', planDigest: 'd', mode: 'test', params: {}, initiator: 'i', engineVersion: 'x', dryRun: false, autoApprove: false, faults: [], simulated: false } }]);
    expect(ganttProblems(renderGanttMermaid(summarizeRun(records, null, { now: NOW })))).toEqual([]);
  });
});

describe('Markdown, HTML and JSON reports', () => {
  let facts: RunFacts;
  let rejected: RunFacts;
  beforeAll(async () => {
    facts = summarizeRun(await run('unplanned'), exec('unplanned'), { now: NOW });
    const waiting = await run('unplanned', { autoApprove: false, stopWhenWaiting: true });
    rejected = summarizeRun(
      append(waiting, [
        { type: 'gate.rejected', data: { stepId: 'dba-signoff', by: 'bob', comment: 'lag | <script>alert(1)</script>' } },
        { type: 'step.failed', data: { stepId: 'dba-signoff', attempt: 1, error: 'rejected | by <b>bob</b>', final: true } },
        { type: 'run.failed', data: { stepId: 'dba-signoff', error: 'rejected | by <b>bob</b>' } },
      ]),
      exec('unplanned'),
      { now: NOW },
    );
  });

  it('Markdown: every section an auditor looks for, tables with the right number of cells', () => {
    const md = renderRunReportMarkdown(facts, CTX);
    for (const heading of ['# DR run report: report-test (unplanned)', '## Objectives', '## Timeline', '## Steps', '## Gate decisions', '## Manual steps', '## Operator interventions', '## Failures']) expect(md).toContain(heading);
    expect(md).toContain('git commit c0ffee000000: the run used the committed version');
    expect(md).toMatch(/\| RPO \| 5m \| 45s \| ✅ met \|/);
    expect(md).toMatch(/\| RTO \| 30m \| \S+ \| ✅ met \|/);
    expect(md).toMatch(/```mermaid\ngantt\n/);
    const gantt = /```mermaid\n([\s\S]*?)```/.exec(md)![1]!;
    expect(ganttProblems(gantt)).toEqual([]);
    expect(md).toMatch(/`web\/\*\/failover` ×12 \| 12 succeeded/);
    for (const table of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const rows = table.split('\n');
      for (const row of rows) expect(cells(row), row).toBe(cells(rows[0]!));
    }
  });

  it('Markdown: text from the journal cannot break a table or inject HTML', () => {
    const md = renderRunReportMarkdown(rejected, CTX);
    expect(md).toContain('rejected by bob: lag \\| &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<b>');
  });

  it('HTML: one self-contained page — no script, nothing fetched, readable on a phone', () => {
    for (const f of [facts, rejected]) {
      const html = renderRunReportHtml(f, CTX);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(|https?:/i);
      expect(html.match(/<svg class="gantt"/g)).toHaveLength(1);
      for (const tag of ['table', 'svg', 'dl', 'main', 'style']) expect(html.split(`<${tag}`).length, tag).toBe(html.split(`</${tag}>`).length);
    }
    const html = renderRunReportHtml(rejected, CTX);
    expect(html).toContain('lag | &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('rejected by bob');
  });

  it('HTML: the SVG chart draws one bar per bar of the timeline, in order of phases', () => {
    const html = renderRunReportHtml(facts, CTX);
    const bars = timelineOf(facts).sections.flatMap((s) => s.bars);
    expect(html.match(/<g class="bar-/g)).toHaveLength(bars.length);
    expect(html).toContain('web failover ×12');
  });

  it('JSON: the same facts, structured', () => {
    const json = JSON.parse(JSON.stringify(runReportJson(facts, CTX)));
    expect(json).toMatchObject({
      reportVersion: 1,
      run: { runId: 'run-1', plan: 'report-test', mode: 'unplanned', state: 'succeeded', dryRun: true, simulatedTime: true, initiator: 'tester' },
      plan: { name: 'report-test', digest: 'test', available: true, git: { kind: 'committed' } },
      objectives: { rto: { verdict: 'met', measuredTo: 'finalize' }, rpo: { verdict: 'met', achievedMs: 45_000 } },
    });
    expect(json.steps.length).toBe(facts.steps.length);
    expect(json.gates[0]).toMatchObject({ stepId: 'dba-signoff', decision: 'approved', simulated: true });
    expect(json.gates[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(json.manualSteps[0]).toMatchObject({ stepId: 'confirm' });
  });
});

describe('status, runs and log lines', () => {
  it('status text: what it waits on, the instructions, who may act, and the steps by group', async () => {
    const waiting = await run('unplanned', { autoApprove: false, stopWhenWaiting: true });
    const f = summarizeRun(waiting, exec('unplanned'), { now: NOW });
    const text = formatStatusText(f, { now: NOW, engine: null, planUnavailable: null, planChanged: null }, plain);
    expect(text).toMatch(/^run run-1$/m);
    expect(text).toMatch(/waiting on dba-signoff · gate/);
    expect(text).toContain('│ Check database');
    expect(text).toContain('may approve or reject: alice, bob · 1 approval needed');
    expect(text).toContain('drplan approve run-1 dba-signoff');
    expect(text).toContain('none is driving it; `drplan resume run-1` carries it on');
    expect(text).toMatch(/^ {2}group web$/m);
    expect(text).toMatch(/Σ failover ×12 +12 pending/);
  });

  it('status JSON from the journal alone has the SPEC §3.1 shape of runStatusJson, plus why', async () => {
    const records = await run('unplanned');
    const h = RunHistory.of(records);
    const full = runStatusJson(exec('unplanned'), h);
    const alone = journalStatusJson(h, 'the plan file is gone');
    expect(Object.keys(alone)).toEqual([...Object.keys(full), 'planAvailable', 'planUnavailable']);
    expect(alone.steps.map((s) => s.id).sort()).toEqual(full.steps.filter((s) => s.status !== 'pending' && s.status !== 'skipped').map((s) => s.id).sort());
    expect(alone.steps[0]).toEqual(full.steps[0]);
  });

  it('runs: a damaged journal is one line saying so, not a failed listing', async () => {
    const records = await run('planned');
    const ok = runListEntry({ runId: 'run-1', plan: 'report-test', mode: 'planned', startedAt: records[0]!.time }, { records }, NOW);
    const bad = runListEntry({ runId: 'run-2', plan: 'report-test', mode: 'test', startedAt: 5 }, { error: 'journal.jsonl:3: altered' }, NOW);
    const json = runListJson([bad, ok]);
    expect(json[0]).toEqual({ runId: 'run-2', plan: 'report-test', mode: 'test', state: 'damaged', startedAt: new Date(5).toISOString(), waitingOn: [], finishedAt: null, elapsedMs: null, dryRun: null, error: 'journal.jsonl:3: altered' });
    expect(json[1]).toMatchObject({ runId: 'run-1', state: 'succeeded', waitingOn: [], dryRun: true });
    const text = formatRunList([bad, ok], plain);
    expect(text.split('\n')[0]).toMatch(/^RUN ID +PLAN +MODE +STATE +STARTED +ELAPSED +WAITING ON$/);
    expect(text).toMatch(/run-2 +report-test +test +damaged .*drplan verify run-2/);
  });

  it('log --pretty: one line per record with the run clock, type, step and what matters', () => {
    const ctx = { runStart: 1_000, timeOfSeq: (seq: number) => 1_000 + seq * 30_000 };
    const line = (o: object) => formatLogLine(JSON.stringify({ level: 30, time: '2026-11-23T17:56:53.620Z', runId: 'r', ...o }), ctx, plain);
    expect(line({ seq: 2, type: 'step.started', stepId: 'db/pg-1/failover', attempt: 1, deadline: null, msg: 'step.started' })).toBe('17:56:53.620 +1m      #2    step.started     db/pg-1/failover  attempt 1');
    expect(line({ seq: 3, type: 'step.failed', stepId: 'smoke', attempt: 2, error: 'exit 1', final: false })).toMatch(/#3 +step\.failed +smoke {2}attempt 2: exit 1 \(will retry\)$/);
    expect(line({ seq: 4, type: 'gate.approved', stepId: 'g', by: 'alice', simulated: true })).toMatch(/gate\.approved +g {2}by alice \(simulated\)$/);
    expect(line({ seq: 5, type: 'step.waiting', stepId: 'g', kind: 'gate', principals: ['alice', 'bob'], quorum: 1, deadline: 1_000 + 600_000, instructions: 'Check it\nthen sign' })).toMatch(/gate 1 of alice, bob until \+10m · Check it$/);
    expect(formatLogLine(JSON.stringify({ level: 40, time: '2026-11-23T17:56:53.620Z', msg: 'slow', argv: ['x'] }), ctx, plain)).toMatch(/warn {2}slow \{"argv":\["x"\]\}$/);
    expect(formatLogLine('{"torn', ctx, plain)).toBe('? {"torn');
    expect(formatLogLine('', ctx, plain)).toBeNull();
  });
});
