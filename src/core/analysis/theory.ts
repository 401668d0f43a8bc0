/**
 * The rank-1 theory of docs/SCIENCE.md §4, for teaching plots.
 *
 * Setting: one rank-1 component, linear (φ(x) = x), L = ℓ unit-norm, recurrence ℓ s rᵀ x, no input
 * after the go cue. The latent w = ℓᵀx then obeys
 *     w_t = [1 − (1 − s·rᵀℓ)/τx] w_{t−1},
 * which with symmetric, orthonormal factors (rᵀℓ = 1) is a leak of rate (1 − s)/τx: the effective
 * time constant is τx/(1 − s). If the output is a linear readout y = c·w + d, then y − d ∝ w and
 * producing y(t) = f(t) needs f′ = (s·rᵀℓ − 1)(f − d)/τx, i.e.
 *     s(t) = (1/(rᵀℓ)) · (1 + τx·f′(t)/(f(t) − d)).
 * The readout gain c cancels; only the offset d matters. Where f(t) = d the formula is singular
 * (returned as ±Infinity / NaN), and values outside (0, 1) are not reachable by a sigmoid: they say
 * that this ramp cannot be produced by this mechanism alone. Values are returned unclipped.
 */

/** τx/(1 − s): s → 1 is a perfect memory (Infinity), s = 0 forgets at τx. */
export function effectiveTimeConstant(s: number, tauX: number): number {
  return s >= 1 ? Infinity : tauX / (1 - s);
}

/** s(t) for a target f(t) with derivative f′(t), sampled at the same times. */
export function theorySignal(
  f: ArrayLike<number>,
  fPrime: ArrayLike<number>,
  d: number,
  rDotL: number,
  tauX: number,
): Float64Array {
  if (f.length !== fPrime.length) throw new Error(`f has ${f.length} samples, f′ ${fPrime.length}`);
  const out = new Float64Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = (1 + (tauX * fPrime[i]) / (f[i] - d)) / rDotL;
  return out;
}

export interface RampTheoryOptions {
  tauX: number;
  /** Readout offset; must lie outside the ramp's range [−0.5, 0.5] to be non-singular. */
  d: number;
  /** rᵀℓ (1 for the symmetric orthonormal case). */
  rDotL?: number;
  /** Samples per step (default 1: one value per time step). */
  resolution?: number;
}

/**
 * The theory curve over the MWG ramp for interval I: f(t) = −0.5 + t/I, f′ = 1/I on t ∈ [0, I)
 * steps after go (docs/SCIENCE.md §2.1). Shorter intervals (steeper f′) need larger s when d < −0.5.
 */
export function mwgRampTheory(
  interval: number,
  opts: RampTheoryOptions,
): { time: number[]; s: Float64Array } {
  if (!(interval > 0)) throw new Error(`interval must be > 0, got ${interval}`);
  const perStep = opts.resolution ?? 1;
  const n = Math.max(1, Math.ceil(interval * perStep));
  const time = Array.from({ length: n }, (_, i) => i / perStep);
  const f = time.map((t) => -0.5 + t / interval);
  const fPrime = time.map(() => 1 / interval);
  return { time, s: theorySignal(f, fPrime, opts.d, opts.rDotL ?? 1, opts.tauX) };
}
