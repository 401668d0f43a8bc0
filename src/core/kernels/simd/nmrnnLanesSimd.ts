/**
 * The NM-RNN / low-rank RNN training step with the trials in the SIMD lanes (nmrnnLanes.as.ts):
 * like the vanilla RNN and LSTM steps (laneTrainSimd.ts), the inputs, targets and mask go into the
 * [T][rows][BP] layout once; the input drives, the scan, the readout, the masked MSE
 * (docs/SCIENCE.md §3), the backward and every weight gradient run in the module, and only the loss
 * and the packed gradient (nmrnnFactoredLayout) come out. Training only: no ablation, so s is the
 * sigmoid itself. The per-trial kernel (nmrnnSimd.ts) remains for the forward scans the page's
 * analyses run, and for the step where this module is switched off.
 */
import type { NmrnnScanUAttrs } from '../attrs';
import { nmrnnFactoredLayout } from '../layout';
import { rates } from './nmrnnSimd';
import { Arena, broadcast, copyF64s, heapF32, laneModule, type LaneWasm } from './lanes';
import { loadBatch, maskedMse, type LaneBatch } from './laneTrainSimd';
import {
  NMRNN_LANES_WASM_BASE64,
  NMRNN_LANES_RELAXED_WASM_BASE64,
} from './nmrnnLanesWasm.generated';

const lanesModule = laneModule(NMRNN_LANES_WASM_BASE64, NMRNN_LANES_RELAXED_WASM_BASE64);
/** The module, or null without WebAssembly SIMD (or when switched off). */
export const nmrnnLanesSimd = lanesModule.get;
/** Use the per-trial kernel for the step instead (tests, benchmarks). */
export const setNmrnnLanesEnabled = lanesModule.setEnabled;

/** The step's rates with their complements: cx, ax, rs, cz, az. */
function laneRates(a: NmrnnScanUAttrs): [number, number, number, number, number] {
  const [ax, rs, az] = rates(a);
  return [1 - ax, ax, rs, 1 - az, az];
}

/**
 * nmrnnLanes.as.ts backward's `want` bits (its WANT_* constants), by the parameter whose weight sums
 * each one turns on.
 */
const WANT_BIT: Record<string, number> = {
  L: 1,
  V: 2,
  Wz: 4,
  Az: 8,
  bz: 16,
  Wzx: 32,
  Bx: 64,
  Bz: 128,
  bzx: 128,
  C: 256,
  d: 256,
};

/** The `want` mask for these parameter names (undefined: every weight gradient). */
function wantMask(wants: readonly string[] | undefined): number {
  return (wants ?? Object.keys(WANT_BIT)).reduce((m, name) => m | (WANT_BIT[name] ?? 0), 0);
}

/**
 * The loss of one batch (over b.den), with the packed gradient written into `g` (every block; the
 * caller's zeroing is not needed). With `wants`, the blocks of parameters not named are zero: their
 * weight sums are skipped (a frozen group's gradient is dropped anyway).
 */
