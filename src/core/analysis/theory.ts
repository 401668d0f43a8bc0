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

/**
 * A linear rank-1 output network, the setting of the exact theory (docs/SCIENCE.md §4):
 * x_t = (1 − a) x_{t−1} + a (scale · ℓ s_t rᵀx_{t−1} + input_t), y_t = cᵀx_t + d.
 */
export interface Rank1Network {
  /** ℓ = L̃, unit norm. */
  ell: ArrayLike<number>;
  /** r = V. */
  r: ArrayLike<number>;
  /** The readout row c (one output). */
  c: ArrayLike<number>;
  d: number;
  /** 1/τx. */
  a: number;
  /** The recurrent scale (1, or 1/N). */
  scale: number;
}

const dot = (u: ArrayLike<number>, v: ArrayLike<number>): number => {
  let acc = 0;
  for (let i = 0; i < u.length; i++) acc += u[i] * v[i];
  return acc;
};

/**
 * The s_t that makes the linear network's output follow `target` exactly for k = 1 … steps after
 * the go cue, given its state at go (no input after go). Keeps the decaying off-ℓ part x⊥:
 * with w = ℓᵀx and x⊥ = x − wℓ, x⊥_t = (1 − a)^(t−go) x⊥_go and
 *   w_t = (1 − a) w_{t−1} + a·scale·s_t (rᵀℓ w_{t−1} + rᵀx⊥_{t−1}),
 * so w_t = (f_t − d − cᵀx⊥_t)/(cᵀℓ) and s_t = [w_t − (1 − a) w_{t−1}] / [a·scale (rᵀℓ w_{t−1} +
 * rᵀx⊥_{t−1})]. Unclipped: values outside (0, 1) are not reachable by a sigmoid; a zero
 * denominator gives ±Infinity or NaN.
 */
export function exactRampSignal(
  net: Rank1Network,
  xGo: ArrayLike<number>,
  target: (k: number) => number,
  steps: number,
): Float64Array {
  const wGo = dot(net.ell, xGo);
  // rᵀx⊥ and cᵀx⊥ at go; x⊥ only decays, so these two numbers carry it.
  const rPerp = dot(net.r, xGo) - wGo * dot(net.r, net.ell);
  const cPerp = dot(net.c, xGo) - wGo * dot(net.c, net.ell);
  const rl = dot(net.r, net.ell);
  const cl = dot(net.c, net.ell);
  const keep = 1 - net.a;
  const out = new Float64Array(steps);
  let wPrev = wGo;
  let decayPrev = 1;
  for (let k = 1; k <= steps; k++) {
    const decay = decayPrev * keep;
    const w = (target(k) - net.d - cPerp * decay) / cl;
    out[k - 1] = (w - keep * wPrev) / (net.a * net.scale * (rl * wPrev + rPerp * decayPrev));
    wPrev = w;
    decayPrev = decay;
  }
  return out;
}
