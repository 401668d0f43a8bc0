/**
 * The LSTM recurrence (docs/SCIENCE.md §1.4) and its BPTT. The caller precomputes the input part of
 * every gate's pre-activation, drive = W_in u + b, as [B, T, 4N] in gate order i, f, g, o; the
 * kernel adds Wh h_{t−1} (Wh is 4N×N, rows in the same order):
 *
 *   i, f, o = σ(·), g = tanh(·);  c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
 *
 * Outputs h, c and the post-activation gates [B, T, 4N] (the model's `gates` trajectory).
 */
import type { LstmScanAttrs } from '../attrs';
import { lstmLayout } from '../layout';
import { fastTanh, sigmoid } from './fastTanh';
import type { LstmTrajectories } from '../trajectories';

export type { LstmTrajectories };

export function lstmForward(
  a: LstmScanAttrs,
  inp: { drive: Float32Array; params: Float32Array },
  out: LstmTrajectories,
): void {
  const { B, T, N } = a;
  const G = 4 * N;
  const lay = lstmLayout(N);
  const P = inp.params;
  const D = inp.drive;
  const h = new Float64Array(N);
  const c = new Float64Array(N);
  const pre = new Float64Array(G);
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      h[n] = P[lay.h0 + n];
      c[n] = P[lay.c0 + n];
    }
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      const og = bt * G;
      for (let j = 0; j < G; j++) {
        let acc = D[og + j];
        const row = lay.Wh + j * N;
        for (let n = 0; n < N; n++) acc += P[row + n] * h[n];
        pre[j] = acc;
      }
      const on = bt * N;
      for (let n = 0; n < N; n++) {
        const i = sigmoid(pre[n]);
        const f = sigmoid(pre[N + n]);
        const g = fastTanh(pre[2 * N + n]);
        const o = sigmoid(pre[3 * N + n]);
        const cn = f * c[n] + i * g;
        const hn = o * fastTanh(cn);
        c[n] = cn;
        h[n] = hn;
        out.c[on + n] = cn;
        out.h[on + n] = hn;
        out.gates[og + n] = i;
        out.gates[og + N + n] = f;
        out.gates[og + 2 * N + n] = g;
        out.gates[og + 3 * N + n] = o;
      }
    }
  }
}

export function lstmBackward(
  a: LstmScanAttrs,
  inp: { params: Float32Array; traj: LstmTrajectories; grad: LstmTrajectories },
  out: { drive: Float32Array; params: Float32Array },
): void {
  const { B, T, N } = a;
  const G = 4 * N;
  const lay = lstmLayout(N);
  const P = inp.params;
  const { h: H, c: C, gates: Q } = inp.traj;
  const { h: dH, c: dC, gates: dQ } = inp.grad;
  const g = new Float64Array(lay.size);
  const ghc = new Float64Array(N);
  const gcc = new Float64Array(N);
  const dp = new Float64Array(G);
  const hprev = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    ghc.fill(0);
    gcc.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const bt = b * T + t;
      const on = bt * N;
      const og = bt * G;
      for (let n = 0; n < N; n++) {
        const i = Q[og + n];
        const f = Q[og + N + n];
        const gg = Q[og + 2 * N + n];
        const o = Q[og + 3 * N + n];
        const cprev = t > 0 ? C[on - N + n] : P[lay.c0 + n];
        hprev[n] = t > 0 ? H[on - N + n] : P[lay.h0 + n];
        const tc = fastTanh(C[on + n]);
        const gH = dH[on + n] + ghc[n];
        const gC = dC[on + n] + gcc[n] + gH * o * (1 - tc * tc);
        const dI = gC * gg + dQ[og + n];
        const dF = gC * cprev + dQ[og + N + n];
        const dG = gC * i + dQ[og + 2 * N + n];
        const dO = gH * tc + dQ[og + 3 * N + n];
        gcc[n] = gC * f;
        dp[n] = dI * i * (1 - i);
        dp[N + n] = dF * f * (1 - f);
        dp[2 * N + n] = dG * (1 - gg * gg);
        dp[3 * N + n] = dO * o * (1 - o);
      }
      ghc.fill(0);
      for (let j = 0; j < G; j++) {
        const d = dp[j];
        out.drive[og + j] = d;
        const row = lay.Wh + j * N;
        for (let n = 0; n < N; n++) {
          g[row + n] += d * hprev[n];
          ghc[n] += P[row + n] * d;
        }
      }
    }
    for (let n = 0; n < N; n++) {
      g[lay.h0 + n] += ghc[n];
      g[lay.c0 + n] += gcc[n];
    }
  }
  for (let i = 0; i < lay.size; i++) out.params[i] = g[i];
}
