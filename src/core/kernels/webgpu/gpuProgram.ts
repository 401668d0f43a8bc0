/**
 * The slice of tfjs-backend-webgpu these kernels use, typed narrowly so that nothing here imports
 * the webgpu package (the kernels are registered in Node too, where it cannot load), plus the WGSL
 * helpers every scan program shares and the two small programs that turn a scan's single packed
 * output buffer into the tensors the op returns.
 *
 * A tfjs WebGPU program has exactly one output buffer (binding 0) and at most seven inputs (the
 * default limit is eight storage buffers per stage). A scan therefore writes all its outputs into
 * one flat buffer, and the kernel cuts it into tensors afterwards (copyRange) and, for the
 * parameter gradients, sums the per-trial partials (sumPartials).
 */
import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { TANH_CLAMP, TANH_P, TANH_Q } from '../cpu/fastTanh';

/** A uniform value as WebGPUBackend.runWebGPUProgram takes it. */
export interface ProgramUniform {
  type: 'int32' | 'float32';
  data: number[];
}

/** What runWebGPUProgram reads from a program object (webgpu_program.d.ts: WebGPUProgram). */
export interface GpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  getUserCode(): string;
}

/** The WebGPUBackend methods the kernels call. */
export interface GpuBackend {
  runWebGPUProgram(
    program: GpuProgram,
    inputs: TensorInfo[],
    outputDtype: 'float32',
    uniforms?: ProgramUniform[],
  ): TensorInfo;
  disposeData(dataId: TensorInfo['dataId'], force?: boolean): boolean;
}

export function asGpuBackend(backend: unknown): GpuBackend {
  const b = backend as Partial<GpuBackend> | null;
  if (!b || typeof b.runWebGPUProgram !== 'function' || typeof b.disposeData !== 'function') {
    throw new Error('fused WebGPU kernel: the backend is not tfjs-backend-webgpu');
  }
  return b as GpuBackend;
}

/** WGSL needs a decimal point (or exponent) for an f32 literal. */
export function f32(v: number): string {
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/**
 * φ and σ in WGSL. φ is the cpu kernels' rational tanh (cpu/fastTanh.ts) with the same
 * coefficients, so every backend computes the same function (WGSL's builtin tanh is allowed to be
 * inaccurate near 0 on some implementations).
 */
export function activationsWgsl(): string {
  const [p0, p1, p2, p3, p4] = TANH_P.map(f32);
  const [q1, q2, q3, q4] = TANH_Q.map(f32);
  const c = f32(TANH_CLAMP);
  return `
fn nm_tanh(v : f32) -> f32 {
  let xc = clamp(v, -${c}, ${c});
  let y = xc * xc * ${f32(1 / (TANH_CLAMP * TANH_CLAMP))};
  let p = ${p0} + y * (${p1} + y * (${p2} + y * (${p3} + y * ${p4})));
  let q = 1.0 + y * (${q1} + y * (${q2} + y * (${q3} + y * ${q4})));
  return xc * p / q;
}
fn nm_sigmoid(v : f32) -> f32 {
  return 1.0 / (1.0 + exp(-v));
}`;
}

/**
 * Tree reduction over the workgroup of `rows` rows of `red` (row r's partials at r*WG + lid), in
 * uniform control flow (the barriers need it). The sums end up at red[r*WG]. WG is a power of two.
 */
export function treeReduceWgsl(rows: string): string {
  return `
  workgroupBarrier();
  for (var st = K_WG / 2; st > 0; st = st / 2) {
    if (lid < st) {
      for (var row = 0; row < ${rows}; row++) {
        red[row * K_WG + lid] = red[row * K_WG + lid] + red[row * K_WG + lid + st];
      }
    }
    workgroupBarrier();
  }`;
}

/** The WebGPU default limit on workgroups per dispatch dimension. */
export const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/**
 * A scan program: one workgroup of plan.WG invocations per trial (dispatch [B, 1, 1]), writing one
 * flat output of `outputSize` floats. `code` defines `fn main(index : i32)`.
 */
export function scanProgram(
  shaderKey: string,
  variableNames: string[],
  outputSize: number,
  B: number,
  WG: number,
  uniforms: string,
  code: string,
): GpuProgram {
  // Beyond this tfjs folds the dispatch into two dimensions and workgroup_id.x stops being the
  // trial; no playground batch comes near it.
  if (B > MAX_WORKGROUPS_PER_DIMENSION) {
    throw new Error(`fused WebGPU scan: batch ${B} exceeds ${MAX_WORKGROUPS_PER_DIMENSION} trials`);
  }
  return {
    variableNames,
    outputShape: [outputSize],
    shaderKey,
    dispatchLayout: { x: [0] },
    dispatch: [B, 1, 1],
    workgroupSize: [WG, 1, 1],
    uniforms,
    getUserCode: () => code,
  };
}

/** The shared start of a scan's main: this invocation, its trial, the trial length. */
export const SCAN_PROLOGUE = `
  let lid = i32(localId.x);
  let b = i32(workgroupId.x);
  let T = uniforms.steps;`;

const FLAT_WG = 64;

/** A program with one thread per output element, flat dispatch. */
export function flatProgram(
  key: string,
  variableNames: string[],
  outputShape: number[],
  uniforms: string,
  body: string,
): GpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / FLAT_WG), 1, 1],
    workgroupSize: [FLAT_WG, 1, 1],
    uniforms,
    getUserCode: () => `
fn main(index : i32) {
  if (index < uniforms.count) {
    ${body}
  }
}`,
  };
}

