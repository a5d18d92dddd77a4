/**
 * Templates refer only to what exists when the step runs (SPEC §2.1): declared parameters, the
 * step's group and VM, outputs of steps that finish before it — which, with groups in a DAG,
 * means steps of the groups it depends on, not of groups that merely come earlier in the file.
 */
import { describe, expect, it } from 'vitest';
import { checkPlanText } from '../../helpers/pipeline.js';
import { planText, positionOf, SITE } from '../../helpers/plan-text.js';

/** Groups `[id, dependsOn]` (undefined: the default chain); `source`'s post step is the action `src`, `user`'s uses its output. */
function dagPlan(groups: [string, string[] | undefined][], user: string, source: string): string {
  const lines = ['groups:'];
  for (const [id, deps] of groups) {
    lines.push(`  - id: ${id}`);
    if (deps) lines.push(`    dependsOn: [${deps.join(', ')}]`);
    if (id === source) lines.push('    post:', '      - id: src', '        action: site.replicationHealth');
    if (id === user) lines.push('    post:', '      - id: use', '        run: [echo, "{{steps.src.output.healthy}}"]');
  }
  return planText(SITE, lines.join('\n'));
}

const DIAMOND: [string, string[] | undefined][] = [
  ['net', undefined],
  ['db', ['net']],
  ['files', ['net']],
  ['app', ['db', 'files']],
  ['other', []],
];

const refCodes = (text: string) => checkPlanText(text).diagnostics.map((d) => d.code);

