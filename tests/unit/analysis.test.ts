import { describe, expect, it } from 'vitest';
import { fitPca, projectPca } from '../../src/core/analysis/pca';
import { orthonormalColumns, projectOnto } from '../../src/core/analysis/subspace';
import { alignToCue, cueTimesOf, MWG_GO_WINDOW } from '../../src/core/analysis/align';
import {
  effectiveTimeConstant,
  exactRampSignal,
  mwgRampTheory,
  theorySignal,
} from '../../src/core/analysis/theory';
import { Rng } from '../../src/core/random';
import type { TrialMeta } from '../../src/core/tasks/types';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('orthonormalColumns / projectOnto', () => {
  it('gives an orthonormal basis of the column span and drops dependent columns', () => {
    // 4×3, third column = first + 2·second.
    const A = [1, 0, 1, 1, 1, 3, 0, 1, 2, 2, -1, 0];
    const basis = orthonormalColumns(A, 4, 3);
    expect(basis).toHaveLength(2);
    expect(dot(basis[0], basis[0])).toBeCloseTo(1, 12);
    expect(dot(basis[1], basis[1])).toBeCloseTo(1, 12);
    expect(dot(basis[0], basis[1])).toBeCloseTo(0, 12);
    // First basis vector is the first column normalised (order and sign kept).
    const n0 = Math.sqrt(1 + 1 + 0 + 4);
    expect(Array.from(basis[0])).toEqual(
      [1 / n0, 1 / n0, 0, 2 / n0].map((x) => expect.closeTo(x, 12)),
    );
    // The dependent third column lies in the span: projecting and reconstructing recovers it.
    const col3 = [1, 3, 2, 0];
    const coords = projectOnto(col3, 4, basis);
    const recon = [0, 1, 2, 3].map((i) => coords[0] * basis[0][i] + coords[1] * basis[1][i]);
    recon.forEach((x, i) => expect(x).toBeCloseTo(col3[i], 5));
  });
});

describe('fitPca', () => {
  it('recovers a known 3-D subspace with known variances', () => {
    const N = 6;
    const rng = new Rng(3);
    const q = orthonormalColumns(rng.normals(N * 3), N, 3);
    const sigma = [3, 2, 1];
    const mean = [1, -2, 0.5, 0, 3, -1];
    // All 8 sign patterns of (±3, ±2, ±1): zero mean and exactly uncorrelated coordinates, so the
    // sample covariance is exactly Σ σ_k² q_k q_kᵀ.
    const rows: number[] = [];
    const coords: number[][] = [];
    for (let p = 0; p < 8; p++) {
      const c = sigma.map((s, k) => ((p >> k) & 1 ? s : -s));
      coords.push(c);
      for (let i = 0; i < N; i++)
        rows.push(mean[i] + c[0] * q[0][i] + c[1] * q[1][i] + c[2] * q[2][i]);
    }
    const fit = fitPca(new Float32Array(rows), N, { components: 3 });
    expect(fit.samples).toBe(8);
    expect(fit.explainedVarianceRatio.slice(0, 3)).toEqual(
      [9 / 14, 4 / 14, 1 / 14].map((x) => expect.closeTo(x, 5)),
    );
    expect(fit.cumulative[2]).toBeCloseTo(1, 5);
    expect(fit.explainedVarianceRatio[3]).toBeCloseTo(0, 6);
    Array.from(fit.mean).forEach((m, i) => expect(m).toBeCloseTo(mean[i], 5));
    for (let k = 0; k < 3; k++) expect(Math.abs(dot(fit.components[k], q[k]))).toBeCloseTo(1, 5);
    // Scores are the known coordinates up to each component's sign.
    const scores = projectPca(fit, new Float32Array(rows));
    const signs = [0, 1, 2].map((k) => Math.sign(dot(fit.components[k], q[k])));
    for (let p = 0; p < 8; p++) {
      for (let k = 0; k < 3; k++) expect(scores[p * 3 + k]).toBeCloseTo(signs[k] * coords[p][k], 4);
    }
    // Other data are projected in the same (fitted) basis; NaN padding rows are skipped by the fit.
    const padded = new Float32Array([...rows, ...new Array(N).fill(NaN)]);
    expect(fitPca(padded, N).samples).toBe(8);
    expect(Number.isNaN(projectPca(fit, padded)[8 * 3])).toBe(true);
  });
});