/** Copies `size(shape)` values of `src` from `offset` into a new tensor of `shape`. */
export function copyRange(
  backend: GpuBackend,
  src: TensorInfo,
  offset: number,
  shape: number[],
): TensorInfo {
  const count = shape.reduce((a, b) => a * b, 1);
  const program = flatProgram(
    'nmrnnCopyRange',
    ['src'],
    shape,
    'count : i32, offset : i32,',
    'result[index] = src[uniforms.offset + index];',
  );
  return backend.runWebGPUProgram(program, [src], 'float32', [
    { type: 'int32', data: [count] },
    { type: 'int32', data: [offset] },
  ]);
}

/**
 * The sum over trials of per-trial parameter gradients stored trial-major at `offset` in `src`
 * (src[offset + b·P + p]): a [P] tensor. Summed in trial order, so the result is deterministic.
 */
export function sumPartials(
  backend: GpuBackend,
  src: TensorInfo,
  offset: number,
  P: number,
  B: number,
): TensorInfo {
  const program = flatProgram(
    'nmrnnSumPartials',
    ['src'],
    [P],
    'count : i32, offset : i32, trials : i32,',
    `var acc = 0.0;
    for (var b = 0; b < uniforms.trials; b++) {
      acc = acc + src[uniforms.offset + b * uniforms.count + index];
    }
    result[index] = acc;`,
  );
  return backend.runWebGPUProgram(program, [src], 'float32', [
    { type: 'int32', data: [P] },
    { type: 'int32', data: [offset] },
    { type: 'int32', data: [B] },
  ]);
}

/** [a, b] flattened and concatenated, as one [size(a) + size(b)] tensor. */
export function concatFlat(backend: GpuBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const na = a.shape.reduce((x, y) => x * y, 1);
  const nb = b.shape.reduce((x, y) => x * y, 1);
  const program = flatProgram(
    'nmrnnConcatFlat',
    ['srcA', 'srcB'],
    [na + nb],
    'count : i32, split : i32,',
    `if (index < uniforms.split) {
      result[index] = srcA[index];
    } else {
      result[index] = srcB[index - uniforms.split];
    }`,
  );
  return backend.runWebGPUProgram(program, [a, b], 'float32', [
    { type: 'int32', data: [na + nb] },
    { type: 'int32', data: [na] },
  ]);
}

export type KernelArgs = Parameters<tf.KernelFunc>[0];

export function inputOf(args: KernelArgs, name: string): TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`fused WebGPU scan: missing input ${name}`);
  return t;
}

/** Runs `body` and then releases the temporary buffers it registered, even when it throws. */
export function withTemporaries<T>(
  backend: GpuBackend,
  body: (temp: (t: TensorInfo) => TensorInfo) => T,
): T {
  const temps: TensorInfo[] = [];
  try {
    return body((t) => {
      temps.push(t);
      return t;
    });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}
