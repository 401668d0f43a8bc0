/**
 * Reading an EvalView's arrays: one channel of one trial as a plain series, which trials and
 * conditions to draw. (The family and the behaviour arrive with the view, from the worker.)
 */
import type { TrialMeta } from '../../core/tasks/types';

/** values[b, t0..t1, c] of a [B, T, C] array as plain numbers (t1 exclusive, clipped to T). */
export function channelSeries(
  values: Float32Array,
  T: number,
  C: number,
  b: number,
  c: number,
  t0 = 0,
  t1 = T,
): number[] {
  const out: number[] = [];
  for (let t = Math.max(0, t0); t < Math.min(T, t1); t++) out.push(values[(b * T + t) * C + c]);
  return out;
}

/** Trial indices to draw: all of them up to `max`, else an even spread that keeps first and last. */
export function pickTrials(B: number, max: number): number[] {
  if (B <= max) return Array.from({ length: B }, (_, b) => b);
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(Math.round((i * (B - 1)) / (max - 1)));
  return [...new Set(out)];
}

/** Distinct condition values in ascending order. */
export function conditionsOf(meta: readonly TrialMeta[]): number[] {
  return [...new Set(meta.map((m) => m.condition))].sort((a, b) => a - b);
}

/**
 * Keep only trials of at most `max` conditions, evenly spread over the sorted conditions (first and
 * last kept). Plotly's cost grows with the number of traces, one per condition and component, so
 * the Element Finder's 25 query positions × 8 components made every redraw take over a second.
 */
export function limitConditions(
  meta: readonly TrialMeta[],
  trials: readonly number[],
  max: number,
): number[] {
  const all = conditionsOf(trials.map((b) => meta[b]));
  if (all.length <= max) return [...trials];
  const keep = new Set(pickTrials(all.length, max).map((i) => all[i]));
  return trials.filter((b) => keep.has(meta[b].condition));
}
