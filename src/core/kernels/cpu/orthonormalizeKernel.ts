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

/**
 * The forward's trace in one reused float64 buffer (this runs every training step, and the
 * per-column arrays it used to allocate cost more than its arithmetic: ≈ 30 µs for N 100, R 3):
 * q_k at [k·N, (k+1)·N), v_k^(j), the residual of column k before projecting out q_j (j < k), at
 * vOff + (k·R + j)·N, the current residual at resOff; norms and c_kj beside them.
 */
interface Trace {
  buf: Float64Array;
  vOff: number;
  resOff: number;
  norms: Float64Array;
  coef: Float64Array;
}

let scratch: Trace = {
  buf: new Float64Array(0),
  vOff: 0,
  resOff: 0,
  norms: new Float64Array(0),
  coef: new Float64Array(0),
};

function traceFor(N: number, R: number): Trace {
  const vOff = R * N;
  const resOff = vOff + R * R * N;
  if (scratch.buf.length < resOff + N || scratch.norms.length < R) {
    scratch = {
      buf: new Float64Array(resOff + N),
      vOff,
      resOff,
      norms: new Float64Array(R),
      coef: new Float64Array(R * R),
    };
  }
  scratch.vOff = vOff;
  scratch.resOff = resOff;
  return scratch;
}

function gramSchmidt(L: Float32Array, N: number, R: number): Trace {
  const t = traceFor(N, R);
  const { buf, vOff, resOff, norms, coef } = t;
  for (let k = 0; k < R; k++) {
    for (let n = 0; n < N; n++) buf[resOff + n] = L[n * R + k];
    for (let j = 0; j < k; j++) {
      const vAt = vOff + (k * R + j) * N;
      const qj = j * N;
      let c = 0;
      for (let n = 0; n < N; n++) {
        const v = buf[resOff + n];
        buf[vAt + n] = v;
        c += buf[qj + n] * v;
      }
      coef[k * R + j] = c;
      for (let n = 0; n < N; n++) buf[resOff + n] = buf[resOff + n] - c * buf[qj + n];
    }
    let sq = 0;
    for (let n = 0; n < N; n++) sq += buf[resOff + n] * buf[resOff + n];
    const norm = Math.sqrt(sq);
    norms[k] = norm;
    const qk = k * N;
    for (let n = 0; n < N; n++) buf[qk + n] = buf[resOff + n] / norm;
  }
  return t;
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
  const { buf } = gramSchmidt(L, N, R);
  for (let k = 0; k < R; k++) for (let n = 0; n < N; n++) out[n * R + k] = buf[k * N + n];
}

/** dL/dL (N×R) of dL/dL̃ `dQ` at L, into `out` (the reverse mode described at the top). */
export function orthonormalizeColumnsGradHost(
  L: Float32Array,
  dQ: Float32Array,
  N: number,
  R: number,
  out: Float32Array,
): void {
  const { buf, vOff, resOff, norms, coef } = gramSchmidt(L, N, R);
  // gq: the running gradient of each q_k, in dQ's layout; gv lives in the residual slot.
  const gq = gradScratch(N * R);
  for (let i = 0; i < N * R; i++) gq[i] = dQ[i];
  for (let k = R - 1; k >= 0; k--) {
    const qk = k * N;
    let dot = 0;
    for (let n = 0; n < N; n++) dot += buf[qk + n] * gq[n * R + k];
    for (let n = 0; n < N; n++) buf[resOff + n] = (gq[n * R + k] - buf[qk + n] * dot) / norms[k];
    for (let j = k - 1; j >= 0; j--) {
      const qj = j * N;
      let a = 0;
      for (let n = 0; n < N; n++) a += buf[resOff + n] * buf[qj + n];
      const c = coef[k * R + j];
      const v = vOff + (k * R + j) * N;
      for (let n = 0; n < N; n++) {
        gq[n * R + j] -= c * buf[resOff + n] + a * buf[v + n];
        buf[resOff + n] -= a * buf[qj + n];
      }
    }
    for (let n = 0; n < N; n++) out[n * R + k] = buf[resOff + n];
  }
}

let gqScratch = new Float64Array(0);

function gradScratch(size: number): Float64Array {
  if (gqScratch.length < size) gqScratch = new Float64Array(size);
  return gqScratch;
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
