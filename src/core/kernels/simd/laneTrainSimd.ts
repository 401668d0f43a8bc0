/**
 * The whole training step of the trial-lane models (vanilla RNN, LSTM) in their SIMD modules:
 * inputs, targets and mask go into the [T][rows][BP] layout once; the input projection, the scan,
 * the readout, the masked MSE (docs/SCIENCE.md §3) and its gradient, the backward and the weight
 * gradients of both projections all run in the module; only the loss and the parameter gradients
 * come out. The fused training-step kernels (cpu/laneLossGradKernels.ts) call these.
 */
import { Arena, broadcast, pad4, toLanes, type LaneWasm } from './lanes';

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

/** Scratch for projectGradLanes's lane sums, enough for each [P, J] projection given. */
export function projectGradScratch(arena: Arena, ...shapes: [number, number][]): number {
  return arena.alloc(4 * Math.max(...shapes.map(([P, J]) => P * J + P)));
}

/** f64 block at float offset `at` of the module's memory. */
export function f64s(wasm: LaneWasm, at: number, n: number): Float64Array {
  return new Float64Array(wasm.memory.buffer, at * 4, n);
}

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
  const pD = arena.alloc(T * NB);
  const pX = arena.alloc(T * NB);
  const pY = arena.alloc(T * O * BP);
  const pdY = arena.alloc(T * O * BP);
  const pdX = arena.alloc(T * NB);
  const pgD = arena.alloc(T * NB);
  const pgW = arena.alloc(2 * N * N);
  const pgx0 = arena.alloc(2 * N);
  const pgBx = arena.alloc(2 * N * U);
  const pgC = arena.alloc(2 * O * N);
  const pgd = arena.alloc(2 * O);
  const scratch = [0, 1, 2, 3, 4].map(() => arena.alloc(NB));
  const pAccW = arena.alloc(4 * N * N);
  const pAccP = projectGradScratch(arena, [N, U], [O, N]);
  batch.finish();
  const heap = new Float32Array(wasm.memory.buffer);
  heap.set(p.W, pW);
  broadcast(heap, pX0, p.x0, b.B);
  heap.set(p.Bx, pBx);
  heap.set(p.C, pC);
  if (p.d) heap.set(p.d, pd);
  const ax = 1 / a.tau;
  wasm.projectLanes(pD * 4, pBx * 4, 0, batch.pU * 4, U, T, N, U, BP);
  wasm.forward(N, BP, T, 1 - ax, ax * a.scale, ax, pW * 4, pX0 * 4, pD * 4, pX * 4, scratch[0] * 4);
  wasm.projectLanes(pY * 4, pC * 4, pd * 4, pX * 4, N, T, O, N, BP);
  const loss = maskedMse(wasm, batch, b, pY, pdY);
  wasm.projectBackLanes(pdX * 4, pC * 4, pdY * 4, T, O, N, BP);
  wasm.backward(
    N, BP, T, 1 - ax, ax * a.scale, ax, pW * 4, pX0 * 4, pX * 4, pdX * 4, pgD * 4, pgW * 4,
    pgx0 * 4, ...scratch.map((s) => s * 4), pAccW * 4,
  ); // prettier-ignore
  wasm.projectGradLanes(pgBx * 4, 0, pgD * 4, batch.pU * 4, U, T, N, U, BP, pAccP * 4);
  wasm.projectGradLanes(pgC * 4, pgd * 4, pdY * 4, pX * 4, N, T, O, N, BP, pAccP * 4);
  g.W.set(f64s(wasm, pgW, N * N));
  g.Bx.set(f64s(wasm, pgBx, N * U));
  g.C.set(f64s(wasm, pgC, O * N));
  if (g.d) g.d.set(f64s(wasm, pgd, O));
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
  const pWh = arena.alloc(G * N);
  const pH0 = arena.alloc(NB);
  const pC0 = arena.alloc(NB);
  const pWin = arena.alloc(G * U);
  const pBias = arena.alloc(G);
  const pC = arena.alloc(O * N);
  const pD = arena.alloc(T * G * BP);
  const pH = arena.alloc(T * NB);
  const pCell = arena.alloc(T * NB);
  const pQ = arena.alloc(T * G * BP);
  const pPre = arena.alloc(G * BP);
  const pY = arena.alloc(T * O * BP);
  const pdY = arena.alloc(T * O * BP);
  // dL/dh, dL/dc and dL/d(gates) from outside the readout: contiguous, cleared with one fill.
  const pdH = arena.alloc(T * NB);
  const pdC = arena.alloc(T * NB);
  const pdQ = arena.alloc(T * G * BP);
  const zeroEnd = arena.alloc(0);
  const pgD = arena.alloc(T * G * BP);
  const pgWh = arena.alloc(2 * G * N);
  const pgh0 = arena.alloc(2 * N);
  const pgc0 = arena.alloc(2 * N);
  const pGHC = arena.alloc(NB);
  const pGCC = arena.alloc(NB);
  const pgWin = arena.alloc(2 * G * U);
  const pgBias = arena.alloc(2 * G);
  const pgC = arena.alloc(2 * O * N);
  const pAccW = arena.alloc(4 * G * N);
  const pAccP = projectGradScratch(arena, [G, U], [O, N]);
  batch.finish();
  const heap = new Float32Array(wasm.memory.buffer);
  heap.set(p.Wh, pWh);
  broadcast(heap, pH0, p.h0, b.B);
  broadcast(heap, pC0, p.c0, b.B);
  heap.set(p.Win, pWin);
  heap.set(p.bias, pBias);
  heap.set(p.C, pC);
  wasm.projectLanes(pD * 4, pWin * 4, pBias * 4, batch.pU * 4, U, T, G, U, BP);
  wasm.forward(N, BP, T, pWh * 4, pH0 * 4, pC0 * 4, pD * 4, pH * 4, pCell * 4, pQ * 4, pPre * 4);
  wasm.projectLanes(pY * 4, pC * 4, 0, pH * 4, N, T, O, N, BP);
  const loss = maskedMse(wasm, batch, b, pY, pdY);
  new Float32Array(wasm.memory.buffer).fill(0, pdH, zeroEnd);
  wasm.projectBackLanes(pdH * 4, pC * 4, pdY * 4, T, O, N, BP);
  wasm.backward(
    N, BP, T, pWh * 4, pH0 * 4, pC0 * 4, pH * 4, pCell * 4, pQ * 4, pdH * 4, pdC * 4, pdQ * 4,
    pgD * 4, pgWh * 4, pgh0 * 4, pgc0 * 4, pGHC * 4, pGCC * 4, pAccW * 4,
  ); // prettier-ignore
  wasm.projectGradLanes(pgWin * 4, pgBias * 4, pgD * 4, batch.pU * 4, U, T, G, U, BP, pAccP * 4);
  wasm.projectGradLanes(pgC * 4, 0, pdY * 4, pH * 4, N, T, O, N, BP, pAccP * 4);
  g.Wh.set(f64s(wasm, pgWh, G * N));
  g.Win.set(f64s(wasm, pgWin, G * U));
  g.bias.set(f64s(wasm, pgBias, G));
  g.C.set(f64s(wasm, pgC, O * N));
  return loss;
}
