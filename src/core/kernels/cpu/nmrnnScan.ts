/**
 * The NM-RNN recurrence (docs/SCIENCE.md §1.1–1.3) and its exact BPTT, as plain loops over
 * Float32Arrays. With M = 0 it is the low-rank RNN (s ≡ 1, §1.4).
 *
 *   z_t = (1 − az) z_{t−1} + az (W_z φ(z_{t−1}) + [W_zx φ(x_{t−1})] + driveZ_t)
 *   s_t = σ(A_z z_t + b_z) · mul_t + add_t                 (ablation, identity when mul=1, add=0)
 *   x_t = (1 − ax) x_{t−1} + ax (scale · L̃ (s_t ⊙ Vᵀ φ(x_{t−1})) + driveX_t)
 *
 * driveX = B_x u and driveZ = B_z u (+ b_zx) are precomputed for all t by the caller, which is
 * what keeps the kernel's inputs few and its work purely sequential. The low-rank product costs
 * 2NR per step; the N×N matrix is never formed. State is carried in float64 between steps and
 * stored as float32.
 */
import type { NmrnnScanAttrs } from '../attrs';
import { nmrnnLayout } from '../layout';
import { fastTanh, sigmoid } from './fastTanh';
import type { NmrnnTrajectories } from '../trajectories';

export type { NmrnnTrajectories };

export interface NmrnnForwardInputs {
  /** [B, T, N] */
  driveX: Float32Array;
  /** [B, T, M] */
  driveZ: Float32Array;
  /** Packed as nmrnnLayout. */
  params: Float32Array;
  /** [B, T, R] ablation factors (see ComponentAblation). */
  mul: Float32Array;
  add: Float32Array;
}

export function nmrnnForward(
  a: NmrnnScanAttrs,
  inp: NmrnnForwardInputs,
  out: NmrnnTrajectories,
): void {
  const { B, T, N, R, M, feedback } = a;
  const lay = nmrnnLayout(a);
  const P = inp.params;
  const { driveX, driveZ, mul, add } = inp;
  const linear = a.linear === true;
  const ax = 1 / a.tauX;
  const cx = 1 - ax;
  const rs = ax * a.scale;
  const az = M > 0 ? 1 / a.tauZ : 0;
  const cz = 1 - az;
  const x = new Float64Array(N);
  const phx = new Float64Array(N);
  const z = new Float64Array(M);
  const phz = new Float64Array(M);
  const w = new Float64Array(R);
  const { Lt, V, Wz, Az, bz, Wzx } = lay;

  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) x[n] = P[lay.x0 + n];
    for (let m = 0; m < M; m++) z[m] = P[lay.z0 + m];
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      for (let n = 0; n < N; n++) phx[n] = linear ? x[n] : fastTanh(x[n]);

      if (M > 0) {
        for (let m = 0; m < M; m++) phz[m] = fastTanh(z[m]);
        const oz = bt * M;
        for (let m = 0; m < M; m++) {
          let acc = driveZ[oz + m];
          const row = Wz + m * M;
          for (let j = 0; j < M; j++) acc += P[row + j] * phz[j];
          if (feedback) {
            const rowx = Wzx + m * N;
            for (let n = 0; n < N; n++) acc += P[rowx + n] * phx[n];
          }
          const zm = cz * z[m] + az * acc;
          z[m] = zm;
          out.z[oz + m] = zm;
        }
        const os = bt * R;
        for (let k = 0; k < R; k++) {
          let pre = P[bz + k];
          const row = Az + k * M;
          for (let m = 0; m < M; m++) pre += P[row + m] * z[m];
          const s = sigmoid(pre) * mul[bt * R + k] + add[bt * R + k];
          out.s[os + k] = s;
          w[k] = s;
        }
      } else {
        for (let k = 0; k < R; k++) w[k] = 1;
      }

      // w ← s ⊙ Vᵀ φ(x_{t−1}), then x ← cx x + rs L̃ w + ax driveX.
      for (let r = 0; r < R; r++) {
        let q = 0;
        for (let n = 0, i = V + r; n < N; n++, i += R) q += P[i] * phx[n];
        w[r] *= q;
      }
      const ox = bt * N;
      for (let n = 0; n < N; n++) {
        let acc = 0;
        const row = Lt + n * R;
        for (let r = 0; r < R; r++) acc += P[row + r] * w[r];
        const xn = cx * x[n] + rs * acc + ax * driveX[ox + n];
        x[n] = xn;
        out.x[ox + n] = xn;
      }
    }
  }
}

export interface NmrnnBackwardInputs {
  params: Float32Array;
  mul: Float32Array;
  add: Float32Array;
  /** The forward trajectories. */
  traj: NmrnnTrajectories;
  /** dLoss/d(trajectories), same shapes. */
  grad: NmrnnTrajectories;
}

export interface NmrnnGradients {
  /** [B, T, N] */
  driveX: Float32Array;
  /** [B, T, M] */
  driveZ: Float32Array;
  /** Packed as nmrnnLayout (x0, z0 included although they are usually fixed). */
  params: Float32Array;
}

