/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128 builtins), exported by rnn.as.ts and lstm.as.ts;
// TypeScript's checker does not know these types.
/**
 * What a whole training step of the trial-lane models (vanilla RNN, LSTM) needs around their
 * scans, in the same [T][rows][BP] layout: the input projection, the readout, the masked MSE with
 * its gradient, and the weight gradients of both projections. With these the inputs go in once and
 * nothing but the parameter gradients comes out. Byte offsets; sums over trials in f64.
 */

import { hsum64 as hsum } from './tanh.as';
import { laneDot, weightedRows } from './laneDots.as';

/**
 * dst[t][p] = Σ_j W[p][j]·src[t][j] (+ b[p]) for t < T, p < P, each a row of BP lanes. W is
 * row-major P×J f32; pb = 0: no bias.
 */
export function projectLanes(
  dst: usize,
  pW: usize,
  pb: usize,
  src: usize,
  T: i32,
  P: i32,
  J: i32,
  BP: i32,
): void {
  const row = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const s: usize = src + <usize>(t * J) * row;
    for (let p = 0; p < P; p++) {
      const d: usize = dst + <usize>(t * P + p) * row;
      weightedRows(d, 0, pW + ((<usize>(p * J)) << 2), 4, s, row, J, BP);
      if (pb) {
        const bias = f32x4.splat(load<f32>(pb + ((<usize>p) << 2)));
        for (let b = 0; b < BP; b += 4) {
          const o: usize = d + ((<usize>b) << 2);
          v128.store(o, f32x4.add(v128.load(o), bias));
        }
      }
    }
  }
}

/** dsrc[t][j] += Σ_p W[p][j]·g[t][p]: the projection's gradient into its input rows. */
export function projectBackLanes(
  dsrc: usize,
  pW: usize,
  g: usize,
  T: i32,
  P: i32,
  J: i32,
  BP: i32,
): void {
  const row = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const gt: usize = g + <usize>(t * P) * row;
    for (let j = 0; j < J; j++) {
      const d: usize = dsrc + <usize>(t * J + j) * row;
      weightedRows(d, d, pW + ((<usize>j) << 2), (<usize>J) << 2, gt, row, P, BP);
    }
  }
}

/**
 * gW[p][j] = Σ_t Σ_lanes g[t][p]·src[t][j] (f64 P×J) and gb[p] = Σ_t Σ_lanes g[t][p] (f64 P;
 * pgb = 0: none). Pad lanes are zero in g, so they add nothing.
 */
export function projectGradLanes(
  pgW: usize,
  pgb: usize,
  g: usize,
  src: usize,
  T: i32,
  P: i32,
  J: i32,
  BP: i32,
): void {
  const row = (<usize>BP) << 2;
  memory.fill(pgW, 0, (<usize>(P * J)) << 3);
  if (pgb) memory.fill(pgb, 0, (<usize>P) << 3);
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < P; p++) {
      const gp: usize = g + <usize>(t * P + p) * row;
      const grow: usize = pgW + ((<usize>(p * J)) << 3);
      for (let j = 0; j < J; j++) {
        const o = grow + ((<usize>j) << 3);
        store<f64>(o, load<f64>(o) + hsum(laneDot(gp, src + <usize>(t * J + j) * row, BP)));
      }
      if (pgb) {
        let acc = f32x4.splat(0);
        for (let b = 0; b < BP; b += 4) acc = f32x4.add(acc, v128.load(gp + ((<usize>b) << 2)));
        const o = pgb + ((<usize>p) << 3);
        store<f64>(o, load<f64>(o) + hsum(acc));
      }
    }
  }
}

/**
 * Σ mask·(y − y*)² over y, y* [T][O][BP] with mask [T][BP] (returned, f64), and
 * dY = scale·mask·(y − y*) written to pdY. Pad lanes have mask 0.
 */
export function maskedMseLanes(
  pY: usize,
  pTarget: usize,
  pMask: usize,
  pdY: usize,
  T: i32,
  O: i32,
  BP: i32,
  scale: f32,
): f64 {
  const row = (<usize>BP) << 2;
  const vs = f32x4.splat(scale);
  let total: f64 = 0;
  for (let t = 0; t < T; t++) {
    const m: usize = pMask + <usize>t * row;
    for (let o = 0; o < O; o++) {
      const off: usize = <usize>(t * O + o) * row;
      let acc = f32x4.splat(0);
      for (let b = 0; b < BP; b += 4) {
        const bo = (<usize>b) << 2;
        const w = v128.load(m + bo);
        const e = f32x4.sub(v128.load(pY + off + bo), v128.load(pTarget + off + bo));
        const we = f32x4.mul(w, e);
        acc = f32x4.add(acc, f32x4.mul(we, e));
        v128.store(pdY + off + bo, f32x4.mul(vs, we));
      }
      total += hsum(acc);
    }
  }
  return total;
}
