/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled by build.mjs
// into lstmWasm.generated.ts; TypeScript's checker does not know these types.
/**
 * The LSTM scan of cpu/lstmScan.ts in WebAssembly SIMD with the **trials in the lanes**: every
 * per-unit quantity is stored [rows][BP] (BP = B rounded up to 4), so an LSTM of N = 8 or 15 units
 * wastes no lanes. lstmSimd.ts owns the layout and passes byte offsets; pad lanes carry zeros in.
 * Gate order i, f, g, o; σ(x) = ½ + ½ tanh(x/2) with the project's rational tanh (fastTanh.ts).
 * Weight gradients are summed in f64.
 */

import { hsum64 as hsum, tanh4 } from './tanh.as';

export { toLanes, fromLanes } from './lanes.as';
export { maskedMseLanes } from './laneTrain.as';
import { outerSums, weightedRows } from './laneDots.as';
import { madd, nmadd } from './madd.as';
import { flushProjectGrad, projectBackStep, projectGradStep, projectStep } from './laneTrain.as';

function sigmoid4(x: v128): v128 {
  const half = f32x4.splat(0.5);
  return madd(half, tanh4(f32x4.mul(half, x)), half);
}

function at(base: usize, row: i32, BP: i32, b: i32): usize {
  return base + ((<usize>(row * BP + b)) << 2);
}

/**
 * One step: pre = drive d [4N][BP] + Wh h_{t−1} (into pPre), the gates q [4N][BP] after their
 * nonlinearity, and the states cCur, hCur [N][BP].
 */
function stepForward(
  N: i32,
  BP: i32,
  pWh: usize,
  hPrev: usize,
  cPrev: usize,
  d: usize,
  hCur: usize,
  cCur: usize,
  q: usize,
  pPre: usize,
): void {
  const G = 4 * N;
  // pre = drive + Wh h_{t−1}, one gate row at a time.
  const rowBytes = (<usize>BP) << 2;
  for (let j = 0; j < G; j++) {
    const jo = (<usize>(j * BP)) << 2;
    weightedRows(pPre + jo, d + jo, pWh + ((<usize>(j * N)) << 2), 4, hPrev, rowBytes, N, BP);
  }
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < BP; b += 4) {
      const i = sigmoid4(v128.load(at(pPre, n, BP, b)));
      const f = sigmoid4(v128.load(at(pPre, N + n, BP, b)));
      const g = tanh4(v128.load(at(pPre, 2 * N + n, BP, b)));
      const o = sigmoid4(v128.load(at(pPre, 3 * N + n, BP, b)));
      const c = madd(f, v128.load(at(cPrev, n, BP, b)), f32x4.mul(i, g));
      v128.store(at(cCur, n, BP, b), c);
      v128.store(at(hCur, n, BP, b), f32x4.mul(o, tanh4(c)));
      v128.store(at(q, n, BP, b), i);
      v128.store(at(q, N + n, BP, b), f);
      v128.store(at(q, 2 * N + n, BP, b), g);
      v128.store(at(q, 3 * N + n, BP, b), o);
    }
  }
}

/**
 * One step back from the gradients from outside the recurrence, dh, dc [N][BP] and dq [4N][BP], and
 * the carried pGHC, pGCC [N][BP] (updated to dL/dh_{t−1}, dL/dc_{t−1}): the gates' gradient dp
 * [4N][BP] (the drive's) and Wh's lane sums into pAcc (4N·N v128 slots).
 */
function stepBackward(
  N: i32,
  BP: i32,
  pWh: usize,
  hPrev: usize,
  cPrev: usize,
  cCur: usize,
  q: usize,
  dh: usize,
  dc: usize,
  dq: usize,
  dp: usize,
  pGHC: usize,
  pGCC: usize,
  pAcc: usize,
): void {
  const G = 4 * N;
  const one = f32x4.splat(1.0);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < BP; b += 4) {
      const i = v128.load(at(q, n, BP, b));
      const f = v128.load(at(q, N + n, BP, b));
      const gg = v128.load(at(q, 2 * N + n, BP, b));
      const o = v128.load(at(q, 3 * N + n, BP, b));
      const tc = tanh4(v128.load(at(cCur, n, BP, b)));
      const gH = f32x4.add(v128.load(at(dh, n, BP, b)), v128.load(at(pGHC, n, BP, b)));
      const gC = f32x4.add(
        f32x4.add(v128.load(at(dc, n, BP, b)), v128.load(at(pGCC, n, BP, b))),
        f32x4.mul(f32x4.mul(gH, o), nmadd(tc, tc, one)),
      );
      const dI = madd(gC, gg, v128.load(at(dq, n, BP, b)));
      const dF = madd(gC, v128.load(at(cPrev, n, BP, b)), v128.load(at(dq, N + n, BP, b)));
      const dG = madd(gC, i, v128.load(at(dq, 2 * N + n, BP, b)));
      const dO = madd(gH, tc, v128.load(at(dq, 3 * N + n, BP, b)));
      v128.store(at(pGCC, n, BP, b), f32x4.mul(gC, f));
      v128.store(at(dp, n, BP, b), f32x4.mul(dI, f32x4.mul(i, f32x4.sub(one, i))));
      v128.store(at(dp, N + n, BP, b), f32x4.mul(dF, f32x4.mul(f, f32x4.sub(one, f))));
      v128.store(at(dp, 2 * N + n, BP, b), f32x4.mul(dG, nmadd(gg, gg, one)));
      v128.store(at(dp, 3 * N + n, BP, b), f32x4.mul(dO, f32x4.mul(o, f32x4.sub(one, o))));
    }
  }
  // The carried h gradient Whᵀ dpre (summed over gates in order), then dWh += dpre h_{t−1}ᵀ.
  const rowBytes = (<usize>BP) << 2;
  for (let n = 0; n < N; n++) {
    const wCol = pWh + ((<usize>n) << 2);
    weightedRows(at(pGHC, n, BP, 0), 0, wCol, (<usize>N) << 2, dp, rowBytes, G, BP);
  }
  outerSums(pAcc, dp, G, hPrev, N, BP);
}

