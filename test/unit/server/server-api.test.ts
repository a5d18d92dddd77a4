import { describe, expect, it } from 'vitest';
import { cli } from '../../../engine/cli/cli.js';
import { CONTENT_SECURITY_POLICY } from '../../../engine/server/server.js';
import { gatedPlan, makeServeFixture } from './serve-fixture.js';

const json = { 'content-type': 'application/json' };
/** The engine answered within 2 s ('applied'), or took the request and answered later ('handed', on a loaded machine). */
const ENGINE_HAS_IT = expect.stringMatching(/^(applied|handed)$/);

describe('GET /api/runs and /api/runs/:id', () => {
  it('lists runs with the SPEC §3.1 fields, newest first', async () => {
    const f = makeServeFixture();
    const first = await f.startRun();
    await new Promise((r) => setTimeout(r, 5));
    const second = await f.startRun();
    const app = f.server();
    const res = await app.inject({ url: '/api/runs' });
    expect(res.statusCode).toBe(200);
    const list = res.json() as Record<string, unknown>[];
    expect(list.map((r) => r.runId)).toEqual([second, first]);
    expect(list[0]).toMatchObject({ plan: 'gated', mode: 'planned', state: 'waiting', waitingOn: ['signoff'], dryRun: false });
    expect(Object.keys(list[0]!).slice(0, 6)).toEqual(['runId', 'plan', 'mode', 'state', 'startedAt', 'waitingOn']);
    expect(typeof list[0]!.startedAt).toBe('string');
  });

  it('shows a waiting gate with its rendered instructions, who may act, quorum, deadline, keys and what comes next', async () => {
    const f = makeServeFixture(gatedPlan({ quorum: 2 }));
    const runId = await f.startRun('carol');
    const res = await f.server().inject({ url: `/api/runs/${runId}` });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    // §3.1 status fields, unchanged
    expect(d).toMatchObject({ runId, plan: 'gated', mode: 'planned', state: 'waiting', waitingOn: ['signoff'] });
    expect(d.steps.map((s: { id: string }) => s.id)).toEqual(['db/db-1/shutdown', 'db/db-1/sync', 'signoff', 'db/db-1/failover', 'db/db-1/start']);
    expect(d.planDigest).toBe(f.planDigest(runId));
    expect(d.initiator).toBe('carol');
    expect(d.engine).toBeNull(); // --detach: nobody drives it now
    expect(d.objectives).toMatchObject({ rto: 30 * 60_000, met: true });
    expect(d.objectives.elapsedMs).toBeGreaterThanOrEqual(0);
    const [w] = d.waiting;
    expect(w).toMatchObject({
      stepId: 'signoff',
      kind: 'gate',
      group: 'db',
      instructions: 'Check that replication lag of db is <b>zero</b>',
      principals: ['alice', 'bob', 'carol'],
      quorum: 2,
      needed: 2,
      approvals: [],
      onTimeout: 'fail',
      allowInitiator: false,
      escalated: false,
    });
    // The deadline is the gate's 30 min from when it started waiting; `since` is the time of the
    // waiting record, stamped when it is appended, a moment (here a millisecond at times) later.
    const window = Date.parse(w.deadline) - Date.parse(w.since);
    expect(window).toBeLessThanOrEqual(30 * 60_000);
    expect(window).toBeGreaterThan(30 * 60_000 - 1000);
    expect(Object.keys(w.keys).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(w.next.map((n: { id: string }) => n.id)).toEqual(['db/db-1/failover', 'db/db-1/start']);
    expect(d.ran.map((s: { id: string }) => s.id)).toEqual(['db/db-1/shutdown', 'db/db-1/sync']);
  });

  it('answers 404 with a JSON error for a run that does not exist, and for a run id that is not one', async () => {
    const f = makeServeFixture();
    const app = f.server();
    for (const url of ['/api/runs/nope', '/api/runs/..%2F..%2Fetc', '/runs/nope', '/api/runs/nope/events']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error).toMatch(/no run/);
    }
  });
});

