/**
 * An independent float64 forward pass of every model family in plain JavaScript, written straight
 * from docs/SCIENCE.md §1 (unfolded: (1 − a)·x + a·(recurrence + input)), for finite-difference
 * gradients that float32 tfjs cannot give accurately. Shares no code with src/core/models.
 */
import type { ModelConfig, ParamArrays } from '../../src/core/models/types';

type P = Record<string, Float64Array>;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** out[i] = Σ_j A[i, j] v[j] for row-major A [rows, cols]. */
function matVec(A: Float64Array, rows: number, cols: number, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    for (let j = 0; j < cols; j++) acc += A[i * cols + j] * v[j];
    out[i] = acc;
  }
  return out;
}

/** Classical Gram–Schmidt on the columns of row-major L [N, R], in float64. */
export function gramSchmidt64(L: Float64Array, N: number, R: number): Float64Array {
  const Q = new Float64Array(N * R);
  for (let j = 0; j < R; j++) {
    const v = new Float64Array(N);
    for (let n = 0; n < N; n++) v[n] = L[n * R + j];
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let n = 0; n < N; n++) dot += Q[n * R + i] * L[n * R + j];
      for (let n = 0; n < N; n++) v[n] -= dot * Q[n * R + i];
    }
    const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    for (let n = 0; n < N; n++) Q[n * R + j] = v[n] / norm;
  }
  return Q;
}

export function toFloat64(arrays: ParamArrays): P {
  const out: P = {};
  for (const [k, v] of Object.entries(arrays)) out[k] = Float64Array.from(v.data);
  return out;
}

/**
 * y [B, T, O] of the model `c` with parameters `p`, inputs [B, T, U]; `ablation` ([B, T, K] mul/add)
 * applies to the NM-RNN's s.
 */
export function forward64(
  c: ModelConfig,
  p: P,
  inputs: Float64Array,
  B: number,
  T: number,
  ablation?: { mul: Float32Array; add: Float32Array },
): Float64Array {
  const { N, R, M, U, Ux, O } = c;
  const y = new Float64Array(B * T * O);
  for (let b = 0; b < B; b++) {
    const u = (t: number): Float64Array => inputs.subarray((b * T + t) * U, (b * T + t + 1) * U);
    const emit = (t: number, state: Float64Array): void => {
      const o = matVec(p.C, O, N, state);
      for (let k = 0; k < O; k++) y[(b * T + t) * O + k] = o[k] + (p.d ? p.d[k] : 0);
    };
    if (c.kind === 'nmrnn' || c.kind === 'lrrnn') {
      const Lt = c.orthonormalize ? gramSchmidt64(p.L, N, R) : p.L;
      const scale = c.recurrentScale === 'invN' ? 1 / N : 1;
      const uxDim = c.kind === 'nmrnn' ? Ux : U;
      let x = Float64Array.from(p.x0);
      let z = c.kind === 'nmrnn' ? Float64Array.from(p.z0) : new Float64Array(0);
      for (let t = 0; t < T; t++) {
        const ut = u(t);
        const phx = c.activation === 'linear' ? Float64Array.from(x) : x.map(Math.tanh);
        const s = new Float64Array(R).fill(1);
        if (c.kind === 'nmrnn') {
          const wz = matVec(p.Wz, M, M, z.map(Math.tanh));
          const bzu = matVec(p.Bz, M, U, ut);
          const fb = c.feedback ? matVec(p.Wzx, M, N, phx) : new Float64Array(M);
          z = z.map(
            (zm, m) =>
              (1 - 1 / c.tauZ) * zm +
              (1 / c.tauZ) * (wz[m] + bzu[m] + fb[m] + (c.feedback ? p.bzx[m] : 0)),
          );
          const a = matVec(p.Az, R, M, z);
          for (let k = 0; k < R; k++) {
            s[k] = sigmoid(a[k] + p.bz[k]);
            if (ablation)
              s[k] = s[k] * ablation.mul[(b * T + t) * R + k] + ablation.add[(b * T + t) * R + k];
          }
        }
        // w_k = s_k · v_kᵀ φ(x); recurrence = scale · Σ_k ℓ̃_k w_k.
        const w = new Float64Array(R);
        for (let k = 0; k < R; k++) {
          let acc = 0;
          for (let n = 0; n < N; n++) acc += p.V[n * R + k] * phx[n];
          w[k] = s[k] * acc;
        }
        const bx = matVec(p.Bx, N, uxDim, ut);
        x = x.map((xn, n) => {
          let rec = 0;
          for (let k = 0; k < R; k++) rec += Lt[n * R + k] * w[k];
          return (1 - 1 / c.tauX) * xn + (1 / c.tauX) * (scale * rec + bx[n]);
        });
        emit(t, x);
      }
    } else if (c.kind === 'rnn') {
      let x = Float64Array.from(p.x0);
      for (let t = 0; t < T; t++) {
        const wx = matVec(p.W, N, N, x.map(Math.tanh));
        const bx = matVec(p.Bx, N, U, u(t));
        x = x.map((xn, n) => (1 - 1 / c.tauX) * xn + (1 / c.tauX) * (wx[n] / N + bx[n]));
        emit(t, x);
      }
    } else {
      let h = Float64Array.from(p.h0);
      let cc = Float64Array.from(p.c0);
      for (let t = 0; t < T; t++) {
        const gate = (g: string): Float64Array => {
          const wi = matVec(p[`W${g}`], N, U, u(t));
          const uh = matVec(p[`U${g}`], N, N, h);
          return wi.map((v, n) => v + uh[n] + p[`b${g}`][n]);
        };
        const i = gate('i').map(sigmoid);
        const f = gate('f').map(sigmoid);
        const g = gate('g').map(Math.tanh);
        const o = gate('o').map(sigmoid);
        cc = cc.map((cn, n) => f[n] * cn + i[n] * g[n]);
        h = cc.map((cn, n) => o[n] * Math.tanh(cn));
        emit(t, h);
      }
    }
  }
  return y;
}
