import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signDecision, type DecisionStatement, type SignedDecision } from '../../engine/approvals/decision-statement.js';
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import { judgeRequest, type OperatorRequest } from '../../engine/run/operator-requests.js';
import { replayJournal } from '../../engine/run/replay-decisions.js';
import { RunHistory } from '../../engine/run/run-history.js';
import type { JournalRecord, NewRecord } from '../../engine/store/journal.js';
import { validPlan } from '../helpers/pipeline.js';

/**
 * Random sequences of decisions — valid, forged, unknown key, outsider, duplicate, initiator,
 * wrong run, wrong gate, stale plan digest, replayed from another run, after the deadline, early —
 * against the engine's judge. The gate must open exactly when a quorum of distinct allowed
 * principals approved with valid signatures before the deadline and nobody rejected.
 */
const PRINCIPALS = ['p1', 'p2', 'p3', 'p4', 'p5'] as const; // p1-p3 in the gate's group, p4 has a key but is outside, p5 has no key
const pairs = Object.fromEntries(PRINCIPALS.map((p) => [p, generateKeyPairSync('ed25519')]));
const privatePem = (p: string) => pairs[p]!.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const keys = new Map<string, KeyObject>(['p1', 'p2', 'p3', 'p4'].map((p) => [p, pairs[p]!.publicKey]));

const RUN = 'run-A';
const DIGEST = 'a'.repeat(64);
const T0 = Date.parse('2026-05-01T10:00:00Z');
const WAIT_AT = T0 + 60_000;
const DEADLINE = WAIT_AT + 30 * 60_000;

const planText = (quorum: number, allowInitiator: boolean) => `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: gated }
spec:
  adapters: { site: { type: simulator } }
  sites: { source: site, target: site }
  approvers: { dba: [p1, p2, p3], outside: [p4, p5] }
  modes: { planned: {} }
  groups: [{ id: g, vms: [vm-1] }]
  finalize:
    - id: gate
      gate: { approvers: [dba], quorum: ${quorum}, timeout: 30m, allowInitiator: ${allowInitiator} }
    - id: other-gate
      gate: { approvers: [dba] }
`;

type Kind = 'valid' | 'forged' | 'unknownKey' | 'outsider' | 'wrongRun' | 'wrongGate' | 'staleDigest' | 'afterDeadline' | 'unsigned' | 'mismatchedSigner';
interface Attempt {
  kind: Kind;
  principal: 'p1' | 'p2' | 'p3';
  decision: 'approve' | 'reject';
  early: boolean;
}

const attempt = fc.record({
  kind: fc.constantFrom<Kind>('valid', 'valid', 'valid', 'forged', 'unknownKey', 'outsider', 'wrongRun', 'wrongGate', 'staleDigest', 'afterDeadline', 'unsigned', 'mismatchedSigner'),
  principal: fc.constantFrom<'p1' | 'p2' | 'p3'>('p1', 'p2', 'p3'),
  decision: fc.constantFrom<'approve' | 'reject'>('approve', 'approve', 'approve', 'reject'),
  early: fc.boolean(),
});

function build(a: Attempt, now: number): OperatorRequest {
  const principal = a.kind === 'outsider' ? 'p4' : a.kind === 'unknownKey' ? 'p5' : a.principal;
  const statement: DecisionStatement = {
    v: 1,
    runId: a.kind === 'wrongRun' ? 'run-B' : RUN,
    stepId: a.kind === 'wrongGate' ? 'other-gate' : 'gate',
    decision: a.decision,
    principal,
    planDigest: a.kind === 'staleDigest' ? 'b'.repeat(64) : DIGEST,
    time: new Date(now).toISOString(),
  };
  const signer = a.kind === 'forged' ? (principal === 'p1' ? 'p2' : 'p1') : principal;
  const signed: SignedDecision = signDecision(statement, privatePem(signer));
  const by = a.kind === 'mismatchedSigner' ? (principal === 'p1' ? 'p2' : 'p1') : principal;
  return { type: a.decision, stepId: 'gate', by, ...(a.kind === 'unsigned' ? {} : { signed }) };
}

