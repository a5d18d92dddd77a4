/**
 * What the crash torture can find wrong with a tortured run, by kind: the harness (while it
 * drives the run) and the verdict (after it ended) both report problems of these kinds, and the
 * campaign's report counts them.
 */
export type ProblemKind =
  /** A step's effect is in the ledger more than once. */
  | 'DUPLICATED_EFFECT'
  /** A step counted done without its effect in the ledger, or not done although the uninterrupted run did it. */
  | 'MISSING_EFFECT'
  /** An effect in the ledger of a step the run does not count as done. */
  | 'UNTRACKED_EFFECT'
  /** The journal cannot be read, or `drplan verify` rejects it. */
  | 'BROKEN_JOURNAL'
  /** An engine ended without the run ending or waiting for people (a closed pipe, a hangup, an internal error). */
  | 'ENGINE_STOPPED'
  /** Two racing resumes took over the same stale lock and held the run at the same time. */
  | 'DOUBLE_DRIVE'
  /** A resume was refused by the lock of an engine that no longer runs. */
  | 'STALE_LOCK_BLOCKED'
  /** The run ended otherwise than the uninterrupted run of the same plan (state, exit code, steps). */
  | 'WRONG_END'
  /** An attempt in doubt or paused was handled against the journal's invariants. */
  | 'IN_DOUBT'
  /** A pause message does not tell the operator what to check and which commands answer it. */
  | 'PAUSE_MESSAGE'
  /** An operator's `drplan retry`/`skip` was refused. */
  | 'OPERATOR_REFUSED'
  /** The run lock is still there after the last engine exited. */
  | 'LOCK_LEFT'
  /** A resume took over a dead engine's lock without saying so. */
  | 'TAKEOVER_UNANNOUNCED'
  /** A process ran past its timeout, commands never finished, or the run never ended. */
  | 'STUCK'
  /** A shell launcher outlived the engines. */
  | 'LAUNCHER_LEFT'
  /** The harness itself failed: a bug in the torture, or drplan behaving in a way it cannot follow. */
  | 'HARNESS';

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

/** In the report's order: what the torture exists to find first. */
export const PROBLEM_KINDS: readonly ProblemKind[] = [
  'DUPLICATED_EFFECT',
  'MISSING_EFFECT',
  'UNTRACKED_EFFECT',
  'BROKEN_JOURNAL',
  'ENGINE_STOPPED',
  'DOUBLE_DRIVE',
  'STALE_LOCK_BLOCKED',
  'WRONG_END',
  'IN_DOUBT',
  'PAUSE_MESSAGE',
  'OPERATOR_REFUSED',
  'LOCK_LEFT',
  'TAKEOVER_UNANNOUNCED',
  'STUCK',
  'LAUNCHER_LEFT',
  'HARNESS',
];

export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  'DUPLICATED_EFFECT': 'duplicated effects',
  'MISSING_EFFECT': 'missing effects',
  'UNTRACKED_EFFECT': 'effects the run does not count',
  'BROKEN_JOURNAL': 'journals verify rejects',
  'ENGINE_STOPPED': 'engines that stopped mid-run',
  'DOUBLE_DRIVE': 'runs held by two engines at once',
  'STALE_LOCK_BLOCKED': 'resumes refused by a stale lock',
  'WRONG_END': 'runs that ended unlike uninterrupted',
  'IN_DOUBT': 'in-doubt attempts mishandled',
  'PAUSE_MESSAGE': 'unclear pause messages',
  'OPERATOR_REFUSED': 'operator commands refused',
  'LOCK_LEFT': 'locks left after the end',
  'TAKEOVER_UNANNOUNCED': 'silent lock takeovers',
  STUCK: 'stuck runs or processes',
  'LAUNCHER_LEFT': 'shell launchers left running',
  HARNESS: 'harness failures',
};

export const problem = (kind: ProblemKind, detail: string): Problem => ({ kind, detail });
