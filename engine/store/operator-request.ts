import type { SignedDecision } from '../approvals/decision-statement.js';

/**
 * Something a person asks of a run: operator controls and sign-offs. It travels through the
 * run's inbox to the engine that drives the run, which judges it (run/operator-requests.ts).
 */
export type OperatorRequest =
  | { type: 'approve' | 'reject'; stepId: string; by: string; comment?: string; signed?: SignedDecision }
  | { type: 'done'; stepId: string; by: string; comment?: string; signed?: SignedDecision }
  | { type: 'retry' | 'abort'; stepId: string; by: string; reason?: string }
  | { type: 'skip'; stepId: string; by: string; reason: string }
  | { type: 'cancel'; by: string; reason?: string };
