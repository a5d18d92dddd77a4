import { describe, expect, it } from 'vitest';
import { cli } from '../../../engine/cli/cli.js';
import { awaitOutcome, submitRequest } from '../../../engine/store/inbox.js';
import type { JournalRecord, RecordData } from '../../../engine/store/journal.js';
import { gatedPlan, makeServeFixture, type ServeFixture } from './serve-fixture.js';

const json = { 'content-type': 'application/json' };

type Refused = RecordData['request.refused'];
const refusals = (records: readonly JournalRecord[]): Refused[] => records.filter((r) => r.type === 'request.refused').map((r) => r.data as Refused);
/** How many refused requests the journal accounts for: one per full record, `repeats.count` per folded one. */
const accountedFor = (rs: readonly Refused[]): number => rs.reduce((n, r) => n + (r.repeats?.count ?? 1), 0);

/** A decision in `claimed`'s name with bob's signature: it does not verify with `claimed`'s key. */
function forged(f: ServeFixture, runId: string, claimed: string): object {
  const d = f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) });
  d.statement.principal = claimed;
  return d;
}

describe('a flood of refused decisions', () => {
  it('20 forged decisions in alice’s name do not keep bob out, nor alice: both valid decisions after them are accepted', async () => {
    const f = makeServeFixture(gatedPlan({ quorum: 2 }));
    const runId = await f.startRun('carol');
    const app = f.server();
    const post = (payload: object) => app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload });
    for (let i = 0; i < 20; i++) {
      const res = await post(forged(f, runId, 'alice'));
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatch(/signature does not verify with alice's public key/);
    }
    const digest = f.planDigest(runId);
    const bob = await post(f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest }));
    expect(bob.statusCode, bob.body).toBe(200);
    const alice = await post(f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest }));
    expect(alice.statusCode, alice.body).toBe(200);
    // The first forgery in full, the other 19 in one record that counts them, written before the
    // approval that moved the run on; then the two approvals.
    const tail = f.records(runId).slice(-4);
    expect(tail.map((r) => r.type)).toEqual(['request.refused', 'request.refused', 'gate.approved', 'gate.approved']);
    const [first, folded] = tail.map((r) => r.data as Refused);
    expect(first).toMatchObject({ request: { type: 'approve', stepId: 'signoff', by: 'alice' }, reason: expect.stringMatching(/does not verify with alice's public key/) });
    expect(first!.repeats).toBeUndefined();
    expect(folded).toMatchObject({ request: { by: 'alice' }, repeats: { count: 19, unchecked: 0 }, reason: expect.stringMatching(/^19 more refused decisions in the name of alice .* the last: the signature does not verify/) });
    expect(tail.slice(2).map((r) => (r.data as { by: string }).by)).toEqual(['bob', 'alice']);
    await app.close();
  });

  it('1,000 junk decisions add a few journal records that account for all of them, cost a bounded number of checks, and leave the others’ decisions alone', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const clock = Date.now();
    const app = f.server({ now: () => clock });
    const post = (payload: object) => app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload });
    const before = f.records(runId).length;
    const codes = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      // Forgeries in alice's name, garbage signatures, and made-up principals (no key: one count for all).
      const payload =
        i % 3 === 0
          ? forged(f, runId, 'alice')
          : i % 3 === 1
            ? { ...f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) }), signature: Buffer.from(`junk ${i}`).toString('base64') }
            : forged(f, runId, `mallory-${i}`);
      const res = await post(payload);
      codes.set(res.statusCode, (codes.get(res.statusCode) ?? 0) + 1);
    }
    // Judged: 20 refusals per claimed principal and run, then the shared 20 a second (the clock
    // stands still here); the rest are turned away unchecked.
    expect([...codes.keys()].sort()).toEqual([403, 429]);
    expect(codes.get(403)).toBe(20 + 20 + 20);
    expect(codes.get(429)).toBe(1000 - 60);
    // Bob, whose name nobody used, is not slowed at all.
    const bob = await post(f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) }));
    expect(bob.statusCode, bob.body).toBe(200);
    await app.close();
    const added = refusals(f.records(runId).slice(before));
    // alice and the keyless names: a first refusal in full each, then one folded record each.
    expect(added.length).toBeLessThanOrEqual(4);
    expect(accountedFor(added)).toBe(1000);
    expect(added.filter((r) => r.repeats).reduce((n, r) => n + r.repeats!.unchecked, 0)).toBe(940);
    // The journal is intact and its records are ones every reader knows; the report shows each
    // folded record with its count.
    const verify = f.io();
    expect(await cli(['verify', runId], verify)).toBe(0);
    const report = f.io();
    expect(await cli(['report', runId], report)).toBe(0);
    const folded = added.find((r) => r.repeats && r.request.by === 'alice')!;
    expect(report.out.join('')).toContain(`refused approve of signoff ×${folded.repeats!.count}: ${folded.repeats!.count} more refused decisions in the name of alice`);
  });

  it('alice, slowed by forgeries in her name, gets through once the shared budget refills', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    let clock = Date.now();
    const app = f.server({ now: () => clock });
    const post = (payload: object) => app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload });
    for (let i = 0; i < 100; i++) await post(forged(f, runId, 'alice'));
    const valid = f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) });
    const slowed = await post(valid);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['retry-after']).toBe('1');
    expect(slowed.json()).toMatchObject({ error: expect.stringMatching(/too many refused decisions in the name of alice/), hint: expect.stringMatching(/drplan approve/) });
    clock += 1_000;
    const through = await post(valid);
    expect(through.statusCode, through.body).toBe(200);
    await app.close();
  });

  it('a captured valid decision replayed 200 times: accepted once, then one refusal in full and one record for the rest', async () => {
    const f = makeServeFixture(gatedPlan({ quorum: 2 }));
    const runId = await f.startRun('carol');
    const clock = Date.now();
    const app = f.server({ now: () => clock });
    const valid = f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) });
    const codes: number[] = [];
    for (let i = 0; i < 200; i++) codes.push((await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: valid })).statusCode);
    expect(codes[0]).toBe(200);
    expect(codes.slice(1).every((c) => c === 403 || c === 429)).toBe(true);
    await app.close();
    const added = refusals(f.records(runId));
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({ reason: expect.stringMatching(/alice has already approved/) });
    expect(added[1]!.repeats?.count).toBe(198);
    expect(f.records(runId).filter((r) => r.type === 'gate.approved')).toHaveLength(1);
  });

  it('while an engine drives the run, the first forgery and the count of the rest reach its journal through the engine, before the approval', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const app = f.server();
    const post = (payload: object) => app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload });
    const engine = cli(['resume', runId], f.io('carol')); // holds the lock, waits at the gate
    await until(async () => (await app.inject({ url: `/api/runs/${runId}` })).json().engine !== null);
    for (let i = 0; i < 30; i++) expect((await post(forged(f, runId, 'alice'))).statusCode).toBe(403);
    // The engine journals a tally as it is, so it takes only a well-formed one.
    const bogus = submitRequest(f.store.runDir(runId), { type: 'refusals', record: { request: {}, reason: 'x', repeats: { count: -5, unchecked: 0, from: 0, to: 0 } } });
    expect(await awaitOutcome(f.store.runDir(runId), bogus, 10_000)).toEqual({ accepted: false, message: 'a malformed tally of refused requests' });
    const bob = await post(f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) }));
    expect(bob.statusCode, bob.body).toBe(200);
    expect(await engine).toBe(0);
    await app.close();
    const records = f.records(runId);
    const types = records.map((r) => r.type);
    const approved = types.indexOf('gate.approved');
    const refused = refusals(records);
    expect(refused.map((r) => r.repeats?.count ?? 1)).toEqual([1, 29]);
    expect(types.lastIndexOf('request.refused')).toBeLessThan(approved);
    expect(types.at(-1)).toBe('run.succeeded');
    // The engine logged the folded record as it journaled it.
    const logs = f.io();
    expect(await cli(['logs', runId, '--pretty'], logs)).toBe(0);
    expect(logs.out.join('')).toMatch(/request\.refused +approve signoff by alice ×29: 29 more refused decisions in the name of alice/);
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
