/**
 * The whole training step of the trial-lane models (vanilla RNN, LSTM) in their SIMD modules:
 * inputs, targets and mask go into the [T][rows][BP] layout once; the input projection, the scan,
 * the readout, the masked MSE (docs/SCIENCE.md §3) and its gradient, the backward and the weight
 * gradients of both projections all run in the module; only the loss and the parameter gradients
 * come out. The fused training-step kernels (cpu/laneLossGradKernels.ts) call these.
 */
import { Arena, broadcast, copyF64s, heapF32, pad4, toLanes, type LaneWasm } from './lanes';

/**
 * One batch: inputs [B, T, U], targets [B, T, O], mask [B, T], and the loss's denominator
 * sum(mask)·O (the whole batch's when this is one part of it).
 */
export interface LaneBatch {
  B: number;
  T: number;
  U: number;
  O: number;
  u: Float32Array;
  targets: Float32Array;
  mask: Float32Array;
  den: number;
}

/** Where the batch lives in the module. */
export interface LaneData {
  BP: number;
  pU: number;
  pTarget: number;
  pMask: number;
}

/** Copies the batch into lanes (through one staging area sized for the widest of u, targets, mask). */
export function loadBatch(
  wasm: LaneWasm,
  arena: Arena,
  b: LaneBatch,
): LaneData & { finish: () => void } {
  const BP = pad4(b.B);
  const pU = arena.alloc(b.T * b.U * BP);
  const pTarget = arena.alloc(b.T * b.O * BP);
  const pMask = arena.alloc(b.T * BP);
  const stage = arena.alloc(b.B * b.T * Math.max(b.U, b.O, 1));
  return {
    BP,
    pU,
    pTarget,
    pMask,
    // Called once every block is allocated (the heap may grow only then).
    finish: () => {
      arena.heap(wasm);
      toLanes(wasm, stage, pU, b.u, b.B, b.T, b.U);
      toLanes(wasm, stage, pTarget, b.targets, b.B, b.T, b.O);
      toLanes(wasm, stage, pMask, b.mask, b.B, b.T, 1);
    },
  };
}

/** The training step's scans of the RNN and LSTM modules (lanes.ts LaneWasm). */
function trainScans(wasm: LaneWasm): { forward: LaneScan; backward: LaneScan } {
  const { trainForward: forward, trainBackward: backward } = wasm;
  if (!forward || !backward) throw new Error('this SIMD module has no training-step scans');
  return { forward, backward };
}

type LaneScan = (...args: number[]) => void;

/** The loss and dL/dy ([T][O][BP] at pdY) from y at pY, over the batch's denominator b.den. */
export function maskedMse(
  wasm: LaneWasm,
  d: LaneData,
  b: LaneBatch,
  pY: number,
  pdY: number,
): number {
  const num = wasm.maskedMseLanes(
    pY * 4,
    d.pTarget * 4,
    d.pMask * 4,
    pdY * 4,
    b.T,
    b.O,
    d.BP,
    2 / b.den,
  );
  return num / b.den;
}

export interface RnnStepParams {
  W: Float32Array;
  Bx: Float32Array;
  C: Float32Array;
  /** Absent without a readout bias. */
  d?: Float32Array;
  x0: Float32Array;
}

/** Gradients of the vanilla RNN's trainable parameters (f64 sums cast to f32 on the way out). */
export type RnnStepGrads = Omit<RnnStepParams, 'x0'>;

export function rnnLossGradSimd(
  wasm: LaneWasm,
  a: { N: number; tau: number; scale: number },
  p: RnnStepParams,
  b: LaneBatch,
  g: RnnStepGrads,
): number {
  const { N } = a;
  const { T, U, O } = b;
  const arena = new Arena();
  const batch = loadBatch(wasm, arena, b);
  const { BP } = batch;
  const NB = N * BP;
  const pW = arena.alloc(N * N);
  const pX0 = arena.alloc(NB);
  const pBx = arena.alloc(N * U);
  const pC = arena.alloc(O * N);
  const pd = p.d ? arena.alloc(O) : 0;
  const pX = arena.alloc(T * NB);
  const pPh = arena.alloc(T * NB);
  const pY = arena.alloc(T * O * BP);
  const pdY = arena.alloc(T * O * BP);
  const pgW = arena.alloc(2 * N * N);
  const pgx0 = arena.alloc(2 * N);
  const pgBx = arena.alloc(2 * N * U);
  const pgC = arena.alloc(2 * O * N);
  const pgd = p.d ? arena.alloc(2 * O) : 0;
  const [pD, pGX, pGXC, pDPH, pR, pDXT, pGD] = [0, 1, 2, 3, 4, 5, 6].map(() => arena.alloc(NB));
  const pAcc = arena.alloc(4 * (N * N + N * U + O * N + O));
  batch.finish();
  const heap = heapF32(wasm);
  heap.set(p.W, pW);
  broadcast(heap, pX0, p.x0, b.B);
  heap.set(p.Bx, pBx);
  heap.set(p.C, pC);
  if (p.d) heap.set(p.d, pd);
  const ax = 1 / a.tau;
  const [cx, rs] = [1 - ax, ax * a.scale];
  const pU = batch.pU * 4;
  trainScans(wasm).forward(
    N, BP, T, cx, rs, ax, pW * 4, pX0 * 4, U, O, pU, pBx * 4, pC * 4, pd * 4,
    pX * 4, pPh * 4, pY * 4, pD * 4,
  ); // prettier-ignore
  const loss = maskedMse(wasm, batch, b, pY, pdY);
  trainScans(wasm).backward(
    N, BP, T, cx, rs, ax, pW * 4, pX * 4, pPh * 4, U, O, pU, pC * 4, pdY * 4,
    pgW * 4, pgx0 * 4, pgBx * 4, pgC * 4, pgd * 4,
    pGX * 4, pGXC * 4, pDPH * 4, pR * 4, pDXT * 4, pGD * 4, pAcc * 4,
  ); // prettier-ignore
  copyF64s(wasm, pgW, N * N, g.W);
  copyF64s(wasm, pgBx, N * U, g.Bx);
  copyF64s(wasm, pgC, O * N, g.C);
  if (g.d) copyF64s(wasm, pgd, O, g.d);
  return loss;
}

