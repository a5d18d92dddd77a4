import type { ExecKind, ExecStep, ExecutionPlan, Phase } from '../model/execution.js';
import type { ModeName } from '../model/plan.js';
import { createIdAllocator, type IdAllocator } from './graph-ids.js';
import { describeGroup, describeNode, describePhase, flattenText, type BatchInfo } from './graph-labels.js';
import { routeThroughJunctions } from './graph-junctions.js';
import { reduceTransitively } from './graph-reduction.js';

/**
 * The diagram of an execution plan, independent of the drawing language: which nodes there are
 * (with crowded groups collapsed), what they say, which frame holds them, and which arrows the
 * reader needs. `renderMermaid` and `renderDot` only translate this into syntax, so the two
 * diagrams of a plan always agree.
 */

/** Groups with more VMs than this are drawn one node per operation rather than one per VM. */
export const DEFAULT_MAX_VMS_PER_GROUP = 8;

/** Options shared by every graph renderer. */
export interface GraphOptions {
  /** A group with more VMs than this draws one node per operation (default 8). */
  maxVmsPerGroup?: number;
  /**
   * Simplify the arrows (default true): drop those implied by others, and route many-to-many
   * arrows through a junction. False draws exactly one arrow per node-level `after`.
   */
  reduceEdges?: boolean;
}

export interface GraphNode {
  /** Diagram-safe id (letters, digits, underscores), unique among nodes and clusters. */
  id: string;
  /**
   * Decides the shape. A collapsed node has the kind of the steps it gathers; a `join` is a
   * junction that many-to-many arrows pass through, drawing no step.
   */
  kind: ExecKind | 'join';
  /** Plain text, one entry per line; renderers escape. */
  lines: string[];
  skipped: boolean;
  /** The execution steps this node draws: one, or every VM's copy for a collapsed node. */
  steps: string[];
  batch: BatchInfo | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** Touches a skipped node, so it is drawn faint. */
  muted: boolean;
}

/** `onFailure` frames the plan's failure steps, drawn apart from the main flow. */
export type GraphClusterKind = 'phase' | 'group' | 'onFailure';

export interface GraphCluster {
  /** Starts with `cluster_`, which DOT needs to draw a frame. */
  id: string;
  title: string;
  kind: GraphClusterKind;
  nodes: string[];
  clusters: GraphCluster[];
}

export interface GraphModel {
  plan: string;
  mode: ModeName;
  /** In execution order, the main flow first, then the failure steps. */
  nodes: GraphNode[];
  /** Phases in execution order, then the `onFailure` frame if the plan has failure steps. */
  clusters: GraphCluster[];
  /** Nodes outside every frame: junctions between frames. */
  unframed: string[];
  edges: GraphEdge[];
}

const PHASE_ORDER: readonly Phase[] = ['prechecks', 'shutdown', 'sync', 'groups', 'finalize', 'cleanup', 'onFailure'];

interface Draft {
  node: GraphNode;
  first: ExecStep;
  members: ExecStep[];
  /** Stands for one operation on every VM of a crowded group. */
  collapsed: boolean;
}

/**
 * Builds the diagram model of an execution plan. Deterministic: the same plan gives the same
 * ids, order and text.
 *
 * The plan's `onFailure` steps get a frame of their own with no arrow from the main flow: they
 * run once after whichever step failed, so an arrow from any one node would tell the reader
 * something false, and one from the end would suggest they run after success.
 *
 * @example
 * const model = buildGraphModel(resolveExecution(plan, 'test', {}), { maxVmsPerGroup: 4 });
 * model.clusters.map((c) => c.title); // ['prechecks', 'database · Database tier', 'app', 'finalize', ...]
 */
