import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperatorRequest } from './operator-request.js';
import type { RecordData } from './journal.js';

/**
 * How commands reach the engine that drives a run: each request is a file dropped atomically
 * into `<run>/inbox/`; the engine applies it (it alone writes the journal) and leaves an outcome
 * file beside it for the command to read.
 */
export interface RequestOutcome {
  accepted: boolean;
  message: string;
}

/**
 * Refused decisions that `drplan serve` counted instead of forwarding one by one (a flood): the
 * engine journals the record as it is, without judging it — it adds a refusal, nothing else.
 */
export interface RefusalTally {
  type: 'refusals';
  record: RecordData['request.refused'];
}

export type InboxRequest = OperatorRequest | RefusalTally;

/** Shape check for a tally read from an inbox file. */
export function isRefusalTally(value: unknown): value is RefusalTally {
  const v = value as RefusalTally | null;
  const r = v?.record;
  const n = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  return (
    v?.type === 'refusals' &&
    !!r &&
    typeof r.reason === 'string' &&
    !!r.request &&
    typeof r.request === 'object' &&
    !!r.repeats &&
    Number.isSafeInteger(r.repeats.count) &&
    r.repeats.count >= 1 &&
    Number.isSafeInteger(r.repeats.unchecked) &&
    r.repeats.unchecked >= 0 &&
    n(r.repeats.from) &&
    n(r.repeats.to)
  );
}

const REQUEST = /^(\d+-[0-9a-f]+)\.request\.json$/;

export function submitRequest(runDir: string, request: InboxRequest): string {
  const inbox = join(runDir, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const id = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  const tmp = join(inbox, `.${id}.tmp`);
  writeFileSync(tmp, JSON.stringify(request));
  renameSync(tmp, join(inbox, `${id}.request.json`));
  return id;
}

/** Requests waiting in the inbox, oldest first. Unreadable ones are answered as refused. */
export function takeRequests(runDir: string): { id: string; request: InboxRequest }[] {
  const inbox = join(runDir, 'inbox');
  if (!existsSync(inbox)) return [];
  const out: { id: string; request: InboxRequest }[] = [];
  for (const name of readdirSync(inbox).sort()) {
    const m = REQUEST.exec(name);
    if (!m) continue;
    const file = join(inbox, name);
    try {
      out.push({ id: m[1]!, request: JSON.parse(readFileSync(file, 'utf8')) as InboxRequest });
    } catch {
      answerRequest(runDir, m[1]!, { accepted: false, message: 'the request file could not be read' });
    }
    unlinkSync(file);
  }
  return out;
}

export function answerRequest(runDir: string, id: string, outcome: RequestOutcome): void {
  const inbox = join(runDir, 'inbox');
  const tmp = join(inbox, `.${id}.outcome.tmp`);
  writeFileSync(tmp, JSON.stringify(outcome));
  renameSync(tmp, join(inbox, `${id}.outcome.json`));
}

/** Waits (real time) for the engine's answer; null if it did not come in time. */
export async function awaitOutcome(runDir: string, id: string, timeoutMs: number): Promise<RequestOutcome | null> {
  const file = join(runDir, 'inbox', `${id}.outcome.json`);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(file)) {
      const outcome = JSON.parse(readFileSync(file, 'utf8')) as RequestOutcome;
      unlinkSync(file);
      return outcome;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

/** Withdraws a request nobody took (so it cannot apply later by surprise). True if it was still there. */
export function withdrawRequest(runDir: string, id: string): boolean {
  try {
    unlinkSync(join(runDir, 'inbox', `${id}.request.json`));
    return true;
  } catch {
    return false;
  }
}
