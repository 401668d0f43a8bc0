/**
 * Experiment 4 (docs/SCIENCE.md §4): a rank-1 NM-RNN on MWG. Its trained s(t) over each ramp, steps
 * go+1 … go+I, is set beside the exact discrete-time theory (analysis/theory exactRampSignal): the
 * s_t under which a linear rank-1 network with these trained weights (ℓ = L̃, r = V, c, d, 1/τx,
 * the recurrent scale) and this trial's state at go produces the target ramp exactly, keeping the
 * decaying off-ℓ part x⊥. For the linear network that is the test; for the tanh network (the
 * control) it can only hold approximately. The reduced formula s = (1/(rᵀℓ))(1 + τx f′/(f − d_eff)),
 * with an offset d_eff fitted over the ramps, is kept for comparison (rmseReduced).
 */
import { evaluateModel, exactRampSignal, mwgRampTheory } from '../analysis';
import { mwgMetrics, mwgTarget } from '../tasks';
import type { Experiment } from '../experiment';
import type { Model, ScanImpl } from '../models/types';
import { mean } from './stats';

export interface Rank1Interval {
  interval: number;
  produced: number;
  /** Trained s over the ramp: steps go+1 … go+I. */
  trained: number[];
  /** Exact theory over the same steps, unclipped (±Infinity/NaN where singular). */
  theory: number[];
  /** RMS of trained − clip(theory, 0, 1) over the ramp's finite theory values. */
  rmse: number;
  /** The same against the reduced formula with the fitted offset d_eff. */
  rmseReduced: number;
  /** Fraction of ramp steps whose theory value lies outside (0, 1) (not reachable by a sigmoid). */
  outOfRange: number;
}

export interface Rank1Analysis {
  mseTrained: number;
  mseExtrapolated: number;
  /** Readout bias d of the trained network. */
  d: number;
  /** Effective offset: intercept of y ≈ c·w + d_eff over the ramps (used for the theory). */
  dEff: number;
  /** Fraction of the output's variance over the ramps that c·w + d_eff explains. */
  fitR2: number;
  rDotL: number;
  tauX: number;
  /** φ of the trained network: the theory is exact for 'linear'. */
  activation: 'tanh' | 'linear';
  intervals: Rank1Interval[];
  /** Mean over intervals of the per-interval RMSE against the exact theory. */
  rmse: number;
  /** Mean over intervals of the RMSE against the reduced formula. */
  rmseReduced: number;
  /** Fraction of all ramp steps whose exact theory lies outside (0, 1). */
  outOfRange: number;
  /** Correlation over intervals between mean trained s and mean (clipped) theory s on the ramp. */
  trendCorrelation: number;
  /** Correlation between I and the mean trained s over its ramp (theory: negative). */
  intervalCorrelation: number;
  /** Smallest and largest mean trained s over a ramp, across intervals (how much s modulates). */
  meanSRange: [number, number];
}

const clip01 = (v: number) => Math.min(1, Math.max(0, v));

