/**
 * Small plans as text for unit tests: `planText` wraps a `spec` body (written at any
 * indentation, dedented) in the apiVersion/kind/metadata header, so a test shows only what it
 * is about. Line numbers in assertions count from the header (see `HEADER_LINES`).
 */

/** Removes the common leading indentation and the first/last blank lines of a template literal. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

/** Lines before the spec body: apiVersion, kind, metadata, name, spec. */
export const HEADER_LINES = 5;

/** A plan named `fixture` whose spec is the `parts`, each dedented on its own, then indented under `spec:`. */
export function planText(...parts: string[]): string {
  const spec = parts
    .map(dedent)
    .join('')
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
  return `apiVersion: drplan/v1\nkind: RecoveryPlan\nmetadata:\n  name: fixture\nspec:\n${spec}`;
}

/** The common start of a spec: one simulator instance `site` playing both sites. */
export const SITE = `
adapters:
  site: { type: simulator }
sites: { source: site, target: site }
`;

/** 1-based line and column of the `occurrence`-th `needle` in `text` (for asserting positions). */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; col: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) not in the text`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}
