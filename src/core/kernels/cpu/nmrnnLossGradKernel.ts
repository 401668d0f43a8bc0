/**
 * The fused NM-RNN / low-rank RNN training step on the host backends: L̃ by Gram–Schmidt, the
 * factored scan forward, the masked MSE (docs/SCIENCE.md §3) and the backward, then L̃'s gradient
 * back to L, all inside one tfjs kernel (the scan and loss split over step threads where there are
 * some: threads/stepParts.ts). It replaces the ≈ 100 small tfjs kernels of a
 * tf.variableGrads step (packing, the loss and its gradient, concat's split, the zero gradients of
 * the unused trajectories) and the copies of the trajectories out of and back into the SIMD module.
 */
import type { NmrnnLossGradAttrs } from '../attrs';
import { nmrnnFactoredLayout, type NmrnnFactoredLayout } from '../layout';
import {
  required,
  stepKernel,
  StepArrays,
  type ParamSource,
  type StepResult,
} from './stepKernelIO';
import { nmrnnSimdEnabled } from '../simd/nmrnnSimd';
import { nmrnnLanesSimd } from '../simd/nmrnnLanesSimd';
import { relaxedSimdInUse } from '../simd/lanes';
import { runStep } from '../threads/stepParts';
import type { StepBatch } from '../threads/stepTypes';
import { orthonormalizeColumnsGradHost, orthonormalizeColumnsHost } from './orthonormalizeKernel';

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

const arrays = new StepArrays();

/** Packs the parameter inputs into nmrnnFactoredLayout, with L̃ for L (and for V when symmetric). */
function packParams(
  a: NmrnnLossGradAttrs,
  lay: NmrnnFactoredLayout,
  param: ParamSource,
): Float32Array {
  const packed = arrays.zeroed('params', lay.size);
  for (const [name, block] of Object.entries(BLOCK_OF)) {
    const data = param(name);
    if (!data) continue;
    if (name === 'L' && a.orthonormalize) {
      orthonormalizeColumnsHost(data, a.N, a.R, packed.subarray(lay.Lt, lay.Lt + a.N * a.R));
    } else {
      packed.set(data, lay[block]);
    }
  }
  if (a.symmetric) packed.copyWithin(lay.V, lay.Lt, lay.Lt + a.N * a.R);
  return packed;
}

/**
 * The step on host arrays: the loss and the gradient of each of attrs.outputs (the tfjs kernel
 * NmrnnLossGradFused wraps it, and the trainer calls it directly on cpu and wasm).
 */
export function nmrnnLossGradHost(
  a: NmrnnLossGradAttrs,
  param: ParamSource,
  batch: StepBatch,
): StepResult {
  const lay = nmrnnFactoredLayout(a);
  const gPacked = arrays.zeroed('grad', lay.size);
  // The scan's attributes only: outputs and orthonormalize are this function's business.
  const { outputs: _o, orthonormalize: _q, symmetric: _s, ...scan } = a;
  const simd = nmrnnSimdEnabled();
  const job = {
    kind: 'nmrnn',
    attrs: scan,
    simd,
    lanes: simd && nmrnnLanesSimd() !== null,
    relaxed: relaxedSimdInUse(),
    // V ≡ L̃ adds V's gradient into L's below, so L needs both.
    wants: a.symmetric && a.outputs.includes('L') ? [...a.outputs, 'V'] : a.outputs,
  } as const;
  const loss = Math.fround(runStep(job, packParams(a, lay, param), batch, a, gPacked));
  // V ≡ L̃: the recurrence uses L̃ twice, so its gradient is the sum of both uses'.
  if (a.symmetric) for (let i = 0; i < a.N * a.R; i++) gPacked[lay.Lt + i] += gPacked[lay.V + i];
  const grads: Record<string, Float32Array> = {};
  for (const name of a.outputs) {
    const block = BLOCK_OF[name];
    if (!block) continue;
    const size = required(param, name).length;
    grads[name] = gPacked.subarray(lay[block], lay[block] + size);
  }
  if (grads.L && a.orthonormalize) {
    const gL = arrays.zeroed('L', grads.L.length);
    orthonormalizeColumnsGradHost(required(param, 'L'), grads.L, a.N, a.R, gL);
    grads.L = gL;
  }
  return { loss, grads };
}

/** Outputs: the loss (a scalar), then the gradient of each of attrs.outputs, in that order. */
export const nmrnnLossGradKernel = stepKernel(nmrnnLossGradHost);
