/**
 * The WebAssembly SIMD vanilla-RNN scan (rnn.as.ts) behind the same signatures as the TypeScript
 * loops of cpu/rnnScan.ts, which remain the fallback where WebAssembly SIMD is missing. Trials go
 * in the SIMD lanes (lanes.ts).
 */
import type { RnnScanAttrs } from '../attrs';
import { rnnLayout } from '../layout';
import { Arena, broadcast, fromLanes, laneModule, pad4, toLanes, type LaneWasm } from './lanes';
import { RNN_WASM_BASE64, RNN_RELAXED_WASM_BASE64 } from './rnnWasm.generated';

const rnnModule = laneModule(RNN_WASM_BASE64, RNN_RELAXED_WASM_BASE64);
/** The module, or null without WebAssembly SIMD (or when switched off). */
export const rnnSimd = rnnModule.get;
/** Force the TypeScript loops (tests of the fallback, benchmarks). */
export const setRnnSimdEnabled = rnnModule.setEnabled;

function constants(a: RnnScanAttrs): [number, number, number] {
  const ax = 1 / a.tau;
  return [1 - ax, ax * a.scale, ax];
}

export function rnnForwardSimd(
  wasm: LaneWasm,
  a: RnnScanAttrs,
  inp: { driveX: Float32Array; params: Float32Array },
  outX: Float32Array,
): void {
  const { B, T, N } = a;
  const BP = pad4(B);
  const lay = rnnLayout(N);
  const arena = new Arena();
  const pW = arena.alloc(N * N);
  const pX0 = arena.alloc(N * BP);
  const pD = arena.alloc(T * N * BP);
  const pX = arena.alloc(T * N * BP);
  const pPh = arena.alloc(N * BP);
  const stage = arena.alloc(B * T * N);
  const heap = arena.heap(wasm);
  heap.set(inp.params.subarray(lay.W, lay.W + N * N), pW);
  broadcast(heap, pX0, inp.params.subarray(lay.x0, lay.x0 + N), B);
  toLanes(wasm, stage, pD, inp.driveX, B, T, N);
  const [cx, rs, ax] = constants(a);
  wasm.forward(N, BP, T, cx, rs, ax, pW * 4, pX0 * 4, pD * 4, pX * 4, pPh * 4);
  fromLanes(wasm, stage, pX, outX, B, T, N);
}

export function rnnBackwardSimd(
  wasm: LaneWasm,
  a: RnnScanAttrs,
  inp: { params: Float32Array; x: Float32Array; dx: Float32Array },
  out: { driveX: Float32Array; params: Float32Array },
): void {
  const { B, T, N } = a;
  const BP = pad4(B);
  const lay = rnnLayout(N);
  const arena = new Arena();
  const pW = arena.alloc(N * N);
  const pX0 = arena.alloc(N * BP);
  const pX = arena.alloc(T * N * BP);
  const pdX = arena.alloc(T * N * BP);
  const pgD = arena.alloc(T * N * BP);
  const pgW = arena.alloc(2 * N * N); // f64
  const pgx0 = arena.alloc(2 * N); // f64
  const pPh = arena.alloc(N * BP);
  const pGX = arena.alloc(N * BP);
  const pGXC = arena.alloc(N * BP);
  const pDPH = arena.alloc(N * BP);
  const pR = arena.alloc(N * BP);
  const pAcc = arena.alloc(4 * N * N);
  const stage = arena.alloc(B * T * N);
  const heap = arena.heap(wasm);
  heap.set(inp.params.subarray(lay.W, lay.W + N * N), pW);
  broadcast(heap, pX0, inp.params.subarray(lay.x0, lay.x0 + N), B);
  toLanes(wasm, stage, pX, inp.x, B, T, N);
  toLanes(wasm, stage, pdX, inp.dx, B, T, N);
  const [cx, rs, ax] = constants(a);
  wasm.backward(
    N,
    BP,
    T,
    cx,
    rs,
    ax,
    pW * 4,
    pX0 * 4,
    pX * 4,
    pdX * 4,
    pgD * 4,
    pgW * 4,
    pgx0 * 4,
    pPh * 4,
    pGX * 4,
    pGXC * 4,
    pDPH * 4,
    pR * 4,
    pAcc * 4,
  );
  const buf = wasm.memory.buffer;
  fromLanes(wasm, stage, pgD, out.driveX, B, T, N);
  const gW = new Float64Array(buf, pgW * 4, N * N);
  const gx0 = new Float64Array(buf, pgx0 * 4, N);
  out.params.fill(0);
  for (let i = 0; i < N * N; i++) out.params[lay.W + i] = gW[i];
  for (let n = 0; n < N; n++) out.params[lay.x0 + n] = gx0[n];
}
