import { describe, expect, it } from 'vitest';
import type { Diagnostic, DiagnosticCode } from '../../../engine/model/diagnostic.js';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import type { PlanSource } from '../../../engine/model/plan-source.js';
import { checkPlanShape } from '../../../engine/validate/schema-validator.js';

/** A plan source as `drplan validate` builds it. */
function sourceOf(text: string, file = 'plan.yaml'): PlanSource {
  const { source, diagnostics } = loadPlanText(text, file);
  if (!source) throw new Error(`not loadable: ${diagnostics.map((d) => d.message).join('; ')}`);
  return source;
}

function check(text: string): Diagnostic[] {
  return checkPlanShape(sourceOf(text));
}

/** 1-based line and column of the `occurrence`-th `needle` in `text`. */
function at(text: string, needle: string, occurrence = 1): { line: number; col: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" (#${occurrence}) not in the text`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

/** The code, line and col of each diagnostic: what a fixture asserts. */
function keys(diagnostics: Diagnostic[]) {
  return diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col }));
}

function one(text: string, code: DiagnosticCode, needle: string, occurrence = 1): Diagnostic {
  const diagnostics = check(text);
  expect(keys(diagnostics)).toEqual([{ code, ...at(text, needle, occurrence) }]);
  return diagnostics[0]!;
}

const header = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata:
  name: payments-eu
`;

/** A valid plan with `extra` spliced into the first group and `spec` lines added at the end. */
function plan(groupExtra = '', specExtra = ''): string {
  return `${header}spec:
  adapters:
    site: { type: simulator }
  sites: { source: site, target: site }
  groups:
    - id: database
      vms: [pg-1, pg-2]
${groupExtra}${specExtra}`;
}

const SPEC_EXAMPLE = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata:
  name: payments-eu
  description: Fail payments over from Amsterdam to Dublin
  owners: [team-payments]
  labels: { tier: "1" }
spec:
  objectives: { rto: 30m, rpo: 5m }
  adapters:
    site:
      type: simulator
      config: { seed: 7, operations: { setAlias: {}, deleteNetwork: {}, markUnusable: {} } }
    sh:   { type: shell }
  sites: { source: site, target: site }
  parameters:
    dnsName: { type: string, default: pay.example.com }
  approvers:
    dba: [alice, bob]
    change-board: [carol, dave, erin]
  modes:
    planned:   {}
    unplanned: { recoveryPoint: latest }
    test:      { network: drill-net, cleanup: always }
  prechecks:
    - id: replication-healthy
      action: site.replicationHealth
      with: { maxLag: 5m }
  groups:
    - id: database
      vms: [pg-1, pg-2]
      concurrency: 2
      pre:
        - id: dba-signoff
          gate:
            approvers: [dba]
            quorum: 1
            timeout: 30m
            onTimeout: { escalate: { approvers: [change-board], timeout: 15m } }
            instructions: "Confirm replication lag of {{group.id}} is zero"
      post:
        - id: smoke
          run: ["./scripts/smoke.sh", "{{group.id}}"]
          timeout: 2m
          retry: { attempts: 3, backoff: 10s }
    - id: app
      dependsOn: [database]
      vms: [app-1, { name: app-2, ip: 10.0.0.12, weight: 2, canary: true }]
      post:
        - id: flush
          run: { script: scripts/flush.sh, args: [--all] }
          forEach: vm
  finalize:
    - id: dns-alias
      action: site.setAlias
      with: { name: "{{params.dnsName}}", site: recovery }
  cleanup:
    - id: drop-drill-net
      action: site.deleteNetwork
      with: { name: drill-net }
  onFailure:
    - id: mark-target-unusable
      action: site.markUnusable
`;

describe('valid plans', () => {
  it('report nothing', () => {
    expect(check(plan())).toEqual([]);
    expect(check(SPEC_EXAMPLE)).toEqual([]);
  });
});

describe('required → MISSING_FIELD at the object that lacks the field', () => {
  it('points at a list item', () => {
    const text = plan('    - vms: [app-1]\n');
    const d = one(text, 'MISSING_FIELD', 'vms: [app-1]');
    expect(d.message).toBe('spec.groups[1] is missing the required field "id"');
    expect(d.hint).toContain("The group's id, unique in the plan.");
  });

  it('points at the key of a mapping', () => {
    const text = `${header}spec:\n  adapters:\n    site: { type: simulator }\n  groups:\n    - id: app\n`;
    const d = one(text, 'MISSING_FIELD', 'spec:');
    expect(d.message).toBe('spec is missing the required field "sites"');
    expect(d.pointer).toBe('/spec');
  });

  it('takes the description of a $ref’d field for the hint', () => {
    const text = plan('      pre:\n        - id: wait\n          gate: { quorum: 1 }\n');
    const d = one(text, 'MISSING_FIELD', 'gate:');
    expect(d.message).toBe('step "wait": gate is missing the required field "approvers"');
    expect(d.hint).toBe('add "approvers": Approver groups (from `spec.approvers`) or principals who may sign off.');
  });

  it('reports every missing top-level field', () => {
    const text = 'apiVersion: drplan/v1\n';
    expect(keys(check(text))).toEqual([
      { code: 'MISSING_FIELD', line: 1, col: 1 },
      { code: 'MISSING_FIELD', line: 1, col: 1 },
      { code: 'MISSING_FIELD', line: 1, col: 1 },
    ]);
    expect(check(text).map((d) => d.message)).toEqual([
      'the plan is missing the required field "kind"',
      'the plan is missing the required field "metadata"',
      'the plan is missing the required field "spec"',
    ]);
  });
});

