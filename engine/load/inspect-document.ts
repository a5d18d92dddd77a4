import * as yaml from 'yaml';
import type { Alias, Document, Node, Pair } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { toPointer } from '../model/plan-source.js';
import { isForbiddenKey } from './forbidden-keys.js';
import { createLoaderDiagnostic, formatCount } from './loader-diagnostic.js';
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
}

/** What `inspectDocument` found. */
export interface DocumentInspection {
  diagnostics: Diagnostic[];
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
 * Duplicate keys are found here (one hash map per mapping) rather than by yaml's `uniqueKeys`,
 * which compares every key with every other and takes seconds on a mapping of 20,000 keys.
 */
export function inspectDocument(doc: Document.Parsed, options: InspectOptions): DocumentInspection {
  const { file, positions, maxAliasCount } = options;
  const diagnostics: Diagnostic[] = [];
  const aliasTargets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>(); // the latest node carrying each anchor, in text order
  const open = new Set<Node>(); // collections being walked: an alias to one of them is a cycle
  const sizes = new Map<Node, number>(); // expanded size of each finished anchored node
  const path: (string | number)[] = [];
  let aliasValues = 0;
  let overflowReported = false;

  const at = (node: unknown) => {
    const range = readRange(node) ?? [0, 0];
    return positions.rangeAt(range[0], range[1]);
  };

  const visitAlias = (alias: Alias): number => {
    const target = anchors.get(alias.source);
    if (!target) {
      if (alias.source === '') return 1; // a bare "*": yaml has reported it
      diagnostics.push(
        createLoaderDiagnostic(file, 'YAML_SYNTAX', at(alias), `alias *${alias.source} refers to no anchor`, {
          pointer: toPointer(path),
          hint: `define "&${alias.source}" on a value before this point; an alias can only repeat a value that comes earlier in the file`,
        }),
      );
      return 1;
    }
    if (open.has(target)) {
      diagnostics.push(
        createLoaderDiagnostic(
          file,
          'ALIAS_LIMIT',
          at(alias),
          `alias *${alias.source} sits inside the value it repeats, so expanding it would never end`,
          { pointer: toPointer(path), hint: `move *${alias.source} outside the value anchored as &${alias.source}` },
        ),
      );
      return 1;
    }
    aliasTargets.set(alias, target);
    const size = sizes.get(target) ?? 1;
    aliasValues += size;
    if (aliasValues > maxAliasCount && !overflowReported) {
      overflowReported = true;
      diagnostics.push(
        createLoaderDiagnostic(
          file,
          'ALIAS_LIMIT',
          at(alias),
          `expanding the aliases up to *${alias.source} gives ${formatCount(aliasValues)} values, more than the limit of ${formatCount(maxAliasCount)}`,
          {
            pointer: toPointer(path),
            hint: 'each alias (*name) copies the whole anchored value; nested aliases multiply ("billion laughs"). Repeat fewer or smaller values.',
          },
        ),
      );
    }
    return size;
  };

  const visitPair = (pair: Pair, seen: Map<string, Node> | null): number => {
    const key = pair.key;
    if (isScalar(key) && key.anchor) anchors.set(key.anchor, key);
    const name = readKey(key);
    if (name === null) return 1 + visit(pair.value); // a non-scalar key: yaml has reported it
    path.push(name);
    if (isForbiddenKey(name)) {
      diagnostics.push(
        createLoaderDiagnostic(file, 'FORBIDDEN_KEY', at(key), `"${name}" cannot be used as a key`, {
          pointer: toPointer(path),
          hint: 'drplan refuses the keys __proto__, constructor and prototype anywhere in a plan, because they can change how the loaded data behaves; rename or remove it',
        }),
      );
    }
    if (seen) {
      const first = seen.get(name);
      if (first) {
        const firstLine = at(first).line;
        diagnostics.push(
          createLoaderDiagnostic(file, 'DUPLICATE_KEY', at(key), `key "${name}" is already defined on line ${firstLine}`, {
            pointer: toPointer(path),
            hint: `a mapping holds each key once; remove one of them or merge them (the first is on line ${firstLine})`,
          }),
        );
      } else seen.set(name, key as Node);
    }
    if (name === '<<' && isScalar(key) && key.type === Scalar.PLAIN) {
      diagnostics.push(
        createLoaderDiagnostic(
          file,
          'YAML_SYNTAX',
          at(key),
          'merge keys ("<<") are not part of YAML 1.2, so this is an ordinary key named "<<"',
          {
            severity: 'warning',
            pointer: toPointer(path),
            hint: 'write the fields out, or reuse a whole mapping with an alias (key: *name)',
          },
        ),
      );
    }
    const size = 1 + visit(pair.value);
    path.pop();
    return size;
  };

  function visit(node: unknown): number {
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) return visitAlias(node);
    const anchored = (node as { anchor?: string }).anchor;
    if (anchored) anchors.set(anchored, node as Node);
    if (isScalar(node)) {
      if (anchored) sizes.set(node, 1);
      return 1;
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    open.add(node);
    let size = 1;
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const item of node.items) size += visitPair(item as Pair, seen) - 1;
    } else {
      node.items.forEach((item, index) => {
        path.push(index);
        // A pair inside a sequence ("[a: 1]") is a one-key mapping.
        size += isPair(item) ? visitPair(item, null) : visit(item);
        path.pop();
      });
    }
    open.delete(node);
    if (anchored) sizes.set(node, size);
    return size;
  }

  visit(doc.contents);
  return { diagnostics, aliasTargets };
}
