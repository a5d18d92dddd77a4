import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Files derived from schemas/plan.schema.json are committed (the build and the docs use them);
// these tests fail when the schema changed and a generator was not re-run.

const root = new URL('../../../', import.meta.url);

/** Imports a plain-JS generator script (no type declarations: it is loaded by URL). */
async function script<T>(path: string): Promise<T> {
  return (await import(new URL(path, root).href)) as T;
}

function committed(path: string): string {
  return readFileSync(new URL(path, root), 'utf8');
}

/** Fails with the command to run and the first line that differs, never a 5,000-line diff. */
function expectFresh(path: string, generated: string, command: string): void {
  const current = committed(path);
  if (current === generated) return;
  const a = current.split('\n');
  const b = generated.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  expect.fail(
    `${path} is stale: run \`${command}\` and commit the result.\n` +
      `first difference at line ${line + 1}:\n  committed: ${a[line] ?? '(end of file)'}\n  generated: ${b[line] ?? '(end of file)'}`,
  );
}

describe('generated files are fresh', () => {
  it('engine/model/plan-document.generated.ts matches scripts/gen-types.js', async () => {
    const { generatePlanTypes } = await script<{ generatePlanTypes(): Promise<string> }>('scripts/gen-types.js');
    expectFresh('engine/model/plan-document.generated.ts', await generatePlanTypes(), 'npm run gen');
  });

  it('docs/plan-reference.md matches scripts/gen-plan-reference.js', async () => {
    const { generatePlanReference } = await script<{ generatePlanReference(): string }>('scripts/gen-plan-reference.js');
    expectFresh('docs/plan-reference.md', generatePlanReference(), 'npm run gen');
  });

  it('engine/validate/schema-plan.generated.ts matches scripts/gen-schema-validator.js', async () => {
    const { generateSchemaValidator } = await script<{ generateSchemaValidator(): string }>('scripts/gen-schema-validator.js');
    expectFresh('engine/validate/schema-plan.generated.ts', generateSchemaValidator(), 'node scripts/gen-schema-validator.js');
  });
});

describe('plan reference', () => {
  it('is deterministic and covers every definition with working cross-links', async () => {
    const { generatePlanReference } = await script<{ generatePlanReference(): string }>('scripts/gen-plan-reference.js');
    const text = generatePlanReference();
    expect(generatePlanReference()).toBe(text);

    const schema = JSON.parse(committed('schemas/plan.schema.json')) as { $defs: Record<string, unknown> };
    const headings = new Set([...text.matchAll(/^## (\S+)$/gm)].map((m) => m[1]!.toLowerCase()));
    for (const name of Object.keys(schema.$defs).filter((n) => n !== 'steps')) expect(headings, `section for ${name}`).toContain(name.toLowerCase());
    for (const [, target] of text.matchAll(/\]\(#([^)]+)\)/g)) expect(headings, `link to #${target}`).toContain(target);
  });

  it('renders fields with their type, requiredness, default and examples', async () => {
    const { generatePlanReference } = await script<{ generatePlanReference(): string }>('scripts/gen-plan-reference.js');
    const text = generatePlanReference();
    expect(text).toContain('| `onFailure` | `abort` or `continue` or `pause` |  | `abort` |');
    expect(text).toContain('| `attempts` | integer (1–100) | yes |');
    expect(text).toContain('| `retry` | [retry](#retry) |');
    expect(text).toContain('```yaml\nrto: 30m\nrpo: 5m\n```');
  });

  it('renders a schema it was not written for without failing', async () => {
    const { generatePlanReference } = await script<{ generatePlanReference(schema: object): string }>('scripts/gen-plan-reference.js');
    const text = generatePlanReference({
      description: 'A test schema.',
      type: 'object',
      properties: { a: { $ref: '#/$defs/thing' }, b: { oneOf: [{ type: 'string' }, { type: 'array', items: true }] } },
      $defs: { thing: { description: 'A | piped thing.', type: 'object', properties: { x: { type: 'integer', examples: [1] } } } },
    });
    expect(text).toContain('## thing');
    expect(text).toContain('A \\| piped thing.'); // pipes in table cells are escaped
    expect(text).toContain('| `b` | string, or list of any value |');
  });
});