describe('additionalProperties → UNKNOWN_FIELD at the key', () => {
  it('suggests the field meant', () => {
    const text = plan('      concurency: 2\n');
    const d = one(text, 'UNKNOWN_FIELD', 'concurency');
    expect(d.message).toBe('group "database" has an unknown field "concurency"');
    expect(d.hint).toBe('did you mean "concurrency"?');
    expect(d.pointer).toBe('/spec/groups/0/concurency');
  });

  it('lists the allowed fields when nothing is close', () => {
    const text = header.replace('metadata:\n', 'metadata:\n  zzzzzz: 1\n') + plan().slice(header.length);
    const d = one(text, 'UNKNOWN_FIELD', 'zzzzzz');
    expect(d.hint).toBe('allowed fields: "name", "description", "owners", "labels"');
  });

  it('says when a mapping takes no fields at all', () => {
    const d = one(plan('', '  modes:\n    planned: { drain: true }\n'), 'UNKNOWN_FIELD', 'drain');
    expect(d.hint).toBe('spec.modes.planned takes no fields');
  });
});

describe('type → WRONG_TYPE', () => {
  it('expected a list, got a string', () => {
    const text = plan().replace('vms: [pg-1, pg-2]', 'vms: pg-1');
    const d = one(text, 'WRONG_TYPE', 'pg-1');
    expect(d.message).toBe('group "database": vms must be a list, got a string');
    expect(d.hint).toBe('write a list, for example [pg-1]');
  });

  it('names integers and decimals apart', () => {
    const d = one(plan('      concurrency: 1.5\n'), 'WRONG_TYPE', '1.5');
    expect(d.message).toBe('group "database": concurrency must be a whole number, got a decimal number');
  });

  it('the whole document', () => {
    const d = one('- just\n- a list\n', 'WRONG_TYPE', '- just');
    expect(d.message).toBe('the plan must be a mapping, got a list');
  });

  it('a number where a duration goes', () => {
    const d = one(plan('      post:\n        - id: smoke\n          run: [./smoke.sh]\n          timeout: 90\n'), 'WRONG_TYPE', '90');
    expect(d.hint).toContain('write durations like 90s, 30m, 2h, 1h30m');
  });
});

describe('enum and const → INVALID_VALUE', () => {
  it('suggests the value meant and lists the allowed ones', () => {
    const text = plan('      post:\n        - id: smoke\n          run: [./smoke.sh]\n          onFailure: abrot\n');
    const d = one(text, 'INVALID_VALUE', 'abrot');
    expect(d.message).toBe('step "smoke": onFailure cannot be "abrot"');
    expect(d.hint).toBe('did you mean "abort"? allowed values: "abort", "continue", "pause"');
  });

  it('const', () => {
    const text = plan().replace('drplan/v1', 'drplan/v2');
    const d = one(text, 'INVALID_VALUE', 'drplan/v2');
    expect(d.message).toBe('apiVersion must be "drplan/v1", got "drplan/v2"');
    expect(d.hint).toBe('write apiVersion: drplan/v1');
  });

  it('a step mode that does not exist', () => {
    const text = plan('      post:\n        - id: smoke\n          run: [./smoke.sh]\n          modes: [planned, tset]\n');
    const d = one(text, 'INVALID_VALUE', 'tset');
    expect(d.hint).toContain('did you mean "test"?');
  });
});

