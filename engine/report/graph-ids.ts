/**
 * Identifiers for diagram nodes and clusters. Step ids contain `/` and VM names contain dots,
 * neither of which Mermaid accepts in a bare id, so every id is reduced to ASCII letters,
 * digits and underscores. The same ids serve Mermaid and DOT, so both diagrams of a plan name
 * their nodes alike.
 */

/** Hands out unique, diagram-safe ids; the same sequence of requests always yields the same ids. */
export type IdAllocator = (prefix: string, raw: string) => string;

/**
 * Creates an allocator. Each id is `<prefix>_<slug>`: the prefix keeps ids away from Mermaid's
 * keywords (`end`, `subgraph`, `style`, ...) and from a leading `o`/`x`, which Mermaid would read
 * as a circle or cross arrow head. Two raw ids with the same slug (`a/b` and `a.b`) get `_2`,
 * `_3` suffixes in the order they are asked for, which is deterministic for a given plan.
 *
 * @example
 * const allocate = createIdAllocator();
 * allocate('n', 'database/pg-1.example/failover'); // 'n_database_pg_1_example_failover'
 * allocate('n', 'database/pg-1/example/failover'); // 'n_database_pg_1_example_failover_2'
 */
export function createIdAllocator(): IdAllocator {
  const used = new Set<string>();
  return (prefix, raw) => {
    const base = `${prefix}_${slugify(raw)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  };
}

function slugify(raw: string): string {
  const slug = raw.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  // An id made only of punctuation or non-ASCII letters still needs a body.
  return slug === '' ? 'x' : slug;
}
