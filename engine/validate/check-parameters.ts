import { parameterValueProblem } from '../model/parameter-value.js';
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
