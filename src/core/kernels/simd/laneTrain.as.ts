/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128 builtins), used by the trial-lane kernels
// (nmrnnLanes.as.ts, rnn.as.ts, lstm.as.ts); TypeScript's checker does not know these types.
/**
 * What a whole training step of the trial-lane models needs around their recurrences, in the same
 * [T][rows][BP] layout, one time step at a time (the scans call these as they pass each step, so
 * no [T]-long drive or drive gradient is written out and read back): the input projection and the
 * readout, their gradients into their inputs and their weight sums; and the masked MSE with its
 * gradient. With these the inputs go in once and nothing but the parameter gradients comes out.
 * Byte offsets; sums over trials in f64.
 */

import { hsum64 as hsum } from './tanh.as';
import { outerSums, reduceRows, weightedRows } from './laneDots.as';
import { madd } from './madd.as';

/**
 * dst[p] = Σ_j W[p][j]·s[j] (+ b[p]) for p < P, each a row of BP lanes: a projection (input or
 * readout) at one time step. W is row-major P×J f32; pb = 0: no bias. s is the first J rows of a
 * step's rows (the context NM-RNN drives its units with the task inputs only).
 */
export function projectStep(
  dst: usize,
  pW: usize,
  pb: usize,
  s: usize,
  P: i32,
  J: i32,
  BP: i32,
): void {
  const row = (<usize>BP) << 2;
  // Four or more outputs (an input projection): four per pass over the inputs. A readout of one
  // to three: weightedRows, whose four sums per output keep the long pass over N busy.
  if (P >= 4) reduceRows(dst, pW, 4, (<usize>J) << 2, s, row, J, P, BP);
  else
    for (let p = 0; p < P; p++)
      weightedRows(dst + <usize>p * row, 0, pW + ((<usize>(p * J)) << 2), 4, s, row, J, BP);
  if (pb) {
    for (let p = 0; p < P; p++) {
      const d: usize = dst + <usize>p * row;
      const bias = f32x4.splat(load<f32>(pb + ((<usize>p) << 2)));
      for (let b = 0; b < BP; b += 4) {
        const o: usize = d + ((<usize>b) << 2);
        v128.store(o, f32x4.add(v128.load(o), bias));
      }
    }
  }
}

/** dsrc[j] = Σ_p W[p][j]·g[p] (written, not added): a projection's gradient into its input rows. */
export function projectBackStep(dsrc: usize, pW: usize, g: usize, P: i32, J: i32, BP: i32): void {
  reduceRows(dsrc, pW, (<usize>J) << 2, 4, g, (<usize>BP) << 2, P, J, BP);
}

/**
 * One time step of a projection's weight-gradient sums: acc[p][j] += g[p]·s[j] and, with accB ≠ 0,
 * accB[p] += g[p], in four f32 lane sums per entry (v128 slots) that flushProjectGrad turns into
 * f64 once the scan is done. Pad lanes are zero in g, so they add nothing.
 */
export function projectGradStep(
  acc: usize,
  accB: usize,
  g: usize,
  s: usize,
  P: i32,
  J: i32,
  BP: i32,
): void {
  outerSums(acc, g, P, s, J, BP);
  if (accB) {
    const row = (<usize>BP) << 2;
    for (let p = 0; p < P; p++) {
      const gp: usize = g + <usize>p * row;
      let a = v128.load(accB + ((<usize>p) << 4));
      for (let b = 0; b < BP; b += 4) a = f32x4.add(a, v128.load(gp + ((<usize>b) << 2)));
      v128.store(accB + ((<usize>p) << 4), a);
    }
  }
}

/** pgW[k] = Σ of the lanes of acc[k] (f64) for k < P·J, and pgb[p] likewise from accB (pgb ≠ 0). */
export function flushProjectGrad(
  pgW: usize,
  pgb: usize,
  acc: usize,
  accB: usize,
  P: i32,
  J: i32,
): void {
  for (let k = 0; k < P * J; k++)
    store<f64>(pgW + ((<usize>k) << 3), hsum(v128.load(acc + ((<usize>k) << 4))));
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
        acc = madd(we, e, acc);
        v128.store(pdY + off + bo, f32x4.mul(vs, we));
      }
      total += hsum(acc);
    }
  }
  return total;
}
