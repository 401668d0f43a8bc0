/**
 * Shared plumbing of the WebAssembly SIMD kernels that put the trials in the SIMD lanes (the
 * vanilla RNN and the LSTM): loading a module, a bump allocator over its memory, and moving
 * [B, T, C] tensors in and out of the [T][C][BP] layout (BP = B rounded up to 4, pad lanes zero)
 * through a staging area in the module, transposed there (lanes.as.ts).
 */

export interface LaneWasm {
  memory: WebAssembly.Memory;
  forward: (...args: number[]) => void;
  backward: (...args: number[]) => void;
  /** lanes.as.ts: (dst, src, B, T, C) byte offsets, both in the module's memory. */
  toLanes: (dst: number, src: number, B: number, T: number, C: number) => void;
  fromLanes: (dst: number, src: number, B: number, T: number, C: number) => void;
  /** laneTrain.as.ts: the masked MSE of a whole step (byte offsets; see there). */
  maskedMseLanes: (...args: number[]) => number;
  /**
   * rnn.as.ts and lstm.as.ts: the training step's scans, which form the input projection and the
   * readout one time step at a time (the NM-RNN module's forward and backward already do).
   */
  trainForward?: (...args: number[]) => void;
  trainBackward?: (...args: number[]) => void;
}

function bytes(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** f(a) = a·a + a by f32x4.relaxed_madd: an engine that validates it runs relaxed SIMD. */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 5, 3, 1, 0, 0, 7, 14, 2, 1,
  102, 0, 0, 6, 109, 101, 109, 111, 114, 121, 2, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 133,
  2, 11,
]);

/** Whether this engine validates relaxed SIMD now (not cached: a Node flag can turn it on). */
export function engineRunsRelaxedSimd(): boolean {
  return WebAssembly.validate(RELAXED_PROBE as BufferSource);
}

let relaxedSupported: boolean | undefined;
let relaxedWanted = true;

/**
 * Whether the kernels built with relaxed SIMD (fused multiply-adds, build.mjs) run: the engine
 * validates them (Chromium does; Node 20 only with --experimental-wasm-relaxed-simd, which the
 * CLI sets) and they are not switched off.
 */
export function relaxedSimdInUse(): boolean {
  relaxedSupported ??= engineRunsRelaxedSimd();
  return relaxedWanted && relaxedSupported;
}

/** Use the plain-SIMD builds even where relaxed SIMD runs (tests, benchmarks). */
export function setRelaxedSimdEnabled(enabled: boolean): void {
  relaxedWanted = enabled;
}

/** A module of build.mjs (base64) instantiated, its exports typed as `Exports`; null where it fails. */
export function instantiateWasm<Exports = LaneWasm>(base64: string): Exports | null {
  try {
    const wasm = new WebAssembly.Module(bytes(base64) as BufferSource);
    return new WebAssembly.Instance(wasm, {}).exports as unknown as Exports;
  } catch {
    return null;
  }
}

/**
 * A lazily instantiated module that can be switched off (tests of the fallback, benchmarks); null
 * where WebAssembly SIMD is unavailable. With `relaxedBase64`, `get()` gives its relaxed-SIMD build
 * where relaxedSimdInUse() (`get(false)` the plain one: a step thread follows its caller's choice).
 */
export function laneModule(
  base64: string,
  relaxedBase64?: string,
): {
  get: (relaxed?: boolean) => LaneWasm | null;
  setEnabled: (enabled: boolean) => void;
} {
  let plain: LaneWasm | null | undefined;
  let fused: LaneWasm | null | undefined;
  let disabled = false;
  return {
    get: (relaxed = relaxedSimdInUse()) => {
      if (disabled) return null;
      if (relaxed && relaxedBase64 && relaxedSimdInUse()) {
        if (fused === undefined) fused = instantiateWasm<LaneWasm>(relaxedBase64);
        if (fused) return fused;
      }
      if (plain === undefined) plain = instantiateWasm<LaneWasm>(base64);
      return plain;
    },
    setEnabled: (enabled) => {
      disabled = !enabled;
    },
  };
}