/** Wh's f64 gradient from its lane sums, and h0's and c0's from the gradients carried to t = 0. */
function flushRecurrent(
  N: i32,
  BP: i32,
  pgWh: usize,
  pgh0: usize,
  pgc0: usize,
  pGHC: usize,
  pGCC: usize,
  pAcc: usize,
): void {
  for (let k = 0; k < 4 * N * N; k++)
    store<f64>(pgWh + ((<usize>k) << 3), hsum(v128.load(pAcc + ((<usize>k) << 4))));
  for (let n = 0; n < N; n++) {
    let sh: f64 = 0;
    let sc: f64 = 0;
    for (let b = 0; b < BP; b++) {
      sh += <f64>load<f32>(at(pGHC, n, BP, b));
      sc += <f64>load<f32>(at(pGCC, n, BP, b));
    }
    store<f64>(pgh0 + ((<usize>n) << 3), sh);
    store<f64>(pgc0 + ((<usize>n) << 3), sc);
  }
}

/**
 * The scan (cpu/lstmScan.ts's signature): pWh: Wh (4N×N, row-major f32); pH0, pC0: initial states
 * broadcast [N][BP]; pD: drive [T][4N][BP]; outputs pH, pC [T][N][BP] and pQ (gates after their
 * nonlinearity) [T][4N][BP]; pPre: [4N][BP].
 */
export function forward(
  N: i32,
  BP: i32,
  T: i32,
  pWh: usize,
  pH0: usize,
  pC0: usize,
  pD: usize,
  pH: usize,
  pC: usize,
  pQ: usize,
  pPre: usize,
): void {
  const NB = N * BP;
  const GB = 4 * NB;
  for (let t = 0; t < T; t++) {
    const hPrev: usize = t == 0 ? pH0 : pH + ((<usize>((t - 1) * NB)) << 2);
    const cPrev: usize = t == 0 ? pC0 : pC + ((<usize>((t - 1) * NB)) << 2);
    const nOff: usize = (<usize>(t * NB)) << 2;
    const gOff: usize = (<usize>(t * GB)) << 2;
    stepForward(N, BP, pWh, hPrev, cPrev, pD + gOff, pH + nOff, pC + nOff, pQ + gOff, pPre);
  }
}

/**
 * The scan's BPTT. Upstream gradients pdH, pdC [T][N][BP] and pdQ [T][4N][BP] (zero in pad lanes);
 * outputs the drive gradient pgD [T][4N][BP] and, in f64, pgWh (4N×N), pgh0 and pgc0 (N each).
 * Scratch: pGHC, pGCC [N][BP]; pAcc, 4N·N v128 slots: Wh's gradient as four f32 lane sums per
 * entry until the end of the scan.
 */
export function backward(
  N: i32,
  BP: i32,
  T: i32,
  pWh: usize,
  pH0: usize,
  pC0: usize,
  pH: usize,
  pC: usize,
  pQ: usize,
  pdH: usize,
  pdC: usize,
  pdQ: usize,
  pgD: usize,
  pgWh: usize,
  pgh0: usize,
  pgc0: usize,
  pGHC: usize,
  pGCC: usize,
  pAcc: usize,
): void {
  const NB = N * BP;
  const GB = 4 * NB;
  memory.fill(pGHC, 0, (<usize>NB) << 2);
  memory.fill(pGCC, 0, (<usize>NB) << 2);
  memory.fill(pAcc, 0, (<usize>(4 * N * N)) << 4);
  for (let t = T - 1; t >= 0; t--) {
    const hPrev: usize = t == 0 ? pH0 : pH + ((<usize>((t - 1) * NB)) << 2);
    const cPrev: usize = t == 0 ? pC0 : pC + ((<usize>((t - 1) * NB)) << 2);
    const nOff: usize = (<usize>(t * NB)) << 2;
    const gOff: usize = (<usize>(t * GB)) << 2;
    stepBackward(
      N, BP, pWh, hPrev, cPrev, pC + nOff, pQ + gOff, pdH + nOff, pdC + nOff, pdQ + gOff,
      pgD + gOff, pGHC, pGCC, pAcc,
    ); // prettier-ignore
  }
  flushRecurrent(N, BP, pgWh, pgh0, pgc0, pGHC, pGCC, pAcc);
}

