/**
 * What the crash torture can find wrong with a tortured run, by kind: the harness (while it
 * drives the run) and the verdict (after it ended) both report problems of these kinds, and the
 * campaign's report counts them.
 */
export type ProblemKind =
  /** A step's effect is in the ledger more than once. */
  | 'duplicated-effect'
  /** A step counted done without its effect in the ledger, or not done although the uninterrupted run did it. */
  | 'missing-effect'
  /** An effect in the ledger of a step the run does not count as done. */
  | 'untracked-effect'
  /** The journal cannot be read, or `drplan verify` rejects it. */
  | 'broken-journal'
  /** An engine ended without the run ending or waiting for people (a closed pipe, a hangup, an internal error). */
  | 'engine-stopped'
  /** A resume was refused by the lock of an engine that no longer runs. */
  | 'stale-lock-blocked'
  /** The run ended otherwise than the uninterrupted run of the same plan (state, exit code, steps). */
  | 'wrong-end'
  /** An attempt in doubt or paused was handled against the journal's invariants. */
  | 'in-doubt'
  /** A pause message does not tell the operator what to check and which commands answer it. */
  | 'pause-message'
  /** An operator's `drplan retry`/`skip` was refused. */
  | 'operator-refused'
  /** The run lock is still there after the last engine exited. */
  | 'lock-left'
  /** A resume took over a dead engine's lock without saying so. */
  | 'takeover-unannounced'
  /** A process ran past its timeout, commands never finished, or the run never ended. */
  | 'stuck'
  /** A shell launcher outlived the engines. */
  | 'launcher-left'
  /** The harness itself failed: a bug in the torture, or drplan behaving in a way it cannot follow. */
  | 'harness';

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

/** In the report's order: what the torture exists to find first. */
export const PROBLEM_KINDS: readonly ProblemKind[] = [
  'duplicated-effect',
  'missing-effect',
  'untracked-effect',
  'broken-journal',
  'engine-stopped',
  'stale-lock-blocked',
  'wrong-end',
  'in-doubt',
  'pause-message',
  'operator-refused',
  'lock-left',
  'takeover-unannounced',
  'stuck',
  'launcher-left',
  'harness',
];

export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  'duplicated-effect': 'duplicated effects',
  'missing-effect': 'missing effects',
  'untracked-effect': 'effects the run does not count',
  'broken-journal': 'journals verify rejects',
  'engine-stopped': 'engines that stopped mid-run',
  'stale-lock-blocked': 'resumes refused by a stale lock',
  'wrong-end': 'runs that ended otherwise than uninterrupted',
  'in-doubt': 'in-doubt attempts mishandled',
  'pause-message': 'unclear pause messages',
  'operator-refused': 'operator commands refused',
  'lock-left': 'locks left after the end',
  'takeover-unannounced': 'silent lock takeovers',
  stuck: 'stuck runs or processes',
  'launcher-left': 'shell launchers left running',
  harness: 'harness failures',
};

export const problem = (kind: ProblemKind, detail: string): Problem => ({ kind, detail });
