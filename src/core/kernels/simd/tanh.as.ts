/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128 builtins), imported by the *.as.ts kernels.
/**
 * The project's rational tanh (cpu/fastTanh.ts: same coefficients, so every backend computes the
 * same function) in f32, four lanes and one, for the WebAssembly SIMD kernels.
 */

import { madd } from './madd.as';

const TC: f32 = 9.0;
const TY: f32 = 1.0 / 81.0;
const P0: f32 = 0.9999999060232249;
const P1: f32 = 10.832232541175191;
const P2: f32 = 22.874925086102813;
const P3: f32 = 10.87889806413665;
const P4: f32 = 0.5674682670014486;
const Q1: f32 = 37.83220290885738;
const Q2: f32 = 169.5471366564208;
const Q3: f32 = 173.84790075370034;
const Q4: f32 = 33.15447950788021;

export function tanh4(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-TC)), f32x4.splat(TC));
  const y = f32x4.mul(f32x4.mul(xc, xc), f32x4.splat(TY));
  let p = madd(y, f32x4.splat(P4), f32x4.splat(P3));
  p = madd(y, p, f32x4.splat(P2));
  p = madd(y, p, f32x4.splat(P1));
  p = madd(y, p, f32x4.splat(P0));
  let q = madd(y, f32x4.splat(Q4), f32x4.splat(Q3));
  q = madd(y, q, f32x4.splat(Q2));
  q = madd(y, q, f32x4.splat(Q1));
  q = madd(y, q, f32x4.splat(1.0));
  return f32x4.div(f32x4.mul(xc, p), q);
}

/**
 * dst ← tanh(src) over `count` floats (a multiple of 4; dst may be src). Four vectors per pass: one
 * tanh4 is a chain of a dozen dependent operations ending in a division, and four independent
 * chains keep the core busy where one leaves it waiting (≈ 25 % faster for the NM-RNN's φ(x) block,
 * which was a third of its training step).
 */
export function tanhRows(dst: usize, src: usize, count: i32): void {
  let k = 0;
  for (; k + 16 <= count; k += 16) {
    const o = (<usize>k) << 2;
    const a = tanh4(v128.load(src + o));
    const b = tanh4(v128.load(src + o + 16));
    const c = tanh4(v128.load(src + o + 32));
    const d = tanh4(v128.load(src + o + 48));
    v128.store(dst + o, a);
    v128.store(dst + o + 16, b);
    v128.store(dst + o + 32, c);
    v128.store(dst + o + 48, d);
  }
  for (; k < count; k += 4) {
    const o = (<usize>k) << 2;
    v128.store(dst + o, tanh4(v128.load(src + o)));
  }
}

export function tanh1(x: f32): f32 {
  const xc = x > TC ? TC : x < -TC ? -TC : x;
  const y = xc * xc * TY;
  const p = P0 + y * (P1 + y * (P2 + y * (P3 + y * P4)));
  const q: f32 = 1.0 + y * (Q1 + y * (Q2 + y * (Q3 + y * Q4)));
  return (xc * p) / q;
}

/** Σ of the four lanes, in f64 (weight-gradient sums over trials). */
export function hsum64(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) +
    <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) +
    <f64>f32x4.extract_lane(v, 3)
  );
}