describe('pattern → INVALID_DURATION, INVALID_NAME or INVALID_VALUE', () => {
  it('durations', () => {
    const text = plan('', '  objectives: { rto: 30 minutes }\n');
    const d = one(text, 'INVALID_DURATION', '30 minutes');
    expect(d.message).toBe('spec.objectives.rto "30 minutes" is not a duration');
    expect(d.hint).toBe('write durations like 90s, 30m, 2h, 1h30m; did you mean "30m"?');
  });

  it('the plan name', () => {
    const text = plan().replace('name: payments-eu', 'name: Payments_EU');
    const d = one(text, 'INVALID_NAME', 'Payments_EU');
    expect(d.message).toBe('metadata.name "Payments_EU" is not a valid plan name');
    expect(d.hint).toBe(
      'use a lowercase DNS label: letters, digits and hyphens, at most 63 characters, starting and ending with a letter or digit, for example "payments-eu"',
    );
  });

  it('a name too long is one INVALID_NAME, not also VALUE_OUT_OF_RANGE', () => {
    const long = 'a'.repeat(64);
    const d = one(plan().replace('name: payments-eu', `name: ${long}`), 'INVALID_NAME', long);
    expect(d.hint).toContain('at most 63 characters');
    expect(d.message).toBe(`metadata.name "${'a'.repeat(39)}…" is not a valid plan name`);
  });

  it('ids, VM names, principals', () => {
    const text = plan('      pre:\n        - id: sign.off\n          gate: { approvers: [dba] }\n', '  approvers:\n    dba: [alice, "bob smith"]\n').replace(
      'vms: [pg-1, pg-2]',
      'vms: [pg-1, "pg 2"]',
    );
    const diagnostics = check(text);
    expect(keys(diagnostics)).toEqual([
      { code: 'INVALID_NAME', ...at(text, '"pg 2"') },
      { code: 'INVALID_NAME', ...at(text, 'sign.off') },
      { code: 'INVALID_NAME', ...at(text, '"bob smith"') },
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'group "database": vms[1] "pg 2" is not a valid VM name',
      'group "database": pre[0].id "sign.off" is not a valid id',
      'approver group "dba": item 2 "bob smith" is not a valid principal',
    ]);
  });

  it('keys that are names (propertyNames) → INVALID_NAME at the key', () => {
    const text = plan().replace('site: { type: simulator }', '"My Site": { type: simulator }') + '  parameters:\n    dns-name: { type: string }\n';
    const diagnostics = check(text);
    expect(keys(diagnostics)).toEqual([
      { code: 'INVALID_NAME', ...at(text, '"My Site"') },
      { code: 'INVALID_NAME', ...at(text, 'dns-name') },
    ]);
    expect(diagnostics[0]!.message).toBe('spec.adapters has an invalid name "My Site"');
    expect(diagnostics[0]!.hint).toContain('for example "My-Site"');
    expect(diagnostics[1]!.message).toBe('spec.parameters has an invalid parameter name "dns-name"');
  });

  it('other patterns', () => {
    const d = one(plan('      post:\n        - id: smoke\n          action: site\n'), 'INVALID_VALUE', 'site\n');
    expect(d.message).toBe('step "smoke": action "site" is not in the expected form');
    expect(d.hint).toBe('Calls an adapter operation: `<instance>.<operation>`.');
  });
});

describe('limits → VALUE_OUT_OF_RANGE, TOO_FEW_ITEMS, DUPLICATE_ITEM', () => {
  it('minimum and maximum', () => {
    const text = plan('      concurrency: 0\n      post:\n        - id: smoke\n          run: [./smoke.sh]\n          retry: { attempts: 0, factor: 11 }\n');
    const diagnostics = check(text);
    expect(keys(diagnostics)).toEqual([
      { code: 'VALUE_OUT_OF_RANGE', ...at(text, '0\n') },
      { code: 'VALUE_OUT_OF_RANGE', ...at(text, '0, factor') },
      { code: 'VALUE_OUT_OF_RANGE', ...at(text, '11') },
    ]);
    expect(diagnostics[1]!.message).toBe('step "smoke": retry.attempts must be at least 1, got 0');
    expect(diagnostics[2]!.message).toBe('step "smoke": retry.factor must be at most 10, got 11');
  });

  it('minLength', () => {
    const d = one(plan('', '  approverKeys: ""\n'), 'VALUE_OUT_OF_RANGE', '""');
    expect(d.message).toBe('spec.approverKeys must not be empty');
  });

  it('minItems and minProperties', () => {
    const text = `${header}spec:\n  adapters: {}\n  sites: { source: site, target: site }\n  modes: {}\n  groups: []\n`;
    expect(keys(check(text))).toEqual([
      { code: 'TOO_FEW_ITEMS', ...at(text, '{}') },
      { code: 'TOO_FEW_ITEMS', ...at(text, '{}', 2) },
      { code: 'TOO_FEW_ITEMS', ...at(text, '[]') },
    ]);
  });

  it('uniqueItems → DUPLICATE_ITEM at the second of the two', () => {
    const text = plan('    - id: app\n      dependsOn: [database, database]\n      vms: [app-1]\n');
    const d = one(text, 'DUPLICATE_ITEM', 'database', 3);
    expect(d.message).toBe('group "app": dependsOn lists "database" twice');
    expect(d.pointer).toBe('/spec/groups/1/dependsOn/1');
  });
});

