/**
 * How schema problems are worded: JSON types in plan (YAML) terms, values as the user wrote
 * them, and places as `step "smoke": retry.attempts` rather than JSON pointers.
 */
import { fromPointer } from '../model/plan-source.js';

export type JsonTypeName = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** The JSON Schema type of a value (`integer` for whole numbers). */
export function jsonType(value: unknown): JsonTypeName {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** Whether a value of type `actual` satisfies schema type `expected`. */
export function typeAccepts(expected: string, actual: JsonTypeName): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

const EXPECTED: Record<string, string> = {
  null: 'empty',
  boolean: 'true/false',
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
};

/** `a list`, `a string or a mapping`, … for what a schema expects. */
export function describeTypes(types: readonly string[]): string {
  const unique = [...new Set(types)].filter((t) => !(t === 'integer' && types.includes('number')));
  const words = unique.map((t) => EXPECTED[t] ?? t);
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `a string`, `a list`, `true`, … for what the user wrote (the "got" half of a message). */
export function describeValue(value: unknown): string {
  switch (jsonType(value)) {
    case 'null':
      return 'nothing (an empty value)';
    case 'boolean':
      return String(value);
    case 'integer':
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'array':
      return 'a list';
    default:
      return 'a mapping';
  }
}

/** A value quoted for a message: strings in double quotes, long ones shortened. */
export function renderValue(value: unknown, max = 40): string {
  let text: string;
  // Shorten a string inside its quotes, so the message still shows where it ends.
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max - 1)}…` : value);
  if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A list of values for a hint: `"a", "b", "c"`. */
export function renderValues(values: readonly unknown[], max = 20): string {
  const shown = values.slice(0, max).map((v) => renderValue(v));
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

/** `fromPointer`, without the regular expressions when nothing is escaped (10,000 bad VMs, 10,000 calls). */
export function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.includes('~') ? fromPointer(pointer) : pointer.slice(1).split('/');
}

/** The value at a JSON pointer (or at its first `depth` segments), or undefined. */
export function valueAt(root: unknown, pointer: string | readonly string[], depth?: number): unknown {
  const segments = typeof pointer === 'string' ? segmentsOf(pointer) : pointer;
  const end = depth ?? segments.length;
  let node = root;
  for (let i = 0; i < end; i++) {
    if (node === null || typeof node !== 'object') return undefined;
    const segment = segments[i]!;
    node = Array.isArray(node) ? node[Number(segment)] : (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Where a problem is, in plan terms: an optional named container and a dotted path inside it. */
export interface Place {
  /** `step "smoke"`, `group "database"`, `adapter "site"`, … */
  container?: string;
  /** `retry.attempts`, `spec.objectives.rto`, `vms[2]`; empty for the container itself. */
  path: string;
}

const STEP_SECTIONS = new Set(['prechecks', 'finalize', 'cleanup', 'onFailure']);

/** Renders path segments as `a.b[0]["c.d"]`, using the document to tell list indices from keys. */
export function dottedPath(segments: readonly string[], parent: unknown): string {
  let text = '';
  let node = parent;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      text += `[${segment}]`;
      node = node[Number(segment)];
      continue;
    }
    text += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment) ? (text ? `.${segment}` : segment) : `[${JSON.stringify(segment)}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return text;
}

/**
 * Names the node at `pointer` in the plan document `root` the way a plan author thinks of it:
 * inside the innermost step, group or adapter that has a name, else as a dotted path from the
 * document root.
 */
export function placeOf(root: unknown, pointer: string): Place {
  const segments = segmentsOf(pointer);
  let best: { container: string; depth: number } | undefined;
  const named = (depth: number, label: string, key: 'id' | null) => {
    const node = valueAt(root, segments, depth);
    const name = key === null ? segments[depth - 1] : (node as Record<string, unknown> | null)?.[key];
    // A container is named by its id only when the problem is not that very id.
    if (typeof name !== 'string' || (key !== null && segments[depth] === key)) return;
    best = { container: `${label} ${JSON.stringify(name)}`, depth };
  };
  if (segments[0] === 'spec') {
    const [, section, a, sub, b] = segments;
    if ((section === 'adapters' || section === 'parameters' || section === 'approvers') && a !== undefined) {
      named(3, section === 'adapters' ? 'adapter' : section === 'parameters' ? 'parameter' : 'approver group', null);
    } else if (section !== undefined && STEP_SECTIONS.has(section) && a !== undefined) {
      named(3, 'step', 'id');
    } else if (section === 'groups' && a !== undefined) {
      named(3, 'group', 'id');
      if ((sub === 'pre' || sub === 'post') && b !== undefined) named(5, 'step', 'id');
    }
  }
  if (!best) return { path: dottedPath(segments, root) };
  const inner = segments.slice(best.depth);
  return { container: best.container, path: dottedPath(inner, valueAt(root, segments, best.depth)) };
}

/** `step "smoke": retry.attempts must …`, `step "smoke" has …`, `spec.groups must …`, `the plan has …`. */
export function phrase(place: Place, predicate: string): string {
  // A named list (`approver group "dba"`): its items read better counted from one.
  const item = place.container ? /^\[(\d+)\](.*)$/.exec(place.path) : null;
  if (item) return `${place.container}: item ${Number(item[1]) + 1}${item[2]} ${predicate}`;
  if (place.container && place.path) return `${place.container}: ${place.path} ${predicate}`;
  if (place.container) return `${place.container} ${predicate}`;
  if (place.path) return `${place.path} ${predicate}`;
  return `the plan ${predicate}`;
}

/** The last property name of a place (`attempts` for `retry.attempts`), for hints like `write attempts: 3`. */
export function lastKey(pointer: string): string | undefined {
  const segments = segmentsOf(pointer);
  for (let i = segments.length - 1; i >= 0; i--) if (!/^\d+$/.test(segments[i]!)) return segments[i];
  return undefined;
}
