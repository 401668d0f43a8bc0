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
  /** laneTrain.as.ts, the whole-step helpers (byte offsets; see there). */
  projectLanes: (...args: number[]) => void;
  projectBackLanes: (...args: number[]) => void;
  projectGradLanes: (...args: number[]) => void;
  maskedMseLanes: (...args: number[]) => number;
}

function bytes(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A lazily instantiated module that can be switched off (tests of the fallback, benchmarks); null
 * where WebAssembly SIMD is unavailable.
 */
export function laneModule(base64: string): {
  get: () => LaneWasm | null;
  setEnabled: (enabled: boolean) => void;
} {
  let module: LaneWasm | null | undefined;
  let disabled = false;
  return {
    get: () => {
      if (disabled) return null;
      if (module !== undefined) return module;
      try {
        const wasm = new WebAssembly.Module(bytes(base64) as BufferSource);
        module = new WebAssembly.Instance(wasm, {}).exports as unknown as LaneWasm;
      } catch {
        module = null;
      }
      return module;
    },
    setEnabled: (enabled) => {
      disabled = !enabled;
    },
  };
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
    return new Float32Array(wasm.memory.buffer);
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
  new Float32Array(wasm.memory.buffer).set(src.subarray(0, B * T * C), stage);
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
  dst.set(new Float32Array(wasm.memory.buffer, stage * 4, B * T * C));
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
