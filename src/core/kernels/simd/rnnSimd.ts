/**
 * The WebAssembly SIMD vanilla-RNN scan (rnn.as.ts) behind the same signatures as the TypeScript
 * loops of cpu/rnnScan.ts, which remain the fallback where WebAssembly SIMD is missing. Trials go
 * in the SIMD lanes: each call transposes [B, T, N] into the module's [T][N][BP] layout (BP = B
 * rounded up to 4, pad lanes zero), runs, and transposes the results back.
 */
import type { RnnScanAttrs } from '../attrs';
import { rnnLayout } from '../layout';
import { RNN_WASM_BASE64 } from './rnnWasm.generated';

interface RnnWasm {
  memory: WebAssembly.Memory;
  forward: (...args: number[]) => void;
  backward: (...args: number[]) => void;
}

let module: RnnWasm | null | undefined;
let disabled = false;

function bytes(): Uint8Array {
  const bin = atob(RNN_WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The module, instantiated synchronously on first use; null without WebAssembly SIMD. */
export function rnnSimd(): RnnWasm | null {
  if (disabled) return null;
  if (module !== undefined) return module;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes() as BufferSource), {});
    module = instance.exports as unknown as RnnWasm;
  } catch {
    module = null;
  }
  return module;
}

/** Force the TypeScript loops (tests of the fallback, benchmarks). */
export function setRnnSimdEnabled(enabled: boolean): void {
  disabled = !enabled;
}

/** Float offsets in the module's memory, 16-byte aligned, above its static data. */
class Arena {
  private top = 65536 / 4;
  alloc(floats: number): number {
    const at = this.top;
    this.top += Math.ceil(Math.max(floats, 1) / 4) * 4;
    return at;
  }
  heap(wasm: RnnWasm): Float32Array {
    const need = this.top * 4 - wasm.memory.buffer.byteLength;
    if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
    return new Float32Array(wasm.memory.buffer);
  }
}

const pad4 = (n: number) => (n + 3) & ~3;

/** [B, T, N] at `src` → [T][N][BP] at heap offset `dst` (pad lanes zero). */
function toLanes(
  heap: Float32Array,
  dst: number,
  src: Float32Array,
  B: number,
  T: number,
  N: number,
): void {
  const BP = pad4(B);
  heap.fill(0, dst, dst + T * N * BP);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const s = (b * T + t) * N;
      const d = dst + t * N * BP + b;
      for (let n = 0; n < N; n++) heap[d + n * BP] = src[s + n];
    }
  }
}

/** [T][N][BP] at heap offset `src` → [B, T, N] in `dst`. */
function fromLanes(
  heap: Float32Array,
  src: number,
  dst: Float32Array,
  B: number,
  T: number,
  N: number,
): void {
  const BP = pad4(B);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const d = (b * T + t) * N;
      const s = src + t * N * BP + b;
      for (let n = 0; n < N; n++) dst[d + n] = heap[s + n * BP];
    }
  }
}

function constants(a: RnnScanAttrs): [number, number, number] {
  const ax = 1 / a.tau;
  return [1 - ax, ax * a.scale, ax];
}

/** Copy W and x0 (broadcast over the lanes) in. */
function loadParams(
  heap: Float32Array,
  a: RnnScanAttrs,
  P: Float32Array,
  pW: number,
  pX0: number,
): void {
  const { N } = a;
  const BP = pad4(a.B);
  const lay = rnnLayout(N);
  heap.set(P.subarray(lay.W, lay.W + N * N), pW);
  for (let n = 0; n < N; n++) heap.fill(P[lay.x0 + n], pX0 + n * BP, pX0 + n * BP + a.B);
}

export function rnnForwardSimd(
  wasm: RnnWasm,
  a: RnnScanAttrs,
  inp: { driveX: Float32Array; params: Float32Array },
  outX: Float32Array,
): void {
  const { B, T, N } = a;
  const BP = pad4(B);
  const arena = new Arena();
  const pW = arena.alloc(N * N);
  const pX0 = arena.alloc(N * BP);
  const pD = arena.alloc(T * N * BP);
  const pX = arena.alloc(T * N * BP);
  const pPh = arena.alloc(N * BP);
  const heap = arena.heap(wasm);
  heap.fill(0, pX0, pX0 + N * BP);
  loadParams(heap, a, inp.params, pW, pX0);
  toLanes(heap, pD, inp.driveX, B, T, N);
  const [cx, rs, ax] = constants(a);
  wasm.forward(N, BP, T, cx, rs, ax, pW * 4, pX0 * 4, pD * 4, pX * 4, pPh * 4);
  fromLanes(new Float32Array(wasm.memory.buffer), pX, outX, B, T, N);
}

export function rnnBackwardSimd(
  wasm: RnnWasm,
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
  const heap = arena.heap(wasm);
  heap.fill(0, pX0, pX0 + N * BP);
  loadParams(heap, a, inp.params, pW, pX0);
  toLanes(heap, pX, inp.x, B, T, N);
  toLanes(heap, pdX, inp.dx, B, T, N);
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
  );
  const buf = wasm.memory.buffer;
  fromLanes(new Float32Array(buf), pgD, out.driveX, B, T, N);
  const gW = new Float64Array(buf, pgW * 4, N * N);
  const gx0 = new Float64Array(buf, pgx0 * 4, N);
  out.params.fill(0);
  for (let i = 0; i < N * N; i++) out.params[lay.W + i] = gW[i];
  for (let n = 0; n < N; n++) out.params[lay.x0 + n] = gx0[n];
}
