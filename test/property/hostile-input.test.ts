/**
 * Property (issue 11, item 4): no input makes `drplan validate` fail inside drplan. Random
 * bytes, soups of YAML's punctuation, one token repeated up to 150,000 times (the shapes that
 * used to overflow the stack) and real plans with garbage spliced in all end in exit 0 or 1,
 * with at most 1,000 diagnostics printed and never an internal error (which `cli` throws, and
 * the binary turns into exit 70).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../engine/cli/cli.js';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../engine/model/diagnostic-cap.js';
import { captureIo } from '../helpers/pipeline.js';

const scratch = mkdtempSync(join(tmpdir(), 'drplan-garbage-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PLAN = readFileSync(fileURLToPath(new URL('../../plans/payments-eu.yaml', import.meta.url)));

/** Pieces of YAML that trip its parser: brackets, indicators, tags, anchors, tabs, quotes, markers. */
const TOKENS = [
  '[', ']', '{', '}', ',', ':', ': ', '- ', '? ', '\n', '\r\n', ' ', '  ', '\t', '#', '"', "'", '|', '>', '&a ', '*a', '*b', '&b ',
  '!t ', '!!str ', '!!binary ', '---\n', '...\n', '%YAML 1.1\n', '%TAG ! x\n', 'a: 1\n', 'a', '<<: ', '__proto__: ', 'constructor: ',
  '\u0000', '\uFEFF', '\\', 'é', '💥', 'apiVersion: drplan/v1\n', 'kind: RecoveryPlan\n', 'spec:\n', '  groups:\n', '    - id: x\n',
];
const token = fc.constantFrom(...TOKENS);

async function validateBytes(bytes: Uint8Array): Promise<void> {
  const file = join(scratch, 'garbage.yaml');
  writeFileSync(file, bytes);
  const io = captureIo(scratch);
  // An internal fault throws out of cli(); user input must never get there.
  const code = await cli(['validate', 'garbage.yaml'], io);
  expect([0, 1]).toContain(code);
  const printed = io.stdoutText.match(/^\S+:\d+:\d+ (?:error|warning) /gm) ?? [];
  expect(printed.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS_PER_FILE);
  expect(io.stdoutText).toMatch(/1 plan checked: (ok|invalid) \(/);
}

const text = (s: string) => new TextEncoder().encode(s);

describe('validate never fails inside drplan', () => {
  it('on random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4_096 }), validateBytes), { numRuns: 150 });
  }, 300_000);

  it('on soups of YAML punctuation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 600 }), (tokens) => validateBytes(text(tokens.join('')))),
      { numRuns: 300 },
    );
  }, 300_000);

  it('on one piece repeated up to 150,000 times, inside a little more garbage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), token, fc.integer({ min: 1, max: 150_000 }), fc.array(token, { maxLength: 8 }), (before, piece, times, after) =>
        validateBytes(text(before.join('') + piece.repeat(times) + after.join(''))),
      ),
      { numRuns: 25 },
    );
  }, 600_000);

  it('on a real plan with garbage spliced in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: PLAN.length }), fc.array(token, { minLength: 1, maxLength: 20 })), { minLength: 1, maxLength: 5 }), (cuts) => {
        let plan = PLAN.toString('utf8');
        for (const [at, pieces] of cuts) plan = plan.slice(0, at) + pieces.join('') + plan.slice(at);
        return validateBytes(text(plan));
      }),
      { numRuns: 200 },
    );
  }, 300_000);
});
