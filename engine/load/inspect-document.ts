import * as yaml from 'yaml';
import type { Alias, Document, Node, Pair } from 'yaml';
import type { DiagnosticCode, Position, Severity } from '../model/diagnostic.js';
import type { DiagnosticCollector } from '../model/diagnostic-cap.js';
import { toPointer } from '../model/plan-source.js';
import { isForbiddenKey } from './forbidden-keys.js';
import { createLoaderDiagnostic, formatCount } from './loader-diagnostic.js';
import { MAX_NESTING_DEPTH } from './parse-documents.js';
import type { TextPositions } from './text-position.js';
import * as yamlNodes from './yaml-nodes.js';

// Looked up once: these run for every node, and test runners turn each use of an imported
// binding into an accessor call (several times slower than the work itself).
const { isAlias, isMap, isPair, isScalar, isSeq, Scalar } = yaml;
const { readKey, readRange } = yamlNodes;

/** What `inspectDocument` needs besides the document. */
export interface InspectOptions {
  file: string;
  positions: TextPositions;
  /** Most values that aliases may add to the document once expanded. */
  maxAliasCount: number;
  /** Deepest nesting the document may reach once aliases are expanded. Default {@link MAX_NESTING_DEPTH}. */
  maxDepth?: number;
  /** Where the problems go (it keeps the first thousand and counts the rest). */
  diagnostics: DiagnosticCollector;
}

/** What `inspectDocument` found besides problems. */
export interface DocumentInspection {
  /** Where each alias leads; only aliases that resolve to a finished, earlier node. */
  aliasTargets: Map<Alias, Node>;
}

/**
 * One walk over a composed document for what yaml leaves to us: duplicate and forbidden keys,
 * aliases that lead nowhere or back into themselves, and how big the document becomes once
 * aliases are expanded.
 *
 * Alias expansion is measured, never performed: each anchored node's expanded size (values
 * in it, aliases inside it expanded) is remembered when the walk leaves it, so an alias costs
 * one lookup and a "billion laughs" document is measured in time linear in its text. Every
 * alias adds a copy of its target, so the sum of the targets' sizes over all aliases is what
 * expansion adds to the document; `maxAliasCount` bounds it, and the alias at which the
 * running sum crosses the limit is the one reported.
 *
 * Depth is measured the same way: the text's own nesting is bounded while it is parsed, but an
 * alias puts its whole target where it stands, so a chain of anchors, each nesting the one
 * before a little deeper, builds a value thousands of levels deep from a few kilobytes of
 * text, which every later stage would recurse through until the stack ran out. Each anchored
 * node's expanded height is remembered like its size, and an alias that would take the value
 * past `maxDepth` is refused.
 *
 * Duplicate keys are found here (one hash map per mapping) rather than by yaml's `uniqueKeys`,
 * which compares every key with every other and takes seconds on a mapping of 20,000 keys.
 * A message is only built for a problem the collector keeps, so 130,000 duplicate keys cost
 * 130,000 position lookups and a thousand diagnostics.
 */
