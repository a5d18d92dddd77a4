import { describe, expect, it } from 'vitest';
import { createIdAllocator } from '../../../engine/report/graph-ids.js';

describe('createIdAllocator', () => {
  it('reduces step ids and VM names to letters, digits and underscores', () => {
    const allocate = createIdAllocator();
    expect(allocate('n', 'database/pg-1.example.com/failover')).toBe('n_database_pg_1_example_com_failover');
    expect(allocate('cluster', 'group/app')).toBe('cluster_group_app');
  });

  it('keeps ids unique when two raw ids share a slug, in the order asked', () => {
    const allocate = createIdAllocator();
    expect([allocate('n', 'a/b'), allocate('n', 'a.b'), allocate('n', 'a_b_2'), allocate('n', 'a-b')]).toEqual([
      'n_a_b',
      'n_a_b_2',
      'n_a_b_2_2',
      'n_a_b_3',
    ]);
  });

  it('gives punctuation-only and non-ASCII ids a body, and never yields a Mermaid keyword', () => {
    const allocate = createIdAllocator();
    expect(allocate('n', '///')).toBe('n_x');
    expect(allocate('n', 'ünïcode')).toBe('n_n_code');
    expect(allocate('n', 'end')).toBe('n_end');
  });
});
