import { appendFileSync, realpathSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../engine/cli/cli.js';
import { makeServeFixture } from './serve-fixture.js';

const json = { 'content-type': 'application/json' };

/** Every way the fixture's folder can be spelled: the state folder and the plans live under it. */
function spellings(dir: string): string[] {
  return [...new Set([dir, realpathSync(dir)])];
}

/** The HTTP API answers without the server's filesystem paths; the CLI keeps them (it runs there). */
describe('no server filesystem paths in HTTP answers', () => {
  it('404s for a run that does not exist say which run, not where the state folder is', async () => {
    const f = makeServeFixture();
    const app = f.server();
    const signed = f.sign('alice', { runId: 'nope', stepId: 'signoff', decision: 'approve', planDigest: 'a'.repeat(64) });
    const answers = [
      await app.inject({ url: '/api/runs/nope' }),
      await app.inject({ url: '/runs/nope' }),
      await app.inject({ url: '/api/runs/nope/events' }),
      await app.inject({ url: '/api/runs/..%2F..%2Fetc' }),
      await app.inject({ method: 'POST', url: '/api/runs/nope/decisions', headers: json, payload: signed }),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error).toMatch(/^no run "[^"]+" on this server/);
      for (const path of spellings(f.dir)) expect(res.body).not.toContain(path);
      expect(res.body).not.toContain('.drplan');
    }
    // The CLI still says where it looked: it runs on the machine the path belongs to.
    const io = f.io();
    expect(await cli(['status', 'nope', '--state', f.stateDir], io)).not.toBe(0);
    expect(io.out.join('')).toContain(f.stateDir);
  });

  it('the runs page of an empty state folder does not name the folder', async () => {
    const f = makeServeFixture();
    const res = await f.server().inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/No runs yet/);
    for (const path of spellings(f.dir)) expect(res.body).not.toContain(path);
  });

  it('a damaged journal is reported by line, without its path, in the list, the run and a decision', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    const signed = f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) });
    appendFileSync(f.store.journalFile(runId), '{"this is": "not a record"}\n');
    const app = f.server();
    const list = await app.inject({ url: '/api/runs' });
    const detail = await app.inject({ url: `/api/runs/${runId}` });
    const decision = await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: signed });
    expect(list.json()[0]).toMatchObject({ runId, state: 'damaged', error: expect.stringMatching(/^journal of run \S+, line \d+: /) });
    expect(detail.statusCode).toBe(409);
    expect(detail.json().error).toMatch(/^journal of run \S+, line \d+: journal record/);
    expect(decision.statusCode).toBe(409);
    for (const res of [list, detail, decision]) for (const path of spellings(f.dir)) expect(res.body).not.toContain(path);
  });

  it('a run whose plan file is gone: the page, the API and a decision say so without the path', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    renameSync(join(f.dir, 'plan.yaml'), join(f.dir, 'plan.yaml.moved'));
    const app = f.server();
    const detail = await app.inject({ url: `/api/runs/${runId}` });
    const page = await app.inject({ url: `/runs/${runId}` });
    const decision = await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) }) });
    expect(detail.json().planUnavailable).toMatch(/was started from plan\.yaml, which no longer exists/);
    expect(decision.statusCode).toBe(409);
    expect(decision.json().error).toMatch(/plan\.yaml, which no longer exists/);
    for (const res of [detail, page, decision]) for (const path of spellings(f.dir)) expect(res.body).not.toContain(path);
  });

  it('the event stream sends the journal without the plan’s absolute path', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun('carol');
    expect(await cli(['approve', runId, 'signoff'], f.io('alice'))).toBe(0);
    expect(await cli(['resume', runId], f.io('carol'))).toBe(0);
    const res = await f.server().inject({ url: `/api/runs/${runId}/events` });
    expect(res.body).toMatch(/"type":"run.started"/);
    expect(res.body).toMatch(/"planFile":"plan.yaml"/);
    for (const path of spellings(f.dir)) expect(res.body).not.toContain(path);
  });
});
