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
import { outerSums, reduceRows, weightedRows } from './laneDots.as';

/**
 * dst[t][p] = Σ_j W[p][j]·src[t][j] (+ b[p]) for t < T, p < P, each a row of BP lanes. W is
 * row-major P×J f32; pb = 0: no bias. src has srcRows ≥ J rows per step (a projection of the first
 * J of them: the context NM-RNN drives its units with the task inputs only).
 */
export function projectLanes(
  dst: usize,
  pW: usize,
  pb: usize,
  src: usize,
  srcRows: i32,
  T: i32,
  P: i32,
  J: i32,
  BP: i32,
): void {
  const row = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const s: usize = src + <usize>(t * srcRows) * row;
    const d0: usize = dst + <usize>(t * P) * row;
    // Four or more outputs (an input projection): four per pass over the inputs. A readout of one
    // to three: weightedRows, whose four sums per output keep the long pass over N busy.
    if (P >= 4) reduceRows(d0, pW, 4, (<usize>J) << 2, s, row, J, P, BP);
    else
      for (let p = 0; p < P; p++)
        weightedRows(d0 + <usize>p * row, 0, pW + ((<usize>(p * J)) << 2), 4, s, row, J, BP);
    if (pb) {
      for (let p = 0; p < P; p++) {
        const d: usize = d0 + <usize>p * row;
        const bias = f32x4.splat(load<f32>(pb + ((<usize>p) << 2)));
        for (let b = 0; b < BP; b += 4) {
          const o: usize = d + ((<usize>b) << 2);
          v128.store(o, f32x4.add(v128.load(o), bias));
        }
      }
    }
  }
}

/**
 * dsrc[t][j] = Σ_p W[p][j]·g[t][p]: the projection's gradient into its input rows (written, not
 * added), four input rows per pass over the few outputs.
 */
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
    reduceRows(dsrc + <usize>(t * J) * row, pW, (<usize>J) << 2, 4, gt, row, P, J, BP);
  }
}

/**
 * gW[p][j] = Σ_t Σ_lanes g[t][p]·src[t][j] (f64 P×J) and gb[p] = Σ_t Σ_lanes g[t][p] (f64 P;
 * pgb = 0: none), src with srcRows rows per step as in projectLanes. Pad lanes are zero in g, so
 * they add nothing. Each entry sums in four f32 lanes over time (pAcc: scratch for P·J + P v128
 * slots), walking the trajectories in order, and goes to f64 once at the end: a horizontal f64
 * sum per entry and step cost more than the products.
 */
export function projectGradLanes(
  pgW: usize,
  pgb: usize,
  g: usize,
  src: usize,
  srcRows: i32,
  T: i32,
  P: i32,
  J: i32,
  BP: i32,
  pAcc: usize,
): void {
  const row = (<usize>BP) << 2;
  const PJ = P * J;
  const accB = pAcc + ((<usize>PJ) << 4);
  memory.fill(pAcc, 0, (<usize>(PJ + P)) << 4);
  for (let t = 0; t < T; t++) {
    const st: usize = src + <usize>(t * srcRows) * row;
    outerSums(pAcc, g + <usize>(t * P) * row, P, st, J, BP);
    if (pgb)
      for (let p = 0; p < P; p++) {
        const gp: usize = g + <usize>(t * P + p) * row;
        let acc = v128.load(accB + ((<usize>p) << 4));
        for (let b = 0; b < BP; b += 4) acc = f32x4.add(acc, v128.load(gp + ((<usize>b) << 2)));
        v128.store(accB + ((<usize>p) << 4), acc);
      }
  }
  for (let k = 0; k < PJ; k++)
    store<f64>(pgW + ((<usize>k) << 3), hsum(v128.load(pAcc + ((<usize>k) << 4))));
  if (pgb)
    for (let p = 0; p < P; p++)
      store<f64>(pgb + ((<usize>p) << 3), hsum(v128.load(accB + ((<usize>p) << 4))));
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
