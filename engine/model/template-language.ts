/**
 * The template language of plans: Handlebars with a fixed set of helpers and context roots.
 * Validation checks templates against it; the runner renders with it. One list, two users.
 */

/** Helpers a template may call. Block helpers that change the context (`each`, `with`) are left out on purpose: every path then resolves from the root, so validation can check it. */
export const TEMPLATE_HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  /** `{{default params.region "eu-west-1"}}`: the first argument unless it is empty. */
  default: (value: unknown, fallback: unknown) => (value === undefined || value === null || value === '' ? fallback : value),
  /** `{{json steps.check.output}}`: a value as JSON. */
  json: (value: unknown) => JSON.stringify(value ?? null),
  lower: (value: unknown) => String(value ?? '').toLowerCase(),
  upper: (value: unknown) => String(value ?? '').toUpperCase(),
  /** `{{#if (eq mode "test")}}`. */
  eq: (a: unknown, b: unknown) => a === b,
};

/** Built-in block helpers that keep the context. */
export const TEMPLATE_BLOCK_HELPERS = ['if', 'unless'] as const;

export const TEMPLATE_ROOTS = ['plan', 'mode', 'run', 'params', 'group', 'vm', 'steps'] as const;
export type TemplateRoot = (typeof TEMPLATE_ROOTS)[number];

export const TEMPLATE_ROOT_FIELDS: Partial<Record<TemplateRoot, readonly string[]>> = {
  plan: ['name', 'description'],
  run: ['id', 'initiator'],
  group: ['id', 'name'],
};

export function isKnownHelper(name: string): boolean {
  return name in TEMPLATE_HELPERS || (TEMPLATE_BLOCK_HELPERS as readonly string[]).includes(name);
}
