/**
 * The WebGPU kernel functions of the NM-RNN and low-rank RNN scans: run the WGSL scan, then cut
 * its packed output into the op's tensors and sum the per-trial parameter gradients.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NmrnnScanAttrs } from '../attrs';
import { nmrnnLayout } from '../layout';
import {
  asGpuBackend,
  concatFlat,
  copyRange,
  inputOf,
  sumPartials,
  withTemporaries,
  type KernelArgs,
} from './gpuProgram';
import { nmrnnBackwardProgram, nmrnnForwardProgram, nmrnnUniforms } from './nmrnnPrograms';
import { nmrnnPlan, type WorkgroupPlan } from './sizing';

function attrsOf(args: KernelArgs): NmrnnScanAttrs {
  return args.attrs as unknown as NmrnnScanAttrs;
}

function planOf(a: NmrnnScanAttrs): WorkgroupPlan {
  const plan = nmrnnPlan(a.N, a.R, a.M, a.feedback);
  if (!plan) {
    throw new Error(
      `fused WebGPU NM-RNN scan: N=${a.N}, R=${a.R}, M=${a.M}${a.feedback ? ' with feedback' : ''} ` +
        'exceeds the workgroup limits (use the reference scan)',
    );
  }
  return plan;
}

const uniformsOf = (a: NmrnnScanAttrs) => nmrnnUniforms(a.T, a.B, a.tauX, a.tauZ, a.scale, a.M);

export function nmrnnForwardKernel(args: KernelArgs): TensorInfo[] {
  const a = attrsOf(args);
  const { B, T, N, M, R } = a;
  const backend = asGpuBackend(args.backend);
  const inputs = ['driveX', 'driveZ', 'params', 'mul', 'add'].map((n) => inputOf(args, n));
  return withTemporaries(backend, (temp) => {
    const program = nmrnnForwardProgram(a, B, T, planOf(a));
    const packed = temp(backend.runWebGPUProgram(program, inputs, 'float32', uniformsOf(a)));
    return [
      copyRange(backend, packed, 0, [B, T, N]),
      copyRange(backend, packed, B * T * N, [B, T, M]),
      copyRange(backend, packed, B * T * (N + M), [B, T, R]),
    ];
  });
}

/** A single TensorInfo, so runKernel returns a single tensor (as the cpu kernel does). */
export function lowRankForwardKernel(args: KernelArgs): TensorInfo {
  const a = attrsOf(args);
  const backend = asGpuBackend(args.backend);
  const inputs = [inputOf(args, 'driveX'), inputOf(args, 'params')];
  const program = nmrnnForwardProgram(a, a.B, a.T, planOf(a));
  // The packed output is exactly x [B, T, N] here, so it is returned as is.
  const x = backend.runWebGPUProgram(program, inputs, 'float32', uniformsOf(a));
  return { ...x, shape: [a.B, a.T, a.N] };
}

export function nmrnnBackwardKernel(args: KernelArgs): TensorInfo[] {
  const a = attrsOf(args);
  const { B, T, N, M } = a;
  const backend = asGpuBackend(args.backend);
  const f = (name: string) => inputOf(args, name);
  return withTemporaries(backend, (temp) => {
    // Eight inputs would exceed the storage-buffer limit: mul rides along with the parameters.
    const pm = temp(concatFlat(backend, f('params'), f('mul')));
    const { program, partialsOffset } = nmrnnBackwardProgram(a, B, T, planOf(a));
    const inputs = [pm, f('x'), f('z'), f('s'), f('dx'), f('dz'), f('ds')];
    const packed = temp(backend.runWebGPUProgram(program, inputs, 'float32', uniformsOf(a)));
    return [
      copyRange(backend, packed, 0, [B, T, N]),
      copyRange(backend, packed, B * T * N, [B, T, M]),
      sumPartials(backend, packed, partialsOffset, nmrnnLayout(a).size, B),
    ];
  });
}

export function lowRankBackwardKernel(args: KernelArgs): TensorInfo[] {
  const a = attrsOf(args);
  const { B, T, N } = a;
  const backend = asGpuBackend(args.backend);
  const inputs = ['params', 'x', 'dx'].map((n) => inputOf(args, n));
  return withTemporaries(backend, (temp) => {
    const { program, partialsOffset } = nmrnnBackwardProgram(a, B, T, planOf(a));
    const packed = temp(backend.runWebGPUProgram(program, inputs, 'float32', uniformsOf(a)));
    return [
      copyRange(backend, packed, 0, [B, T, N]),
      sumPartials(backend, packed, partialsOffset, nmrnnLayout(a).size, B),
    ];
  });
}
