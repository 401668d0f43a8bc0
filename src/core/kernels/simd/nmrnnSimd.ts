/**
 * Loads the WebAssembly SIMD build of the NM-RNN scan and runs it with the same signatures as the
 * TypeScript loops in cpu/nmrnnScan.ts, which remain the fallback where WebAssembly SIMD is missing.
 * Each call copies its inputs into the module's own memory in the layout nmrnn.as.ts expects
 * (vectors padded to a multiple of 4, N×R factors transposed), runs, and copies the results out.
 * One entry point serves both kernel forms: drives given whole (driveX, driveZ), or as factors
 * (inputs u with B_x, B_z, b_zx packed after the recurrent parameters) with the readout inside.
 */
import type { NmrnnScanAttrs, NmrnnScanUAttrs } from '../attrs';
import type { NmrnnTrajectories } from '../trajectories';
import { nmrnnFactoredLayout } from '../layout';
import { NMRNN_WASM_BASE64 } from './nmrnnWasm.generated';
import { maskedMseWithGradient } from '../../train/loss';
import { heapF32 } from './lanes';

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
  /** Grows the memory to hold everything allocated and returns a float view of it. */
  heap(wasm: NmrnnWasm): Float32Array {
    const need = this.top - wasm.memory.buffer.byteLength;
    if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
    return heapF32(wasm);
  }
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Both kernel forms as one: the drive-taking form is the factored one with U = Ux = O = 0. */
function factoredDims(a: NmrnnScanAttrs | NmrnnScanUAttrs): NmrnnScanUAttrs {
  return 'U' in a ? a : { ...a, U: 0, Ux: 0, O: 0, biasZ: false, biasY: false };
}

interface ParamPointers {
  /** R rows of L̃ᵀ, then Ux rows of B_xᵀ (the input drive runs as extra rank-1 terms). */
  LtT: number;
  VT: number;
  Wz: number;
  Az: number;
  bz: number;
  WzxP: number;
  Bz: number;
  /** 0 when absent: the kernel tests the pointer. */
  bzx: number;
  CP: number;
  /** 0 when absent. */
  d: number;
  x0: number;
  z0: number;
}

function allocParams(arena: Arena, a: NmrnnScanUAttrs): ParamPointers {
  const NP = pad4(a.N);
  const LtT = arena.alloc((a.R + a.Ux) * NP);
  const VT = arena.alloc(a.R * NP);
  const Wz = arena.alloc(a.M * pad4(a.M));
  const Az = arena.alloc(a.R * a.M);
  const bz = arena.alloc(a.R);
  const WzxP = arena.alloc(a.feedback ? a.M * NP : 0);
  const Bz = arena.alloc(a.M * a.U);
  const bzx = a.biasZ ? arena.alloc(a.M) : 0;
  const CP = arena.alloc(a.O * NP);
  const d = a.biasY ? arena.alloc(a.O) : 0;
  const x0 = arena.alloc(NP);
  const z0 = arena.alloc(a.M);
  return { LtT, VT, Wz, Az, bz, WzxP, Bz, bzx, CP, d, x0, z0 };
}

/** Row-major [rows, N] block at `src` ↔ rows padded to NP at heap float offset `dst`. */
function padRows(
  heap: Float32Array,
  dst: number,
  P: Float32Array,
  src: number,
  rows: number,
  N: number,
) {
  const NP = pad4(N);
  heap.fill(0, dst, dst + rows * NP);
  for (let k = 0; k < rows; k++) heap.set(P.subarray(src + k * N, src + (k + 1) * N), dst + k * NP);
}
function unpadRows(
  heap: Float32Array,
  src: number,
  G: Float32Array,
  dst: number,
  rows: number,
  N: number,
) {
  const NP = pad4(N);
  for (let k = 0; k < rows; k++) G.set(heap.subarray(src + k * NP, src + k * NP + N), dst + k * N);
}

