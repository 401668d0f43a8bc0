/**
 * The vanilla RNN recurrence (docs/SCIENCE.md §1.4) and its BPTT:
 *
 *   x_t = (1 − a) x_{t−1} + a (scale · W φ(x_{t−1}) + driveX_t),   a = 1/τ, scale = 1/N
 *
 * with driveX = B u precomputed by the caller. W is N×N row-major.
 */
import type { RnnScanAttrs } from '../attrs';
import { rnnLayout } from '../layout';
import { fastTanh } from './fastTanh';

export function rnnForward(
  a: RnnScanAttrs,
  inp: { driveX: Float32Array; params: Float32Array },
  outX: Float32Array,
): void {
  const { B, T, N } = a;
  const lay = rnnLayout(N);
  const P = inp.params;
  const D = inp.driveX;
  const ax = 1 / a.tau;
  const cx = 1 - ax;
  const rs = ax * a.scale;
  const x = new Float64Array(N);
  const phx = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) x[n] = P[lay.x0 + n];
    for (let t = 0; t < T; t++) {
      const ox = (b * T + t) * N;
      for (let n = 0; n < N; n++) phx[n] = fastTanh(x[n]);
      for (let i = 0; i < N; i++) {
        let acc = 0;
        const row = lay.W + i * N;
        for (let j = 0; j < N; j++) acc += P[row + j] * phx[j];
        const xi = cx * x[i] + rs * acc + ax * D[ox + i];
        x[i] = xi;
        outX[ox + i] = xi;
      }
    }
  }
}

export function rnnBackward(
  a: RnnScanAttrs,
  inp: { params: Float32Array; x: Float32Array; dx: Float32Array },
  out: { driveX: Float32Array; params: Float32Array },
): void {
  const { B, T, N } = a;
  const lay = rnnLayout(N);
  const P = inp.params;
  const X = inp.x;
  const dX = inp.dx;
  const ax = 1 / a.tau;
  const cx = 1 - ax;
  const rs = ax * a.scale;
  const g = new Float64Array(lay.size);
  const phx = new Float64Array(N);
  const gx = new Float64Array(N);
  const gxc = new Float64Array(N);
  const dph = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    gxc.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const ox = (b * T + t) * N;
      if (t > 0) for (let n = 0; n < N; n++) phx[n] = fastTanh(X[ox - N + n]);
      else for (let n = 0; n < N; n++) phx[n] = fastTanh(P[lay.x0 + n]);
      for (let n = 0; n < N; n++) {
        const gn = dX[ox + n] + gxc[n];
        gx[n] = gn;
        out.driveX[ox + n] = ax * gn;
      }
      dph.fill(0);
      for (let i = 0; i < N; i++) {
        const r = rs * gx[i];
        const row = lay.W + i * N;
        for (let j = 0; j < N; j++) {
          g[row + j] += r * phx[j];
          dph[j] += P[row + j] * r;
        }
      }
      for (let n = 0; n < N; n++) gxc[n] = cx * gx[n] + dph[n] * (1 - phx[n] * phx[n]);
    }
    for (let n = 0; n < N; n++) g[lay.x0 + n] += gxc[n];
  }
  for (let i = 0; i < lay.size; i++) out.params[i] = g[i];
}