describe('step outputs and the group DAG', () => {
  it.each([
    ['a direct dependency', 'app', 'db'],
    ['a transitive dependency', 'app', 'net'],
    ['another path of the diamond', 'files', 'net'],
  ])('a group may use outputs of %s (%s uses %s)', (_, user, source) => {
    expect(refCodes(dagPlan(DIAMOND, user, source))).toEqual([]);
  });

  it.each([
    ['a sibling that runs at the same time', 'files', 'db'],
    ['a group that depends on it (runs later)', 'db', 'app'],
    ['an unrelated group earlier in the file', 'other', 'app'],
    ['an unrelated group later in the file', 'app', 'other'],
  ])('a group may not use outputs of %s (%s uses %s)', (_, user, source) => {
    const text = dagPlan(DIAMOND, user, source);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_TEMPLATE_REFERENCE']);
    expect(diagnostics[0]!.message).toContain('step "src" does not finish before step "use" starts');
    expect(diagnostics[0]).toMatchObject(positionOf(text, 'steps.src'));
  });

  it('without dependsOn each group depends on the one before it, transitively', () => {
    const chain: [string, undefined][] = [
      ['a', undefined],
      ['b', undefined],
      ['c', undefined],
    ];
    expect(refCodes(dagPlan(chain, 'c', 'a'))).toEqual([]);
    expect(refCodes(dagPlan(chain, 'a', 'c'))).toEqual(['UNKNOWN_TEMPLATE_REFERENCE']);
  });

  it('in one group, post may use pre; pre may not use post; a step may not use its own output', () => {
    const text = planText(SITE, `
      groups:
        - id: g
          pre:
            - id: first
              action: site.replicationHealth
            - id: early
              run: [echo, "{{steps.late.output.stdout}}"]
            - id: self
              action: site.replicationHealth
              with: { vm: "{{steps.self.output.healthy}}" }
          post:
            - id: late
              run: [echo, "{{steps.first.output.lagSeconds}}"]
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['UNKNOWN_TEMPLATE_REFERENCE', ...Object.values(positionOf(text, 'steps.late'))],
      ['UNKNOWN_TEMPLATE_REFERENCE', ...Object.values(positionOf(text, 'steps.self'))],
    ]);
    expect(diagnostics[1]!.message).toContain('cannot use its own output');
  });

  it('sections run in order: prechecks → groups → finalize → cleanup; later sections see earlier outputs, not the reverse', () => {
    const ok = planText(SITE, `
      prechecks: [{ id: pc, action: site.replicationHealth }]
      groups:
        - id: g
          pre: [{ id: gp, run: [echo, "{{steps.pc.output.healthy}}"] }]
      finalize: [{ id: fin, run: [echo, "{{steps.gp.output.stdout}} {{steps.pc.output.lagBytes}}"] }]
      cleanup: [{ id: cl, run: [echo, "{{steps.fin.output.stdout}}"] }]
    `);
    expect(refCodes(ok)).toEqual([]);
    const backwards = planText(SITE, `
      prechecks: [{ id: pc, run: [echo, "{{steps.fin.output.stdout}}"] }]
      groups:
        - id: g
          pre: [{ id: gp, run: [echo, "{{steps.cl.output.stdout}}"] }]
      finalize: [{ id: fin, run: [echo] }]
      cleanup: [{ id: cl, run: [echo] }]
    `);
    expect(refCodes(backwards)).toEqual(['UNKNOWN_TEMPLATE_REFERENCE', 'UNKNOWN_TEMPLATE_REFERENCE']);
  });

  it('gates, manual steps and forEach steps have no single output to refer to', () => {
    const text = planText(SITE, `
      approvers: { a: [alice] }
      groups:
        - id: g
          vms: [v-1]
          pre:
            - { id: gate, gate: { approvers: [a] } }
            - { id: man, manual: { instructions: x } }
            - { id: each, forEach: vm, action: site.replicationHealth }
          post:
            - run: [echo, "{{steps.gate.output.x}}", "{{steps.man.output.x}}", "{{steps.each.output.healthy}}"]
    `);
    const messages = checkPlanText(text).diagnostics.map((d) => d.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain('gate step "gate" has no output');
    expect(messages[1]).toContain('manual step "man" has no output');
    expect(messages[2]).toContain('runs once per VM');
  });

  // BUG (engine/validate/check-templates.ts): a step's `modes` are ignored. `report` runs in every
  // mode but uses the output of `health`, which runs only in planned mode; in unplanned mode the
  // reference is statically known not to exist (SPEC §2.1: a validation error), and the strict
  // renderer fails the step at run time instead.
  it('a step may not use the output of a step that is skipped in a mode it runs in', () => {
    const text = planText(SITE, `
      prechecks:
        - id: health
          action: site.replicationHealth
          modes: [planned]
      groups: [{ id: g }]
      finalize:
        - id: report
          run: [echo, "{{steps.health.output.lagSeconds}}"]
    `);
    expect(refCodes(text)).toEqual(['UNKNOWN_TEMPLATE_REFERENCE']);
  });

  it('a step restricted to the same modes may use that output', () => {
    const text = planText(SITE, `
      prechecks:
        - id: health
          action: site.replicationHealth
          modes: [planned, test]
      groups: [{ id: g }]
      finalize:
        - id: report
          run: [echo, "{{steps.health.output.lagSeconds}}"]
          modes: [test]
    `);
    expect(refCodes(text)).toEqual([]);
  });
});

describe('group, vm and params', () => {
  it('{{group.id}} only in group steps; {{vm.*}} only in forEach steps; VM attributes on every VM of the group', () => {
    const text = planText(SITE, `
      groups:
        - id: g
          vms: [{ name: a-1, ip: 10.0.0.1 }, { name: a-2 }]
          post:
            - forEach: vm
              run: [echo, "{{group.id}} {{vm.name}} {{vm.ip}}"]
      finalize:
        - run: [echo, "{{group.id}}"]
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['UNKNOWN_TEMPLATE_REFERENCE', ...Object.values(positionOf(text, 'vm.ip'))],
      ['UNKNOWN_TEMPLATE_REFERENCE', ...Object.values(positionOf(text, 'group.id', 2))],
    ]);
    expect(diagnostics[0]!.message).toContain('VM attribute "ip" is missing on "a-2"');
    expect(diagnostics[1]!.message).toContain("only available in a group's pre and post steps");
  });

  it('plan, mode and run fields: known ones pass, others are named', () => {
    const text = planText(SITE, `
      groups: [{ id: g }]
      finalize:
        - run: [echo, "{{plan.name}} {{plan.description}} {{mode}} {{run.id}} {{run.initiator}}"]
        - run: [echo, "{{plan.owner}}", "{{run.started}}", "{{mode.name}}"]
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => d.col)).toEqual([positionOf(text, 'plan.owner').col, positionOf(text, 'run.started').col, positionOf(text, 'mode.name').col]);
    expect(diagnostics[0]!.hint).toBe('plan has plan.name, plan.description');
  });
});

describe('positions inside strings', () => {
  const at = (instructions: string) => {
    const text = planText(SITE, `
      groups: [{ id: g }]
      finalize:
        - manual:
            instructions: ${instructions}
    `);
    const [d] = checkPlanText(text).diagnostics;
    return { d: d!, text };
  };

  it.each([
    ['a plain scalar', 'Check {{params.nope}} now'],
    ['a double-quoted scalar', '"Check {{params.nope}} now"'],
    ['a single-quoted scalar', "'Check {{params.nope}} now'"],
    ['a second reference on the line', '"{{mode}} then {{params.nope}}"'],
  ])('in %s the column is the reference itself', (_, scalar) => {
    const { d, text } = at(scalar);
    expect(d.code).toBe('UNKNOWN_TEMPLATE_REFERENCE');
    expect(d).toMatchObject(positionOf(text, 'params.nope'));
  });

  it('after an escape sequence, where the source column is unknown, the diagnostic points at the scalar', () => {
    const { d, text } = at('"Tab\\there {{params.nope}}"');
    expect(d).toMatchObject(positionOf(text, '"Tab'));
  });

  it('in a multi-line block scalar the diagnostic points at the scalar', () => {
    const { d, text } = at('|\n              line one\n              {{params.nope}}');
    expect(d.code).toBe('UNKNOWN_TEMPLATE_REFERENCE');
    expect(d.line).toBe(positionOf(text, '|').line);
  });

  it('an unknown helper is reported at its opening braces', () => {
    const { d, text } = at('"{{mode}} {{shout mode}}"');
    expect(d).toMatchObject({ code: 'UNKNOWN_HELPER', ...positionOf(text, '{{shout') });
  });
});

describe('template syntax', () => {
  it('an unclosed {{ is TEMPLATE_SYNTAX in the string', () => {
    const text = planText(SITE, `
      groups: [{ id: g }]
      finalize:
        - manual: { instructions: "Check {{params.x" }
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['TEMPLATE_SYNTAX']);
    expect(diagnostics[0]!.line).toBe(positionOf(text, 'Check').line);
  });

  // BUG (engine/model/template-references.ts analyzeTemplate): the message keeps only the first
  // line of Handlebars' error ("Parse error on line 1:") and strips it, so every TEMPLATE_SYNTAX
  // message ends in "template does not parse: " with nothing after it. The rest of Handlebars'
  // message ("Expecting 'CLOSE', ..., got 'EOF'") says what is wrong.
  it('the TEMPLATE_SYNTAX message says what is wrong', () => {
    const text = planText(SITE, `
      groups: [{ id: g }]
      finalize:
        - manual: { instructions: "Check {{params.x" }
    `);
    const [d] = checkPlanText(text).diagnostics;
    expect(d!.message).toMatch(/template does not parse: \S/);
  });
});
