/**
 * Did-you-mean hints on the names a plan can misspell: the message says what is wrong, the hint
 * what was probably meant (or, when nothing is close, what exists).
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../engine/model/diagnostic.js';
import { checkPlanText } from '../../helpers/pipeline.js';
import { planText, positionOf, SITE } from '../../helpers/plan-text.js';

/** The one diagnostic with `code` (fails when there are none or several). */
function only(text: string, code: string): Diagnostic {
  const { diagnostics } = checkPlanText(text);
  const found = diagnostics.filter((d) => d.code === code);
  expect(found, diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')).toHaveLength(1);
  return found[0]!;
}

const PG = `
adapters:
  site: { type: simulator }
  pg:
    type: simulator
    config:
      operations: { promote: { estimate: 1m }, demote: {}, replicationLag: {} }
sites: { source: site, target: site }
groups:
  - id: database
    vms: [pg-1]
`;

describe('did-you-mean hints', () => {
  it('an action with a misspelt operation: pg.promte → did you mean "pg.promote", and the operations pg provides', () => {
    const text = planText(PG, `
      finalize:
        - id: promote
          action: pg.promte
    `);
    const d = only(text, 'UNKNOWN_OPERATION');
    expect(d.message).toContain('pg.promte');
    expect(d.hint).toContain('did you mean "pg.promote"?');
    expect(d.hint).toMatch(/pg provides: .*demote.*promote/);
    expect(d).toMatchObject(positionOf(text, 'pg.promte'));
  });

  it('an action on a misspelt adapter instance suggests the instance with the same operation', () => {
    const text = planText(PG, `
      finalize:
        - id: promote
          action: gp.promote
    `);
    const d = only(text, 'UNKNOWN_ADAPTER');
    expect(d.hint).toBe('did you mean "pg.promote"?');
    expect(d).toMatchObject(positionOf(text, 'gp.promote'));
  });

  it('an operation nothing resembles lists what the instance provides, without a guess', () => {
    const d = only(planText(PG, `
      finalize:
        - action: pg.rebuildEverything
    `), 'UNKNOWN_OPERATION');
    expect(d.hint).not.toContain('did you mean');
    expect(d.hint).toContain('pg provides: cleanupTest, demote, failover, promote, replicationHealth, replicationLag, shutdown, start, sync, testFailover');
  });

  it('a misspelt adapter type: simulater → "simulator"; an unknown one lists the known types', () => {
    expect(only(planText(`
      adapters: { site: { type: simulater } }
      sites: { source: site, target: site }
      groups: [{ id: app }]
    `), 'UNKNOWN_ADAPTER_TYPE').hint).toBe('did you mean "simulator"?');
    const d = only(planText(`
      adapters: { site: { type: vmware } }
      sites: { source: site, target: site }
      groups: [{ id: app }]
    `), 'UNKNOWN_ADAPTER_TYPE');
    expect(d.hint).toContain('"shell"');
    expect(d.hint).toContain('"simulator"');
  });

  it('a misspelt site instance, group, approver, parameter and output key each name the right candidate', () => {
    const text = planText(`
      adapters: { primary: { type: simulator } }
      sites: { source: primary, target: primry }
      parameters: { dnsName: { type: string, default: a.example.com } }
      approvers: { change-board: [carol] }
      prechecks:
        - id: health
          action: primary.replicationHealth
      groups:
        - id: database
          vms: [pg-1]
          pre:
            - gate: { approvers: [carol, change-bord] }
        - id: app
          dependsOn: [databse]
      finalize:
        - manual: { instructions: "{{params.dnsname}} lag {{steps.health.output.lagSecond}}" }
        - manual: { instructions: "{{steps.healt.output.healthy}}" }
    `);
    const { diagnostics } = checkPlanText(text);
    const hints = Object.fromEntries(diagnostics.map((d) => [`${d.code}@${d.line}:${d.col}`, d.hint]));
    expect(hints).toEqual({
      [`UNKNOWN_ADAPTER@${pos(text, 'primry')}`]: 'did you mean "primary"?',
      [`UNKNOWN_APPROVER@${pos(text, 'change-bord')}`]: 'did you mean "change-board"?',
      [`UNKNOWN_GROUP@${pos(text, 'databse')}`]: 'did you mean "database"?',
      [`UNKNOWN_TEMPLATE_REFERENCE@${pos(text, 'params.dnsname')}`]: 'did you mean "params.dnsName"?',
      [`UNKNOWN_TEMPLATE_REFERENCE@${pos(text, 'steps.health.output.lagSecond')}`]: 'did you mean "lagSeconds"?',
      [`UNKNOWN_TEMPLATE_REFERENCE@${pos(text, 'steps.healt.')}`]: 'did you mean "steps.health"?',
    });
  });

  it('a misspelt template root: {{parms.x}} → did you mean "params"', () => {
    const d = only(planText(SITE, `
      parameters: { x: { type: string, default: a } }
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: "{{parms.x}}" }
    `), 'UNKNOWN_TEMPLATE_REFERENCE');
    expect(d.hint).toBe('did you mean "params"?');
  });

  it('a misspelt field of a step or group (schema): dependOn → "dependsOn", forEch → "forEach"', () => {
    const text = planText(SITE, `
      groups:
        - id: db
        - id: app
          dependOn: [db]
          post:
            - run: [echo]
              forEch: vm
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.hint])).toEqual([
      ['UNKNOWN_FIELD', ...Object.values(positionOf(text, 'dependOn')), 'did you mean "dependsOn"?'],
      ['UNKNOWN_FIELD', ...Object.values(positionOf(text, 'forEch')), 'did you mean "forEach"?'],
    ]);
  });

  it('a misspelt mode in a step: unplaned → did you mean "unplanned"', () => {
    const d = only(planText(SITE, `
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: x }
          modes: [unplaned]
    `), 'INVALID_VALUE');
    expect(d.hint).toContain('did you mean "unplanned"?');
  });
});

function pos(text: string, needle: string): string {
  const p = positionOf(text, needle);
  return `${p.line}:${p.col}`;
}
