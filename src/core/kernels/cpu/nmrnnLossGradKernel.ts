/**
 * The fused NM-RNN / low-rank RNN training step on the host backends: L̃ by Gram–Schmidt, the
 * factored scan forward, the masked MSE (docs/SCIENCE.md §3) and the backward, then L̃'s gradient
 * back to L, all inside one tfjs kernel (the scan and loss split over step threads where there are
 * some: threads/stepParts.ts). It replaces the ≈ 100 small tfjs kernels of a
 * tf.variableGrads step (packing, the loss and its gradient, concat's split, the zero gradients of
 * the unused trajectories) and the copies of the trajectories out of and back into the SIMD module.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NmrnnLossGradAttrs } from '../attrs';
import { nmrnnFactoredLayout, type NmrnnFactoredLayout } from '../layout';
import { withHostMemory, type HostMemory } from './hostIO';
import { nmrnnSimdEnabled } from '../simd/nmrnnSimd';
import { runStep } from '../threads/stepParts';
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
    const batch = {
      B: a.B,
      u: mem.f32(tensorInput(args, 'u')),
      targets: mem.f32(tensorInput(args, 'targets')),
      mask: mem.f32(tensorInput(args, 'mask')),
    };
    const gPacked = new Float32Array(lay.size);
    // The scan's attributes only: outputs and orthonormalize are this kernel's business.
    const { outputs: _o, orthonormalize: _q, ...scan } = a;
    const job = { kind: 'nmrnn', attrs: scan, simd: nmrnnSimdEnabled() } as const;
    mem.f32(lossInfo)[0] = runStep(job, packParams(a, lay, args, mem), batch, a, gPacked);
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