describe('anyOf: the branch that fits the type of the data', () => {
  it('a VM as a mapping without a name', () => {
    const text = plan().replace('vms: [pg-1, pg-2]', 'vms: [pg-1, { ip: 10.0.0.2 }]');
    const d = one(text, 'MISSING_FIELD', '{ ip');
    expect(d.message).toBe('group "database": vms[1] is missing the required field "name"');
  });

  it('a VM attribute of the wrong type', () => {
    const text = plan().replace('vms: [pg-1, pg-2]', 'vms: [{ name: pg-1, tags: [a] }]');
    const d = one(text, 'WRONG_TYPE', '[a]');
    expect(d.message).toBe('group "database": vms[0].tags must be a string, a number or true/false, got a list');
  });

  it('no branch takes the type → one WRONG_TYPE naming them all', () => {
    const d = one(plan().replace('vms: [pg-1, pg-2]', 'vms: [pg-1, 42]'), 'WRONG_TYPE', '42');
    expect(d.message).toBe('group "database": vms[1] must be a string or a mapping, got a number');
  });

  it('run: a list or a mapping', () => {
    const text = plan('      post:\n        - id: a\n          run: ./smoke.sh\n        - id: b\n          run: []\n        - id: c\n          run: { args: [x] }\n');
    const diagnostics = check(text);
    expect(keys(diagnostics)).toEqual([
      { code: 'WRONG_TYPE', ...at(text, './smoke.sh') },
      { code: 'TOO_FEW_ITEMS', ...at(text, '[]') },
      { code: 'MISSING_FIELD', ...at(text, 'run', 3) },
    ]);
    expect(diagnostics[0]!.message).toBe('step "a": run must be a list or a mapping, got a string');
    expect(diagnostics[2]!.message).toBe('step "c": run is missing the required field "script"');
  });

  it('onTimeout: a word or an escalation', () => {
    const text = plan(
      '      pre:\n        - id: a\n          gate: { approvers: [dba], onTimeout: aprove }\n' +
        '        - id: b\n          gate: { approvers: [dba], onTimeout: { escalte: { approvers: [x] } } }\n' +
        '        - id: c\n          gate: { approvers: [dba], onTimeout: 3 }\n',
    );
    const diagnostics = check(text);
    expect(keys(diagnostics)).toEqual([
      { code: 'INVALID_VALUE', ...at(text, 'aprove') },
      { code: 'MISSING_FIELD', ...at(text, 'onTimeout', 2) },
      { code: 'UNKNOWN_FIELD', ...at(text, 'escalte') },
      { code: 'WRONG_TYPE', ...at(text, '3 }') },
    ]);
    expect(diagnostics[0]!.hint).toContain('did you mean "approve"?');
    expect(diagnostics[0]!.hint).toContain('`escalate`');
    expect(diagnostics[2]!.hint).toBe('did you mean "escalate"?');
  });
});

describe('all problems, each once, in order', () => {
  const text = plan(
    '      concurency: 2\n      pre:\n        - id: gate1\n          gate: { approvers: [], quorum: 0, onTimeout: explode }\n          onFailure: abrot\n',
    '  objectives: { rto: 30 minutes, rpo: 5 }\n',
  ).replace('name: payments-eu', 'name: Payments EU');
  const diagnostics = check(text);

  it('reports every problem, ordered by position', () => {
    expect(diagnostics.map((d) => d.code)).toEqual([
      'INVALID_NAME',
      'UNKNOWN_FIELD',
      'TOO_FEW_ITEMS',
      'VALUE_OUT_OF_RANGE',
      'INVALID_VALUE',
      'INVALID_VALUE',
      'INVALID_DURATION',
      'WRONG_TYPE',
    ]);
    const order = diagnostics.map((d) => [d.line, d.col] as const);
    expect([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual(order);
  });

  it('never repeats one', () => {
    const seen = new Set(diagnostics.map((d) => `${d.pointer} ${d.code} ${d.message}`));
    expect(seen.size).toBe(diagnostics.length);
  });

  it('speaks plan, not ajv', () => {
    for (const d of diagnostics) {
      expect(d.message).not.toMatch(/must NOT|must match|must have required|additional properties|anyOf|schema|#\//);
      expect(d.hint ?? '').not.toMatch(/must NOT|must match|anyOf/);
      expect(d.severity).toBe('error');
      expect(d.file).toBe('plan.yaml');
    }
  });

  it('names steps and groups by id', () => {
    expect(diagnostics.map((d) => d.message)).toContain('step "gate1": gate.quorum must be at least 1, got 0');
    expect(diagnostics.map((d) => d.message)).toContain('group "database" has an unknown field "concurency"');
  });
});
