import type { ExecutionPlan } from '../model/execution.js';
import { buildGraphModel, DEFAULT_MAX_VMS_PER_GROUP, type GraphCluster, type GraphModel, type GraphNode, type GraphOptions } from './graph-model.js';

/**
 * `drplan graph --format mermaid`: the plan as a Mermaid flowchart, the form GitHub and GitLab
 * render inline in a Markdown file or a pull request comment.
 */

/** Shape brackets per node kind: gates are hexagons, manual steps trapezoids, VM operations rounded, junctions dots. */
const SHAPES: Record<GraphNode['kind'], [string, string]> = {
  action: ['[', ']'],
  run: ['[', ']'],
  gate: ['{{', '}}'],
  manual: ['[/', '\\]'],
  vm: ['(', ')'],
  join: ['((', '))'],
};

/**
 * Colours chosen to read on the forge's light and dark themes alike: the text colour is set
 * wherever the fill is, so a dark theme's light text never lands on a pale fill.
 */
const CLASS_DEFS = {
  gate: 'fill:#fff3cd,stroke:#b8860b,color:#333',
  manual: 'fill:#e7f0ff,stroke:#4a6fa5,color:#333',
  skipped: 'fill:#f2f2f2,stroke:#a0a0a0,stroke-dasharray:4 3,color:#8c8c8c',
  join: 'fill:#888,stroke:#888',
} as const;
type ClassName = keyof typeof CLASS_DEFS;

/**
 * Mermaid's default `maxEdges` and `maxTextSize`. The forges render with the defaults and show
 * an error instead of a diagram beyond them.
 */
export const MERMAID_LIMITS = { edges: 500, chars: 50_000 } as const;

/** Thresholds tried, in order, when the caller leaves `maxVmsPerGroup` to us. */
const THRESHOLDS = [DEFAULT_MAX_VMS_PER_GROUP, 4, 2, 1, 0];

/**
 * Renders an execution plan as a Mermaid `flowchart TD`: phases in order, a frame per group,
 * arrows from `after`, crowded groups collapsed to one node per operation, skipped steps greyed,
 * and the plan's `onFailure` steps in a dashed frame of their own. When `maxVmsPerGroup` is left
 * out and the diagram would exceed {@link MERMAID_LIMITS}, groups are collapsed at lower
 * thresholds (4, 2, 1, 0 VMs) until it fits, and a header comment says so.
 *
 * @example
 * const text = renderMermaid(resolveExecution(plan, 'planned', {}));
 * // flowchart TD
 * //   %% drplan graph · plan payments-eu · mode planned
 * //   subgraph cluster_prechecks ["prechecks"]
 * //     n_replication_healthy["replication-healthy<br/>site.replicationHealth"]
 * //   end
 * //   ...
 */
export function renderMermaid(exec: ExecutionPlan, options: GraphOptions = {}): string {
  // Without an explicit threshold, collapse harder until the forge can draw it: a diagram of
  // operation nodes beats an error box. An explicit threshold is the caller's choice, kept.
  const thresholds = options.maxVmsPerGroup === undefined ? THRESHOLDS : [options.maxVmsPerGroup];
  let last: { model: GraphModel; notes: string[] } | undefined;
  for (const [i, max] of thresholds.entries()) {
    const model = buildGraphModel(exec, { ...options, maxVmsPerGroup: max });
    const notes = i === 0 ? [] : [`groups of more than ${max} VMs collapsed so that the forge can draw this diagram`];
    const text = printMermaid(model, notes);
    if (model.edges.length <= MERMAID_LIMITS.edges && text.length <= MERMAID_LIMITS.chars) return text;
    last = { model, notes };
  }
  const over = `over Mermaid's default limits (${MERMAID_LIMITS.edges} arrows, ${MERMAID_LIMITS.chars} characters): the forge may not draw it; try --format dot`;
  return printMermaid(last!.model, [...last!.notes, over]);
}

/** The Mermaid text of a graph model; `notes` become comments in the header. */
export function printMermaid(model: GraphModel, notes: readonly string[] = []): string {
  const nodes = new Map(model.nodes.map((n) => [n.id, n]));
  // The header goes after the diagram type: some Mermaid versions detect the type on line one.
  const out = [
    'flowchart TD',
    `  %% drplan graph · plan ${model.plan} · mode ${model.mode}`,
    '  %% generated from the plan file: edit the plan, not this diagram',
    ...notes.map((n) => `  %% ${n}`),
  ];
  for (const cluster of model.clusters) printCluster(cluster, nodes, '  ', out);
  for (const id of model.unframed) out.push(`  ${printNode(nodes.get(id)!)}`);
  for (const e of model.edges) out.push(`  ${e.from} ${e.muted ? '-.->' : '-->'} ${e.to}`);

  const members = new Map<ClassName, string[]>();
  for (const n of model.nodes) {
    const name = classOf(n);
    if (name !== null) members.set(name, [...(members.get(name) ?? []), n.id]);
  }
  for (const name of Object.keys(CLASS_DEFS) as ClassName[]) {
    const ids = members.get(name);
    if (ids) out.push(`  classDef ${name} ${CLASS_DEFS[name]}`, `  class ${ids.join(',')} ${name}`);
  }
  for (const c of model.clusters) if (c.kind === 'onFailure') out.push(`  style ${c.id} stroke-dasharray:6 4`);
  return `${out.join('\n')}\n`;
}

function printCluster(cluster: GraphCluster, nodes: ReadonlyMap<string, GraphNode>, indent: string, out: string[]): void {
  out.push(`${indent}subgraph ${cluster.id} ["${escapeMermaid(cluster.title)}"]`);
  for (const id of cluster.nodes) out.push(`${indent}  ${printNode(nodes.get(id)!)}`);
  for (const child of cluster.clusters) printCluster(child, nodes, `${indent}  `, out);
  out.push(`${indent}end`);
}

function printNode(node: GraphNode): string {
  const [open, close] = SHAPES[node.kind];
  // A junction has no words, but Mermaid needs some text in a shape: one space.
  const label = node.lines.length === 0 ? ' ' : node.lines.map(escapeMermaid).join('<br/>');
  return `${node.id}${open}"${label}"${close}`;
}

/** One class per node: skipped wins, so a skipped gate is grey rather than amber. */
function classOf(node: GraphNode): ClassName | null {
  if (node.skipped) return 'skipped';
  return node.kind === 'gate' || node.kind === 'manual' || node.kind === 'join' ? node.kind : null;
}

/**
 * Escapes text for a quoted Mermaid label. Inside quotes only `"` would end the label, but
 * Mermaid also decodes `#...;` entity codes and hands labels to an HTML renderer, so `#`, `&`,
 * `<`, `>` are encoded too, along with the square brackets, pipes and braces that delimit shapes
 * and edge text, `%` (comments), the backslash and the backtick (Markdown strings). Parentheses
 * are safe inside quotes and common in our own labels, so they stay readable.
 *
 * @example
 * escapeMermaid('say "hi" <b>'); // 'say #34;hi#34; #60;b#62;'
 */
export function escapeMermaid(text: string): string {
  return text.replace(/["#&<>|[\]{}%`\\]/g, (c) => `#${c.charCodeAt(0)};`);
}
