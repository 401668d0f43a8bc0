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
export { maskedMseLanes } from './laneTrain.as';
import { outerSums, weightedRows } from './laneDots.as';
import { madd, nmadd } from './madd.as';
import { flushProjectGrad, projectBackStep, projectGradStep, projectStep } from './laneTrain.as';

/**
 * One step: ph ← φ(x_{t−1}) (prev), then x_t (cur) = cx·x_{t−1} + rs·W φ + ax·drv, drv [N][BP].
 */
function stepForward(
  N: i32,
  BP: i32,
  vcx: v128,
  vrs: v128,
  vax: v128,
  pW: usize,
  prev: usize,
  cur: usize,
  ph: usize,
  drv: usize,
): void {
  const rowBytes = (<usize>BP) << 2;
  tanhRows(ph, prev, N * BP);
  for (let i = 0; i < N; i++) {
    const io: usize = (<usize>(i * BP)) << 2;
    // x_t[i] = cx·x_{t−1}[i] + rs·Σ_j W[i][j] φ_j + ax·D[i]: the sum lands in x_t's row first.
    weightedRows(cur + io, 0, pW + ((<usize>(i * N)) << 2), 4, ph, rowBytes, N, BP);
    for (let b = 0; b < BP; b += 4) {
      const o: usize = io + ((<usize>b) << 2);
      const x = madd(
        vcx,
        v128.load(prev + o),
        madd(vrs, v128.load(cur + o), f32x4.mul(vax, v128.load(drv + o))),
      );
      v128.store(cur + o, x);
    }
  }
}

/**
 * One step back, from dxt (dL/dx_t from outside the recurrence) and the carried pGXC: gx = dxt +
 * gxc, the drive's gradient gdt = ax·gx, W's lane sums into pAcc (N·N v128 slots), and pGXC ←
 * dL/dx_{t−1} through the recurrence. ph: φ(x_{t−1}); scratch pGX, pDPH, pR [N][BP].
 */
function stepBackward(
  N: i32,
  BP: i32,
  vcx: v128,
  vrs: v128,
  vax: v128,
  pW: usize,
  ph: usize,
  dxt: usize,
  gdt: usize,
  pGX: usize,
  pGXC: usize,
  pDPH: usize,
  pR: usize,
  pAcc: usize,
): void {
  const NB = N * BP;
  const one = f32x4.splat(1.0);
  const rowBytes = (<usize>BP) << 2;
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
  for (let j = 0; j < N; j++) {
    const wCol = pW + ((<usize>j) << 2);
    weightedRows(pDPH + ((<usize>(j * BP)) << 2), 0, wCol, (<usize>N) << 2, pR, rowBytes, N, BP);
  }
  outerSums(pAcc, pR, N, ph, N, BP);
  for (let k = 0; k < NB; k += 4) {
    const o = (<usize>k) << 2;
    const p = v128.load(ph + o);
    const dphi = nmadd(p, p, one);
    v128.store(pGXC + o, madd(vcx, v128.load(pGX + o), f32x4.mul(v128.load(pDPH + o), dphi)));
  }
}

/** W's f64 gradient from its lane sums, and x0's from the gradient carried to t = 0. */
function flushRecurrent(N: i32, BP: i32, pgW: usize, pgx0: usize, pAcc: usize, pGXC: usize): void {
  for (let k = 0; k < N * N; k++)
    store<f64>(pgW + ((<usize>k) << 3), hsum(v128.load(pAcc + ((<usize>k) << 4))));
  for (let n = 0; n < N; n++) {
    let s: f64 = 0;
    const o: usize = pGXC + ((<usize>(n * BP)) << 2);
    for (let b = 0; b < BP; b++) s += <f64>load<f32>(o + ((<usize>b) << 2));
    store<f64>(pgx0 + ((<usize>n) << 3), s);
  }
}

