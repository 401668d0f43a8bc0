/**
 * Synchronous access to tensor memory for the CPU-side kernels, on both backends whose data lives
 * in host memory: `cpu` (plain typed arrays) and `wasm` (the WebAssembly heap). Reading and
 * writing in place avoids copying megabyte-sized trajectories on every call.
 *
 * The wasm heap can grow (and detach every view onto it) whenever tfjs allocates, so callers
 * allocate all outputs first and only then take views: see `withHostMemory`.
 */
import type { TensorInfo } from '@tensorflow/tfjs';

type DataId = TensorInfo['dataId'];

/** The slice of the cpu backend this module relies on. */
interface CpuBackendLike {
  readSync(dataId: DataId): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The slice of the wasm backend this module relies on (BackendWasm in tfjs-backend-wasm). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function isWasm(backend: object): backend is WasmBackendLike {
  return 'typedArrayFromHeap' in backend && 'makeOutput' in backend;
}

function isCpu(backend: object): backend is CpuBackendLike {
  return 'makeTensorInfo' in backend && 'readSync' in backend;
}

export interface HostMemory {
  /** Float32 view of an input or output tensor (valid only inside the callback). */
  f32(info: TensorInfo): Float32Array;
}

/**
 * Allocates float32 outputs of the given shapes on `backend`, then runs `body` with views onto the
 * inputs and outputs. Returns the output TensorInfos for the kernel to hand back to tfjs.
 */
export function withHostMemory(
  backend: object,
  outputShapes: number[][],
  body: (mem: HostMemory, outputs: TensorInfo[]) => void,
): TensorInfo[] {
  if (isWasm(backend)) {
    const outputs = outputShapes.map((shape) => backend.makeOutput(shape, 'float32'));
    const mem: HostMemory = {
      f32: (info) => {
        const view = backend.typedArrayFromHeap(info);
        if (!(view instanceof Float32Array)) throw new Error('fused kernel: expected float32');
        return view;
      },
    };
    body(mem, outputs);
    return outputs;
  }
  if (isCpu(backend)) {
    const outputs = outputShapes.map((shape) =>
      backend.makeTensorInfo(shape, 'float32', new Float32Array(sizeOf(shape))),
    );
    const mem: HostMemory = {
      f32: (info) => {
        const values = backend.readSync(info.dataId);
        if (!(values instanceof Float32Array)) throw new Error('fused kernel: expected float32');
        return values;
      },
    };
    body(mem, outputs);
    return outputs;
  }
  throw new Error('fused CPU kernel: backend has no host-memory access (expected cpu or wasm)');
}

/**
 * The live float32 storage of a tensor's data on a host backend (cpu: its own array, wasm: a view
 * of the heap, valid until the next allocation), or undefined on any other backend or dtype.
 */
export function hostView(backend: object, info: TensorInfo): Float32Array | undefined {
  if (info.dtype !== 'float32') return undefined;
  const values = isWasm(backend)
    ? backend.typedArrayFromHeap(info)
    : isCpu(backend)
      ? backend.readSync(info.dataId)
      : undefined;
  return values instanceof Float32Array ? values : undefined;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