export function nmrnnLossGradLanes(
  wasm: LaneWasm,
  a: NmrnnScanUAttrs,
  params: Float32Array,
  b: LaneBatch,
  g: Float32Array,
  wants?: readonly string[],
): number {
  const { N, R, M, Ux, O } = a;
  const { T, U } = b;
  const lay = nmrnnFactoredLayout(a);
  const arena = new Arena();
  const batch = loadBatch(wasm, arena, b);
  const { BP } = batch;
  const NB = N * BP;
  const MB = M * BP;
  const RB = R * BP;
  const block = (at: number, len: number) => params.subarray(at, at + len);
  // Parameters (row-major, as packed).
  const pLt = arena.alloc(N * R);
  const pV = arena.alloc(N * R);
  const pWz = arena.alloc(M * M);
  const pAz = arena.alloc(R * M);
  const pbz = arena.alloc(R);
  const pWzx = a.feedback ? arena.alloc(M * N) : 0;
  const pBx = arena.alloc(N * Ux);
  const pBz = arena.alloc(M * U);
  const pbzx = a.biasZ ? arena.alloc(M) : 0;
  const pC = arena.alloc(O * N);
  const pd = a.biasY ? arena.alloc(O) : 0;
  const pX0 = arena.alloc(NB);
  const pZ0 = arena.alloc(MB);
  // Trajectories.
  const pX = arena.alloc(T * NB);
  const pZ = arena.alloc(T * MB);
  const pS = arena.alloc(T * RB);
  const pPh = arena.alloc(a.linear ? 0 : T * NB);
  const pQ = arena.alloc(T * RB);
  const pY = arena.alloc(T * O * BP);
  const pdY = arena.alloc(T * O * BP);
  // f64 gradients (two floats each), written by the module where wanted.
  const pgLt = arena.alloc(2 * N * R);
  const pgV = arena.alloc(2 * N * R);
  const pgWz = arena.alloc(2 * M * M);
  const pgAz = arena.alloc(2 * R * M);
  const pgbz = arena.alloc(2 * R);
  const pgWzx = arena.alloc(a.feedback ? 2 * M * N : 0);
  const pgx0 = arena.alloc(2 * N);
  const pgz0 = arena.alloc(2 * M);
  const pgBx = arena.alloc(2 * N * Ux);
  const pgBz = arena.alloc(2 * M * U);
  const pgbzx = a.biasZ ? arena.alloc(2 * M) : 0;
  const pgC = arena.alloc(2 * O * N);
  const pgd = a.biasY ? arena.alloc(2 * O) : 0;
  // One time step's rows.
  const [pGX, pGXC, pDPH, pDXT, pGDX, pDX] = [0, 1, 2, 3, 4, 5].map(() => arena.alloc(NB));
  const [pPhz, pGZ, pGZC, pRZ, pDZ] = [0, 1, 2, 3, 4].map(() => arena.alloc(MB));
  const [pW, pDQ, pDP] = [0, 1, 2].map(() => arena.alloc(RB));
  const pAcc = arena.alloc(
    4 * (2 * N * R + M * M + R * M + (a.feedback ? M * N : 0) + N * Ux + M * U + M + O * N + O),
  );
  batch.finish();
  const heap = heapF32(wasm);
  heap.set(block(lay.Lt, N * R), pLt);
  heap.set(block(lay.V, N * R), pV);
  heap.set(block(lay.Wz, M * M), pWz);
  heap.set(block(lay.Az, R * M), pAz);
  heap.set(block(lay.bz, M > 0 ? R : 0), pbz);
  if (pWzx) heap.set(block(lay.Wzx, M * N), pWzx);
  heap.set(block(lay.Bx, N * Ux), pBx);
  heap.set(block(lay.Bz, M * U), pBz);
  if (pbzx) heap.set(block(lay.bzx, M), pbzx);
  heap.set(block(lay.C, O * N), pC);
  if (pd) heap.set(block(lay.d, O), pd);
  broadcast(heap, pX0, block(lay.x0, N), b.B);
  broadcast(heap, pZ0, block(lay.z0, M), b.B);
  const [cx, ax, rs, cz, az] = laneRates(a);
  const lin = a.linear ? 1 : 0;
  wasm.forward(
    N, R, M, BP, T, lin, cx, ax, rs, cz, az,
    pLt * 4, pV * 4, pWz * 4, pAz * 4, pbz * 4, pWzx * 4, pX0 * 4, pZ0 * 4,
    U, Ux, O, batch.pU * 4, pBx * 4, pBz * 4, pbzx * 4, pC * 4, pd * 4,
    pX * 4, pZ * 4, pS * 4, pPh * 4, pQ * 4, pY * 4, pPhz * 4, pW * 4, pDX * 4, pDZ * 4,
  ); // prettier-ignore
  const loss = maskedMse(wasm, batch, b, pY, pdY);
  const mask = wantMask(wants);
  wasm.backward(
    N, R, M, BP, T, lin, cx, ax, rs, cz, az,
    pLt * 4, pV * 4, pWz * 4, pAz * 4, pWzx * 4, pX0 * 4, pZ0 * 4, pX * 4, pZ * 4, pS * 4,
    pPh * 4, pQ * 4, U, Ux, O, batch.pU * 4, pC * 4, pdY * 4,
    pgLt * 4, pgV * 4, pgWz * 4, pgAz * 4, pgbz * 4, pgWzx * 4, pgx0 * 4, pgz0 * 4,
    pgBx * 4, pgBz * 4, pgbzx * 4, pgC * 4, pgd * 4,
    pGX * 4, pGXC * 4, pDPH * 4, pPhz * 4, pGZ * 4, pGZC * 4, pDQ * 4, pDP * 4,
    pDXT * 4, pGDX * 4, pRZ * 4, pAcc * 4, mask,
  ); // prettier-ignore
  g.fill(0);
  // A block whose weight sums were skipped was never written: it stays zero.
  const out = (at: number, src: number, len: number, name: string) => {
    if (mask & (WANT_BIT[name] ?? ~0)) copyF64s(wasm, src, len, g, at);
  };
  out(lay.Lt, pgLt, N * R, 'L');
  out(lay.V, pgV, N * R, 'V');
  out(lay.Wz, pgWz, M * M, 'Wz');
  out(lay.Az, pgAz, R * M, 'Az');
  out(lay.bz, pgbz, M > 0 ? R : 0, 'bz');
  if (a.feedback) out(lay.Wzx, pgWzx, M * N, 'Wzx');
  out(lay.x0, pgx0, N, 'x0');
  out(lay.z0, pgz0, M, 'z0');
  out(lay.Bx, pgBx, N * Ux, 'Bx');
  if (M > 0) out(lay.Bz, pgBz, M * U, 'Bz');
  if (a.biasZ) out(lay.bzx, pgbzx, M, 'bzx');
  out(lay.C, pgC, O * N, 'C');
  if (a.biasY) out(lay.d, pgd, O, 'd');
  return loss;
}