/** The LSTM's parameters with the four gates stacked (i, f, g, o): Win 4N×U, Wh 4N×N, bias 4N. */
export interface LstmStepParams {
  Win: Float32Array;
  Wh: Float32Array;
  bias: Float32Array;
  C: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
}

export type LstmStepGrads = Omit<LstmStepParams, 'h0' | 'c0'>;

export function lstmLossGradSimd(
  wasm: LaneWasm,
  a: { N: number },
  p: LstmStepParams,
  b: LaneBatch,
  g: LstmStepGrads,
): number {
  const { N } = a;
  const G = 4 * N;
  const { T, U, O } = b;
  const arena = new Arena();
  const batch = loadBatch(wasm, arena, b);
  const { BP } = batch;
  const NB = N * BP;
  const GB = G * BP;
  const pWh = arena.alloc(G * N);
  const pH0 = arena.alloc(NB);
  const pC0 = arena.alloc(NB);
  const pWin = arena.alloc(G * U);
  const pBias = arena.alloc(G);
  const pC = arena.alloc(O * N);
  const pH = arena.alloc(T * NB);
  const pCell = arena.alloc(T * NB);
  const pQ = arena.alloc(T * GB);
  const pY = arena.alloc(T * O * BP);
  const pdY = arena.alloc(T * O * BP);
  const pgWh = arena.alloc(2 * G * N);
  const pgh0 = arena.alloc(2 * N);
  const pgc0 = arena.alloc(2 * N);
  const pgWin = arena.alloc(2 * G * U);
  const pgBias = arena.alloc(2 * G);
  const pgC = arena.alloc(2 * O * N);
  const [pGHC, pGCC, pDH, pZN] = [0, 1, 2, 3].map(() => arena.alloc(NB));
  const [pD, pPre, pDP, pZG] = [0, 1, 2, 3].map(() => arena.alloc(GB));
  const pAcc = arena.alloc(4 * (G * N + G * U + G + O * N));
  batch.finish();
  const heap = heapF32(wasm);
  heap.set(p.Wh, pWh);
  broadcast(heap, pH0, p.h0, b.B);
  broadcast(heap, pC0, p.c0, b.B);
  heap.set(p.Win, pWin);
  heap.set(p.bias, pBias);
  heap.set(p.C, pC);
  const pU = batch.pU * 4;
  trainScans(wasm).forward(
    N, BP, T, pWh * 4, pH0 * 4, pC0 * 4, U, O, pU, pWin * 4, pBias * 4, pC * 4,
    pH * 4, pCell * 4, pQ * 4, pY * 4, pD * 4, pPre * 4,
  ); // prettier-ignore
  const loss = maskedMse(wasm, batch, b, pY, pdY);
  trainScans(wasm).backward(
    N, BP, T, pWh * 4, pH0 * 4, pC0 * 4, pH * 4, pCell * 4, pQ * 4, U, O, pU, pC * 4, pdY * 4,
    pgWh * 4, pgh0 * 4, pgc0 * 4, pgWin * 4, pgBias * 4, pgC * 4,
    pGHC * 4, pGCC * 4, pDH * 4, pZN * 4, pDP * 4, pZG * 4, pAcc * 4,
  ); // prettier-ignore
  copyF64s(wasm, pgWh, G * N, g.Wh);
  copyF64s(wasm, pgWin, G * U, g.Win);
  copyF64s(wasm, pgBias, G, g.bias);
  copyF64s(wasm, pgC, O * N, g.C);
  return loss;
}
