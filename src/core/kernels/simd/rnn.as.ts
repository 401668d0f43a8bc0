/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled by build.mjs
// into rnnWasm.generated.ts; TypeScript's checker does not know these types.
/**
 * The vanilla-RNN scan of cpu/rnnScan.ts in WebAssembly SIMD with the **trials in the lanes**: every
 * state is stored [N][BP] (BP = B rounded up to 4), so one f32x4 holds unit n of four trials and
 * no N is ever padded (N = 15 or 31 wastes nothing). rnnSimd.ts owns the layout and passes byte
 * offsets; pad lanes carry zeros in and are never read back.
 *
 *   x_t = cx x_{t−1} + rs W φ(x_{t−1}) + ax D_t      (cx = 1 − 1/τ, rs = scale/τ, ax = 1/τ)
 *
 * Same tanh approximation as fastTanh.ts, f32 arithmetic, weight gradients summed in f64.
 */

import { hsum64 as hsum, tanhRows } from './tanh.as';

export { toLanes, fromLanes } from './lanes.as';
export { projectLanes, projectBackLanes, projectGradLanes, maskedMseLanes } from './laneTrain.as';
import { outerSums, weightedRows } from './laneDots.as';

/**
 * pW: W (N×N, row-major f32); pX0: x0 broadcast [N][BP]; pD: drive [T][N][BP];
 * pX: states out [T][N][BP]; pPh: scratch [N][BP].
 */
export function forward(
  N: i32,
  BP: i32,
  T: i32,
  cx: f32,
  rs: f32,
  ax: f32,
  pW: usize,
  pX0: usize,
  pD: usize,
  pX: usize,
  pPh: usize,
): void {
  const NB = N * BP;
  const vcx = f32x4.splat(cx);
  const vrs = f32x4.splat(rs);
  const vax = f32x4.splat(ax);
  for (let t = 0; t < T; t++) {
    const prev: usize = t == 0 ? pX0 : pX + ((<usize>((t - 1) * NB)) << 2);
    const cur: usize = pX + ((<usize>(t * NB)) << 2);
    const drv: usize = pD + ((<usize>(t * NB)) << 2);
    tanhRows(pPh, prev, NB);
    const rowBytes = (<usize>BP) << 2;
    for (let i = 0; i < N; i++) {
      const io: usize = (<usize>(i * BP)) << 2;
      // x_t[i] = cx·x_{t−1}[i] + rs·Σ_j W[i][j] φ_j + ax·D[i]: the sum lands in x_t's row first.
      weightedRows(cur + io, 0, pW + ((<usize>(i * N)) << 2), 4, pPh, rowBytes, N, BP);
      for (let b = 0; b < BP; b += 4) {
        const o: usize = io + ((<usize>b) << 2);
        const x = f32x4.add(
          f32x4.add(f32x4.mul(vcx, v128.load(prev + o)), f32x4.mul(vrs, v128.load(cur + o))),
          f32x4.mul(vax, v128.load(drv + o)),
        );
        v128.store(cur + o, x);
      }
    }
  }
}

/**
 * pdX: upstream gradient of the states [T][N][BP] (zero in pad lanes); pgD: drive gradient out
 * [T][N][BP]; pgW: f64 N×N out; pgx0: f64 [N] out; scratch pPh, pGX, pGXC, pDPH, pR: [N][BP] each,
 * and pAcc: N·N v128 slots, W's gradient as four f32 lane sums per entry until the end.
 */
export function backward(
  N: i32,
  BP: i32,
  T: i32,
  cx: f32,
  rs: f32,
  ax: f32,
  pW: usize,
  pX0: usize,
  pX: usize,
  pdX: usize,
  pgD: usize,
  pgW: usize,
  pgx0: usize,
  pPh: usize,
  pGX: usize,
  pGXC: usize,
  pDPH: usize,
  pR: usize,
  pAcc: usize,
): void {
  const NB = N * BP;
  const vcx = f32x4.splat(cx);
  const vrs = f32x4.splat(rs);
  const vax = f32x4.splat(ax);
  const one = f32x4.splat(1.0);
  memory.fill(pGXC, 0, (<usize>NB) << 2);
  memory.fill(pAcc, 0, (<usize>(N * N)) << 4);
  memory.fill(pgx0, 0, (<usize>N) << 3);
  for (let t = T - 1; t >= 0; t--) {
    const prev: usize = t == 0 ? pX0 : pX + ((<usize>((t - 1) * NB)) << 2);
    const dxt: usize = pdX + ((<usize>(t * NB)) << 2);
    const gdt: usize = pgD + ((<usize>(t * NB)) << 2);
    tanhRows(pPh, prev, NB);
    for (let k = 0; k < NB; k += 4) {
      const o = (<usize>k) << 2;
      const gx = f32x4.add(v128.load(dxt + o), v128.load(pGXC + o));
      v128.store(pGX + o, gx);
      v128.store(gdt + o, f32x4.mul(vax, gx));
    }
    // r = rs·gx; dφ[j] = Σ_i W[i][j] r[i] (Wᵀr, four lane groups per pass, sums in registers);
    // dW[i][j] += Σ_trials r[i] φ[j] (four f32 lane sums per entry, to f64 after the scan).
    for (let k = 0; k < NB; k += 4) {
      const o = (<usize>k) << 2;
      v128.store(pR + o, f32x4.mul(vrs, v128.load(pGX + o)));
    }
    const rowBytes = (<usize>BP) << 2;
    for (let j = 0; j < N; j++) {
      const wCol = pW + ((<usize>j) << 2);
      weightedRows(pDPH + ((<usize>(j * BP)) << 2), 0, wCol, (<usize>N) << 2, pR, rowBytes, N, BP);
    }
    outerSums(pAcc, pR, N, pPh, N, BP);
    for (let k = 0; k < NB; k += 4) {
      const o = (<usize>k) << 2;
      const ph = v128.load(pPh + o);
      const dphi = f32x4.sub(one, f32x4.mul(ph, ph));
      v128.store(
        pGXC + o,
        f32x4.add(f32x4.mul(vcx, v128.load(pGX + o)), f32x4.mul(v128.load(pDPH + o), dphi)),
      );
    }
  }
  for (let k = 0; k < N * N; k++)
    store<f64>(pgW + ((<usize>k) << 3), hsum(v128.load(pAcc + ((<usize>k) << 4))));
  for (let n = 0; n < N; n++) {
    let s: f64 = 0;
    const o: usize = pGXC + ((<usize>(n * BP)) << 2);
    for (let b = 0; b < BP; b++) s += <f64>load<f32>(o + ((<usize>b) << 2));
    store<f64>(pgx0 + ((<usize>n) << 3), s);
  }
}