/**
 * The training step's forward: the scan with the input projection (pU inputs [T][U][BP], pWin
 * 4N×U, pBias [4N]) and the readout (pCo O×N, no bias) formed one step at a time, so no [T]-long
 * drive goes out to memory and back. Out: pH, pC, pQ as forward's, pY [T][O][BP]. Scratch: pD,
 * pPre [4N][BP].
 */
export function trainForward(
  N: i32,
  BP: i32,
  T: i32,
  pWh: usize,
  pH0: usize,
  pC0: usize,
  U: i32,
  O: i32,
  pU: usize,
  pWin: usize,
  pBias: usize,
  pCo: usize,
  pH: usize,
  pC: usize,
  pQ: usize,
  pY: usize,
  pD: usize,
  pPre: usize,
): void {
  const G = 4 * N;
  const NB = N * BP;
  const GB = G * BP;
  const rowBytes = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const hPrev: usize = t == 0 ? pH0 : pH + ((<usize>((t - 1) * NB)) << 2);
    const cPrev: usize = t == 0 ? pC0 : pC + ((<usize>((t - 1) * NB)) << 2);
    const hCur: usize = pH + ((<usize>(t * NB)) << 2);
    const cCur: usize = pC + ((<usize>(t * NB)) << 2);
    projectStep(pD, pWin, pBias, pU + <usize>(t * U) * rowBytes, G, U, BP);
    stepForward(N, BP, pWh, hPrev, cPrev, pD, hCur, cCur, pQ + ((<usize>(t * GB)) << 2), pPre);
    projectStep(pY + <usize>(t * O) * rowBytes, pCo, 0, hCur, O, N, BP);
  }
}

/**
 * The training step's BPTT from pdY, dL/dy [T][O][BP] (zero in pad lanes), with pH, pC, pQ as
 * trainForward wrote them. Out (f64): pgWh 4N×N, pgh0, pgc0 [N], pgWin 4N×U, pgBias [4N], pgCo
 * O×N. Scratch: pGHC, pGCC, pDH, pZN [N][BP]; pDP, pZG [4N][BP]; pAcc, 4N·N + 4N·U + 4N + O·N
 * v128 slots.
 */
export function trainBackward(
  N: i32,
  BP: i32,
  T: i32,
  pWh: usize,
  pH0: usize,
  pC0: usize,
  pH: usize,
  pC: usize,
  pQ: usize,
  U: i32,
  O: i32,
  pU: usize,
  pCo: usize,
  pdY: usize,
  pgWh: usize,
  pgh0: usize,
  pgc0: usize,
  pgWin: usize,
  pgBias: usize,
  pgCo: usize,
  pGHC: usize,
  pGCC: usize,
  pDH: usize,
  pZN: usize,
  pDP: usize,
  pZG: usize,
  pAcc: usize,
): void {
  const G = 4 * N;
  const NB = N * BP;
  const GB = G * BP;
  const aWin = pAcc + ((<usize>(G * N)) << 4);
  const aBias = aWin + ((<usize>(G * U)) << 4);
  const aCo = aBias + ((<usize>G) << 4);
  memory.fill(pGHC, 0, (<usize>NB) << 2);
  memory.fill(pGCC, 0, (<usize>NB) << 2);
  // No gradient reaches c or the gates from outside the recurrence in training.
  memory.fill(pZN, 0, (<usize>NB) << 2);
  memory.fill(pZG, 0, (<usize>GB) << 2);
  memory.fill(pAcc, 0, (<usize>(G * N + G * U + G + O * N)) << 4);
  const rowBytes = (<usize>BP) << 2;
  for (let t = T - 1; t >= 0; t--) {
    const hPrev: usize = t == 0 ? pH0 : pH + ((<usize>((t - 1) * NB)) << 2);
    const cPrev: usize = t == 0 ? pC0 : pC + ((<usize>((t - 1) * NB)) << 2);
    const nOff: usize = (<usize>(t * NB)) << 2;
    const dyt: usize = pdY + <usize>(t * O) * rowBytes;
    // The readout's share: dL/dh_t = Cᵀ dy_t, and C's sums over h_t.
    projectBackStep(pDH, pCo, dyt, O, N, BP);
    projectGradStep(aCo, 0, dyt, pH + nOff, O, N, BP);
    stepBackward(
      N, BP, pWh, hPrev, cPrev, pC + nOff, pQ + ((<usize>(t * GB)) << 2), pDH, pZN, pZG, pDP,
      pGHC, pGCC, pAcc,
    ); // prettier-ignore
    projectGradStep(aWin, aBias, pDP, pU + <usize>(t * U) * rowBytes, G, U, BP);
  }
  flushRecurrent(N, BP, pgWh, pgh0, pgc0, pGHC, pGCC, pAcc);
  flushProjectGrad(pgWin, pgBias, aWin, aBias, G, U);
  flushProjectGrad(pgCo, 0, aCo, 0, O, N);
}
