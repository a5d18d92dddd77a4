/**
 * A crash-torture campaign: many generated cases (random plan shapes and modes, random
 * disruptions), each driven to its end by the harness and judged by the verdict, tallied into one
 * report. The one implementation behind both the short torture in the test suite
 * (test/e2e/crash-torture.test.ts) and `npm run torture` (scripts/torture.js).
 *
 * Case i of a campaign with seed S is generated from seed S + i alone, so a failing case is
 * rerun by its seed (`npm run torture -- --seed <its seed> --cases 1`). The plan and the
 * disruptions come back the same; where a time-based disruption lands can differ, as timing does.
 */
import fc from 'fast-check';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { referenceRun, type Reference } from './torture-cli.js';
import { tortureRun, type Disruption, type TortureCase, type TortureOutcome } from './torture-harness.js';
import { succeedingShape, TORTURE_MODES } from './torture-plan.js';
import { PROBLEM_KINDS, problem, type Problem, type ProblemKind } from './torture-problems.js';
import { tortureLaunchers, type KillPoint } from './torture-process.js';
import { describeFailure, judgeOutcome } from './torture-verdict.js';

/** What a campaign may do to the engines. */
export type DisruptionKind = 'kill' | 'race' | 'closed-stdout' | 'hangup';
export const DISRUPTION_KINDS: readonly DisruptionKind[] = ['kill', 'race', 'closed-stdout', 'hangup'];
/**
 * Disruptions per case at most, in the suite and in `npm run torture` (a kill point a process
 * does not live to reach moves on to the next). More per case spreads a case's fixed cost — its
 * reference run, first `drplan run`, last resume, verify — over more kills; fewer keeps the
 * suite's cases short.
 */
export const MAX_DISRUPTIONS = { suite: 4, command: 6 } as const;

