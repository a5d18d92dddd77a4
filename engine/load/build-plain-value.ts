import * as yaml from 'yaml';
import type { Alias, Node } from 'yaml';
import { isForbiddenKey } from './forbidden-keys.js';
import * as yamlNodes from './yaml-nodes.js';

// Looked up once: these run for every node, and test runners turn each use of an imported
// binding into an accessor call (several times slower than the work itself).
const { isAlias, isMap, isPair, isScalar, isSeq } = yaml;
const { readKey } = yamlNodes;

/**
 * The document as plain data: objects, arrays, strings, numbers, booleans and null.
 *
 * Written here instead of calling yaml's `toJS`: `toJS` resolves each alias by scanning every
 * anchor and alias before it, and re-walks the whole document for aliases nested in an anchor,
 * so a plan with a few thousand aliases takes seconds whatever `maxAliasCount` says (measured:
 * 5,000 aliases, 117 KB, 8.8 s). Here each alias costs a map lookup.
 *
 * Every alias becomes a fresh copy, so the value is a tree, never a graph with shared or
 * circular parts: later stages may annotate objects without surprises. The copies' total is
 * bounded, because `inspectDocument` has already refused documents whose aliases expand past
 * the limit, and refused cyclic aliases. Forbidden keys are skipped (they are errors too, so
 * this is a second lock, not the first).
 */
export function buildPlainValue(node: unknown, aliasTargets: ReadonlyMap<Alias, Node>): unknown {
  // Scalars first: they are most of any plan.
  if (isScalar(node)) return plainScalar(node.value);
  if (isMap(node)) {
    const object: Record<string, unknown> = {};
    for (const pair of node.items) addPair(object, pair.key, pair.value, aliasTargets);
    return object;
  }
  if (isSeq(node)) {
    const items = node.items;
    const array: unknown[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (isPair(item)) {
        const object: Record<string, unknown> = {};
        addPair(object, item.key, item.value, aliasTargets);
        array[i] = object;
      } else array[i] = buildPlainValue(item, aliasTargets);
    }
    return array;
  }
  if (isAlias(node)) return buildPlainValue(aliasTargets.get(node), aliasTargets);
  return null;
}

function addPair(object: Record<string, unknown>, key: unknown, value: unknown, aliasTargets: ReadonlyMap<Alias, Node>) {
  const name = readKey(key);
  if (name === null || isForbiddenKey(name)) return;
  // Plain assignment is safe once "__proto__" is out: it is the only accessor a plain object
  // inherits, so every other name becomes an own data property.
  object[name] = buildPlainValue(value, aliasTargets);
}

function plainScalar(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    default:
      // null, and anything a schema tag might produce (none do in the core schema without
      // yaml-1.1 tags); never hand a class instance downstream as "plain data".
      return value === null || value === undefined ? null : String(value);
  }
}
