// The runbooks `npm run bench:peers` measures (issue 7): 10 steps; 200 steps in 5 groups;
// 1,000 steps in 10 groups with a DAG. Durations are real `sleep`s, drawn from a seeded stream.
// They are long enough that the ideal schedule is seconds (so a program's fixed start-up does
// not decide its ratio alone) and short enough that the largest case stays well under an hour
// for Ansible, whose cost per step is far above the others'.

/** @type {import('./runbook.js').RunbookOptions[]} */
export const CASES = [
  { name: 'small', steps: 10, groups: 2, concurrency: 3, minMs: 50, maxMs: 500, seed: 7 },
  { name: 'medium', steps: 200, groups: 5, concurrency: 8, minMs: 50, maxMs: 500, seed: 11 },
  { name: 'large', steps: 1000, groups: 10, concurrency: 10, minMs: 50, maxMs: 500, seed: 13, layers: [1, 3, 3, 2, 1] },
];
