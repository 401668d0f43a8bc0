/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128 builtins), imported by rnn.as.ts and lstm.as.ts;
// TypeScript's checker does not know these types.
/**
 * The two sums the trial-lane kernels (vanilla RNN, LSTM) spend their time in, over one row of BP
 * lanes (BP a multiple of 4; byte offsets throughout).
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
      const wk = f32x4.splat(load<f32>(w + <usize>k * wStride));
      const p = v + <usize>k * vStride + bo;
      a0 = f32x4.add(a0, f32x4.mul(wk, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(wk, v128.load(p + 16)));
      a2 = f32x4.add(a2, f32x4.mul(wk, v128.load(p + 32)));
      a3 = f32x4.add(a3, f32x4.mul(wk, v128.load(p + 48)));
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
      const wk = f32x4.splat(load<f32>(w + <usize>k * wStride));
      acc = f32x4.add(acc, f32x4.mul(wk, v128.load(v + <usize>k * vStride + bo)));
    }
    v128.store(dst + bo, acc);
  }
}

/** Σ over BP lanes of a·b, as four lane sums (two partial sums, so the adds overlap). */
export function laneDot(a: usize, b: usize, BP: i32): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= BP; i += 8) {
    const o = (<usize>i) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(a + o + 16), v128.load(b + o + 16)));
  }
  if (i < BP) {
    const o = (<usize>i) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  return f32x4.add(a0, a1);
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
    const w1 = w0 + rStride;
    const w2 = w1 + rStride;
    const w3 = w2 + rStride;
    const o0 = out + <usize>r0 * outRow;
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
        const x0 = f32x4.splat(load<f32>(w0 + ko));
        a0 = f32x4.add(a0, f32x4.mul(x0, p0));
        a1 = f32x4.add(a1, f32x4.mul(x0, p1));
        if (n > 1) {
          const x1 = f32x4.splat(load<f32>(w1 + ko));
          c0 = f32x4.add(c0, f32x4.mul(x1, p0));
          c1 = f32x4.add(c1, f32x4.mul(x1, p1));
        }
        if (n > 2) {
          const x2 = f32x4.splat(load<f32>(w2 + ko));
          d0 = f32x4.add(d0, f32x4.mul(x2, p0));
          d1 = f32x4.add(d1, f32x4.mul(x2, p1));
        }
        if (n > 3) {
          const x3 = f32x4.splat(load<f32>(w3 + ko));
          e0 = f32x4.add(e0, f32x4.mul(x3, p0));
          e1 = f32x4.add(e1, f32x4.mul(x3, p1));
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
        a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(w0 + ko)), p0));
        if (n > 1) c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(w1 + ko)), p0));
        if (n > 2) d0 = f32x4.add(d0, f32x4.mul(f32x4.splat(load<f32>(w2 + ko)), p0));
        if (n > 3) e0 = f32x4.add(e0, f32x4.mul(f32x4.splat(load<f32>(w3 + ko)), p0));
      }
      const d = o0 + bo;
      v128.store(d, a0);
      if (n > 1) v128.store(d + outRow, c0);
      if (n > 2) v128.store(d + 2 * outRow, d0);
      if (n > 3) v128.store(d + 3 * outRow, e0);
    }
  }
}
