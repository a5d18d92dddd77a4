/**
 * Transitive reduction of a diagram's edges: an edge u→v is dropped when v is reachable from u
 * through another of u's successors. A reader sees the same order with far fewer lines (a post
 * step that waits for every VM's `failover` and `start` only needs the arrows from the `start`s).
 */

/** Above this many bitset words (nodes × words per node, or edges × words) the reduction is skipped. */
const MAX_WORK = 20_000_000;

/**
 * Drops the edges implied by others. The result keeps the input's order. The input is returned
 * unchanged when the graph has a cycle (the reduction of a cyclic graph is not unique and naive
 * removal can disconnect it; the resolver never produces one, but a diagram must not lie about
 * a malformed plan either) or when it is so large that the reduction would not stay cheap.
 *
 * @example
 * reduceTransitively(['a', 'b', 'c'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'c' }]);
 * // [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }]
 */
export function reduceTransitively<E extends { from: string; to: string }>(nodes: readonly string[], edges: readonly E[]): E[] {
  const index = new Map(nodes.map((id, i) => [id, i]));
  const n = nodes.length;
  const words = Math.ceil(n / 32);
  if (n * words > MAX_WORK || edges.length * words > MAX_WORK) return [...edges];

  const successors: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    const u = index.get(e.from);
    const v = index.get(e.to);
    if (u === undefined || v === undefined || u === v) return [...edges];
    successors[u]!.push(v);
  }
  const order = topologicalOrder(successors);
  if (order === null) return [...edges];

  // reach[u]: every node reachable from u by a path of one edge or more.
  const reach = Array.from({ length: n }, () => new Uint32Array(words));
  for (let k = order.length - 1; k >= 0; k--) {
    const u = order[k]!;
    const mine = reach[u]!;
    for (const v of successors[u]!) {
      const theirs = reach[v]!;
      for (let w = 0; w < words; w++) mine[w]! |= theirs[w]!;
      mine[v >>> 5]! |= 1 << (v & 31);
    }
  }

  const implied = (u: number, v: number): boolean =>
    successors[u]!.some((w) => w !== v && (reach[w]![v >>> 5]! & (1 << (v & 31))) !== 0);
  return edges.filter((e) => !implied(index.get(e.from)!, index.get(e.to)!));
}

/** Kahn's algorithm; null when there is a cycle. */
function topologicalOrder(successors: number[][]): number[] | null {
  const indegree = new Array<number>(successors.length).fill(0);
  for (const list of successors) for (const v of list) indegree[v]!++;
  const queue: number[] = [];
  indegree.forEach((d, i) => d === 0 && queue.push(i));
  for (let head = 0; head < queue.length; head++) {
    for (const v of successors[queue[head]!]!) if (--indegree[v]! === 0) queue.push(v);
  }
  return queue.length === successors.length ? queue : null;
}
