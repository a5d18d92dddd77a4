import * as yaml from 'yaml';

// Looked up once, as in the walkers that call these for every node.
const { isScalar } = yaml;

/**
 * Small readers over yaml's parsed nodes shared by the inspection, the value builder and the
 * locator, so all three agree on what a key is called and where a node sits.
 */

/** The text of a mapping key, or null for keys that are not scalars (already an error). */
export function readKey(key: unknown): string | null {
  if (!isScalar(key)) return null;
  const value = key.value;
  // With stringKeys every valid key is a string; the fallback keeps odd ones addressable.
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/** `[start, end)` of a node's value in the text, or null for nodes yaml gave no range. */
export function readRange(node: unknown): [number, number] | null {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  if (!range || range.length < 2) return null;
  return [range[0]!, range[1]!];
}
