import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, type DecisionStatement } from '../../../engine/approvals/decision-statement.js';
import { cli } from '../../../engine/cli/cli.js';
import { escapeHtml } from '../../../engine/server/page-html.js';
import { CANONICAL_STATEMENT_JS, PAGE_JS } from '../../../engine/server/page-script.js';
import { gatedPlan, makeServeFixture } from './serve-fixture.js';

const json = { 'content-type': 'application/json' };

/** What the CSP forbids must not be in the markup either: inline scripts, inline styles, inline handlers, outside resources. */
function expectCspClean(html: string): void {
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/ src="\/assets\/page\.js"/);
  expect(html).not.toMatch(/<style\b/);
  expect(html).not.toMatch(/\sstyle=/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/(src|href|action)="(https?:)?\/\//);
}

describe('the approver page', () => {
  it('GET /runs/:id shows what waits, the rendered instructions (escaped), who may act, the context, and big Approve/Reject buttons', async () => {
    const f = makeServeFixture(gatedPlan({ quorum: 2 }));
    const runId = await f.startRun('carol');
    const app = f.server();
    await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: json, payload: f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId), comment: '<script>alert(1)</script> looks fine' }) });
    const res = await app.inject({ url: `/runs/${runId}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expectCspClean(html);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain(`data-run-id="${runId}"`);
    expect(html).toContain('Check that replication lag of db is &lt;b&gt;zero&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; looks fine');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toMatch(/<span class="person done">alice<\/span> <span class="person">bob<\/span> <span class="person">carol<\/span>/);
    expect(html).toMatch(/1 of 2 — <b>1 more needed<\/b>/);
    expect(html).toMatch(/carol started this run and may not approve it/);
    expect(html).toMatch(/What happens next \(2 steps\)[\s\S]*db\/db-1\/failover[\s\S]*db\/db-1\/start/);
    expect(html).toMatch(/recovery time objective/);
    expect(html).toMatch(/No engine is driving this run right now/);
    expect(html).toMatch(/<form class="decide" data-step="signoff" data-kind="gate">/);
    expect(html).toMatch(/<button type="submit" name="decision" value="approve" class="approve" disabled>Approve<\/button>/);
    expect(html).toMatch(/<button type="submit" name="decision" value="reject" class="reject" disabled>Reject<\/button>/);
    expect(html).toMatch(/required to reject/);
    expect(html).toMatch(/<input type="file" id="key-file"/);
    expect(html.match(/id="identity"/g)).toHaveLength(1);
  });

  it('once the quorum is reached, a rejection recorded or the run ended, it shows that instead of buttons', async () => {
    const f = makeServeFixture();
    const approved = await f.startRun('carol');
    const rejected = await f.startRun('carol');
    const app = f.server();
    await app.inject({ method: 'POST', url: `/api/runs/${approved}/decisions`, headers: json, payload: f.sign('alice', { runId: approved, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(approved) }) });
    await app.inject({ method: 'POST', url: `/api/runs/${rejected}/decisions`, headers: json, payload: f.sign('bob', { runId: rejected, stepId: 'signoff', decision: 'reject', planDigest: f.planDigest(rejected), comment: 'replica behind' }) });
    const quorum = (await app.inject({ url: `/runs/${approved}` })).body;
    expect(quorum).toMatch(/Approved: the quorum is reached. The run goes on when an operator runs <code>drplan resume/);
    expect(quorum).not.toMatch(/<form/);
    const rejection = (await app.inject({ url: `/runs/${rejected}` })).body;
    expect(rejection).toMatch(/Rejected by <b>bob<\/b>: “replica behind”. A rejection is final/);
    expect(rejection).not.toMatch(/<form/);
    expect(await cli(['resume', approved], f.io())).toBe(0);
    const ended = (await app.inject({ url: `/runs/${approved}` })).body;
    expectCspClean(ended);
    expect(ended).toMatch(/Nothing waits on an approver/);
    expect(ended).toMatch(/Took <b>[^<]+<\/b> of the <b>30m<\/b> recovery time objective — met/);
    expect(ended).toMatch(/What ran \(5 steps\)/);
  });

  it('GET / lists the runs, those waiting for a decision first, each linking to its page', async () => {
    const f = makeServeFixture();
    const waiting = await f.startRun('carol');
    const app = f.server();
    const html = (await app.inject({ url: '/' })).body;
    expectCspClean(html);
    expect(html).toMatch(/Waiting for a decision/);
    expect(html).toContain(`href="/runs/${waiting}"`);
    expect(html).toMatch(/Waiting on <b>signoff<\/b>/);
    const empty = makeServeFixture().server();
    expect((await empty.inject({ url: '/' })).body).toMatch(/No runs yet/);
  });

  it('serves its script and stylesheet itself, with the right types, and the script is valid JavaScript', async () => {
    const f = makeServeFixture();
    const app = f.server();
    const js = await app.inject({ url: '/assets/page.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(() => new Function(js.body)).not.toThrow();
    const css = await app.inject({ url: '/assets/page.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).not.toMatch(/@import|url\(/);
    expect(PAGE_JS).toContain("crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign'])");
  });
});

describe('the statement the page signs', () => {
  const canonicalStatement = new Function(`${CANONICAL_STATEMENT_JS}; return canonicalStatement;`)() as (s: DecisionStatement) => string;
  const text = fc.string({ unit: 'grapheme', maxLength: 40 });

  it('is byte for byte what the engine verifies (canonicalBytes), whatever the field order it was built in', () => {
    fc.assert(
      fc.property(
        fc.record({ runId: text, stepId: text, decision: fc.constantFrom('approve' as const, 'reject' as const, 'done' as const), principal: text, planDigest: fc.stringMatching(/^[0-9a-f]{64}$/), time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), comment: fc.option(text, { nil: undefined }) }),
        fc.boolean(),
        (fields, reversed) => {
          const entries = Object.entries({ v: 1, ...fields }).filter(([, v]) => v !== undefined);
          const statement = Object.fromEntries(reversed ? entries.reverse() : entries) as unknown as DecisionStatement;
          expect(new TextEncoder().encode(canonicalStatement(statement))).toEqual(new Uint8Array(canonicalBytes(statement)));
        },
      ),
    );
  });

  it('escapes for HTML everything the page prints', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