/**
 * The scan (cpu/rnnScan.ts's signature): pW: W (N×N, row-major f32); pX0: x0 broadcast [N][BP];
 * pD: drive [T][N][BP]; pX: states out [T][N][BP]; pPh: scratch [N][BP].
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
    stepForward(N, BP, vcx, vrs, vax, pW, prev, cur, pPh, pD + ((<usize>(t * NB)) << 2));
  }
}

/**
 * The scan's BPTT. pdX: upstream gradient of the states [T][N][BP] (zero in pad lanes); pgD: drive
 * gradient out [T][N][BP]; pgW: f64 N×N out; pgx0: f64 [N] out; scratch pPh, pGX, pGXC, pDPH, pR:
 * [N][BP] each, and pAcc: N·N v128 slots, W's gradient as four f32 lane sums per entry until the end.
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
  memory.fill(pGXC, 0, (<usize>NB) << 2);
  memory.fill(pAcc, 0, (<usize>(N * N)) << 4);
  for (let t = T - 1; t >= 0; t--) {
    const prev: usize = t == 0 ? pX0 : pX + ((<usize>((t - 1) * NB)) << 2);
    const off: usize = (<usize>(t * NB)) << 2;
    tanhRows(pPh, prev, NB);
    stepBackward(N, BP, vcx, vrs, vax, pW, pPh, pdX + off, pgD + off, pGX, pGXC, pDPH, pR, pAcc);
  }
  flushRecurrent(N, BP, pgW, pgx0, pAcc, pGXC);
}

/**
 * The training step's forward: the scan with the input projection (pU inputs [T][U][BP], pBx N×U)
 * and the readout (pC O×N, pd [O] or 0) formed one step at a time, so no [T]-long drive goes out to
 * memory and back. Out: pX [T][N][BP]; pPh [T][N][BP], φ(x_{t−1}) as step t read it (kept for
 * trainBackward, which then evaluates no tanh); pY [T][O][BP]. pD: scratch [N][BP].
 */
export function trainForward(
  N: i32,
  BP: i32,
  T: i32,
  cx: f32,
  rs: f32,
  ax: f32,
  pW: usize,
  pX0: usize,
  U: i32,
  O: i32,
  pU: usize,
  pBx: usize,
  pC: usize,
  pd: usize,
  pX: usize,
  pPh: usize,
  pY: usize,
  pD: usize,
): void {
  const NB = N * BP;
  const vcx = f32x4.splat(cx);
  const vrs = f32x4.splat(rs);
  const vax = f32x4.splat(ax);
  const rowBytes = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const prev: usize = t == 0 ? pX0 : pX + ((<usize>((t - 1) * NB)) << 2);
    const cur: usize = pX + ((<usize>(t * NB)) << 2);
    projectStep(pD, pBx, 0, pU + <usize>(t * U) * rowBytes, N, U, BP);
    stepForward(N, BP, vcx, vrs, vax, pW, prev, cur, pPh + ((<usize>(t * NB)) << 2), pD);
    projectStep(pY + <usize>(t * O) * rowBytes, pC, pd, cur, O, N, BP);
  }
}

/**
 * The training step's BPTT from pdY, dL/dy [T][O][BP] (zero in pad lanes), with pX, pPh as
 * trainForward wrote them. Out (f64): pgW N×N, pgx0 [N], pgBx N×U, pgC O×N, pgd [O] (0: none).
 * Scratch pGX, pGXC, pDPH, pR, pDXT, pGD: [N][BP] each, and pAcc: N·N + N·U + O·N + O v128 slots.
 */
export function trainBackward(
  N: i32,
  BP: i32,
  T: i32,
  cx: f32,
  rs: f32,
  ax: f32,
  pW: usize,
  pX: usize,
  pPh: usize,
  U: i32,
  O: i32,
  pU: usize,
  pC: usize,
  pdY: usize,
  pgW: usize,
  pgx0: usize,
  pgBx: usize,
  pgC: usize,
  pgd: usize,
  pGX: usize,
  pGXC: usize,
  pDPH: usize,
  pR: usize,
  pDXT: usize,
  pGD: usize,
  pAcc: usize,
): void {
  const NB = N * BP;
  const vcx = f32x4.splat(cx);
  const vrs = f32x4.splat(rs);
  const vax = f32x4.splat(ax);
  const aBx = pAcc + ((<usize>(N * N)) << 4);
  const aC = aBx + ((<usize>(N * U)) << 4);
  const ad = aC + ((<usize>(O * N)) << 4);
  memory.fill(pGXC, 0, (<usize>NB) << 2);
  memory.fill(pAcc, 0, (<usize>(N * N + N * U + O * N + O)) << 4);
  const rowBytes = (<usize>BP) << 2;
  for (let t = T - 1; t >= 0; t--) {
    const off: usize = (<usize>(t * NB)) << 2;
    const dyt: usize = pdY + <usize>(t * O) * rowBytes;
    // The readout's share: dL/dx_t = Cᵀ dy_t, and C's (and d's) sums over x_t.
    projectBackStep(pDXT, pC, dyt, O, N, BP);
    projectGradStep(aC, pgd ? ad : 0, dyt, pX + off, O, N, BP);
    stepBackward(N, BP, vcx, vrs, vax, pW, pPh + off, pDXT, pGD, pGX, pGXC, pDPH, pR, pAcc);
    projectGradStep(aBx, 0, pGD, pU + <usize>(t * U) * rowBytes, N, U, BP);
  }
  flushRecurrent(N, BP, pgW, pgx0, pAcc, pGXC);
  flushProjectGrad(pgBx, 0, aBx, 0, N, U);
  flushProjectGrad(pgC, pgd, aC, ad, O, N);
}
