/**
 * Many-to-many arrows routed through a junction. When every VM of one group waits for every VM
 * of the group before it, a diagram of 8 + 8 VMs carries 64 crossing arrows; through one small
 * junction it carries 16, and the reader sees "all of these, then all of those" at a glance.
 */

export interface JunctionEdge {
  from: string;
  to: string;
  muted: boolean;
}

/**
 * Finds the targets that share one exact set of two or more predecessors and routes those
 * arrows through a junction, when that saves arrows (|sources| × |targets| > |sources| +
 * |targets|). Reachability between the original nodes is unchanged. Deterministic: junctions
 * are named by `newId` in the order of their first target in `order`, and the returned edges
 * are sorted by (source, target) position, a junction sitting just before its first target.
 *
 * @example
 * routeThroughJunctions(['a', 'b', 'x', 'y', 'z'], edgesFromAllOf(['a', 'b'], ['x', 'y', 'z']), () => 'j');
 * // { junctions: ['j'], edges: a→j, b→j, j→x, j→y, j→z }
 */
export function routeThroughJunctions<E extends JunctionEdge>(
  order: readonly string[],
  edges: readonly E[],
  newId: () => string,
): { edges: JunctionEdge[]; junctions: string[] } {
  const position = new Map(order.map((id, i) => [id, i]));
  const preds = new Map<string, E[]>();
  for (const e of edges) {
    const list = preds.get(e.to);
    if (list) list.push(e);
    else preds.set(e.to, [e]);
  }

  // Targets keyed by their exact predecessor set, in the order the targets come.
  const bySources = new Map<string, string[]>();
  for (const id of order) {
    const incoming = preds.get(id);
    if (!incoming || incoming.length < 2) continue;
    const key = incoming.map((e) => e.from).sort((a, b) => position.get(a)! - position.get(b)!).join('\u0000');
    const list = bySources.get(key);
    if (list) list.push(id);
    else bySources.set(key, [id]);
  }

  const routed = new Set<E>();
  const added: JunctionEdge[] = [];
  const junctions: string[] = [];
  for (const [key, targets] of bySources) {
    const sources = key.split('\u0000');
    if (targets.length < 2 || sources.length * targets.length <= sources.length + targets.length) continue;
    const junction = newId();
    junctions.push(junction);
    position.set(junction, position.get(targets[0]!)! - 0.5);
    const replaced = targets.flatMap((t) => preds.get(t)!);
    for (const e of replaced) routed.add(e);
    // An arrow stays faint only if every arrow it stands for was.
    for (const s of sources) added.push({ from: s, to: junction, muted: replaced.filter((e) => e.from === s).every((e) => e.muted) });
    for (const t of targets) added.push({ from: junction, to: t, muted: preds.get(t)!.every((e) => e.muted) });
  }

  const kept: JunctionEdge[] = [...edges.filter((e) => !routed.has(e)), ...added];
  kept.sort((a, b) => position.get(a.from)! - position.get(b.from)! || position.get(a.to)! - position.get(b.to)!);
  return { edges: kept, junctions };
}