/** Backpropagation through time of nmrnnForward; writes every output array in full. */
export function nmrnnBackward(
  a: NmrnnScanAttrs,
  inp: NmrnnBackwardInputs,
  out: NmrnnGradients,
): void {
  const { B, T, N, R, M, feedback } = a;
  const lay = nmrnnLayout(a);
  const P = inp.params;
  const { mul } = inp;
  const linear = a.linear === true;
  const phi = linear ? (v: number) => v : fastTanh;
  const X = inp.traj.x;
  const Z = inp.traj.z;
  const S = inp.traj.s;
  const dX = inp.grad.x;
  const dZ = inp.grad.z;
  const dS = inp.grad.s;
  const ax = 1 / a.tauX;
  const cx = 1 - ax;
  const rs = ax * a.scale;
  const az = M > 0 ? 1 / a.tauZ : 0;
  const cz = 1 - az;
  const { Lt, V, Wz, Az, bz, Wzx } = lay;

  const g = new Float64Array(lay.size);
  const phx = new Float64Array(N);
  const phz = new Float64Array(M);
  const gx = new Float64Array(N);
  const gxc = new Float64Array(N);
  const dpx = new Float64Array(N);
  const gz = new Float64Array(M);
  const gzc = new Float64Array(M);
  const rz = new Float64Array(M);
  const q = new Float64Array(R);
  const s = new Float64Array(R);
  const dq = new Float64Array(R);
  const dpre = new Float64Array(R);

  for (let b = 0; b < B; b++) {
    gxc.fill(0);
    gzc.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const bt = b * T + t;
      const ox = bt * N;
      // φ of the previous states, which step t read.
      if (t > 0) for (let n = 0; n < N; n++) phx[n] = phi(X[ox - N + n]);
      else for (let n = 0; n < N; n++) phx[n] = phi(P[lay.x0 + n]);
      for (let r = 0; r < R; r++) {
        let acc = 0;
        for (let n = 0, i = V + r; n < N; n++, i += R) acc += P[i] * phx[n];
        q[r] = acc;
      }
      if (M > 0) for (let k = 0; k < R; k++) s[k] = S[bt * R + k];
      else s.fill(1);

      // x_t = cx x_{t−1} + rs L̃ (s ⊙ q) + ax driveX_t
      for (let n = 0; n < N; n++) {
        const gn = dX[ox + n] + gxc[n];
        gx[n] = gn;
        out.driveX[ox + n] = ax * gn;
      }
      // dw = rs L̃ᵀ gx; dL̃ += rs gx wᵀ
      for (let r = 0; r < R; r++) dq[r] = 0;
      for (let n = 0; n < N; n++) {
        const rn = rs * gx[n];
        const row = Lt + n * R;
        for (let r = 0; r < R; r++) {
          dq[r] += P[row + r] * rn;
          g[row + r] += rn * s[r] * q[r];
        }
      }
      // dq holds dw; ds = dw ⊙ q, dq = dw ⊙ s.
      if (M > 0) {
        for (let k = 0; k < R; k++) {
          const ds = dS[bt * R + k] + dq[k] * q[k];
          let pre = P[bz + k];
          const row = Az + k * M;
          for (let m = 0; m < M; m++) pre += P[row + m] * Z[bt * M + m];
          const sr = sigmoid(pre);
          dpre[k] = ds * mul[bt * R + k] * sr * (1 - sr);
        }
      }
      for (let r = 0; r < R; r++) dq[r] *= s[r];
      for (let n = 0; n < N; n++) {
        const row = V + n * R;
        let acc = 0;
        const pn = phx[n];
        for (let r = 0; r < R; r++) {
          g[row + r] += pn * dq[r];
          acc += P[row + r] * dq[r];
        }
        dpx[n] = acc;
      }

      if (M > 0) {
        const oz = bt * M;
        // s_t = σ(A_z z_t + b_z)·mul + add
        for (let m = 0; m < M; m++) gz[m] = dZ[oz + m] + gzc[m];
        for (let k = 0; k < R; k++) {
          const d = dpre[k];
          g[bz + k] += d;
          const row = Az + k * M;
          for (let m = 0; m < M; m++) {
            g[row + m] += d * Z[oz + m];
            gz[m] += P[row + m] * d;
          }
        }
        // z_t = cz z_{t−1} + az (W_z φ(z_{t−1}) + W_zx φ(x_{t−1}) + driveZ_t)
        if (t > 0) for (let m = 0; m < M; m++) phz[m] = fastTanh(Z[oz - M + m]);
        else for (let m = 0; m < M; m++) phz[m] = fastTanh(P[lay.z0 + m]);
        for (let m = 0; m < M; m++) {
          const r = az * gz[m];
          rz[m] = r;
          out.driveZ[oz + m] = r;
        }
        for (let j = 0; j < M; j++) gzc[j] = 0;
        for (let m = 0; m < M; m++) {
          const r = rz[m];
          const row = Wz + m * M;
          for (let j = 0; j < M; j++) {
            g[row + j] += r * phz[j];
            gzc[j] += P[row + j] * r;
          }
        }
        for (let j = 0; j < M; j++) gzc[j] = cz * gz[j] + gzc[j] * (1 - phz[j] * phz[j]);
        if (feedback) {
          for (let m = 0; m < M; m++) {
            const r = rz[m];
            const row = Wzx + m * N;
            for (let n = 0; n < N; n++) {
              g[row + n] += r * phx[n];
              dpx[n] += P[row + n] * r;
            }
          }
        }
      }
      for (let n = 0; n < N; n++) gxc[n] = cx * gx[n] + dpx[n] * (linear ? 1 : 1 - phx[n] * phx[n]);
    }
    for (let n = 0; n < N; n++) g[lay.x0 + n] += gxc[n];
    for (let m = 0; m < M; m++) g[lay.z0 + m] += gzc[m];
  }
  for (let i = 0; i < lay.size; i++) out.params[i] = g[i];
}