describe('POST /api/runs/:id/decisions', () => {
  it('records a signed approval exactly as `drplan approve` does, and the run then resumes to success', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const app = f.server();
    const signed = f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId), comment: 'lag is 0' });
    const res = await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: signed });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, outcome: 'recorded' });
    const approved = f.records(runId).find((r) => r.type === 'gate.approved');
    expect(approved?.data).toMatchObject({ stepId: 'signoff', by: 'alice', comment: 'lag is 0', signed });
    const after = (await app.inject({ url: `/api/runs/${runId}` })).json();
    expect(after.waiting[0]).toMatchObject({ needed: 0, approvals: [{ by: 'alice', comment: 'lag is 0', counts: true }] });
    const resume = f.io('carol');
    expect(await cli(['resume', runId], resume)).toBe(0);
    expect((await app.inject({ url: `/api/runs/${runId}` })).json().state).toBe('succeeded');
  });

  it('refuses the initiator, a second vote, a forged or altered signature, another plan version, and says why (403), each recorded like the CLI', async () => {
    const f = makeServeFixture(gatedPlan({ quorum: 2 }));
    const runId = await f.startRun('carol');
    const app = f.server();
    const digest = f.planDigest(runId);
    const post = (payload: unknown) => app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: payload as object });
    const own = await post(f.sign('carol', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest }));
    expect(own.statusCode).toBe(403);
    expect(own.json().error).toMatch(/carol started run .* may not approve its own gate/);

    expect((await post(f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest }))).statusCode).toBe(200);
    const twice = await post(f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest }));
    expect(twice.json().error).toMatch(/alice has already approved/);

    const forged = f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest });
    forged.statement.principal = 'alice';
    const forgedRes = await post(forged);
    expect(forgedRes.statusCode).toBe(403);
    expect(forgedRes.json().error).toMatch(/signature does not verify with alice's public key/);

    const altered = f.sign('bob', { runId, stepId: 'signoff', decision: 'reject', planDigest: digest, comment: 'no' });
    altered.statement.decision = 'approve';
    expect((await post(altered)).json().error).toMatch(/signature does not verify/);

    const otherPlan = await post(f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: 'f'.repeat(64) }));
    expect(otherPlan.json().error).toMatch(/another version of the plan/);

    const stale = await post(f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest, time: '2020-01-01T00:00:00.000Z' }));
    expect(stale.json().error).toMatch(/before run .* started/);

    const refused = f.records(runId).filter((r) => r.type === 'request.refused');
    expect(refused).toHaveLength(6);
    expect(f.records(runId).filter((r) => r.type === 'gate.approved').map((r) => (r.data as { by: string }).by)).toEqual(['alice']);
  });

  it('checks the request before judging it: 400 for a malformed body or another run, 415 for a form post, 403 for another site', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const other = await f.startRun('carol');
    const app = f.server();
    const url = `/api/runs/${runId}/decisions`;
    const bad = await app.inject({ method: 'POST', url, headers: json, payload: { statement: { v: 1 }, signature: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/statement.runId: expected a string/);
    expect((await app.inject({ method: 'POST', url, headers: json, payload: '[1]' })).statusCode).toBe(400);
    const signedForOther = f.sign('alice', { runId: other, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(other) });
    const wrongRun = await app.inject({ method: 'POST', url, headers: json, payload: signedForOther });
    expect(wrongRun.statusCode).toBe(400);
    expect(wrongRun.json().error).toMatch(/signed for run .* but sent to run/);
    const form = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'statement=1' });
    expect(form.statusCode).toBe(415);
    const signed = f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) });
    const crossSite = await app.inject({ method: 'POST', url, headers: { ...json, origin: 'https://evil.example' }, payload: signed });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error).toMatch(/own page/);
    const huge = await app.inject({ method: 'POST', url, headers: json, payload: { ...signed, statement: { ...signed.statement, comment: 'x'.repeat(20_000) } } });
    expect(huge.statusCode).toBe(413);
    // Nothing above reached the journal.
    expect(f.records(runId).some((r) => r.type === 'request.refused' || r.type === 'gate.approved')).toBe(false);
    const unknownFields = await app.inject({ method: 'POST', url, headers: json, payload: { ...signed, statement: { ...signed.statement, extra: 'not signed' }, also: 1 } });
    expect(unknownFields.statusCode).toBe(200);
    const approved = f.records(runId).find((r) => r.type === 'gate.approved')!;
    expect(JSON.stringify(approved.data)).not.toMatch(/not signed/);
  });

  it('hands the decision to the engine driving the run, which applies it and finishes the run', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const app = f.server();
    const engineIo = f.io('carol');
    const engine = cli(['resume', runId], engineIo); // no --detach: it waits at the gate, holding the lock
    await until(async () => (await app.inject({ url: `/api/runs/${runId}` })).json().engine !== null);
    const res = await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: f.sign('bob', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) }) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, outcome: ENGINE_HAS_IT });
    expect(await engine).toBe(0);
    expect(f.records(runId).at(-1)?.type).toBe('run.succeeded');
  });

  it('a rejection through the engine fails the run with the reason', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const app = f.server();
    const engine = cli(['resume', runId], f.io('carol'));
    await until(async () => (await app.inject({ url: `/api/runs/${runId}` })).json().engine !== null);
    const res = await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: f.sign('bob', { runId, stepId: 'signoff', decision: 'reject', planDigest: f.planDigest(runId), comment: 'replica 2h behind' }) });
    expect(res.json()).toMatchObject({ ok: true, outcome: ENGINE_HAS_IT });
    expect(await engine).toBe(1);
    const d = (await app.inject({ url: `/api/runs/${runId}` })).json();
    expect(d.state).toBe('failed');
    expect(d.failure.error).toMatch(/rejected by bob: replica 2h behind/);
    expect(d.waiting).toEqual([]);
  });
});

