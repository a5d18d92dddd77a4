import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { DiagnosticCode } from '../../../engine/model/diagnostic.js';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import { toPointer, type PlanSource } from '../../../engine/model/plan-source.js';
import { planSchema, planValidator } from '../../../engine/validate/schema-plan.generated.js';
import { checkPlanShape } from '../../../engine/validate/schema-validator.js';

/** A plan source as `drplan validate` builds it. */
function sourceOf(text: string, file = 'plan.yaml'): PlanSource {
  const { source, diagnostics } = loadPlanText(text, file);
  if (!source) throw new Error(`not loadable: ${diagnostics.map((d) => d.message).join('; ')}`);
  return source;
}

const VALID = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: payments-eu, owners: [team-payments], labels: { tier: "1" } }
spec:
  objectives: { rto: 30m, rpo: 5m }
  adapters:
    site: { type: simulator, config: { seed: 7 }, estimates: { failover: 2m } }
    sh: { type: shell }
  sites: { source: site, target: site }
  parameters: { dnsName: { type: string, default: pay.example.com } }
  approvers: { dba: [alice, bob] }
  notifications: { webhook: { url: "https://hooks.example.com", timeout: 5s } }
  modes: { planned: {}, unplanned: { recoveryPoint: latest }, test: { network: drill-net, cleanup: always } }
  prechecks:
    - { id: health, action: site.replicationHealth, with: { maxLag: 5m }, timeout: 1m }
  groups:
    - id: database
      vms: [pg-1, { name: pg-2, ip: 10.0.0.2 }]
      concurrency: 2
      pre:
        - id: signoff
          gate: { approvers: [dba], quorum: 1, timeout: 30m, onTimeout: { escalate: { approvers: [dba] } } }
      post:
        - { id: smoke, run: [./smoke.sh, "{{group.id}}"], retry: { attempts: 3, backoff: 10s, factor: 2 }, modes: [planned, test] }
        - { id: flush, run: { script: flush.sh, args: [--all] }, forEach: vm, onFailure: continue }
    - id: app
      dependsOn: [database]
      vms: [app-1]
  finalize:
    - { id: announce, manual: { instructions: Tell the desk, assignees: [dba] } }
