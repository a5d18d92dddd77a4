import type { Plan } from '../model/plan.js';
import type { DiagnosticSink } from './diagnostic-sink.js';

/** A parameter's default must be a value the parameter accepts. */
export function checkParameters(plan: Plan, sink: DiagnosticSink): void {
  for (const p of Object.values(plan.parameters)) {
    if (p.default === undefined) continue;
    const problem = parameterValueProblem(p.type, p.enum, p.default);
    if (problem) {
      sink.report('INVALID_PARAMETER_DEFAULT', `/spec/parameters/${p.name}/default`, `parameter "${p.name}": default ${JSON.stringify(p.default)} ${problem}`, {
        hint: 'make the default a value the parameter accepts, or drop it to make the parameter required',
      });
    }
  }
}

/** Why `value` does not fit a parameter, or undefined when it does. */
export function parameterValueProblem(type: string, allowed: readonly unknown[] | undefined, value: unknown): string | undefined {
  const fits =
    type === 'string' ? typeof value === 'string'
    : type === 'boolean' ? typeof value === 'boolean'
    : type === 'integer' ? Number.isInteger(value)
    : typeof value === 'number' && Number.isFinite(value);
  if (!fits) return `is not ${type === 'integer' ? 'an integer' : `a ${type}`}`;
  if (allowed && !allowed.includes(value)) return `is not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  return undefined;
}