export function inspectDocument(doc: Document.Parsed, options: InspectOptions): DocumentInspection {
  const { file, positions, maxAliasCount, diagnostics } = options;
  const maxDepth = options.maxDepth ?? MAX_NESTING_DEPTH;
  const aliasTargets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>(); // the latest node carrying each anchor, in text order
  const open = new Set<Node>(); // collections being walked: an alias to one of them is a cycle
  const sizes = new Map<Node, number>(); // expanded size of each finished anchored node
  const heights = new Map<Node, number>(); // expanded height of each finished anchored node
  const path: (string | number)[] = [];
  let aliasValues = 0;
  let overflowReported = false;
  let depthReported = false;
  // The height of the node `visit` last returned from (a second result, without allocating).
  let height = 0;

  const at = (node: unknown) => {
    const range = readRange(node) ?? [0, 0];
    return positions.rangeAt(range[0], range[1]);
  };

  /** Adds a problem at `where`, building its message only if the collector keeps it. */
  const report = (code: DiagnosticCode, where: Position, severity: Severity, build: () => { message: string; hint: string }) => {
    if (!diagnostics.wouldKeep(severity, where.line, where.col)) return diagnostics.countOmitted(severity);
    const { message, hint } = build();
    diagnostics.add(createLoaderDiagnostic(file, code, where, message, { severity, pointer: toPointer(path), hint }));
  };

  const visitAlias = (alias: Alias, depth: number): number => {
    height = 1;
    const target = anchors.get(alias.source);
    if (!target) {
      if (alias.source === '') return 1; // a bare "*": yaml has reported it
      report('YAML_SYNTAX', at(alias), 'error', () => ({
        message: `alias *${alias.source} refers to no anchor`,
        hint: `define "&${alias.source}" on a value before this point; an alias can only repeat a value that comes earlier in the file`,
      }));
      return 1;
    }
    if (open.has(target)) {
      report('ALIAS_LIMIT', at(alias), 'error', () => ({
        message: `alias *${alias.source} sits inside the value it repeats, so expanding it would never end`,
        hint: `move *${alias.source} outside the value anchored as &${alias.source}`,
      }));
      return 1;
    }
    aliasTargets.set(alias, target);
    const size = sizes.get(target) ?? 1;
    height = heights.get(target) ?? 1;
    aliasValues += size;
    if (aliasValues > maxAliasCount && !overflowReported) {
      overflowReported = true;
      report('ALIAS_LIMIT', at(alias), 'error', () => ({
        message: `expanding the aliases up to *${alias.source} gives ${formatCount(aliasValues)} values, more than the limit of ${formatCount(maxAliasCount)}`,
        hint: 'each alias (*name) copies the whole anchored value; nested aliases multiply ("billion laughs"). Repeat fewer or smaller values.',
      }));
    }
    const expandedDepth = depth - 1 + height;
    if (expandedDepth > maxDepth && !depthReported) {
      depthReported = true;
      report('ALIAS_LIMIT', at(alias), 'error', () => ({
        message: `expanding alias *${alias.source} here nests the plan ${formatCount(expandedDepth)} levels deep, more than the limit of ${maxDepth}`,
        hint: 'an alias puts its whole anchored value where it stands, and anchors that hold aliases nest deeper with every step; plans need about ten levels, so look for a chain of anchors repeating each other',
      }));
    }
    return size;
  };

  /** Walks a pair whose mapping sits at `depth`; sets `height` to its value's. */
  const visitPair = (pair: Pair, seen: Map<string, Node> | null, depth: number): number => {
    const key = pair.key;
    if (isScalar(key) && key.anchor) anchors.set(key.anchor, key);
    const name = readKey(key);
    if (name === null) return 1 + visit(pair.value, depth + 1); // a non-scalar key: yaml has reported it
    path.push(name);
    if (isForbiddenKey(name)) {
      report('FORBIDDEN_KEY', at(key), 'error', () => ({
        message: `"${name}" cannot be used as a key`,
        hint: 'drplan refuses the keys __proto__, constructor and prototype anywhere in a plan, because they can change how the loaded data behaves; rename or remove it',
      }));
    }
    if (seen) {
      const first = seen.get(name);
      if (first) {
        report('DUPLICATE_KEY', at(key), 'error', () => {
          const firstLine = at(first).line;
          return {
            message: `key "${name}" is already defined on line ${firstLine}`,
            hint: `a mapping holds each key once; remove one of them or merge them (the first is on line ${firstLine})`,
          };
        });
      } else seen.set(name, key as Node);
    }
    if (name === '<<' && isScalar(key) && key.type === Scalar.PLAIN) {
      report('YAML_SYNTAX', at(key), 'warning', () => ({
        message: 'merge keys ("<<") are not part of YAML 1.2, so this is an ordinary key named "<<"',
        hint: 'write the fields out, or reuse a whole mapping with an alias (key: *name)',
      }));
    }
    const size = 1 + visit(pair.value, depth + 1);
    path.pop();
    return size;
  };

  /**
   * Walks a node at `depth` (the root is 1) and returns its expanded size; sets `height` to its
   * expanded height. Recursion is bounded: the text nests at most MAX_NESTING_DEPTH levels.
   */
  function visit(node: unknown, depth: number): number {
    height = 1;
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) return visitAlias(node, depth);
    const anchored = (node as { anchor?: string }).anchor;
    if (anchored) anchors.set(anchored, node as Node);
    if (isScalar(node)) {
      if (anchored) {
        sizes.set(node, 1);
        heights.set(node, 1);
      }
      return 1;
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    open.add(node);
    let size = 1;
    let below = 0;
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const item of node.items) {
        size += visitPair(item as Pair, seen, depth) - 1;
        if (height > below) below = height;
      }
    } else {
      const items = node.items;
      for (let index = 0; index < items.length; index++) {
        const item = items[index];
        path.push(index);
        // A pair inside a sequence ("[a: 1]") is a one-key mapping, one level more.
        if (isPair(item)) {
          size += visitPair(item, null, depth + 1);
          height += 1;
        } else size += visit(item, depth + 1);
        if (height > below) below = height;
        path.pop();
      }
    }
    open.delete(node);
    height = 1 + below;
    if (anchored) {
      sizes.set(node, size);
      heights.set(node, height);
    }
    return size;
  }

  visit(doc.contents, 1);
  return { aliasTargets };
}
