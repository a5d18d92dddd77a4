import type { ExecutionPlan } from '../model/execution.js';
import { buildGraphModel, type GraphCluster, type GraphModel, type GraphNode, type GraphOptions } from './graph-model.js';

/**
 * `drplan graph --format dot`: the plan in Graphviz DOT, for plans too big for the forge's
 * Mermaid limits and for anyone who wants an SVG or PDF (`dot -Tsvg plan.dot`).
 */

/** Attributes per node kind; the shapes match the Mermaid diagram's. */
const SHAPES: Record<GraphNode['kind'], Record<string, string>> = {
  action: { shape: 'box' },
  run: { shape: 'box' },
  gate: { shape: 'hexagon', style: 'filled', fillcolor: '#fff3cd', color: '#b8860b' },
  manual: { shape: 'trapezium', style: 'filled', fillcolor: '#e7f0ff', color: '#4a6fa5' },
  vm: { shape: 'box', style: 'rounded' },
  join: { shape: 'point', width: '0.12', color: '#888888' },
};

const CLUSTER_STYLES: Record<GraphCluster['kind'], Record<string, string>> = {
  phase: { style: 'rounded', color: '#999999' },
  group: { style: 'rounded', color: '#4a6fa5' },
  onFailure: { style: 'dashed', color: 'grey40' },
};

/**
 * Renders an execution plan as a Graphviz `digraph` (top to bottom): a `cluster_` subgraph per
 * phase and group, gates as hexagons, manual steps as trapeziums, VM operations as rounded
 * boxes, skipped steps dashed and grey, and the `onFailure` steps in a dashed cluster apart.
 *
 * @example
 * writeFileSync('plan.dot', renderDot(resolveExecution(plan, 'test', {})));
 * // then: dot -Tsvg plan.dot > plan.svg
 */
export function renderDot(exec: ExecutionPlan, options: GraphOptions = {}): string {
  return printDot(buildGraphModel(exec, options));
}

/** The DOT text of a graph model. */
export function printDot(model: GraphModel): string {
  const nodes = new Map(model.nodes.map((n) => [n.id, n]));
  const out = [
    `// drplan graph · plan ${model.plan} · mode ${model.mode}`,
    '// generated from the plan file: edit the plan, not this diagram',
    `digraph ${quoteDot(model.plan)} {`,
    `  graph ${attributes({ rankdir: 'TB', fontname: 'Helvetica', label: `${model.plan} · ${model.mode}`, labelloc: 't' })};`,
    `  node ${attributes({ fontname: 'Helvetica', fontsize: '11', shape: 'box' })};`,
    `  edge ${attributes({ color: '#555555', arrowsize: '0.7' })};`,
  ];
  for (const cluster of model.clusters) printCluster(cluster, nodes, '  ', out);
  for (const id of model.unframed) out.push(`  ${printNode(nodes.get(id)!)}`);
  for (const e of model.edges) {
    out.push(`  ${quoteDot(e.from)} -> ${quoteDot(e.to)}${e.muted ? ` ${attributes({ style: 'dashed', color: 'grey' })}` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function printCluster(cluster: GraphCluster, nodes: ReadonlyMap<string, GraphNode>, indent: string, out: string[]): void {
  out.push(`${indent}subgraph ${quoteDot(cluster.id)} {`);
  out.push(`${indent}  graph ${attributes({ label: cluster.title, ...CLUSTER_STYLES[cluster.kind] })};`);
  for (const id of cluster.nodes) out.push(`${indent}  ${printNode(nodes.get(id)!)}`);
  for (const child of cluster.clusters) printCluster(child, nodes, `${indent}  `, out);
  out.push(`${indent}}`);
}

function printNode(node: GraphNode): string {
  return `${quoteDot(node.id)} ${attributes(nodeAttributes(node))};`;
}

function nodeAttributes(node: GraphNode): Record<string, string> {
  const label = node.lines.join('\n');
  if (!node.skipped) return { label, ...SHAPES[node.kind] };
  // A skipped node keeps its outline (a VM operation stays rounded) but loses its fill and colour.
  const style = node.kind === 'vm' ? 'rounded,dashed' : 'dashed';
  return { label, shape: SHAPES[node.kind].shape ?? 'box', style, color: 'grey', fontcolor: 'grey' };
}

/** `[k="v", ...]` with every value quoted; `label` values keep `\n` as the line break. */
function attributes(attrs: Record<string, string>): string {
  const parts = Object.entries(attrs).map(([k, v]) => `${k}=${k === 'label' ? quoteLabel(v) : quoteDot(v)}`);
  return `[${parts.join(', ')}]`;
}

/**
 * A DOT double-quoted string. Only `"` and `\` need escaping in DOT's grammar; `\` is escaped
 * too because Graphviz reads `\n`, `\l`, `\N`, `\G` ... inside labels as its own escapes, and a
 * plan author's backslash must stay a backslash.
 *
 * @example
 * quoteDot('say "hi" \\o/'); // '"say \\"hi\\" \\\\o/"'
 */
export function quoteDot(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
}

/** A label: each line quoted as text, joined by Graphviz's centred line break. */
function quoteLabel(text: string): string {
  return `"${text.split('\n').map((line) => quoteDot(line).slice(1, -1)).join('\\n')}"`;
}
