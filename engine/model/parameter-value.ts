/**
 * Whether a value fits a parameter: asked of a plan's defaults when it is validated and of
 * `--param` values when a run is compiled, so both say the same thing.
 */

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
