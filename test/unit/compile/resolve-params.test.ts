/** `--param name=value` → typed parameters: defaults, conversion, enums, and every problem at once. */
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../engine/compile/resolve-params.js';
import { validPlan } from '../../helpers/pipeline.js';
import { planText, SITE } from '../../helpers/plan-text.js';

const plan = validPlan(planText(SITE, `
  parameters:
    dnsName: { type: string, default: pay.example.com }
    region: { type: string, enum: [eu-west-1, eu-central-1] }
    replicas: { type: integer, default: 2 }
    ratio: { type: number, default: 0.5 }
    dryRun: { type: boolean, default: false, description: rehearse only }
    port: { type: integer, enum: [80, 443], default: 443 }
  groups: [{ id: app }]
`));

describe('resolveParams', () => {
  it('applies defaults and converts given values to the declared type', () => {
    const { params, problems } = resolveParams(plan, { region: 'eu-central-1', replicas: '5', ratio: '1.25', dryRun: 'true', port: '80' });
    expect(problems).toEqual([]);
    expect(params).toEqual({ dnsName: 'pay.example.com', region: 'eu-central-1', replicas: 5, ratio: 1.25, dryRun: true, port: 80 });
  });

  it('a string parameter takes the text as it is, numbers and booleans included', () => {
    const { params } = resolveParams(plan, { region: 'eu-west-1', dnsName: '42' });
    expect(params.dnsName).toBe('42');
  });

  it('a parameter without default is required: MISSING_PARAMETER with how to pass it', () => {
    const { problems } = resolveParams(plan, {});
    expect(problems).toEqual([
      expect.objectContaining({ code: 'MISSING_PARAMETER', pointer: '/spec/parameters/region', message: 'parameter "region" is required', hint: 'pass --param region=<string>' }),
    ]);
  });

  it('an unknown parameter is UNKNOWN_PARAMETER with a did-you-mean', () => {
    const { problems } = resolveParams(plan, { region: 'eu-west-1', replica: '3' });
    expect(problems).toEqual([expect.objectContaining({ code: 'UNKNOWN_PARAMETER', hint: 'did you mean "replicas"?' })]);
    const none = resolveParams(validPlan(planText(SITE, 'groups: [{ id: app }]')), { x: '1' });
    expect(none.problems[0]).toMatchObject({ code: 'UNKNOWN_PARAMETER', hint: 'this plan takes no parameters' });
  });

  it.each([
    ['replicas', '2.5', 'is not an integer'],
    ['replicas', 'two', 'is not an integer'],
    ['replicas', '', 'is not an integer'],
    ['ratio', 'NaN', 'is not a number'],
    ['ratio', '1e999', 'is not a number'],
    ['dryRun', 'yes', 'is not a boolean'],
    ['dryRun', 'TRUE', 'is not a boolean'],
  ])('an ill-typed value is INVALID_PARAMETER_VALUE: %s=%s', (name, value, why) => {
    const { params, problems } = resolveParams(plan, { region: 'eu-west-1', [name]: value });
    expect(problems).toEqual([expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', pointer: `/spec/parameters/${name}` })]);
    expect(problems[0]!.message).toContain(why);
    expect(params).not.toHaveProperty(name);
  });

  it('a value outside the enum is INVALID_PARAMETER_VALUE listing the allowed values', () => {
    const { problems } = resolveParams(plan, { region: 'us-east-1', port: '8080' });
    expect(problems.map((p) => [p.code, p.hint])).toEqual([
      ['INVALID_PARAMETER_VALUE', 'allowed: "eu-west-1", "eu-central-1"'],
      ['INVALID_PARAMETER_VALUE', 'allowed: 80, 443'],
    ]);
  });

  it('reports every problem at once, before anything runs', () => {
    const { problems } = resolveParams(plan, { replicas: 'x', nope: '1', dryRun: 'maybe' });
    expect(problems.map((p) => p.code).sort()).toEqual(['INVALID_PARAMETER_VALUE', 'INVALID_PARAMETER_VALUE', 'MISSING_PARAMETER', 'UNKNOWN_PARAMETER']);
  });

  // BUG (engine/compile/resolve-params.ts): `plan.parameters[name]` finds names inherited from
  // Object.prototype. `--param toString=1` is accepted (params.toString = 1) and
  // `--param constructor=x` fails with "is not a undefined"; both should be UNKNOWN_PARAMETER.
  it.each(['toString', 'constructor', 'hasOwnProperty'])('--param %s=1 is an unknown parameter', (name) => {
    const { params, problems } = resolveParams(plan, { region: 'eu-west-1', [name]: '1' });
    expect(problems).toEqual([expect.objectContaining({ code: 'UNKNOWN_PARAMETER' })]);
    expect(Object.keys(params)).not.toContain(name);
  });
});
