// Types of cases.js, for the TypeScript tests (test/unit/bench/peers-*.test.ts).
import type { RunbookOptions } from './runbook.js';

export const CASES: RunbookOptions[];