export function parseDisruptionKinds(text: string): DisruptionKind[] {
  if (text.trim() === 'all') return [...DISRUPTION_KINDS];
  const kinds = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = kinds.filter((k) => !(DISRUPTION_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) throw new Error(`unknown disruption ${unknown.map((k) => JSON.stringify(k)).join(', ') || '(none given)'}: use a comma-separated list of ${DISRUPTION_KINDS.join(', ')}, or all`);
  return [...new Set(kinds)] as DisruptionKind[];
}

/** A moment in a process's life: from its spawn, after its Nth effect-ledger line, after its Nth journal record. */
const moment: fc.Arbitrary<KillPoint> = fc.oneof(
  // from the spawn: start-up, lock, replay, or somewhere in the run
  fc.integer({ min: 50, max: 600 }).map((ms) => ({ kind: 'delay' as const, ms })),
  // right after the Nth effect-ledger line: between an effect and its journal record
  fc.integer({ min: 1, max: 4 }).map((lines) => ({ kind: 'ledger' as const, lines })),
  // after N journal records: between VM operations, retries, pauses
  fc.integer({ min: 1, max: 10 }).map((records) => ({ kind: 'journal' as const, records })),
);

const kill: fc.Arbitrary<Disruption> = fc
  // one kill in four takes the host down: the commands drplan started die too, mid-effect
  .tuple(moment, fc.integer({ min: 0, max: 3 }).map((n) => n === 0))
  .map(([at, machine]) => ({ kind: 'kill', at: machine ? { ...at, machine } : at }));
const hangup: fc.Arbitrary<Disruption> = moment.map((at) => ({ kind: 'hangup', at }));
const closedStdout: fc.Arbitrary<Disruption> = fc.constant({ kind: 'closed-stdout' });

export function tortureCaseArbitrary(kinds: readonly DisruptionKind[], maxDisruptions: number): fc.Arbitrary<TortureCase> {
  const weighted = [
    ...(kinds.includes('kill') ? [{ arbitrary: kill, weight: 4 }] : []),
    ...(kinds.includes('hangup') ? [{ arbitrary: hangup, weight: 1 }] : []),
    ...(kinds.includes('closed-stdout') ? [{ arbitrary: closedStdout, weight: 1 }] : []),
  ];
  return fc.record({
    shape: succeedingShape,
    mode: fc.constantFrom(...TORTURE_MODES),
    disruptions: weighted.length > 0 ? fc.array(fc.oneof(...weighted), { minLength: 1, maxLength: maxDisruptions }) : fc.constant([]),
    // On a stale lock: one resume in two alone, else two or three at the same instant.
    racers: kinds.includes('race') ? fc.array(fc.constantFrom(1, 1, 2, 2, 3), { maxLength: maxDisruptions }) : fc.constant([]),
    detach: fc.boolean(),
  });
}

/** The case a seed stands for. */
export function caseOfSeed(seed: number, kinds: readonly DisruptionKind[], maxDisruptions: number): TortureCase {
  return fc.sample(tortureCaseArbitrary(kinds, maxDisruptions), { seed, numRuns: 1 })[0]!;
}

export interface CampaignOptions {
  seed: number;
  /** Exactly this many cases; otherwise cases go on until the targets are met (or `maxCases`). */
  cases?: number;
  minKills?: number;
  minRaces?: number;
  maxCases?: number;
  /** Cases driven at the same time. */
  jobs: number;
  kinds: readonly DisruptionKind[];
  /** At most this many disruptions per case (at least one). */
  maxDisruptions: number;
  /** Each case works in a folder of its own under it. */
  scratch: string;
  /** Keep every case's folder (plan, ledger, state); failed cases' folders are always kept. */
  keep?: boolean;
  /** Append each case and its transcript to this file. */
  log?: string | null;
  onCase?: (result: CaseResult, report: CampaignReport) => void;
}

export interface CaseResult {
  index: number;
  seed: number;
  c: TortureCase;
  problems: Problem[];
  /** The case and its transcript, when it failed. */
  failure: string | null;
  dir: string;
  ms: number;
  kills: number;
  races: number;
}

export interface CampaignReport {
  seed: number;
  kinds: DisruptionKind[];
  maxDisruptions: number;
  ms: number;
  cases: number;
  processes: number;
  /** `drplan resume` processes, racers included. */
  resumes: number;
  kills: { total: number; run: number; resume: number; machine: number };
  hangups: { delivered: number; enginesStopped: number };
  closedStdouts: { delivered: number; enginesStopped: number };
  /** Resumes started 2–3 at once on a stale lock; `byWinners[n]`: races that n of the racers took. */
  races: { total: number; racers: number; byWinners: number[] };
  /** Stale locks taken over (alone or in a race). */
  takeovers: number;
  /** `refusedThenRepeated`: answers an engine driving the run refused, asked again on the next look. */
  operator: { pauses: number; skips: number; retries: number; refusedThenRepeated: number };
  problems: Record<ProblemKind, number>;
  /** Cases with at least one problem of the kind. */
  casesWith: Record<ProblemKind, number>;
  failedCases: { index: number; seed: number; kinds: ProblemKind[]; dir: string }[];
  targets: { minKills: number | null; minRaces: number | null };
}

export function emptyReport(seed: number, kinds: readonly DisruptionKind[], maxDisruptions: number, targets: CampaignReport['targets']): CampaignReport {
  return {
    seed,
    kinds: [...kinds],
    maxDisruptions,
    ms: 0,
    cases: 0,
    processes: 0,
    resumes: 0,
    kills: { total: 0, run: 0, resume: 0, machine: 0 },
    hangups: { delivered: 0, enginesStopped: 0 },
    closedStdouts: { delivered: 0, enginesStopped: 0 },
    races: { total: 0, racers: 0, byWinners: [0, 0, 0, 0] },
    takeovers: 0,
    operator: { pauses: 0, skips: 0, retries: 0, refusedThenRepeated: 0 },
    problems: Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0])) as Record<ProblemKind, number>,
    casesWith: Object.fromEntries(PROBLEM_KINDS.map((k) => [k, 0])) as Record<ProblemKind, number>,
    failedCases: [],
    targets,
  };
}

/** Every problem found, of every case: none means the campaign passed. */
export function problemCount(report: CampaignReport): number {
  return Object.values(report.problems).reduce((a, b) => a + b, 0);
}

export function targetsMet(report: CampaignReport): boolean {
  return (report.targets.minKills === null || report.kills.total >= report.targets.minKills) && (report.targets.minRaces === null || report.races.total >= report.targets.minRaces);
}

