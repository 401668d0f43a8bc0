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

/** Quantile q ∈ [0, 1] of the finite values by linear interpolation (NaN if none). */
export function quantile(values: readonly number[], q: number): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export interface Summary {
  median: number;
  q1: number;
  q3: number;
  n: number;
  values: number[];
}

/** Median, quartiles and every value (NaN values kept in `values`, left out of the rest). */
export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    n: values.filter(Number.isFinite).length,
    values: [...values],
  };
}

export interface MannWhitney {
  /** U of the first sample: pairs (a, b) with a < b, ties counting ½. */
  u: number;
  /** One-sided p-value for "a tends to be smaller than b". */
  pLess: number;
  /** Two-sided p-value. */
  pTwoSided: number;
  exact: boolean;
}

/** Normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** U of `a` against `b`: pairs with a < b, ties ½. */
function uStatistic(a: readonly number[], b: readonly number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x < y ? 1 : x === y ? 0.5 : 0;
  return u;
}

/**
 * Mann–Whitney U test of `a` against `b` (finite values only). Exact (every split of the pooled
 * values enumerated) when the pooled sample has ≤ 20 values, else the normal approximation with a
 * tie correction. NaN p-values when either sample is empty.
 */
export function mannWhitney(aIn: readonly number[], bIn: readonly number[]): MannWhitney {
  const a = aIn.filter(Number.isFinite);
  const b = bIn.filter(Number.isFinite);
  const u = uStatistic(a, b);
  if (a.length === 0 || b.length === 0) return { u, pLess: NaN, pTwoSided: NaN, exact: false };
  const pooled = [...a, ...b];
  const n1 = a.length;
  const n = pooled.length;
  const mid = (n1 * b.length) / 2;
  if (n <= 20) {
    let atLeast = 0;
    let extreme = 0;
    let total = 0;
    const pick: number[] = [];
    const walk = (start: number): void => {
      if (pick.length === n1) {
        const chosen = new Set(pick);
        const ua = uStatistic(
          pick.map((i) => pooled[i]),
          pooled.filter((_, i) => !chosen.has(i)),
        );
        total++;
        if (ua >= u - 1e-9) atLeast++;
        if (Math.abs(ua - mid) >= Math.abs(u - mid) - 1e-9) extreme++;
        return;
      }
      for (let i = start; i <= n - (n1 - pick.length); i++) {
        pick.push(i);
        walk(i + 1);
        pick.pop();
      }
    };
    walk(0);
    return { u, pLess: atLeast / total, pTwoSided: extreme / total, exact: true };
  }
  const counts = new Map<number, number>();
  for (const v of pooled) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const c of counts.values()) ties += c ** 3 - c;
  const n2 = b.length;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  const z = (u - mid) / sigma;
  return {
    u,
    pLess: 1 - normalCdf(z),
    pTwoSided: 2 * (1 - normalCdf(Math.abs(z))),
    exact: false,
  };
}

/** Mean of consecutive blocks of `block` values (the last block may be shorter). */
export function blockMeans(values: readonly number[], block: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += block) {
    const part = values.slice(i, i + block);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}
