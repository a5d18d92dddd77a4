/**
 * A campaign's report as text: what was done to the engines, what the operator did, and every
 * kind of failure with its count, each failed case with the seed that reruns it.
 */
import { MAX_DISRUPTIONS, problemCount, targetsMet, type CampaignReport } from './torture-campaign.js';
import { PROBLEM_KINDS, PROBLEM_LABELS } from './torture-problems.js';

const n = (x: number) => x.toLocaleString('en-US');
const count = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** How to rerun one case: the same plan and disruptions (where timed disruptions land can differ). */
export function rerunCommand(seed: number, kinds: readonly string[], maxDisruptions: number): string {
  const more = maxDisruptions === MAX_DISRUPTIONS.command ? '' : ` --max-disruptions ${maxDisruptions}`;
  return `npm run torture -- --seed ${seed} --cases 1 --disruptions ${kinds.join(',')}${more}`;
}

export function formatReport(r: CampaignReport): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(40)} ${value}`);
  lines.push(`drplan torture · seed ${r.seed} · ${n(r.cases)} cases · disruptions: ${r.kinds.join(', ')} · ${duration(r.ms)}`);
  row('drplan processes', n(r.processes));
  row('SIGKILLs', `${n(r.kills.total)} (of \`run\` ${n(r.kills.run)}, of \`resume\` ${n(r.kills.resume)}; ${n(r.kills.machine)} also killed the commands drplan started)`);
  row('resumes', n(r.resumes));
  const w = r.races.byWinners;
  row('racing resumes', `${count(r.races.total, 'race')} of 2–3 resumes on a stale lock (${count(r.races.racers, 'process', 'processes')}); taken by one ${n(w[1] ?? 0)}, by two ${n(w[2] ?? 0)}, by three ${n(w[3] ?? 0)}, by none ${n(w[0] ?? 0)}`);
  row('stale locks taken over', n(r.takeovers));
  row('closed stdout', `${count(r.closedStdouts.delivered, 'engine')} read by \`| head -1\`; ${n(r.closedStdouts.enginesStopped)} stopped`);
  row('SIGHUP', `${count(r.hangups.delivered, 'engine')} hung up; ${n(r.hangups.enginesStopped)} stopped`);
  const repeated = r.operator.refusedThenRepeated > 0 ? `; ${n(r.operator.refusedThenRepeated)} refused by the engine driving the run and asked again` : '';
  row('operator', `${n(r.operator.skips)} skip, ${n(r.operator.retries)} retry, on ${count(r.operator.pauses, 'step')} paused for an operator${repeated}`);
  lines.push('  failures');
  for (const kind of PROBLEM_KINDS) {
    // The kinds the torture is for are always shown, 0 included; the others when they happened.
    const always = kind === 'DUPLICATED_EFFECT' || kind === 'MISSING_EFFECT' || kind === 'BROKEN_JOURNAL' || kind === 'ENGINE_STOPPED' || kind === 'DOUBLE_DRIVE';
    const cases = r.casesWith[kind] > 0 ? ` in ${n(r.casesWith[kind])} case${r.casesWith[kind] === 1 ? '' : 's'}` : '';
    if (always || r.problems[kind] > 0) row(`  ${PROBLEM_LABELS[kind]}`, `${n(r.problems[kind])}${cases}`);
  }
  if (r.targets.minKills !== null || r.targets.minRaces) {
    const parts = [
      ...(r.targets.minKills !== null ? [`≥ ${n(r.targets.minKills)} SIGKILLs: ${r.kills.total >= r.targets.minKills ? 'met' : 'NOT met'}`] : []),
      ...(r.targets.minRaces ? [`≥ ${n(r.targets.minRaces)} racing takeovers: ${r.races.total >= r.targets.minRaces ? 'met' : 'NOT met'}`] : []),
    ];
    row('targets', parts.join('; '));
  }
  const failed = problemCount(r);
  lines.push(failed === 0 && targetsMet(r) ? 'PASSED: every run ended as uninterrupted, every effect exactly once, every journal verified.' : `FAILED: ${n(failed)} problems in ${n(r.failedCases.length)} of ${n(r.cases)} cases${targetsMet(r) ? '' : '; targets not met'}.`);
  if (r.failedCases.length > 0) {
    lines.push('  failed cases (rerun one with the command shown; the plan and disruptions are the same, where timed ones land can differ):');
    for (const f of r.failedCases.slice(0, 20)) lines.push(`    seed ${f.seed}: ${f.kinds.join(', ')} · ${f.dir}`);
    if (r.failedCases.length > 20) lines.push(`    … and ${n(r.failedCases.length - 20)} more`);
    lines.push(`    e.g. ${rerunCommand(r.failedCases[0]!.seed, r.kinds, r.maxDisruptions)}`);
  }
  return lines.join('\n') + '\n';
}
