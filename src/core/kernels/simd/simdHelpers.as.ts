/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), imported by nmrnnForward.as.ts
// and nmrnnBackward.as.ts; TypeScript's checker does not know these types.
/**
 * Small helpers of the NM-RNN SIMD kernels: the f32 sigmoid, horizontal sums, padded-row loads and
 * stores by float index, pre-splatted v128 slots, φ over a row, and four row dots at once.
 */

import { tanh4, tanh1 } from './tanh.as';

import { madd } from './madd.as';

/** a·b + c (madd.as.ts: fused only in a relaxed-SIMD build; the per-trial kernel has none). */
export { madd };

export function sigmoid(x: f32): f32 {
  return <f32>(1.0 / (1.0 + Math.exp(-(<f64>x))));
}

export function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** y[i] += a·x[i] over NP floats. */
export function axpy(y: usize, a: f32, x: usize, NP: i32): void {
  const av = f32x4.splat(a);
  for (let i = 0; i < NP; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, madd(av, v128.load(x + o), v128.load(y + o)));
  }
}

/** dst (padded) ← φ(src) for N unpadded floats: the identity when `linear`, else tanh. */
export function phiRow(dst: usize, src: usize, N: i32, linear: i32): void {
  if (linear != 0) memory.copy(dst, src, (<usize>N) << 2);
  else tanhRow(dst, src, N);
}

/** dst (padded) ← tanh(src) for N unpadded floats; pad lanes of dst stay as they were (zero). */
export function tanhRow(dst: usize, src: usize, N: i32): void {
  const NF = N & ~3;
  for (let i = 0; i < NF; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, tanh4(v128.load(src + o)));
  }
  for (let i = NF; i < N; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, tanh1(load<f32>(src + o)));
  }
}

export function ldf(p: usize, i: i32): f32 {
  return load<f32>(p + ((<usize>i) << 2));
}
export function stf(p: usize, i: i32, v: f32): void {
  store<f32>(p + ((<usize>i) << 2), v);
}
/** Four floats from float index i (a multiple of 4 in padded arrays). */
export function ldv(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 2));
}
export function stv(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 2), v);
}
/** v128 slot k (16 bytes each): per-step coefficients pre-splatted, and the R dot accumulators. */
export function lds(p: usize, k: i32): v128 {
  return v128.load(p + ((<usize>k) << 4));
}
export function sts(p: usize, k: i32, v: v128): void {
  v128.store(p + ((<usize>k) << 4), v);
}

/**
 * out[r] = scale · (rows[r] · v) for R padded rows of NP floats, four rows per pass with the
 * accumulators in registers (accumulating through memory would chain every update on a
 * store-to-load round trip).
 */
export function dots4(out: usize, scale: f32, rows: usize, v: usize, NP: i32, R: i32): void {
  const stride = (<usize>NP) << 2;
  for (let r0 = 0; r0 < R; r0 += 4) {
    const n = R - r0 < 4 ? R - r0 : 4;
    const v0 = rows + <usize>r0 * stride;
    const v1 = v0 + stride;
    const v2 = v1 + stride;
    const v3 = v2 + stride;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let i = 0; i < NP; i += 4) {
      const p = ldv(v, i);
      a0 = madd(ldv(v0, i), p, a0);
      if (n > 1) a1 = madd(ldv(v1, i), p, a1);
      if (n > 2) a2 = madd(ldv(v2, i), p, a2);
      if (n > 3) a3 = madd(ldv(v3, i), p, a3);
    }
    stf(out, r0, scale * hsum(a0));
    if (n > 1) stf(out, r0 + 1, scale * hsum(a1));
    if (n > 2) stf(out, r0 + 2, scale * hsum(a2));
    if (n > 3) stf(out, r0 + 3, scale * hsum(a3));
  }
}
