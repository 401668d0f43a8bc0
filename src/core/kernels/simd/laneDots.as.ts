/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128 builtins), imported by rnn.as.ts and lstm.as.ts;
// TypeScript's checker does not know these types.
import { madd } from './madd.as';

/**
 * The sums the trial-lane kernels (NM-RNN, LR-RNN, vanilla RNN, LSTM) spend their time in, over
 * rows of BP lanes (BP a multiple of 4; byte offsets throughout).
 */

/**
 * dst = init + Σ_k w_k · v_k for lanes 0…BP−1, where w_k is the f32 at `w` + k·wStride and v_k the
 * row at `v` + k·vStride (init = 0: from zero). Sixteen lanes per pass with four independent sums,
 * each weight splatted once for them, then four at a time; every lane adds its terms in k order.
 * dst may be init.
 */
export function weightedRows(
  dst: usize,
  init: usize,
  w: usize,
  wStride: usize,
  v: usize,
  vStride: usize,
  K: i32,
  BP: i32,
): void {
  let b = 0;
  for (; b + 16 <= BP; b += 16) {
    const bo = (<usize>b) << 2;
    let a0 = init ? v128.load(init + bo) : f32x4.splat(0);
    let a1 = init ? v128.load(init + bo + 16) : f32x4.splat(0);
    let a2 = init ? v128.load(init + bo + 32) : f32x4.splat(0);
    let a3 = init ? v128.load(init + bo + 48) : f32x4.splat(0);
    for (let k = 0; k < K; k++) {
      const wk = v128.load32_splat(w + <usize>k * wStride);
      const p = v + <usize>k * vStride + bo;
      a0 = madd(wk, v128.load(p), a0);
      a1 = madd(wk, v128.load(p + 16), a1);
      a2 = madd(wk, v128.load(p + 32), a2);
      a3 = madd(wk, v128.load(p + 48), a3);
    }
    v128.store(dst + bo, a0);
    v128.store(dst + bo + 16, a1);
    v128.store(dst + bo + 32, a2);
    v128.store(dst + bo + 48, a3);
  }
  for (; b < BP; b += 4) {
    const bo = (<usize>b) << 2;
    let acc = init ? v128.load(init + bo) : f32x4.splat(0);
    for (let k = 0; k < K; k++) {
      const wk = v128.load32_splat(w + <usize>k * wStride);
      acc = madd(wk, v128.load(v + <usize>k * vStride + bo), acc);
    }
    v128.store(dst + bo, acc);
  }
}

/**
 * out[r] = Σ_k w[k·kStride + r·rStride]·v_k for r < R, v_k the row at `v` + k·vStride, each a row of
 * BP lanes at out + r·BP·4. Up to four outputs share one pass over the rows, eight lanes at a time:
 * eight independent sums per pass, where weightedRows, one output at a time, has four and waits on
 * its adds when K is long (q = Vᵀφ(x) and L̃ᵀgx in the NM-RNN scan).
 */
export function reduceRows(
  out: usize,
  w: usize,
  kStride: usize,
  rStride: usize,
  v: usize,
  vStride: usize,
  K: i32,
  R: i32,
  BP: i32,
): void {
  const outRow = (<usize>BP) << 2;
  for (let r0 = 0; r0 < R; r0 += 4) {
    const n = R - r0 < 4 ? R - r0 : 4;
    const w0 = w + <usize>r0 * rStride;
    const o0 = out + <usize>r0 * outRow;
    // One loop per output count, so no loop tests it per product (R = 3 is the NM-RNN's rank).
    if (n == 4) reduceBlock<Four>(o0, w0, kStride, rStride, v, vStride, K, BP);
    else if (n == 3) reduceBlock<Three>(o0, w0, kStride, rStride, v, vStride, K, BP);
    else if (n == 2) reduceBlock<Two>(o0, w0, kStride, rStride, v, vStride, K, BP);
    else reduceBlock<One>(o0, w0, kStride, rStride, v, vStride, K, BP);
  }
}

/**
 * Counts 1–4 as types, so that a function generic in one is compiled once per count with the count
 * a constant (countOf), and the optimiser drops the code of the counts it is not: loop unswitching
 * by hand, which neither the compiler nor the engines do.
 */
