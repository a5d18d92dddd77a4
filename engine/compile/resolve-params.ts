import type { DiagnosticCode } from '../model/diagnostic.js';
import { hasOwn, own } from '../model/own.js';
import type { Plan, Scalar } from '../model/plan.js';
import { parameterValueProblem } from '../model/parameter-value.js';
import { suggest } from '../model/did-you-mean.js';

export interface ParamProblem {
  code: Extract<DiagnosticCode, 'UNKNOWN_PARAMETER' | 'INVALID_PARAMETER_VALUE' | 'MISSING_PARAMETER'>;
  pointer: string;
  message: string;
  hint?: string;
}

/**
 * Turns `--param name=value` strings into typed values, applies defaults, and reports unknown,
 * ill-typed and missing parameters — all of them, before anything runs.
 */
export function resolveParams(plan: Plan, given: Record<string, string>): { params: Record<string, Scalar>; problems: ParamProblem[] } {
  const params: Record<string, Scalar> = {};
  const problems: ParamProblem[] = [];
  const names = Object.keys(plan.parameters);
  for (const [name, text] of Object.entries(given)) {
    const spec = own(plan.parameters, name);
    if (!spec) {
      const guess = suggest(name, names);
      problems.push({
        code: 'UNKNOWN_PARAMETER',
        pointer: '/spec/parameters',
        message: `--param ${name}: the plan has no parameter "${name}"`,
        hint: guess ? `did you mean "${guess}"?` : names.length ? `parameters: ${names.join(', ')}` : 'this plan takes no parameters',
      });
      continue;
    }
    const value = convert(spec.type, text);
    const problem = value === undefined ? `is not ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}` : parameterValueProblem(spec.type, spec.enum, value);
    if (problem !== undefined || value === undefined) {
      problems.push({
        code: 'INVALID_PARAMETER_VALUE',
        pointer: `/spec/parameters/${name}`,
        message: `--param ${name}=${text}: ${JSON.stringify(text)} ${problem}`,
        ...(spec.enum ? { hint: `allowed: ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}` } : {}),
      });
      continue;
    }
    params[name] = value;
  }
  for (const spec of Object.values(plan.parameters)) {
    if (hasOwn(params, spec.name) || hasOwn(given, spec.name)) continue;
    if (spec.default !== undefined) params[spec.name] = spec.default;
    else {
      problems.push({
        code: 'MISSING_PARAMETER',
        pointer: `/spec/parameters/${spec.name}`,
        message: `parameter "${spec.name}" is required`,
        hint: `pass --param ${spec.name}=<${spec.type}>${spec.description ? ` (${spec.description})` : ''}`,
      });
    }
  }
  return { params, problems };
}

function convert(type: string, text: string): Scalar | undefined {
  if (type === 'string') return text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return undefined;
  const n = Number(text);
  if (type === 'integer' && !Number.isInteger(n)) return undefined;
  return n;
}
