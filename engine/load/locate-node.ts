import * as yaml from 'yaml';
import type { Alias, Node, Pair, YAMLMap } from 'yaml';
import type { Position } from '../model/diagnostic.js';
import { fromPointer } from '../model/plan-source.js';
import type { TextPositions } from './text-position.js';
import * as yamlNodes from './yaml-nodes.js';

// Looked up once: these run for every node, and test runners turn each use of an imported
// binding into an accessor call (several times slower than the work itself).
const { isAlias, isMap, isPair, isScalar, isSeq } = yaml;
const { readKey, readRange } = yamlNodes;

/** `PlanSource.locate` for one parsed document. */
export type Locate = (pointer: string, part?: 'key' | 'value') => Position;

interface Step {
  /** The node reached (null for a key without a value). */
  node: unknown;
  /** The mapping pair it was reached through, if any: its key is the 'key' part. */
  pair: Pair | null;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Builds a locator that walks the document's nodes segment by segment. Nothing is rebuilt per
 * call: a mapping's key index is made the first time a pointer passes through it and kept.
 *
 * - `part: 'key'` gives the key of the last segment; a sequence item has no key, so its value.
 * - A missing pointer gives its nearest existing ancestor (with the same `part`).
 * - A key whose value is empty (`name:`) gives the key for the value too: an empty range just
 *   past the colon shows nothing.
 * - Through an alias, the answer is the alias itself: the value there is a copy of the anchored
 *   one, and the alias is where this path meets the text.
 * - `''` gives the document's content.
 */
export function createLocator(
  root: unknown,
  documentRange: [number, number],
  positions: TextPositions,
  aliasTargets: ReadonlyMap<Alias, Node>,
): Locate {
  const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

  const keysOf = (map: YAMLMap): Map<string, Pair> => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        const name = readKey(pair.key);
        if (name !== null) index.set(name, pair as Pair);
      }
      keyIndexes.set(map, index);
    }
    return index;
  };

  const child = (container: unknown, segment: string): Step | null => {
    if (isMap(container)) {
      const pair = keysOf(container).get(segment);
      return pair ? { node: pair.value, pair } : null;
    }
    if (isSeq(container)) {
      if (!ARRAY_INDEX.test(segment)) return null;
      const item: unknown = container.items[Number(segment)];
      return item === undefined ? null : { node: item, pair: null };
    }
    if (isPair(container)) {
      // A pair inside a sequence ("[a: 1]") stands for a one-key mapping.
      return readKey(container.key) === segment ? { node: container.value, pair: container } : null;
    }
    return null;
  };

  const rangeOf = (node: unknown): Position | null => {
    if (isPair(node)) {
      const key = readRange(node.key);
      const value = readRange(node.value);
      if (key) return positions.rangeAt(key[0], value ? value[1] : key[1]);
    }
    const range = readRange(node);
    return range ? positions.rangeAt(range[0], range[1]) : null;
  };

  const documentPosition = (): Position => rangeOf(root) ?? positions.rangeAt(documentRange[0], documentRange[1]);

  return (pointer, part = 'value') => {
    let node: unknown = root;
    let pair: Pair | null = null;
    let alias: unknown = null;
    for (const segment of fromPointer(pointer)) {
      let container = node;
      if (isAlias(container)) {
        alias ??= container;
        container = aliasTargets.get(container);
      }
      const step = child(container, segment);
      if (!step) break;
      node = step.node;
      pair = step.pair;
    }
    if (alias) return rangeOf(alias) ?? documentPosition();
    if (pair && (part === 'key' || isEmptyValue(node))) return rangeOf(pair.key) ?? documentPosition();
    return rangeOf(node) ?? documentPosition();
  };
}

function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const range = readRange(node);
  return node.value === null && (!range || range[0] === range[1]);
}