@unmanaged
class One {
  a: f32;
}
@unmanaged
class Two {
  a: f32;
  b: f32;
}
@unmanaged
class Three {
  a: f32;
  b: f32;
  c: f32;
}
@unmanaged
class Four {
  a: f32;
  b: f32;
  c: f32;
  d: f32;
}

/** The count a type above stands for (its four-byte fields). */
function countOf<C>(): i32 {
  return <i32>(offsetof<C>() >> 2);
}

/** reduceRows for the block of countOf<C>() outputs at o0 (weights from w0). */
function reduceBlock<C>(
  o0: usize,
  w0: usize,
  kStride: usize,
  rStride: usize,
  v: usize,
  vStride: usize,
  K: i32,
  BP: i32,
): void {
  const n = countOf<C>();
  const outRow = (<usize>BP) << 2;
  const w1 = w0 + rStride;
  const w2 = w1 + rStride;
  const w3 = w2 + rStride;
  let b = 0;
  for (; b + 8 <= BP; b += 8) {
    const bo = (<usize>b) << 2;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let c0 = f32x4.splat(0);
    let c1 = f32x4.splat(0);
    let d0 = f32x4.splat(0);
    let d1 = f32x4.splat(0);
    let e0 = f32x4.splat(0);
    let e1 = f32x4.splat(0);
    for (let k = 0; k < K; k++) {
      const p = v + <usize>k * vStride + bo;
      const p0 = v128.load(p);
      const p1 = v128.load(p + 16);
      const ko = <usize>k * kStride;
      const x0 = v128.load32_splat(w0 + ko);
      a0 = madd(x0, p0, a0);
      a1 = madd(x0, p1, a1);
      if (n > 1) {
        const x1 = v128.load32_splat(w1 + ko);
        c0 = madd(x1, p0, c0);
        c1 = madd(x1, p1, c1);
      }
      if (n > 2) {
        const x2 = v128.load32_splat(w2 + ko);
        d0 = madd(x2, p0, d0);
        d1 = madd(x2, p1, d1);
      }
      if (n > 3) {
        const x3 = v128.load32_splat(w3 + ko);
        e0 = madd(x3, p0, e0);
        e1 = madd(x3, p1, e1);
      }
    }
    const d = o0 + bo;
    v128.store(d, a0);
    v128.store(d + 16, a1);
    if (n > 1) {
      v128.store(d + outRow, c0);
      v128.store(d + outRow + 16, c1);
    }
    if (n > 2) {
      v128.store(d + 2 * outRow, d0);
      v128.store(d + 2 * outRow + 16, d1);
    }
    if (n > 3) {
      v128.store(d + 3 * outRow, e0);
      v128.store(d + 3 * outRow + 16, e1);
    }
  }
  if (b < BP) {
    const bo = (<usize>b) << 2;
    let a0 = f32x4.splat(0);
    let c0 = f32x4.splat(0);
    let d0 = f32x4.splat(0);
    let e0 = f32x4.splat(0);
    for (let k = 0; k < K; k++) {
      const p0 = v128.load(v + <usize>k * vStride + bo);
      const ko = <usize>k * kStride;
      a0 = madd(v128.load32_splat(w0 + ko), p0, a0);
      if (n > 1) c0 = madd(v128.load32_splat(w1 + ko), p0, c0);
      if (n > 2) d0 = madd(v128.load32_splat(w2 + ko), p0, d0);
      if (n > 3) e0 = madd(v128.load32_splat(w3 + ko), p0, e0);
    }
    const d = o0 + bo;
    v128.store(d, a0);
    if (n > 1) v128.store(d + outRow, c0);
    if (n > 2) v128.store(d + 2 * outRow, d0);
    if (n > 3) v128.store(d + 3 * outRow, e0);
  }
}

/**
 * acc[i][j] += Σ_lanes a_i·b_j for rows a_i (I rows from `a`) and b_j (J rows from `b`), each BP lanes
 * at a row stride of BP floats, into I×J v128 slots of four f32 lane sums (a weight gradient's sum
 * over trials, flushed to f64 once after the scan: a horizontal f64 sum per entry and step costs
 * more than the products). Blocks of two a rows by four b rows share one pass over the lanes: six
 * loads feed eight products in eight independent sums, where one pair at a time loads two vectors
 * per product.
 */