`;

const SHAPE_CODES = new Set<DiagnosticCode>([
  'MISSING_FIELD',
  'UNKNOWN_FIELD',
  'WRONG_TYPE',
  'INVALID_VALUE',
  'INVALID_NAME',
  'INVALID_DURATION',
  'VALUE_OUT_OF_RANGE',
  'TOO_FEW_ITEMS',
  'DUPLICATE_ITEM',
]);

/** Every JSON pointer in a value, the root included. */
function pointers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointers(v, [...path, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pointers(v, [...path, k]));
  return out;
}

type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'addKey'; pick: number; key: string; value: unknown }
  | { kind: 'nest'; pick: number; depth: number; asList: boolean }
  | { kind: 'duplicate'; pick: number };

const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
  fc.constantFrom('', ' ', '90 s', '1h30m', 'drplan/v1', 'Payments EU', 'a.b', '-', '{{x}}', '1e999', 'null', '~', '__proto__'),
  fc.integer({ min: -5, max: 200 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: jsonValue }),
  fc.record({ kind: fc.constant('addKey' as const), pick: fc.nat(), key: fc.oneof(fc.string(), fc.constantFrom('id', 'idd', 'vms', 'a/b', '~0', 'constructor')), value: jsonValue }),
  fc.record({ kind: fc.constant('nest' as const), pick: fc.nat(), depth: fc.integer({ min: 1, max: 60 }), asList: fc.boolean() }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
);

function apply(doc: unknown, m: Mutation): unknown {
  const all = pointers(doc);
  const path = all[m.pick % all.length]!;
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let parent: unknown = doc;
  for (const s of parentPath) parent = (parent as Record<string | number, unknown>)[s];
  const container = parent as Record<string | number, unknown> & unknown[];
  const current = last === undefined ? doc : container[last];
  const set = (value: unknown) => {
    if (last === undefined) return value;
    container[last] = value;
    return doc;
  };
  switch (m.kind) {
    case 'delete':
      if (last === undefined) return {};
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
      return doc;
    case 'replace':
      return set(m.value);
    case 'addKey':
      if (current !== null && typeof current === 'object' && !Array.isArray(current)) (current as Record<string, unknown>)[m.key] = m.value;
      return doc;
    case 'nest': {
      let value = current;
      for (let i = 0; i < m.depth; i++) value = m.asList ? [value] : { deeper: value };
      return set(value);
    }
    case 'duplicate':
      if (Array.isArray(container) && typeof last === 'number') container.splice(last, 0, structuredClone(current));
      return doc;
  }
}

describe('checkPlanShape on mutated plans', () => {
  it('the base plan is valid', () => {
    expect(checkPlanShape(sourceOf(VALID))).toEqual([]);
  });

  it('never throws, and every diagnostic has a code, a position in the file and a plain message', () => {
    const base = YAML.parse(VALID) as unknown;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        let doc = structuredClone(base);
        for (const m of mutations) doc = apply(doc, m);
        const text = YAML.stringify(doc, { aliasDuplicateObjects: false });
        const loaded = loadPlanText(text, 'plan.yaml');
        // The loader refuses some inputs outright (nesting past its limit, forbidden keys): nothing to shape-check.
        if (!loaded.source) {
          expect(loaded.diagnostics.length).toBeGreaterThan(0);
          return;
        }
        const source = loaded.source;
        const lineCount = text.split('\n').length;
        const diagnostics = checkPlanShape(source);

        const seen = new Set<string>();
        let previous = { line: 0, col: 0 };
        for (const d of diagnostics) {
          expect(SHAPE_CODES.has(d.code), d.code).toBe(true);
          expect(d.severity).toBe('error');
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.col).toBeGreaterThanOrEqual(1);
          expect(d.pointer === '' || d.pointer.startsWith('/')).toBe(true);
          expect(d.message.length).toBeGreaterThan(0);
          expect(d.message).not.toMatch(/must NOT|must match|must have required|must be equal to|property name must be valid/);
          expect(d.hint ?? '').not.toMatch(/must NOT|must match/);
          expect(d.line > previous.line || (d.line === previous.line && d.col >= previous.col)).toBe(true);
          previous = d;
          const key = `${d.pointer} ${d.code} ${d.message}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the generated validator agrees with ajv compiling the schema at run time', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    const runtime = ajv.compile(planSchema);
    const summary = (errors: readonly { instancePath: string; keyword: string }[] | null | undefined) =>
      (errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
    const base = YAML.parse(VALID) as unknown;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 0, maxLength: 4 }), (mutations) => {
        let doc = structuredClone(base);
        for (const m of mutations) doc = apply(doc, m);
        expect(planValidator(doc)).toBe(runtime(doc));
        expect(summary(planValidator.errors)).toEqual(summary(runtime.errors));
      }),
      { numRuns: 300 },
    );
  });

  it('removing any required field is one MISSING_FIELD at the object that had it', () => {
    const required = [
      ['apiVersion'],
      ['metadata', 'name'],
      ['spec', 'sites'],
      ['spec', 'adapters', 'site', 'type'],
      ['spec', 'sites', 'target'],
      ['spec', 'groups', 1, 'id'],
      ['spec', 'groups', 0, 'pre', 0, 'gate', 'approvers'],
      ['spec', 'groups', 0, 'pre', 0, 'gate', 'onTimeout', 'escalate'],
      ['spec', 'groups', 0, 'post', 0, 'retry', 'attempts'],
      ['spec', 'groups', 0, 'post', 1, 'run', 'script'],
      ['spec', 'groups', 0, 'vms', 1, 'name'],
      ['spec', 'finalize', 0, 'manual', 'instructions'],
      ['spec', 'notifications', 'webhook', 'url'],
      ['spec', 'parameters', 'dnsName', 'type'],
    ];
    for (const path of required) {
      const doc = YAML.parse(VALID) as Record<string, unknown>;
      let parent: Record<string | number, unknown> = doc;
      for (const s of path.slice(0, -1)) parent = parent[s] as Record<string | number, unknown>;
      delete parent[path[path.length - 1]!];
      const diagnostics = checkPlanShape(sourceOf(YAML.stringify(doc)));
      expect(diagnostics.map((d) => [d.code, d.pointer]), path.join('.')).toEqual([['MISSING_FIELD', toPointer(path.slice(0, -1))]]);
      expect(diagnostics[0]!.message).toContain(`"${String(path[path.length - 1])}"`);
    }
  });

  it('points into the document for values that exist', () => {
    const text = YAML.stringify({ ...(YAML.parse(VALID) as object), extra: { deeply: [[[{ nested: true }]]] } });
    const [d] = checkPlanShape(sourceOf(text));
    expect(d).toMatchObject({ code: 'UNKNOWN_FIELD', pointer: toPointer(['extra']) });
    expect(text.split('\n')[d!.line - 1]!.slice(d!.col - 1)).toMatch(/^extra:/);
  });
});
