// Derives engine/model/plan-document.generated.ts from schemas/plan.schema.json, so the plan's
// TypeScript shape is never maintained by hand. `test/unit/model/generated-files.test.ts` fails when stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

export async function generatePlanTypes() {
  const schema = JSON.parse(readFileSync(new URL('../schemas/plan.schema.json', import.meta.url), 'utf8'));
  return compile(schema, 'PlanDocument', {
    bannerComment: '/* Generated from schemas/plan.schema.json by scripts/gen-types.js. Do not edit: run `npm run gen`. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: false,
    style: { singleQuote: true, printWidth: 110 },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../engine/model/plan-document.generated.ts', import.meta.url), await generatePlanTypes());
}
