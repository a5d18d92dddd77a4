/**
 * docs/graphs.md shows a plan and the diagram `drplan graph` draws for it. This keeps the two
 * true to each other: the plan goes through load, validate and resolve, and the rendering must
 * equal the diagram in the document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import { resolveParams } from '../../../engine/compile/resolve-params.js';
import type { ModeName } from '../../../engine/model/plan.js';
import { renderMermaid } from '../../../engine/report/graph-mermaid.js';
import { validPlan } from '../../helpers/pipeline.js';

const DOC = join(import.meta.dirname, '../../../docs/graphs.md');

/** The body of the first fenced block of `lang` after `marker`. */
function blockAfter(text: string, marker: RegExp, lang: string): { body: string; match: RegExpExecArray } {
  const match = marker.exec(text);
  if (!match) throw new Error(`docs/graphs.md has no ${marker}`);
  const fence = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'y');
  fence.lastIndex = text.indexOf(`\`\`\`${lang}\n`, match.index);
  const body = fence.exec(text)?.[1];
  if (body === undefined) throw new Error(`no \`\`\`${lang} block after ${marker}`);
  return { body, match };
}

describe('docs/graphs.md', () => {
  it('shows the diagram drplan graph draws for its example plan', () => {
    const text = readFileSync(DOC, 'utf8');
    const plan = validPlan(blockAfter(text, /<!-- graph-example:plan/, 'yaml').body, 'orders.yaml');
    const diagram = blockAfter(text, /<!-- graph-example:diagram mode=(\w+) -->/, 'mermaid');
    const mode = diagram.match[1] as ModeName;
    const rendered = renderMermaid(resolveExecution(plan, mode, resolveParams(plan, {}).params));
    expect(diagram.body, 'the example in docs/graphs.md is out of date: paste the rendering below into it').toBe(rendered);
  });
});
