/**
 * Loads the WebAssembly SIMD build of the NM-RNN scan and runs it with the same signatures as the
 * TypeScript loops in cpu/nmrnnScan.ts, which remain the fallback where WebAssembly SIMD is missing.
 * Each call copies its inputs into the module's own memory in the layout nmrnn.as.ts expects
 * (vectors padded to a multiple of 4, N×R factors transposed), runs, and copies the results out.
 */
import type { NmrnnScanAttrs } from '../attrs';
import type {
  NmrnnBackwardInputs,
  NmrnnForwardInputs,
  NmrnnGradients,
  NmrnnTrajectories,
} from '../cpu/nmrnnScan';
import { nmrnnLayout } from '../layout';
import { NMRNN_WASM_BASE64 } from './nmrnnWasm.generated';

interface NmrnnWasm {
  memory: WebAssembly.Memory;
  forward: (...args: number[]) => void;
  backward: (...args: number[]) => void;
}

let module: NmrnnWasm | null | undefined;

function bytes(): Uint8Array {
  const bin = atob(NMRNN_WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function wrap(instance: WebAssembly.Instance): NmrnnWasm {
  return instance.exports as unknown as NmrnnWasm;
}

/**
 * The SIMD module, instantiated synchronously on first use (allowed in Node and workers, and for
 * small modules on a page); null where WebAssembly SIMD is unavailable or SIMD is disabled.
 */
export function nmrnnSimd(): NmrnnWasm | null {
  if (module !== undefined) return module;
  if (simdDisabled) return null;
  try {
    module = wrap(new WebAssembly.Instance(new WebAssembly.Module(bytes() as BufferSource), {}));
  } catch {
    module = null;
  }
  return module;
}

/** Asynchronous instantiation, for a page's main thread where synchronous compilation is capped. */
export async function initNmrnnSimd(): Promise<boolean> {
  if (module) return true;
  try {
    const { instance } = await WebAssembly.instantiate(bytes() as BufferSource, {});
    module = wrap(instance);
  } catch {
    module = null;
  }
  return module !== null;
}

let simdDisabled = false;
/** Force the TypeScript loops (for benchmarks and tests of the fallback). */
export function setNmrnnSimdEnabled(enabled: boolean): void {
  simdDisabled = !enabled;
  if (!enabled) module = undefined;
}
export function nmrnnSimdEnabled(): boolean {
  return !simdDisabled && nmrnnSimd() !== null;
}

/** Bump allocator over the module's memory for one call; offsets are 16-byte aligned. */
class Arena {
  // Below 64 KiB lies the module's own static data; the kernels use no other memory.
  private top = 65536;
  alloc(floats: number): number {
    const at = this.top;
    this.top += Math.ceil(Math.max(floats, 1) / 4) * 16;
    return at;
  }
  /** Grows the memory to hold everything allocated and returns a fresh float view of it. */
  heap(wasm: NmrnnWasm): Float32Array {
    const need = this.top - wasm.memory.buffer.byteLength;
    if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
    return new Float32Array(wasm.memory.buffer);
  }
}

const pad4 = (n: number) => (n + 3) & ~3;

interface ParamPointers {
  LtT: number;
  VT: number;
  Wz: number;
  Az: number;
  bz: number;
  WzxP: number;
  x0: number;
  z0: number;
}

function allocParams(arena: Arena, a: NmrnnScanAttrs): ParamPointers {
  const NP = pad4(a.N);
  return {
    LtT: arena.alloc(a.R * NP),
    VT: arena.alloc(a.R * NP),
    Wz: arena.alloc(a.M * a.M),
    Az: arena.alloc(a.R * a.M),
    bz: arena.alloc(a.R),
    WzxP: arena.alloc(a.feedback ? a.M * NP : 0),
    x0: arena.alloc(NP),
    z0: arena.alloc(a.M),
  };
}

/** Packed (nmrnnLayout) → padded/transposed wasm layout; `heap` indices are float offsets. */
function writeParams(heap: Float32Array, p: ParamPointers, a: NmrnnScanAttrs, P: Float32Array) {
  const { N, R, M } = a;
  const NP = pad4(N);
  const lay = nmrnnLayout(a);
  const f = (ptr: number) => ptr >> 2;
  heap.fill(0, f(p.LtT), f(p.LtT) + R * NP);
  heap.fill(0, f(p.VT), f(p.VT) + R * NP);
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < R; r++) {
      heap[f(p.LtT) + r * NP + n] = P[lay.Lt + n * R + r];
      heap[f(p.VT) + r * NP + n] = P[lay.V + n * R + r];
    }
  }
  heap.set(P.subarray(lay.Wz, lay.Wz + M * M), f(p.Wz));
  heap.set(P.subarray(lay.Az, lay.Az + R * M), f(p.Az));
  heap.set(P.subarray(lay.bz, lay.bz + (M > 0 ? R : 0)), f(p.bz));
  if (a.feedback) {
    heap.fill(0, f(p.WzxP), f(p.WzxP) + M * NP);
    for (let m = 0; m < M; m++) {
      heap.set(P.subarray(lay.Wzx + m * N, lay.Wzx + (m + 1) * N), f(p.WzxP) + m * NP);
    }
  }
  heap.fill(0, f(p.x0), f(p.x0) + NP);
  heap.set(P.subarray(lay.x0, lay.x0 + N), f(p.x0));
  heap.set(P.subarray(lay.z0, lay.z0 + M), f(p.z0));
}

