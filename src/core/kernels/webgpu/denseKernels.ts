/**
 * The WebGPU kernel functions of the vanilla-RNN and LSTM scans (see densePrograms.ts).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { LstmScanAttrs, RnnScanAttrs } from '../attrs';
import { lstmLayout, rnnLayout } from '../layout';
import {
  asGpuBackend,
  copyRange,
  inputOf,
  sumPartials,
  withTemporaries,
  type KernelArgs,
} from './gpuProgram';
import {
  lstmBackwardProgram,
  lstmForwardProgram,
  lstmUniforms,
  rnnBackwardProgram,
  rnnForwardProgram,
  rnnUniforms,
} from './densePrograms';
import { lstmPlan, rnnPlan, type WorkgroupPlan } from './sizing';

function planOr(plan: WorkgroupPlan | null, what: string, N: number): WorkgroupPlan {
  if (!plan) {
    throw new Error(
      `fused WebGPU ${what} scan: N=${N} exceeds the workgroup limits (use the reference scan)`,
    );
  }
  return plan;
}

/** A single TensorInfo, so runKernel returns a single tensor (as the cpu kernel does). */
export function rnnForwardKernel(args: KernelArgs): TensorInfo {
  const a = args.attrs as unknown as RnnScanAttrs;
  const { B, T, N } = a;
  const backend = asGpuBackend(args.backend);
  const program = rnnForwardProgram(N, B, T, planOr(rnnPlan(N), 'RNN', N));
  const inputs = [inputOf(args, 'driveX'), inputOf(args, 'params')];
  // The flat output is exactly x [B, T, N]; only its shape changes (as tfjs's Reshape does).
  const x = backend.runWebGPUProgram(program, inputs, 'float32', rnnUniforms(T, B, a.tau, a.scale));
  return { ...x, shape: [B, T, N] };
}

export function rnnBackwardKernel(args: KernelArgs): TensorInfo[] {
  const a = args.attrs as unknown as RnnScanAttrs;
  const { B, T, N } = a;
  const backend = asGpuBackend(args.backend);
  const inputs = ['params', 'x', 'dx'].map((n) => inputOf(args, n));
  return withTemporaries(backend, (temp) => {
    const { program, partialsOffset } = rnnBackwardProgram(N, B, T, planOr(rnnPlan(N), 'RNN', N));
    const uniforms = rnnUniforms(T, B, a.tau, a.scale);
    const packed = temp(backend.runWebGPUProgram(program, inputs, 'float32', uniforms));
    return [
      copyRange(backend, packed, 0, [B, T, N]),
      sumPartials(backend, packed, partialsOffset, rnnLayout(N).size, B),
    ];
  });
}

export function lstmForwardKernel(args: KernelArgs): TensorInfo[] {
  const { B, T, N } = args.attrs as unknown as LstmScanAttrs;
  const backend = asGpuBackend(args.backend);
  const inputs = [inputOf(args, 'drive'), inputOf(args, 'params')];
  return withTemporaries(backend, (temp) => {
    const program = lstmForwardProgram(N, B, T, planOr(lstmPlan(N), 'LSTM', N));
    const packed = temp(backend.runWebGPUProgram(program, inputs, 'float32', lstmUniforms(T, B)));
    return [
      copyRange(backend, packed, 0, [B, T, N]),
      copyRange(backend, packed, B * T * N, [B, T, N]),
      copyRange(backend, packed, 2 * B * T * N, [B, T, 4 * N]),
    ];
  });
}

export function lstmBackwardKernel(args: KernelArgs): TensorInfo[] {
  const { B, T, N } = args.attrs as unknown as LstmScanAttrs;
  const backend = asGpuBackend(args.backend);
  const inputs = ['params', 'h', 'c', 'gates', 'dh', 'dc', 'dgates'].map((n) => inputOf(args, n));
  return withTemporaries(backend, (temp) => {
    const plan = planOr(lstmPlan(N), 'LSTM', N);
    const { program, partialsOffset } = lstmBackwardProgram(N, B, T, plan);
    const packed = temp(backend.runWebGPUProgram(program, inputs, 'float32', lstmUniforms(T, B)));
    return [
      copyRange(backend, packed, 0, [B, T, 4 * N]),
      sumPartials(backend, packed, partialsOffset, lstmLayout(N).size, B),
    ];
  });
}