export function outerSums(acc: usize, a: usize, I: i32, b: usize, J: i32, BP: i32): void {
  const row = (<usize>BP) << 2;
  for (let j0 = 0; j0 < J; j0 += 4) {
    const nj = J - j0 < 4 ? J - j0 : 4;
    const bj = b + <usize>j0 * row;
    for (let i0 = 0; i0 < I; i0 += 2) {
      const ai = a + <usize>i0 * row;
      const r0 = acc + ((<usize>(i0 * J + j0)) << 4);
      const r1 = r0 + ((<usize>J) << 4);
      // One loop per block shape, so no loop tests it per product (J = R = 3 in the NM-RNN).
      if (I - i0 > 1) {
        if (nj == 4) outerBlock<Two, Four>(r0, r1, ai, bj, row, BP);
        else if (nj == 3) outerBlock<Two, Three>(r0, r1, ai, bj, row, BP);
        else if (nj == 2) outerBlock<Two, Two>(r0, r1, ai, bj, row, BP);
        else outerBlock<Two, One>(r0, r1, ai, bj, row, BP);
      } else if (nj == 4) outerBlock<One, Four>(r0, r1, ai, bj, row, BP);
      else if (nj == 3) outerBlock<One, Three>(r0, r1, ai, bj, row, BP);
      else if (nj == 2) outerBlock<One, Two>(r0, r1, ai, bj, row, BP);
      else outerBlock<One, One>(r0, r1, ai, bj, row, BP);
    }
  }
}

/**
 * outerSums for a block of countOf<I>() a rows (1 or 2, from a0) by countOf<J>() b rows (1–4, from
 * b0), added into the slots at r0 (first a row) and r1 (second).
 */
function outerBlock<I, J>(r0: usize, r1: usize, a0: usize, b0: usize, row: usize, BP: i32): void {
  const two = countOf<I>() > 1;
  const nj = countOf<J>();
  const a1 = a0 + row;
  const b1 = b0 + row;
  const b2 = b1 + row;
  const b3 = b2 + row;
  let s00 = f32x4.splat(0);
  let s01 = f32x4.splat(0);
  let s02 = f32x4.splat(0);
  let s03 = f32x4.splat(0);
  let s10 = f32x4.splat(0);
  let s11 = f32x4.splat(0);
  let s12 = f32x4.splat(0);
  let s13 = f32x4.splat(0);
  for (let k = 0; k < BP; k += 4) {
    const o = (<usize>k) << 2;
    const x0 = v128.load(a0 + o);
    const y0 = v128.load(b0 + o);
    s00 = madd(x0, y0, s00);
    if (two) {
      const x1 = v128.load(a1 + o);
      s10 = madd(x1, y0, s10);
      if (nj > 1) {
        const y1 = v128.load(b1 + o);
        s01 = madd(x0, y1, s01);
        s11 = madd(x1, y1, s11);
      }
      if (nj > 2) {
        const y2 = v128.load(b2 + o);
        s02 = madd(x0, y2, s02);
        s12 = madd(x1, y2, s12);
      }
      if (nj > 3) {
        const y3 = v128.load(b3 + o);
        s03 = madd(x0, y3, s03);
        s13 = madd(x1, y3, s13);
      }
    } else {
      if (nj > 1) s01 = madd(x0, v128.load(b1 + o), s01);
      if (nj > 2) s02 = madd(x0, v128.load(b2 + o), s02);
      if (nj > 3) s03 = madd(x0, v128.load(b3 + o), s03);
    }
  }
  v128.store(r0, f32x4.add(v128.load(r0), s00));
  if (nj > 1) v128.store(r0 + 16, f32x4.add(v128.load(r0 + 16), s01));
  if (nj > 2) v128.store(r0 + 32, f32x4.add(v128.load(r0 + 32), s02));
  if (nj > 3) v128.store(r0 + 48, f32x4.add(v128.load(r0 + 48), s03));
  if (two) {
    v128.store(r1, f32x4.add(v128.load(r1), s10));
    if (nj > 1) v128.store(r1 + 16, f32x4.add(v128.load(r1 + 16), s11));
    if (nj > 2) v128.store(r1 + 32, f32x4.add(v128.load(r1 + 32), s12));
    if (nj > 3) v128.store(r1 + 48, f32x4.add(v128.load(r1 + 48), s13));
  }
}