/** Packed (nmrnnFactoredLayout) → padded/transposed wasm layout; `heap` indices are float offsets. */
function writeParams(heap: Float32Array, p: ParamPointers, a: NmrnnScanUAttrs, P: Float32Array) {
  const { N, R, M, Ux } = a;
  const NP = pad4(N);
  const lay = nmrnnFactoredLayout(a);
  const f = (ptr: number) => ptr >> 2;
  heap.fill(0, f(p.LtT), f(p.LtT) + (R + Ux) * NP);
  heap.fill(0, f(p.VT), f(p.VT) + R * NP);
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < R; r++) {
      heap[f(p.LtT) + r * NP + n] = P[lay.Lt + n * R + r];
      heap[f(p.VT) + r * NP + n] = P[lay.V + n * R + r];
    }
    for (let j = 0; j < Ux; j++) heap[f(p.LtT) + (R + j) * NP + n] = P[lay.Bx + n * Ux + j];
  }
  padRows(heap, f(p.Wz), P, lay.Wz, M, M);
  heap.set(P.subarray(lay.Az, lay.Az + R * M), f(p.Az));
  heap.set(P.subarray(lay.bz, lay.bz + (M > 0 ? R : 0)), f(p.bz));
  if (a.feedback) padRows(heap, f(p.WzxP), P, lay.Wzx, M, N);
  heap.set(P.subarray(lay.Bz, lay.Bz + M * a.U), f(p.Bz));
  if (p.bzx) heap.set(P.subarray(lay.bzx, lay.bzx + M), f(p.bzx));
  padRows(heap, f(p.CP), P, lay.C, a.O, N);
  if (p.d) heap.set(P.subarray(lay.d, lay.d + a.O), f(p.d));
  heap.fill(0, f(p.x0), f(p.x0) + NP);
  heap.set(P.subarray(lay.x0, lay.x0 + N), f(p.x0));
  heap.set(P.subarray(lay.z0, lay.z0 + M), f(p.z0));
}

/** Inverse of writeParams for the gradient accumulators. */
function readParams(heap: Float32Array, p: ParamPointers, a: NmrnnScanUAttrs, G: Float32Array) {
  const { N, R, M, Ux } = a;
  const NP = pad4(N);
  const lay = nmrnnFactoredLayout(a);
  const f = (ptr: number) => ptr >> 2;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < R; r++) {
      G[lay.Lt + n * R + r] = heap[f(p.LtT) + r * NP + n];
      G[lay.V + n * R + r] = heap[f(p.VT) + r * NP + n];
    }
    for (let j = 0; j < Ux; j++) G[lay.Bx + n * Ux + j] = heap[f(p.LtT) + (R + j) * NP + n];
  }
  unpadRows(heap, f(p.Wz), G, lay.Wz, M, M);
  G.set(heap.subarray(f(p.Az), f(p.Az) + R * M), lay.Az);
  G.set(heap.subarray(f(p.bz), f(p.bz) + (M > 0 ? R : 0)), lay.bz);
  if (a.feedback) unpadRows(heap, f(p.WzxP), G, lay.Wzx, M, N);
  G.set(heap.subarray(f(p.Bz), f(p.Bz) + M * a.U), lay.Bz);
  if (p.bzx) G.set(heap.subarray(f(p.bzx), f(p.bzx) + M), lay.bzx);
  unpadRows(heap, f(p.CP), G, lay.C, a.O, N);
  if (p.d) G.set(heap.subarray(f(p.d), f(p.d) + a.O), lay.d);
  G.set(heap.subarray(f(p.x0), f(p.x0) + N), lay.x0);
  G.set(heap.subarray(f(p.z0), f(p.z0) + M), lay.z0);
}

/** Floats of scratch: see the layouts at the top of forward and backward in nmrnn.as.ts. */
function scratchFloats(a: NmrnnScanUAttrs): number {
  const slots = 2 * a.R + a.Ux + a.O + a.M;
  // The NM subnetwork's padded copies and accumulators (U + M + 2R rows of MP, and a few vectors).
  const nm = pad4(a.M) * (a.U + a.M + 2 * a.R + 8) + 2 * pad4(a.R);
  return 5 * pad4(a.N) + 4 * pad4(a.M) + 4 * pad4(a.R + a.Ux) + 4 * slots + nm + 16;
}

/** The step's rates ax, ax·scale, az: one owner for both SIMD layouts. */
export function rates(a: NmrnnScanAttrs): [number, number, number] {
  const ax = 1 / a.tauX;
  return [ax, ax * a.scale, a.M > 0 ? 1 / a.tauZ : 0];
}

/** Inputs of either form: driveX/driveZ for the drive-taking one, u for the factored one. */
export interface SimdForwardInputs {
  params: Float32Array;
  mul: Float32Array;
  add: Float32Array;
  driveX?: Float32Array;
  driveZ?: Float32Array;
  u?: Float32Array;
}

export interface SimdBackwardInputs {
  params: Float32Array;
  mul: Float32Array;
  u?: Float32Array;
  traj: NmrnnTrajectories;
  /** dL/d(trajectories), and dL/dy [B, T, O] in the factored form. */
  grad: NmrnnTrajectories & { y?: Float32Array };
}