describe('approvals under random decision sequences', () => {
  it('the gate opens exactly on a quorum of distinct, allowed, correctly signed, timely approvals and no rejection', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.constantFrom('p1', 'p2', 'p3', 'p4'),
        fc.array(attempt, { maxLength: 12 }),
        (quorum, allowInitiator, initiator, attempts) => {
          const plan = validPlan(planText(quorum, allowInitiator), 'gated.yaml');
          const exec = resolveExecution(plan, 'planned', {});
          let seq = 0;
          const records: JournalRecord[] = [];
          const append = (r: NewRecord, time: number) => records.push({ ...r, seq: ++seq, time } as JournalRecord);
          append({ type: 'run.started', data: { runId: RUN, plan: 'gated', planFile: 'gated.yaml', planDigest: DIGEST, mode: 'planned', params: {}, initiator, engineVersion: 't', dryRun: false, autoApprove: false, faults: [], simulated: false } }, T0);

          // Early decisions arrive before the gate waits; the rest after, in order.
          // A decision after the deadline cannot come before the gate waits.
          const normalized = attempts.map((a) => (a.kind === 'afterDeadline' ? { ...a, early: false } : a));
          const ordered = [...normalized.filter((a) => a.early), ...normalized.filter((a) => !a.early)];
          const expectedApprovers = new Set<string>();
          let expectedRejection = false;
          let waiting = false;
          let now = T0 + 1000;
          for (const a of ordered) {
            if (!a.early && !waiting) {
              append({ type: 'step.waiting', data: { stepId: 'gate', kind: 'gate', deadline: DEADLINE, principals: ['p1', 'p2', 'p3'], quorum } }, WAIT_AT);
              waiting = true;
              now = WAIT_AT + 1000;
            }
            // Time only moves forward: once past the deadline, every later decision is late too.
            now = Math.max(now + 1000, a.kind === 'afterDeadline' ? DEADLINE + 60_000 : 0);
            const request = build(a, now);
            const verdict = judgeRequest(exec, RunHistory.of(records), request, { requireSignatures: true, keys, now });

            const decided = expectedRejection; // a rejection is final
            const principalOk = (a.kind === 'valid' || a.kind === 'afterDeadline') && !(a.decision === 'approve' && a.principal === initiator && !allowInitiator);
            const timely = !waiting || now <= DEADLINE;
            const duplicate = a.decision === 'approve' && expectedApprovers.has(a.principal);
            const shouldAccept = principalOk && timely && !duplicate && !decided;
            expect(verdict.ok, `${a.kind} ${a.decision} by ${a.principal} (initiator ${initiator}): ${verdict.ok ? 'accepted' : verdict.refusal}`).toBe(shouldAccept);
            if (verdict.ok) {
              for (const r of verdict.records) append(r, now);
              if (a.decision === 'approve') expectedApprovers.add(a.principal);
              else expectedRejection = true;
            }
          }
          const history = RunHistory.of(records);
          const gate = history.steps.get('gate');
          const approvers = new Set((gate?.approvals ?? []).map((x) => x.by));
          expect(approvers).toEqual(expectedApprovers);
          const opens = !gate?.rejection && approvers.size >= quorum;
          expect(opens).toBe(!expectedRejection && expectedApprovers.size >= quorum);
          // Every accepted decision is recorded with its signature, for `drplan verify`.
          for (const r of records) if (r.type === 'gate.approved' || r.type === 'gate.rejected') expect(r.data.signed?.signature).toBeTruthy();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('replayed from a journal, every recorded decision counts exactly when the live judge accepted it, and the gate opens alike', () => {
    // The attacker's journal holds every attempt as a record (a forged one included, with a correct
    // hash chain); the live journal only what the engine's judge accepted. Replaying the first must
    // count exactly the records the judge accepted — so the gate opens on replay exactly when it
    // opened live — and replaying the second must count everything.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.constantFrom('p1', 'p2', 'p3', 'p4'),
        fc.array(fc.oneof(attempt, fc.constant('simulated' as const)), { maxLength: 12 }),
        (quorum, allowInitiator, initiator, attempts) => {
          const exec = resolveExecution(validPlan(planText(quorum, allowInitiator), 'gated.yaml'), 'planned', {});
          const live: JournalRecord[] = [];
          const attack: JournalRecord[] = [];
          const push = (to: JournalRecord[], r: NewRecord, time: number) => to.push({ ...r, seq: to.length + 1, time } as JournalRecord);
          const both = (r: NewRecord, time: number) => (push(live, r, time), push(attack, r, time));
          both({ type: 'run.started', data: { runId: RUN, plan: 'gated', planFile: 'gated.yaml', planDigest: DIGEST, mode: 'planned', params: {}, initiator, engineVersion: 't', dryRun: false, autoApprove: false, faults: [], simulated: false } }, T0);
          const accepted = new Set<number>(); // seqs of the attack journal the live judge accepted
          // Early decisions arrive before the gate waits (a late one cannot); the rest after, in order.
          const isEarly = (a: (typeof attempts)[number]) => a !== 'simulated' && a.early && a.kind !== 'afterDeadline';
          const ordered = [...attempts.filter(isEarly), ...attempts.filter((a) => !isEarly(a))];
          let waiting = false;
          let now = T0 + 1000;
          for (const a of ordered) {
            if (!isEarly(a) && !waiting) {
              both({ type: 'step.waiting', data: { stepId: 'gate', kind: 'gate', deadline: DEADLINE, principals: ['p1', 'p2', 'p3'], quorum } }, WAIT_AT);
              waiting = true;
              now = WAIT_AT + 1000;
            }
            now = Math.max(now + 1000, a !== 'simulated' && a.kind === 'afterDeadline' ? DEADLINE + 60_000 : 0);
            if (a === 'simulated') {
              push(attack, { type: 'gate.approved', data: { stepId: 'gate', by: 'p1', simulated: true } }, now);
              continue;
            }
            const request = build(a, now);
            const record: NewRecord =
              request.type === 'approve'
                ? { type: 'gate.approved', data: { stepId: 'gate', by: request.by, ...(request.signed ? { signed: request.signed } : {}) } }
                : { type: 'gate.rejected', data: { stepId: 'gate', by: request.by, ...(request.type === 'reject' && request.signed ? { signed: request.signed } : {}) } };
            push(attack, record, now);
            const verdict = judgeRequest(exec, RunHistory.of(live), request, { requireSignatures: true, keys, now });
            if (verdict.ok) {
              for (const r of verdict.records) push(live, r, now);
              accepted.add(attack.length);
            }
          }
          // The engine's gate outcome, as waitForGate decides it from the live history.
          if (!waiting) both({ type: 'step.waiting', data: { stepId: 'gate', kind: 'gate', deadline: DEADLINE, principals: ['p1', 'p2', 'p3'], quorum } }, WAIT_AT);
          const g = RunHistory.of(live).steps.get('gate')!;
          const opened = !g.rejection && new Set(g.approvals.map((x) => x.by).filter((by) => ['p1', 'p2', 'p3'].includes(by))).size >= quorum;
          push(attack, { type: 'step.succeeded', data: { stepId: 'gate', attempt: 1, output: {} } }, now + 1);

          const replayed = replayJournal(attack, { exec, keys });
          const untrusted = new Set(replayed.untrusted.map((u) => u.seq));
          for (const r of attack) {
            if (r.type !== 'gate.approved' && r.type !== 'gate.rejected') continue;
            expect(!untrusted.has(r.seq), `seq ${r.seq} ${r.type} by ${r.data.by}: ${replayed.untrusted.find((u) => u.seq === r.seq)?.reason ?? 'counted'}`).toBe(accepted.has(r.seq));
          }
          expect(!untrusted.has(attack.length), 'the gate passes on replay exactly when it opened live').toBe(opened);
          expect(replayJournal(live, { exec, keys }).untrusted).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a decision replayed from another run, gate or plan version is refused with its own reason', () => {
    const plan = validPlan(planText(1, false), 'gated.yaml');
    const exec = resolveExecution(plan, 'planned', {});
    const history = RunHistory.of([
      { seq: 1, time: T0, type: 'run.started', data: { runId: RUN, plan: 'gated', planFile: 'gated.yaml', planDigest: DIGEST, mode: 'planned', params: {}, initiator: 'p4', engineVersion: 't', dryRun: false, autoApprove: false, faults: [], simulated: false } },
    ] as JournalRecord[]);
    const judge = (kind: Kind) => judgeRequest(exec, history, build({ kind, principal: 'p1', decision: 'approve', early: true }, T0 + 1000), { requireSignatures: true, keys, now: T0 + 1000 });
    const refusal = (kind: Kind) => {
      const v = judge(kind);
      return v.ok ? 'accepted' : v.refusal;
    };
    expect(refusal('wrongRun')).toMatch(/signed for run run-B, not run run-A/);
    expect(refusal('wrongGate')).toMatch(/signed for step "other-gate"/);
    expect(refusal('staleDigest')).toMatch(/another version of the plan/);
    expect(refusal('forged')).toMatch(/does not verify with p1's public key/);
    expect(refusal('unknownKey')).toMatch(/no public key for p5/);
    expect(refusal('outsider')).toMatch(/p4 may not decide gate "gate"/);
    expect(refusal('unsigned')).toMatch(/must be signed/);
    expect(refusal('mismatchedSigner')).toMatch(/signed by p1 but submitted as p2/);
    expect(refusal('valid')).toBe('accepted');
  });
});