function correlation(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** ℓ̃ = L/‖L‖ (the rank-1 case of the sign-normalised QR) and rᵀℓ̃ = Vᵀℓ̃. */
export function rank1Geometry(
  L: Float32Array,
  V: Float32Array,
): { rDotL: number; ell: Float64Array } {
  let norm = 0;
  let dot = 0;
  for (let i = 0; i < L.length; i++) {
    norm += L[i] * L[i];
    dot += L[i] * V[i];
  }
  const n = Math.sqrt(norm);
  return { rDotL: dot / n, ell: Float64Array.from(L, (v) => v / n) };
}

/** V of a symmetric rank-1 network: L̃, i.e. L normalised when the model orthonormalises L. */
export function rightFactorOfSymmetric(L: Float32Array, orthonormalize: boolean): Float32Array {
  if (!orthonormalize) return L;
  const n = Math.hypot(...L);
  return Float32Array.from(L, (v) => v / n);
}

/** Least squares y ≈ c·w + d: returns d and R². */
export function linearFit(
  w: readonly number[],
  y: readonly number[],
): { d: number; c: number; r2: number } {
  const n = w.length;
  const mw = mean(w);
  const my = mean(y);
  let sww = 0;
  let swy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sww += (w[i] - mw) ** 2;
    swy += (w[i] - mw) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  const c = sww > 0 ? swy / sww : 0;
  return { c, d: my - c * mw, r2: syy > 0 && sww > 0 ? (swy * swy) / (sww * syy) : NaN };
}

/** The rank-1 comparison for a trained model (its own function so a shipped preset can be checked). */
export async function analyzeRank1(
  model: Model,
  experiment: Experiment,
  impl?: ScanImpl,
): Promise<Rank1Analysis> {
  const set = experiment.evalSets.find((s) => s.name === 'extrapolate');
  if (!set) throw new Error('MWG experiment has no extrapolation set');
  const ev = await evaluateModel(model, set.batch, { impl });
  const metrics = mwgMetrics(set.batch, ev.outputs.data);
  const s = ev.states.s;
  if (!s) throw new Error('the NM-RNN recorded no s(t)');
  const params = await model.toArrays();
  const cfg = experiment.modelConfig;
  // The symmetric network has no V: its right factor is L̃ (L normalised, for rank 1).
  const V = cfg.symmetric
    ? rightFactorOfSymmetric(params.L.data, cfg.orthonormalize)
    : params.V.data;
  const { rDotL, ell } = rank1Geometry(params.L.data, V);
  const d = params.d.data[0];
  const tauX = experiment.modelConfig.tauX;
  const T = set.batch.T;
  const x = ev.states.x;
  if (!x) throw new Error('the NM-RNN recorded no x(t)');
  const N = x.dims[2];
  const ws: number[] = [];
  const ys: number[] = [];
  set.batch.meta.forEach((meta, b) => {
    for (let t = meta.cues.go; t < Math.min(T, meta.cues.go + meta.values.interval); t++) {
      let w = 0;
      for (let i = 0; i < N; i++) w += ell[i] * x.data[(b * T + t) * N + i];
      ws.push(w);
      ys.push(ev.outputs.data[b * T + t]);
    }
  });
  const fit = linearFit(ws, ys);
  const dEff = fit.d;
  const net = {
    ell,
    r: V,
    c: params.C.data.subarray(0, N),
    d,
    a: 1 / tauX,
    scale: cfg.recurrentScale === 'invN' ? 1 / cfg.N : 1,
  };
  const K = s.dims[2];
  const rmseAgainst = (trained: number[], theory: ArrayLike<number>): number => {
    let sq = 0;
    let n = 0;
    trained.forEach((v, k) => {
      if (Number.isFinite(theory[k]) && Number.isFinite(v)) {
        sq += (v - clip01(theory[k])) ** 2;
        n++;
      }
    });
    return n > 0 ? Math.sqrt(sq / n) : NaN;
  };
  const perInterval: Rank1Interval[] = set.batch.meta.map((meta, b) => {
    const I = meta.values.interval;
    const go = meta.cues.go;
    const steps = Math.max(0, Math.min(I, T - 1 - go));
    const xGo = x.data.subarray((b * T + go) * N, (b * T + go + 1) * N);
    const theory = Array.from(exactRampSignal(net, xGo, (k) => mwgTarget(go + k, go, I), steps));
    const trained = theory.map((_, k) => s.data[(b * T + go + 1 + k) * K]);
    // The reduced curve is indexed from go (k = 0 … I−1); step go + 1 + k is its sample k + 1.
    const reduced = mwgRampTheory(I, { tauX, d: dEff, rDotL }).s;
    const reducedAligned = theory.map((_, k) => (k + 1 < reduced.length ? reduced[k + 1] : NaN));
    return {
      interval: I,
      produced: metrics.produced[b],
      trained,
      theory,
      rmse: rmseAgainst(trained, theory),
      rmseReduced: rmseAgainst(trained, reducedAligned),
      outOfRange: theory.length
        ? theory.filter((th) => !(th > 0 && th < 1)).length / theory.length
        : 0,
    };
  });
  const meanTrained = perInterval.map((p) => mean(p.trained));
  const meanTheory = perInterval.map((p) => mean(p.theory.filter(Number.isFinite).map(clip01)));
  return {
    mseTrained: metrics.mseByGroup.trained,
    mseExtrapolated: metrics.mseByGroup.extrapolated,
    d,
    dEff,
    fitR2: fit.r2,
    rDotL,
    tauX,
    activation: cfg.activation ?? 'tanh',
    intervals: perInterval,
    rmse: mean(perInterval.map((p) => p.rmse)),
    rmseReduced: mean(perInterval.map((p) => p.rmseReduced)),
    outOfRange: mean(perInterval.map((p) => p.outOfRange)),
    trendCorrelation: correlation(meanTrained, meanTheory),
    intervalCorrelation: correlation(
      perInterval.map((p) => p.interval),
      meanTrained,
    ),
    meanSRange: [Math.min(...meanTrained), Math.max(...meanTrained)],
  };
}