export function buildGraphModel(exec: ExecutionPlan, options: GraphOptions = {}): GraphModel {
  const crowded = findCrowdedGroups(exec.steps, options.maxVmsPerGroup ?? DEFAULT_MAX_VMS_PER_GROUP);
  const allocate = createIdAllocator();
  const main = draftNodes(exec, exec.steps, crowded, allocate);
  const failure = draftNodes(exec, exec.onFailure, new Set(), allocate);

  const clusters = clusterMainFlow(exec, main.drafts, allocate);
  if (failure.drafts.length > 0) {
    clusters.push({
      id: allocate('cluster', 'on-failure'),
      title: describePhase('onFailure'),
      kind: 'onFailure',
      nodes: failure.drafts.map((d) => d.node.id),
      clusters: [],
    });
  }

  const nodes = [...main.drafts, ...failure.drafts].map((d) => d.node);
  let edges = [...main.edges, ...failure.edges];
  const unframed: string[] = [];
  if (options.reduceEdges ?? true) {
    const reduced = reduceTransitively(nodes.map((n) => n.id), edges);
    const routed = routeThroughJunctions(nodes.map((n) => n.id), reduced, () => allocate('n', 'join'));
    edges = routed.edges;
    placeJunctions(routed.junctions, edges, clusters, unframed);
    for (const id of routed.junctions) nodes.push({ id, kind: 'join', lines: [], skipped: false, steps: [], batch: null });
  }
  return { plan: flattenText(exec.plan.name), mode: exec.mode, nodes, clusters, unframed, edges };
}

/**
 * A junction whose arrows all stay inside one frame goes in that frame (two gates before a
 * group's VMs); one between frames (every VM of a group after every VM of the one before)
 * stands outside them, where the reader sees it as the hand-over from one box to the next.
 */
function placeJunctions(junctions: readonly string[], edges: readonly GraphEdge[], clusters: readonly GraphCluster[], unframed: string[]): void {
  const frameOf = new Map<string, GraphCluster>();
  const visit = (c: GraphCluster): void => {
    for (const id of c.nodes) frameOf.set(id, c);
    c.clusters.forEach(visit);
  };
  clusters.forEach(visit);
  const frames = new Map(junctions.map((j) => [j, new Set<GraphCluster | undefined>()]));
  for (const e of edges) {
    frames.get(e.from)?.add(frameOf.get(e.to));
    frames.get(e.to)?.add(frameOf.get(e.from));
  }
  for (const [j, around] of frames) {
    const [only] = around;
    if (around.size === 1 && only !== undefined) only.nodes.push(j);
    else unframed.push(j);
  }
}

/** Groups whose VM count (as the execution sees it) exceeds the limit. */
function findCrowdedGroups(steps: readonly ExecStep[], limit: number): Set<string> {
  const vms = new Map<string, Set<string>>();
  for (const s of steps) {
    if (s.group === null || s.vm === null) continue;
    let set = vms.get(s.group);
    if (!set) vms.set(s.group, (set = new Set()));
    set.add(s.vm);
  }
  return new Set([...vms].filter(([, set]) => set.size > limit).map(([group]) => group));
}

/** The node a step falls into: its own, or its group's node for the same operation on every VM. */
function batchKey(step: ExecStep, crowded: ReadonlySet<string>): string | null {
  if (step.group === null || step.vm === null || !crowded.has(step.group)) return null;
  const what = step.kind === 'vm' ? `op:${step.operation ?? ''}` : `step:${step.step?.id ?? step.id}`;
  return `${step.phase}\u0000${step.group}\u0000${what}`;
}