export interface SimdGradients {
  /** Drive gradients: only in the drive-taking form. */
  driveX?: Float32Array;
  driveZ?: Float32Array;
  /** Packed as nmrnnFactoredLayout (nmrnnLayout for the drive-taking form). */
  params: Float32Array;
}

export function nmrnnForwardSimd(
  wasm: NmrnnWasm,
  attrs: NmrnnScanAttrs | NmrnnScanUAttrs,
  inp: SimdForwardInputs,
  out: NmrnnTrajectories & { y?: Float32Array },
): void {
  const a = factoredDims(attrs);
  const { B, T, N, R, M, U, O } = a;
  const whole = inp.driveX !== undefined;
  const arena = new Arena();
  const p = allocParams(arena, a);
  const dX = whole ? arena.alloc(B * T * N) : 0;
  const dZ = whole && M > 0 ? arena.alloc(B * T * M) : 0;
  const u = arena.alloc(B * T * U);
  const mul = arena.alloc(B * T * R);
  const add = arena.alloc(B * T * R);
  const oX = arena.alloc(B * T * N);
  const oZ = arena.alloc(B * T * M);
  const oS = arena.alloc(B * T * R);
  const oY = arena.alloc(B * T * O);
  const scratch = arena.alloc(scratchFloats(a));
  const heap = arena.heap(wasm);
  writeParams(heap, p, a, inp.params);
  if (inp.driveX) heap.set(inp.driveX, dX >> 2);
  if (inp.driveZ && dZ) heap.set(inp.driveZ, dZ >> 2);
  if (inp.u && U > 0) heap.set(inp.u, u >> 2);
  if (M > 0) {
    heap.set(inp.mul, mul >> 2);
    heap.set(inp.add, add >> 2);
  }
  wasm.forward(
    B, T, N, R, M, a.feedback ? 1 : 0, a.linear ? 1 : 0, ...rates(a), U, a.Ux, O,
    dX, dZ, u, p.LtT, p.VT, p.Wz, p.Az, p.bz, p.WzxP, p.Bz, p.bzx, p.CP, p.d, p.x0, p.z0,
    mul, add, oX, oZ, oS, oY, scratch,
  ); // prettier-ignore
  const view = heapF32(wasm);
  out.x.set(view.subarray(oX >> 2, (oX >> 2) + B * T * N));
  if (M > 0) {
    out.z.set(view.subarray(oZ >> 2, (oZ >> 2) + B * T * M));
    out.s.set(view.subarray(oS >> 2, (oS >> 2) + B * T * R));
  }
  if (out.y && O > 0) out.y.set(view.subarray(oY >> 2, (oY >> 2) + B * T * O));
}

export function nmrnnBackwardSimd(
  wasm: NmrnnWasm,
  attrs: NmrnnScanAttrs | NmrnnScanUAttrs,
  inp: SimdBackwardInputs,
  out: SimdGradients,
): void {
  const a = factoredDims(attrs);
  const { B, T, N, R, M, U, O } = a;
  const whole = out.driveX !== undefined;
  const arena = new Arena();
  const p = allocParams(arena, a);
  const g = allocParams(arena, a);
  const gEnd = arena.alloc(0);
  const mul = arena.alloc(B * T * R);
  const u = arena.alloc(B * T * U);
  const X = arena.alloc(B * T * N);
  const Z = arena.alloc(B * T * M);
  const S = arena.alloc(B * T * R);
  const dX = arena.alloc(B * T * N);
  const dZ = arena.alloc(B * T * M);
  const dS = arena.alloc(B * T * R);
  const dY = arena.alloc(B * T * O);
  const gX = whole ? arena.alloc(B * T * N) : 0;
  const gZ = whole && M > 0 ? arena.alloc(B * T * M) : 0;
  const scratch = arena.alloc(scratchFloats(a));
  const heap = arena.heap(wasm);
  writeParams(heap, p, a, inp.params);
  heap.fill(0, g.LtT >> 2, gEnd >> 2);
  heap.set(inp.traj.x, X >> 2);
  heap.set(inp.grad.x, dX >> 2);
  if (inp.u && U > 0) heap.set(inp.u, u >> 2);
  if (inp.grad.y && O > 0) heap.set(inp.grad.y, dY >> 2);
  if (M > 0) {
    heap.set(inp.mul, mul >> 2);
    heap.set(inp.traj.z, Z >> 2);
    heap.set(inp.traj.s, S >> 2);
    heap.set(inp.grad.z, dZ >> 2);
    heap.set(inp.grad.s, dS >> 2);
  }
  wasm.backward(
    B, T, N, R, M, a.feedback ? 1 : 0, a.linear ? 1 : 0, ...rates(a), U, a.Ux, O,
    p.LtT, p.VT, p.Wz, p.Az, p.bz, p.WzxP, p.CP, p.x0, p.z0, mul, u,
    X, Z, S, dX, dZ, dS, dY, gX, gZ,
    g.LtT, g.VT, g.Wz, g.Az, g.bz, g.WzxP, g.Bz, g.bzx, g.CP, g.d, g.x0, g.z0, scratch,
  ); // prettier-ignore
  const view = heapF32(wasm);
  if (out.driveX) out.driveX.set(view.subarray(gX >> 2, (gX >> 2) + B * T * N));
  if (out.driveZ && gZ) out.driveZ.set(view.subarray(gZ >> 2, (gZ >> 2) + B * T * M));
  readParams(view, g, a, out.params);
}

