/**
 * The fused NM-RNN / low-rank RNN training step on the host backends: L̃ by Gram–Schmidt, the
 * factored scan forward, the masked MSE (docs/SCIENCE.md §3) and the backward, then L̃'s gradient
 * back to L, all inside one tfjs kernel. It replaces the ≈ 100 small tfjs kernels of a
 * tf.variableGrads step (packing, the loss and its gradient, concat's split, the zero gradients of
 * the unused trajectories) and the copies of the trajectories out of and back into the SIMD module.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NmrnnLossGradAttrs } from '../attrs';
import { nmrnnFactoredLayout, type NmrnnFactoredLayout } from '../layout';
import { maskedMseWithGradient } from '../../train/loss';
import { withHostMemory, type HostMemory } from './hostIO';
import { nmrnnBackwardFactored, nmrnnForwardFactored } from './nmrnnFactors';
import { nmrnnLossGradSimd, nmrnnSimd, type LossGradInputs } from '../simd/nmrnnSimd';
import { orthonormalizeColumnsGradHost, orthonormalizeColumnsHost } from './orthonormalizeKernel';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Block = Exclude<keyof NmrnnFactoredLayout, 'size'>;

/** Model parameter name → its block of the packed vector (L enters as L̃). */
const BLOCK_OF: Record<string, Block> = {
  L: 'Lt',
  V: 'V',
  Wz: 'Wz',
  Az: 'Az',
  bz: 'bz',
  Wzx: 'Wzx',
  x0: 'x0',
  z0: 'z0',
  Bx: 'Bx',
  Bz: 'Bz',
  bzx: 'bzx',
  C: 'C',
  d: 'd',
};

/** The TypeScript-loop fallback of nmrnnLossGradSimd (no WebAssembly SIMD). */
function lossGradLoops(a: NmrnnLossGradAttrs, inp: LossGradInputs, gParams: Float32Array): number {
  const { B, T, N, R, M, O } = a;
  const rows = B * T;
  const traj = {
    y: new Float32Array(rows * O),
    x: new Float32Array(rows * N),
    z: new Float32Array(rows * M),
    s: new Float32Array(M > 0 ? rows * R : 0),
  };
  const mul = new Float32Array(M > 0 ? rows * R : 0).fill(1);
  const add = new Float32Array(mul.length);
  nmrnnForwardFactored(a, { u: inp.u, params: inp.params, mul, add }, traj);
  const dY = new Float32Array(rows * O);
  const loss = maskedMseWithGradient(traj.y, inp.targets, inp.mask, { B, T, O }, dY);
  const zero = {
    x: new Float32Array(traj.x.length),
    z: new Float32Array(traj.z.length),
    s: new Float32Array(traj.s.length),
  };
  nmrnnBackwardFactored(
    a,
    { u: inp.u, params: inp.params, mul, traj, grad: { ...zero, y: dY } },
    gParams,
  );
  return loss;
}

function tensorInput(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`fused training step: missing input ${name}`);
  return t;
}

/** Packs the parameter inputs into nmrnnFactoredLayout, with L̃ for L. */
function packParams(
  a: NmrnnLossGradAttrs,
  lay: NmrnnFactoredLayout,
  args: KernelArgs,
  mem: HostMemory,
): Float32Array {
  const packed = new Float32Array(lay.size);
  for (const [name, info] of Object.entries(args.inputs)) {
    const block = BLOCK_OF[name];
    if (!block || !info) continue;
    const data = mem.f32(info);
    if (name === 'L' && a.orthonormalize) {
      orthonormalizeColumnsHost(data, a.N, a.R, packed.subarray(lay.Lt, lay.Lt + a.N * a.R));
    } else {
      packed.set(data, lay[block]);
    }
  }
  return packed;
}

/** Outputs: the loss (a scalar), then the gradient of each of attrs.outputs, in that order. */
export function nmrnnLossGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as NmrnnLossGradAttrs;
  const lay = nmrnnFactoredLayout(a);
  const shapes = [[], ...a.outputs.map((name) => tensorInput(args, name).shape)];
  return withHostMemory(args.backend, shapes, (mem, [lossInfo, ...gradInfos]) => {
    const inp: LossGradInputs = {
      params: packParams(a, lay, args, mem),
      u: mem.f32(tensorInput(args, 'u')),
      targets: mem.f32(tensorInput(args, 'targets')),
      mask: mem.f32(tensorInput(args, 'mask')),
    };
    const gPacked = new Float32Array(lay.size);
    const wasm = nmrnnSimd();
    mem.f32(lossInfo)[0] = wasm
      ? nmrnnLossGradSimd(wasm, a, inp, gPacked)
      : lossGradLoops(a, inp, gPacked);
    a.outputs.forEach((name, i) => {
      const block = BLOCK_OF[name];
      if (!block) throw new Error(`fused training step: no gradient for "${name}"`);
      const out = mem.f32(gradInfos[i]);
      const g = gPacked.subarray(lay[block], lay[block] + out.length);
      if (name === 'L' && a.orthonormalize) {
        orthonormalizeColumnsGradHost(mem.f32(tensorInput(args, 'L')), g, a.N, a.R, out);
      } else {
        out.set(g);
      }
    });
  });
}