/** Inverse of writeParams for the gradient accumulators. */
function readParams(heap: Float32Array, p: ParamPointers, a: NmrnnScanAttrs, G: Float32Array) {
  const { N, R, M } = a;
  const NP = pad4(N);
  const lay = nmrnnLayout(a);
  const f = (ptr: number) => ptr >> 2;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < R; r++) {
      G[lay.Lt + n * R + r] = heap[f(p.LtT) + r * NP + n];
      G[lay.V + n * R + r] = heap[f(p.VT) + r * NP + n];
    }
  }
  G.set(heap.subarray(f(p.Wz), f(p.Wz) + M * M), lay.Wz);
  G.set(heap.subarray(f(p.Az), f(p.Az) + R * M), lay.Az);
  G.set(heap.subarray(f(p.bz), f(p.bz) + (M > 0 ? R : 0)), lay.bz);
  if (a.feedback) {
    for (let m = 0; m < M; m++) {
      G.set(heap.subarray(f(p.WzxP) + m * NP, f(p.WzxP) + m * NP + N), lay.Wzx + m * N);
    }
  }
  G.set(heap.subarray(f(p.x0), f(p.x0) + N), lay.x0);
  G.set(heap.subarray(f(p.z0), f(p.z0) + M), lay.z0);
}

function scratchFloats(a: NmrnnScanAttrs): number {
  return 5 * pad4(a.N) + 4 * pad4(a.M) + 4 * pad4(a.R) + 16;
}

function rates(a: NmrnnScanAttrs): [number, number, number] {
  const ax = 1 / a.tauX;
  return [ax, ax * a.scale, a.M > 0 ? 1 / a.tauZ : 0];
}

export function nmrnnForwardSimd(
  wasm: NmrnnWasm,
  a: NmrnnScanAttrs,
  inp: NmrnnForwardInputs,
  out: NmrnnTrajectories,
): void {
  const { B, T, N, R, M } = a;
  const arena = new Arena();
  const p = allocParams(arena, a);
  const dX = arena.alloc(B * T * N);
  const dZ = arena.alloc(B * T * M);
  const mul = arena.alloc(T * R);
  const add = arena.alloc(T * R);
  const oX = arena.alloc(B * T * N);
  const oZ = arena.alloc(B * T * M);
  const oS = arena.alloc(B * T * R);
  const scratch = arena.alloc(scratchFloats(a));
  const heap = arena.heap(wasm);
  writeParams(heap, p, a, inp.params);
  heap.set(inp.driveX, dX >> 2);
  if (M > 0) {
    heap.set(inp.driveZ, dZ >> 2);
    heap.set(inp.mul, mul >> 2);
    heap.set(inp.add, add >> 2);
  }
  wasm.forward(
    B, T, N, R, M, a.feedback ? 1 : 0, ...rates(a),
    dX, dZ, p.LtT, p.VT, p.Wz, p.Az, p.bz, p.WzxP, p.x0, p.z0, mul, add,
    oX, oZ, oS, scratch,
  ); // prettier-ignore
  const view = new Float32Array(wasm.memory.buffer);
  out.x.set(view.subarray(oX >> 2, (oX >> 2) + B * T * N));
  if (M > 0) {
    out.z.set(view.subarray(oZ >> 2, (oZ >> 2) + B * T * M));
    out.s.set(view.subarray(oS >> 2, (oS >> 2) + B * T * R));
  }
}

export function nmrnnBackwardSimd(
  wasm: NmrnnWasm,
  a: NmrnnScanAttrs,
  inp: NmrnnBackwardInputs,
  out: NmrnnGradients,
): void {
  const { B, T, N, R, M } = a;
  const arena = new Arena();
  const p = allocParams(arena, a);
  const g = allocParams(arena, a);
  const gEnd = arena.alloc(0);
  const mul = arena.alloc(T * R);
  const X = arena.alloc(B * T * N);
  const Z = arena.alloc(B * T * M);
  const S = arena.alloc(B * T * R);
  const dX = arena.alloc(B * T * N);
  const dZ = arena.alloc(B * T * M);
  const dS = arena.alloc(B * T * R);
  const gX = arena.alloc(B * T * N);
  const gZ = arena.alloc(B * T * M);
  const scratch = arena.alloc(scratchFloats(a));
  const heap = arena.heap(wasm);
  writeParams(heap, p, a, inp.params);
  heap.fill(0, g.LtT >> 2, gEnd >> 2);
  heap.set(inp.traj.x, X >> 2);
  heap.set(inp.grad.x, dX >> 2);
  if (M > 0) {
    heap.set(inp.mul, mul >> 2);
    heap.set(inp.traj.z, Z >> 2);
    heap.set(inp.traj.s, S >> 2);
    heap.set(inp.grad.z, dZ >> 2);
    heap.set(inp.grad.s, dS >> 2);
  }
  wasm.backward(
    B, T, N, R, M, a.feedback ? 1 : 0, ...rates(a),
    p.LtT, p.VT, p.Wz, p.Az, p.bz, p.WzxP, p.x0, p.z0, mul,
    X, Z, S, dX, dZ, dS, gX, gZ,
    g.LtT, g.VT, g.Wz, g.Az, g.bz, g.WzxP, g.x0, g.z0, scratch,
  ); // prettier-ignore
  const view = new Float32Array(wasm.memory.buffer);
  out.driveX.set(view.subarray(gX >> 2, (gX >> 2) + B * T * N));
  if (M > 0) out.driveZ.set(view.subarray(gZ >> 2, (gZ >> 2) + B * T * M));
  readParams(view, g, a, out.params);
}
