/**
 * The WebAssembly SIMD LSTM scan (lstm.as.ts) behind the same signatures as the TypeScript loops of
 * cpu/lstmScan.ts, which remain the fallback where WebAssembly SIMD is missing. Trials go in the
 * SIMD lanes (lanes.ts).
 */
import type { LstmScanAttrs } from '../attrs';
import type { LstmTrajectories } from '../trajectories';
import { lstmLayout } from '../layout';
import { Arena, broadcast, fromLanes, laneModule, pad4, toLanes, type LaneWasm } from './lanes';
import { LSTM_WASM_BASE64, LSTM_RELAXED_WASM_BASE64 } from './lstmWasm.generated';

const lstmModule = laneModule(LSTM_WASM_BASE64, LSTM_RELAXED_WASM_BASE64);
/** The module, or null without WebAssembly SIMD (or when switched off). */
export const lstmSimd = lstmModule.get;
/** Force the TypeScript loops (tests of the fallback, benchmarks). */
export const setLstmSimdEnabled = lstmModule.setEnabled;

interface Blocks {
  arena: Arena;
  pWh: number;
  pH0: number;
  pC0: number;
  pH: number;
  pC: number;
  pQ: number;
}

function common(a: LstmScanAttrs): Blocks {
  const { T, N } = a;
  const BP = pad4(a.B);
  const arena = new Arena();
  return {
    arena,
    pWh: arena.alloc(4 * N * N),
    pH0: arena.alloc(N * BP),
    pC0: arena.alloc(N * BP),
    pH: arena.alloc(T * N * BP),
    pC: arena.alloc(T * N * BP),
    pQ: arena.alloc(T * 4 * N * BP),
  };
}

function loadParams(heap: Float32Array, k: Blocks, a: LstmScanAttrs, P: Float32Array): void {
  const { B, N } = a;
  const lay = lstmLayout(N);
  heap.set(P.subarray(lay.Wh, lay.Wh + 4 * N * N), k.pWh);
  broadcast(heap, k.pH0, P.subarray(lay.h0, lay.h0 + N), B);
  broadcast(heap, k.pC0, P.subarray(lay.c0, lay.c0 + N), B);
}

export function lstmForwardSimd(
  wasm: LaneWasm,
  a: LstmScanAttrs,
  inp: { drive: Float32Array; params: Float32Array },
  out: LstmTrajectories,
): void {
  const { B, T, N } = a;
  const BP = pad4(B);
  const k = common(a);
  const pD = k.arena.alloc(T * 4 * N * BP);
  const pPre = k.arena.alloc(4 * N * BP);
  const stage = k.arena.alloc(B * T * 4 * N);
  const heap = k.arena.heap(wasm);
  loadParams(heap, k, a, inp.params);
  toLanes(wasm, stage, pD, inp.drive, B, T, 4 * N);
  wasm.forward(
    N,
    BP,
    T,
    k.pWh * 4,
    k.pH0 * 4,
    k.pC0 * 4,
    pD * 4,
    k.pH * 4,
    k.pC * 4,
    k.pQ * 4,
    pPre * 4,
  );
  fromLanes(wasm, stage, k.pH, out.h, B, T, N);
  fromLanes(wasm, stage, k.pC, out.c, B, T, N);
  fromLanes(wasm, stage, k.pQ, out.gates, B, T, 4 * N);
}

export function lstmBackwardSimd(
  wasm: LaneWasm,
  a: LstmScanAttrs,
  inp: { params: Float32Array; traj: LstmTrajectories; grad: LstmTrajectories },
  out: { drive: Float32Array; params: Float32Array },
): void {
  const { B, T, N } = a;
  const BP = pad4(B);
  const lay = lstmLayout(N);
  const k = common(a);
  const pdH = k.arena.alloc(T * N * BP);
  const pdC = k.arena.alloc(T * N * BP);
  const pdQ = k.arena.alloc(T * 4 * N * BP);
  const pgD = k.arena.alloc(T * 4 * N * BP);
  const pgWh = k.arena.alloc(2 * 4 * N * N); // f64
  const pgh0 = k.arena.alloc(2 * N); // f64
  const pgc0 = k.arena.alloc(2 * N); // f64
  const pGHC = k.arena.alloc(N * BP);
  const pGCC = k.arena.alloc(N * BP);
  const pAcc = k.arena.alloc(4 * 4 * N * N);
  const stage = k.arena.alloc(B * T * 4 * N);
  const heap = k.arena.heap(wasm);
  loadParams(heap, k, a, inp.params);
  toLanes(wasm, stage, k.pH, inp.traj.h, B, T, N);
  toLanes(wasm, stage, k.pC, inp.traj.c, B, T, N);
  toLanes(wasm, stage, k.pQ, inp.traj.gates, B, T, 4 * N);
  toLanes(wasm, stage, pdH, inp.grad.h, B, T, N);
  toLanes(wasm, stage, pdC, inp.grad.c, B, T, N);
  toLanes(wasm, stage, pdQ, inp.grad.gates, B, T, 4 * N);
  wasm.backward(
    N,
    BP,
    T,
    k.pWh * 4,
    k.pH0 * 4,
    k.pC0 * 4,
    k.pH * 4,
    k.pC * 4,
    k.pQ * 4,
    pdH * 4,
    pdC * 4,
    pdQ * 4,
    pgD * 4,
    pgWh * 4,
    pgh0 * 4,
    pgc0 * 4,
    pGHC * 4,
    pGCC * 4,
    pAcc * 4,
  );
  const buf = wasm.memory.buffer;
  fromLanes(wasm, stage, pgD, out.drive, B, T, 4 * N);
  const gWh = new Float64Array(buf, pgWh * 4, 4 * N * N);
  const gh0 = new Float64Array(buf, pgh0 * 4, N);
  const gc0 = new Float64Array(buf, pgc0 * 4, N);
  for (let i = 0; i < 4 * N * N; i++) out.params[lay.Wh + i] = gWh[i];
  for (let n = 0; n < N; n++) {
    out.params[lay.h0 + n] = gh0[n];
    out.params[lay.c0 + n] = gc0[n];
  }
}