describe('manual steps', () => {
  it('an assignee marks a manual step done with a signed "done" while an engine waits on it; someone else is refused', async () => {
    const f = makeServeFixture(gatedPlan({ manual: true }));
    const runId = await f.startRun('carol');
    const app = f.server();
    const digest = f.planDigest(runId);
    const post = (payload: object) => app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload });
    expect((await post(f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: digest }))).statusCode).toBe(200);
    // An engine drives the run, so the manual step's `done` reaches it through its inbox.
    const engine = cli(['resume', runId], f.io('carol'));
    await until(async () => (await app.inject({ url: `/api/runs/${runId}` })).json().waiting[0]?.stepId === 'smoke-test');
    const d = (await app.inject({ url: `/api/runs/${runId}` })).json();
    expect(d.waiting[0]).toMatchObject({ stepId: 'smoke-test', kind: 'manual', instructions: 'Open the app in db and log in', principals: ['bob'], needed: 1 });
    expect(Object.keys(d.waiting[0].keys)).toEqual(['bob']);
    expect(d.engine).not.toBeNull();
    const notAssignee = await post(f.sign('alice', { runId, stepId: 'smoke-test', decision: 'done', planDigest: digest }));
    expect(notAssignee.statusCode).toBe(403);
    expect(notAssignee.json().error).toMatch(/alice may not mark "smoke-test" done: it is assigned to bob/);
    const done = await post(f.sign('bob', { runId, stepId: 'smoke-test', decision: 'done', planDigest: digest, comment: 'logged in fine' }));
    expect(done.json()).toMatchObject({ ok: true, outcome: ENGINE_HAS_IT });
    expect(await engine).toBe(0);
  });
});

describe('security of every response', () => {
  it('sends a strict CSP, no framing, no sniffing, no caching — on pages, assets, API and errors', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun();
    const app = f.server();
    for (const url of ['/', `/runs/${runId}`, '/assets/page.js', '/assets/page.css', '/api/runs', '/api/runs/nope']) {
      const res = await app.inject({ url });
      expect(res.headers['content-security-policy'], url).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
  });

  it('answers loopback host names only (DNS rebinding)', async () => {
    const f = makeServeFixture();
    const app = f.server();
    expect((await app.inject({ url: '/api/runs', headers: { host: '127.0.0.1:7420' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/runs', headers: { host: '[::1]:7420' } })).statusCode).toBe(200);
    const rebound = await app.inject({ url: '/api/runs', headers: { host: 'attacker.example:7420' } });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json().error).toMatch(/loopback names only/);
  });

  it('with a token, refuses every request without it (401, Basic challenge for browsers) and accepts Bearer or Basic', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun();
    const token = 'a'.repeat(16) + 'B'.repeat(16);
    const app = f.server({ authToken: token, loopback: false });
    for (const url of ['/', `/runs/${runId}`, '/assets/page.js', '/api/runs', `/api/runs/${runId}/events`]) {
      const res = await app.inject({ url, headers: { host: 'drplan.example.org' } });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    }
    expect((await app.inject({ url: '/api/runs', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/runs', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const basic = Buffer.from(`alice:${token}`).toString('base64');
    expect((await app.inject({ url: `/runs/${runId}`, headers: { authorization: `Basic ${basic}` } })).statusCode).toBe(200);
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