describe('alignToCue', () => {
  it('cuts per-trial windows around the cue with NaN outside the trial', () => {
    // B=2, T=5, K=2; value = 10·t + k + 100·b.
    const B = 2;
    const T = 5;
    const K = 2;
    const data = new Float32Array(B * T * K);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        for (let k = 0; k < K; k++) data[(b * T + t) * K + k] = 100 * b + 10 * t + k;
    const meta: TrialMeta[] = [
      { label: 'a', condition: 0, cues: { go: 1 }, values: {} },
      { label: 'b', condition: 1, cues: { go: 4 }, values: {} },
    ];
    const w = alignToCue(data, [B, T, K], cueTimesOf(meta, 'go'), { from: -2, to: 2 });
    expect(w.time).toEqual([-2, -1, 0, 1]);
    expect(w.dims).toEqual([2, 4, 2]);
    const trial = (b: number, k: number): number[] =>
      [0, 1, 2, 3].map((i) => w.data[(b * 4 + i) * K + k]);
    expect(trial(0, 0)).toEqual([NaN, 0, 10, 20]);
    expect(trial(0, 1)).toEqual([NaN, 1, 11, 21]);
    expect(trial(1, 0)).toEqual([120, 130, 140, NaN]);
    expect(() => cueTimesOf(meta, 'set')).toThrow('trial 0 (a) has no "set" cue');
    expect(MWG_GO_WINDOW.to - MWG_GO_WINDOW.from).toBe(61);
  });
});

describe('rank-1 theory', () => {
  it('effective time constant τx/(1−s)', () => {
    expect(effectiveTimeConstant(0, 10)).toBe(10);
    expect(effectiveTimeConstant(0.9, 10)).toBeCloseTo(100, 10);
    expect(effectiveTimeConstant(1, 10)).toBe(Infinity);
  });

  it('s(t) holds an exponential exactly and shorter MWG intervals need larger s', () => {
    // f(t) = d + e^{−t/τ}: f′/(f − d) = −1/τ, so s = 1 − τx/τ for rᵀℓ = 1 at every t.
    const tau = 40;
    const t = [0, 1, 2, 3];
    const s = theorySignal(
      t.map((x) => 0.3 + Math.exp(-x / tau)),
      t.map((x) => -Math.exp(-x / tau) / tau),
      0.3,
      1,
      10,
    );
    s.forEach((v) => expect(v).toBeCloseTo(0.75, 12));
    expect(theorySignal([1], [0], 0, 2, 10)[0]).toBe(0.5);

    const short = mwgRampTheory(8, { tauX: 10, d: -1.5 });
    const long = mwgRampTheory(24, { tauX: 10, d: -1.5 });
    expect(short.time).toHaveLength(8);
    // At go: f − d = 1, s = 1 + τx/I.
    expect(short.s[0]).toBeCloseTo(1 + 10 / 8, 12);
    expect(long.s[0]).toBeCloseTo(1 + 10 / 24, 12);
    expect(short.s[0]).toBeGreaterThan(long.s[0]);
  });
});

describe('exact rank-1 theory (linear network, x⊥ kept)', () => {
  it('gives the s(t) under which the network produces the target exactly', () => {
    const rng = new Rng(4);
    const N = 7;
    const raw = rng.normals(N);
    const norm = Math.hypot(...raw);
    const net = {
      ell: Array.from(raw, (v) => v / norm),
      r: Array.from(rng.normals(N), (v) => v + 0.8 * (raw[0] / norm)),
      c: Array.from(rng.normals(N)),
      d: 0.1,
      a: 1 / 10,
      scale: 1,
    };
    const xGo = Array.from(rng.normals(N));
    const I = 12;
    const target = (k: number) => -0.5 + Math.min(1, k / I);
    const s = exactRampSignal(net, xGo, target, I + 3);
    // Run the linear network with that s: x_t = (1 − a)x + a·ℓ s_t (rᵀx), y = cᵀx + d.
    let x = xGo.slice();
    for (let k = 1; k <= I + 3; k++) {
      const rx = x.reduce((acc, v, i) => acc + net.r[i] * v, 0);
      x = x.map((v, i) => (1 - net.a) * v + net.a * net.scale * net.ell[i] * s[k - 1] * rx);
      const y = x.reduce((acc, v, i) => acc + net.c[i] * v, 0) + net.d;
      expect(y).toBeCloseTo(target(k), 9);
    }
  });
});
