import { createHash } from 'node:crypto';

/** sha256 of a plan file's bytes: what a run records at start and what resume and approvals compare. */
export function digestOf(bytes: Buffer | undefined): string {
  return createHash('sha256').update(bytes ?? '').digest('hex');
}
