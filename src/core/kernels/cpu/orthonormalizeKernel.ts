/**
 * Modified Gram–Schmidt of L's columns (L̃ = Q with R₀'s diagonal positive) and its reverse mode,
 * on the host backends, in float64: one kernel each way instead of the ≈ 100 small tfjs ops the
 * op-by-op version (models/orthonormalize.ts) costs for R = 3 with its gradient.
 *
 * Forward, column k: v ← L_k; for each earlier j: c_kj = q_j·v, v ← v − c_kj q_j; q_k = v/‖v‖.
 * Reverse, k from last to first (only later columns use q_k, so its gradient is complete by then):
 * gv = (g_k − q_k (q_k·g_k))/‖v‖; for j from k−1 down: a = gv·q_j, g_j −= c_kj gv + a v_k^(j),
 * gv −= a q_j; then dL_k = gv.
 */
import type * as tf from '@tensorflow/tfjs';
import { withHostMemory } from './hostIO';

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface Trace {
  q: Float64Array[];
  norms: number[];
  /** v_k^(j): the residual of column k before projecting out q_j (j < k). */
  vs: Float64Array[][];
  coef: number[][];
}

function gramSchmidt(L: Float32Array, N: number, R: number): Trace {
  const q: Float64Array[] = [];
  const norms: number[] = [];
  const vs: Float64Array[][] = [];
  const coef: number[][] = [];
  for (let k = 0; k < R; k++) {
    let v = new Float64Array(N);
    for (let n = 0; n < N; n++) v[n] = L[n * R + k];
    vs.push([]);
    coef.push([]);
    for (let j = 0; j < k; j++) {
      vs[k].push(Float64Array.from(v));
      let c = 0;
      for (let n = 0; n < N; n++) c += q[j][n] * v[n];
      coef[k].push(c);
      const next = new Float64Array(N);
      for (let n = 0; n < N; n++) next[n] = v[n] - c * q[j][n];
      v = next;
    }
    let sq = 0;
    for (let n = 0; n < N; n++) sq += v[n] * v[n];
    const norm = Math.sqrt(sq);
    norms.push(norm);
    q.push(v.map((x) => x / norm));
  }
  return { q, norms, vs, coef };
}

function input(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`${name} missing`);
  return t as tf.TensorInfo;
}

/** L̃ (N×R, row-major) of L (N×R, row-major) into `out`. */
export function orthonormalizeColumnsHost(
  L: Float32Array,
  N: number,
  R: number,
  out: Float32Array,
): void {
  const { q } = gramSchmidt(L, N, R);
  for (let k = 0; k < R; k++) for (let n = 0; n < N; n++) out[n * R + k] = q[k][n];
}

/** dL/dL (N×R) of dL/dL̃ `dQ` at L, into `out` (the reverse mode described at the top). */
export function orthonormalizeColumnsGradHost(
  L: Float32Array,
  dQ: Float32Array,
  N: number,
  R: number,
  out: Float32Array,
): void {
  const t = gramSchmidt(L, N, R);
  const gq = Array.from({ length: R }, (_, k) => {
    const col = new Float64Array(N);
    for (let n = 0; n < N; n++) col[n] = dQ[n * R + k];
    return col;
  });
  for (let k = R - 1; k >= 0; k--) {
    const qk = t.q[k];
    let dot = 0;
    for (let n = 0; n < N; n++) dot += qk[n] * gq[k][n];
    const gv = new Float64Array(N);
    for (let n = 0; n < N; n++) gv[n] = (gq[k][n] - qk[n] * dot) / t.norms[k];
    for (let j = k - 1; j >= 0; j--) {
      const qj = t.q[j];
      let a = 0;
      for (let n = 0; n < N; n++) a += gv[n] * qj[n];
      const c = t.coef[k][j];
      const v = t.vs[k][j];
      for (let n = 0; n < N; n++) {
        gq[j][n] -= c * gv[n] + a * v[n];
        gv[n] -= a * qj[n];
      }
    }
    for (let n = 0; n < N; n++) out[n * R + k] = gv[n];
  }
}

export function orthonormalizeKernel(args: KernelArgs): tf.TensorInfo {
  const L = input(args, 'L');
  const [N, R] = L.shape;
  const [out] = withHostMemory(args.backend, [[N, R]], (mem, [Q]) => {
    orthonormalizeColumnsHost(mem.f32(L), N, R, mem.f32(Q));
  });
  return out;
}

export function orthonormalizeGradKernel(args: KernelArgs): tf.TensorInfo {
  const L = input(args, 'L');
  const dy = input(args, 'dy');
  const [N, R] = L.shape;
  const [out] = withHostMemory(args.backend, [[N, R]], (mem, [gL]) => {
    orthonormalizeColumnsGradHost(mem.f32(L), mem.f32(dy), N, R, mem.f32(gL));
  });
  return out;
}