/** Nodes for one list of steps, and the arrows among them (arrows to steps outside the list are dropped). */
function draftNodes(exec: ExecutionPlan, steps: readonly ExecStep[], crowded: ReadonlySet<string>, allocate: IdAllocator) {
  const drafts: Draft[] = [];
  const batches = new Map<string, Draft>();
  const stepDraft: Draft[] = [];
  const byStepId = new Map<string, Draft>();
  for (const step of steps) {
    const key = batchKey(step, crowded);
    let draft = key === null ? undefined : batches.get(key);
    if (!draft) {
      const raw = key === null ? step.id : `${step.group}/${step.kind === 'vm' ? step.operation : (step.step?.id ?? step.id)}`;
      draft = { first: step, members: [], collapsed: key !== null, node: { id: allocate('n', raw), kind: step.kind, lines: [], skipped: false, steps: [], batch: null } };
      drafts.push(draft);
      if (key !== null) batches.set(key, draft);
    }
    draft.members.push(step);
    stepDraft.push(draft);
    // A duplicated id (only in a malformed plan) gets its own node; arrows go to the first.
    if (!byStepId.has(step.id)) byStepId.set(step.id, draft);
  }

  for (const draft of drafts) finishNode(exec, draft);

  const position = new Map(drafts.map((d, i) => [d, i]));
  const seen = new Set<string>();
  const pairs: [Draft, Draft][] = [];
  steps.forEach((step, i) => {
    const to = stepDraft[i]!;
    for (const dep of step.after) {
      const from = byStepId.get(dep);
      if (from === undefined || from === to) continue;
      const key = `${from.node.id}\u0000${to.node.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push([from, to]);
    }
  });
  pairs.sort(([a, b], [c, d]) => position.get(a)! - position.get(c)! || position.get(b)! - position.get(d)!);
  const edges = pairs.map(([from, to]): GraphEdge => ({ from: from.node.id, to: to.node.id, muted: from.node.skipped || to.node.skipped }));
  return { drafts, edges };
}

function finishNode(exec: ExecutionPlan, draft: Draft): void {
  const { node, first, members } = draft;
  const concurrency = first.pool === null ? undefined : exec.pools[first.pool];
  const batch: BatchInfo | null = draft.collapsed
    ? { vms: new Set(members.map((m) => m.vm)).size, concurrency: concurrency ?? null }
    : null;
  node.skipped = members.every((m) => m.skipped);
  node.steps = members.map((m) => m.id);
  node.batch = batch;
  node.lines = describeNode(first, exec.mode, node.skipped, batch);
}

/**
 * Frames for the main flow. Each group of the `groups` phase is a frame of its own at the top
 * level (nesting it in a "groups" frame would only add a border); other phases are frames, with
 * the group-bound steps they hold (planned shutdown, test cleanup) in a frame per group inside.
 */
function clusterMainFlow(exec: ExecutionPlan, drafts: readonly Draft[], allocate: IdAllocator): GraphCluster[] {
  const phases = [...new Set([...PHASE_ORDER, ...drafts.map((d) => d.first.phase)])];
  const clusters: GraphCluster[] = [];
  for (const phase of phases) {
    const inPhase = drafts.filter((d) => d.first.phase === phase);
    if (inPhase.length === 0) continue;
    const loose: string[] = [];
    const groups: GraphCluster[] = [];
    const byGroup = new Map<string, GraphCluster>();
    for (const d of inPhase) {
      const group = d.first.group;
      if (group === null) {
        loose.push(d.node.id);
        continue;
      }
      let frame = byGroup.get(group);
      if (!frame) {
        const title = describeGroup(group, exec.plan.groups.find((g) => g.id === group));
        const raw = phase === 'groups' ? `group/${group}` : `${phase}/${group}`;
        frame = { id: allocate('cluster', raw), title, kind: 'group', nodes: [], clusters: [] };
        byGroup.set(group, frame);
        groups.push(frame);
      }
      frame.nodes.push(d.node.id);
    }
    if (phase === 'groups') {
      if (loose.length > 0) clusters.push(phaseCluster(phase, loose, [], allocate));
      for (const group of groups) clusters.push(group);
    } else {
      clusters.push(phaseCluster(phase, loose, groups, allocate));
    }
  }
  return clusters;
}

function phaseCluster(phase: Phase, nodes: string[], clusters: GraphCluster[], allocate: IdAllocator): GraphCluster {
  return { id: allocate('cluster', phase), title: describePhase(phase), kind: 'phase', nodes, clusters };
}