/** One batch of the fused training step: inputs, targets [B, T, O] and mask [B, T]. */
export interface LossGradInputs {
  /** Packed as nmrnnFactoredLayout. */
  params: Float32Array;
  u: Float32Array;
  targets: Float32Array;
  mask: Float32Array;
}

/**
 * Forward, masked MSE and backward in one pass over the module's memory: the trajectories the
 * backward needs stay where the forward wrote them (no copy out and back), and dL/dy is formed
 * between the two. No ablation (training never ablates). Writes the packed gradient
 * (nmrnnFactoredLayout) into `gParams` and returns the loss; `den` as in maskedMseWithGradient.
 */
export function nmrnnLossGradSimd(
  wasm: NmrnnWasm,
  a: NmrnnScanUAttrs,
  inp: LossGradInputs,
  gParams: Float32Array,
  den: number,
): number {
  const { B, T, N, R, M, U, O } = a;
  const arena = new Arena();
  const p = allocParams(arena, a);
  const g = allocParams(arena, a);
  const gEnd = arena.alloc(0);
  const u = arena.alloc(B * T * U);
  const mul = arena.alloc(B * T * R);
  const add = arena.alloc(B * T * R);
  const X = arena.alloc(B * T * N);
  const Z = arena.alloc(B * T * M);
  const S = arena.alloc(B * T * R);
  const Y = arena.alloc(B * T * O);
  // dL/d(x, z, s) from outside the readout are zero; dX..dS are contiguous, so one fill clears them.
  const dX = arena.alloc(B * T * N);
  const dZ = arena.alloc(B * T * M);
  const dS = arena.alloc(B * T * R);
  const dY = arena.alloc(B * T * O);
  const scratch = arena.alloc(scratchFloats(a));
  const heap = arena.heap(wasm);
  writeParams(heap, p, a, inp.params);
  heap.fill(0, g.LtT >> 2, gEnd >> 2);
  if (U > 0) heap.set(inp.u, u >> 2);
  if (M > 0) {
    heap.fill(1, mul >> 2, (mul >> 2) + B * T * R);
    heap.fill(0, add >> 2, (add >> 2) + B * T * R);
  }
  const rt = rates(a);
  const fb = a.feedback ? 1 : 0;
  const lin = a.linear ? 1 : 0;
  wasm.forward(
    B, T, N, R, M, fb, lin, ...rt, U, a.Ux, O,
    0, 0, u, p.LtT, p.VT, p.Wz, p.Az, p.bz, p.WzxP, p.Bz, p.bzx, p.CP, p.d, p.x0, p.z0,
    mul, add, X, Z, S, Y, scratch,
  ); // prettier-ignore
  // The view of the buffer now, as elsewhere in this file: a grown memory detaches old views.
  const mid = heapF32(wasm);
  const loss = maskedMseWithGradient(
    mid.subarray(Y >> 2, (Y >> 2) + B * T * O),
    inp.targets,
    inp.mask,
    { B, T, O },
    mid.subarray(dY >> 2, (dY >> 2) + B * T * O),
    den,
  );
  mid.fill(0, dX >> 2, dY >> 2);
  wasm.backward(
    B, T, N, R, M, fb, lin, ...rt, U, a.Ux, O,
    p.LtT, p.VT, p.Wz, p.Az, p.bz, p.WzxP, p.CP, p.x0, p.z0, mul, u,
    X, Z, S, dX, dZ, dS, dY, 0, 0,
    g.LtT, g.VT, g.Wz, g.Az, g.bz, g.WzxP, g.Bz, g.bzx, g.CP, g.d, g.x0, g.z0, scratch,
  ); // prettier-ignore
  readParams(heapF32(wasm), g, a, gParams);
  return loss;
}
