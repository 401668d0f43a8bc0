/** Summaries over seeds: the report gives the median and the full range, never a mean alone. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many finite values went in (NaN ones, e.g. a ramp never reached, are left out). */
  n: number;
}

export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function spread(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  return {
    median: median(v),
    min: v.length ? Math.min(...v) : NaN,
    max: v.length ? Math.max(...v) : NaN,
    n: v.length,
  };
}

export function mean(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** Seeds 0..K−1, the default set every experiment uses. */
export const seedList = (k: number): number[] => Array.from({ length: k }, (_, i) => i);
