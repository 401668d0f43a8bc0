import { describe, expect, it } from 'vitest';
import { limitConditions } from '../../src/ui/plots/evalData';
import type { TrialMeta } from '../../src/core/tasks/types';

const meta = (conditions: number[]): TrialMeta[] =>
  conditions.map((c) => ({ label: `q=${c}`, condition: c, cues: {}, values: {} }));

describe('limitConditions', () => {
  it('keeps every trial when there are few conditions', () => {
    const m = meta([4, 6, 4, 8]);
    expect(limitConditions(m, [0, 1, 2, 3], 12)).toEqual([0, 1, 2, 3]);
  });
  it('thins 25 query positions to 12 evenly spread ones, first and last kept', () => {
    const m = meta(Array.from({ length: 50 }, (_, i) => i % 25));
    const kept = limitConditions(
      m,
      m.map((_, b) => b),
      12,
    );
    const conds = [...new Set(kept.map((b) => m[b].condition))].sort((a, b) => a - b);
    expect(conds).toHaveLength(12);
    expect(conds[0]).toBe(0);
    expect(conds.at(-1)).toBe(24);
    // Both trials of each kept condition stay.
    expect(kept).toHaveLength(24);
  });
});