function tally(report: CampaignReport, out: TortureOutcome): void {
  const n = out.counts;
  report.processes += n.processes;
  report.resumes += n.resumes;
  report.kills.run += n.kills.run;
  report.kills.resume += n.kills.resume;
  report.kills.total += n.kills.run + n.kills.resume;
  report.kills.machine += n.machineKills;
  report.hangups.delivered += n.hangups.delivered;
  report.hangups.enginesStopped += n.hangups.enginesStopped;
  report.closedStdouts.delivered += n.closedStdouts.delivered;
  report.closedStdouts.enginesStopped += n.closedStdouts.enginesStopped;
  for (const r of out.races) {
    report.races.total++;
    report.races.racers += r.racers;
    report.races.byWinners[Math.min(r.winners, 3)]!++;
  }
  report.takeovers += out.takeovers.length;
  report.operator.refusedThenRepeated += n.operatorRefusals;
  report.operator.pauses += out.pauseMessages.size;
  report.operator.skips += out.decisions.filter((d) => d.decision === 'skip').length;
  report.operator.retries += out.decisions.filter((d) => d.decision === 'retry').length;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const report = emptyReport(o.seed, o.kinds, o.maxDisruptions, { minKills: o.cases === undefined ? (o.minKills ?? null) : null, minRaces: o.cases === undefined ? (o.minRaces ?? null) : null });
  const maxCases = o.cases ?? o.maxCases ?? 1000;
  const references = new Map<string, Promise<Reference>>();
  mkdirSync(o.scratch, { recursive: true });
  let next = 0;

  /** The uninterrupted run of the same shape and mode, once per shape and mode. */
  const reference = (c: TortureCase, index: number): Promise<Reference> => {
    const key = `${c.mode}\n${JSON.stringify(c.shape)}`;
    let ref = references.get(key);
    if (!ref) {
      ref = referenceRun(join(o.scratch, `ref-${index}`), c);
      references.set(key, ref);
    }
    return ref;
  };

  const runCase = async (index: number): Promise<CaseResult> => {
    const seed = (o.seed + index) | 0;
    const c = caseOfSeed(seed, o.kinds, o.maxDisruptions);
    const dir = join(o.scratch, `case-${index}-seed-${seed}`);
    const t0 = Date.now();
    let out: TortureOutcome | null = null;
    let problems: Problem[];
    try {
      const ref = await reference(c, index);
      out = await tortureRun(dir, c);
      tally(report, out);
      problems = judgeOutcome(c, out, ref, dir);
    } catch (error) {
      problems = [...(out?.problems ?? []), problem('HARNESS', (error as Error).stack ?? String(error))];
    }
    const failure = problems.length > 0 ? describeFailure(c, out, problems) : null;
    if (o.log) appendFileSync(o.log, `case ${index} seed ${seed}: ${failure ?? `ok\n${JSON.stringify(c)}\n${out?.transcript.join('\n') ?? ''}`}\n\n`);
    if (!failure && !o.keep) rmSync(dir, { recursive: true, force: true });
    const kills = out ? out.counts.kills.run + out.counts.kills.resume : 0;
    return { index, seed, c, problems, failure, dir, ms: Date.now() - t0, kills, races: out?.races.length ?? 0 };
  };

  const worker = async () => {
    // Targets are checked before each case is taken: jobs running when they are met still finish.
    while (next < maxCases && (o.cases !== undefined || !targetsMet(report))) {
      const result = await runCase(next++);
      report.cases++;
      for (const p of result.problems) report.problems[p.kind]++;
      const kinds = [...new Set(result.problems.map((p) => p.kind))];
      for (const k of kinds) report.casesWith[k]++;
      if (kinds.length > 0) report.failedCases.push({ index: result.index, seed: result.seed, kinds, dir: result.dir });
      report.ms = Date.now() - started;
      o.onCase?.(result, report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));

  // No engine, killed or finished, leaves its shell launcher behind (a killed one's exits on its own, promptly).
  const deadline = Date.now() + 10_000;
  while (tortureLaunchers().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const left = tortureLaunchers();
  if (left.length > 0) report.problems.LAUNCHER_LEFT += left.length;
  report.failedCases.sort((a, b) => a.index - b.index);
  report.ms = Date.now() - started;
  return report;
}