interface HeapViews {
  buffer: ArrayBuffer;
  f32: Float32Array;
  f64: Float64Array;
}

const views = new WeakMap<WebAssembly.Memory, HeapViews>();

function viewsOf(memory: WebAssembly.Memory): HeapViews {
  const buffer = memory.buffer;
  let v = views.get(memory);
  // A grown memory has a new buffer (the old one is detached): views onto it are made again.
  if (!v || v.buffer !== buffer) {
    v = { buffer, f32: new Float32Array(buffer), f64: new Float64Array(buffer) };
    views.set(memory, v);
  }
  return v;
}

/**
 * A float32 view of a module's whole memory, made once per buffer: Chromium takes ≈ 15 µs to make
 * one (measured in a worker), and a training step used to make five.
 */
export function heapF32(wasm: { memory: WebAssembly.Memory }): Float32Array {
  return viewsOf(wasm.memory).f32;
}

/** The same memory as float64, for the modules' f64 weight sums. */
export function heapF64(wasm: { memory: WebAssembly.Memory }): Float64Array {
  return viewsOf(wasm.memory).f64;
}

/**
 * `n` f64 sums at float offset `at` (8-byte aligned) rounded into `dst` from `dstAt`, with no view
 * made per call.
 */
export function copyF64s(
  wasm: { memory: WebAssembly.Memory },
  at: number,
  n: number,
  dst: Float32Array,
  dstAt = 0,
): void {
  const f64 = heapF64(wasm);
  const from = at / 2;
  for (let i = 0; i < n; i++) dst[dstAt + i] = f64[from + i];
}

/** Float offsets in a module's memory, 16-byte aligned, above its static data. */
export class Arena {
  private top = 65536 / 4;
  alloc(floats: number): number {
    const at = this.top;
    this.top += Math.ceil(Math.max(floats, 1) / 4) * 4;
    return at;
  }
  heap(wasm: LaneWasm): Float32Array {
    const need = this.top * 4 - wasm.memory.buffer.byteLength;
    if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
    return heapF32(wasm);
  }
}

export const pad4 = (n: number): number => (n + 3) & ~3;

/**
 * [B, T, C] in `src` → [T][C][BP] at float offset `dst` (pad lanes zero): copied into the module at
 * `stage` (B·T·C floats the caller allocated), then transposed there with SIMD (lanes.as.ts).
 */
export function toLanes(
  wasm: LaneWasm,
  stage: number,
  dst: number,
  src: Float32Array,
  B: number,
  T: number,
  C: number,
): void {
  heapF32(wasm).set(src.subarray(0, B * T * C), stage);
  wasm.toLanes(dst * 4, stage * 4, B, T, C);
}

/** [T][C][BP] at float offset `src` → [B, T, C] in `dst`, through `stage` like toLanes. */
export function fromLanes(
  wasm: LaneWasm,
  stage: number,
  src: number,
  dst: Float32Array,
  B: number,
  T: number,
  C: number,
): void {
  wasm.fromLanes(stage * 4, src * 4, B, T, C);
  dst.set(heapF32(wasm).subarray(stage, stage + B * T * C));
}

/** A length-N vector broadcast over the B real lanes of an [N][BP] block (pad lanes zero). */
export function broadcast(heap: Float32Array, dst: number, v: Float32Array, B: number): void {
  const BP = pad4(B);
  heap.fill(0, dst, dst + v.length * BP);
  for (let n = 0; n < v.length; n++) heap.fill(v[n], dst + n * BP, dst + n * BP + B);
}

/** Σ over the lanes of each row of an [N][BP] block of f32 (pad lanes are zero). */
export function laneSums(heap: Float32Array, src: number, N: number, B: number): Float64Array {
  const BP = pad4(B);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let b = 0; b < BP; b++) s += heap[src + n * BP + b];
    out[n] = s;
  }
  return out;
}
