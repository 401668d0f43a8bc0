/**
 * Many trials of one condition drawn as a single Plotly trace, with null gaps between trials: a
 * figure with hundreds of trials then costs tens of traces, not hundreds, and the legend has one
 * entry per condition.
 */
import type { TrialMeta } from '../../core/tasks/types';

export interface ConditionGroup {
  condition: number;
  trials: number[];
}

/** Trials grouped by condition, conditions ascending, trial order kept within a group. */
export function groupByCondition(
  meta: readonly TrialMeta[],
  trials: readonly number[],
): ConditionGroup[] {
  const groups = new Map<number, number[]>();
  for (const b of trials) {
    const c = meta[b].condition;
    const g = groups.get(c);
    if (g) g.push(b);
    else groups.set(c, [b]);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([condition, list]) => ({ condition, trials: list }));
}

export type Gapped = (number | null)[];

export interface Segment {
  x: number[];
  y: number[];
  z?: number[];
}

/** Concatenate per-trial segments, separated by nulls (Plotly breaks a line at a null). */
export function joinSegments(
  trials: readonly number[],
  segment: (b: number) => Segment,
): { x: Gapped; y: Gapped; z: Gapped } {
  const x: Gapped = [];
  const y: Gapped = [];
  const z: Gapped = [];
  trials.forEach((b, i) => {
    if (i > 0) {
      x.push(null);
      y.push(null);
      z.push(null);
    }
    const s = segment(b);
    x.push(...s.x);
    y.push(...s.y);
    if (s.z) z.push(...s.z);
  });
  return { x, y, z };
}
