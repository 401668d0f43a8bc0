/**
 * What the fused training-step kernels (nmrnnLossGradKernel.ts, laneLossGradKernels.ts) share:
 * their inputs are the model's parameters by name plus the batch (u, targets, mask), their outputs
 * the loss (a scalar) and then the gradient of each of attrs.outputs, in that order.
 */
import type * as tf from '@tensorflow/tfjs';
import type { HostMemory } from './hostIO';
import type { StepBatch } from '../threads/stepTypes';

export type KernelArgs = Parameters<tf.KernelFunc>[0];

export function tensorInput(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`fused training step: missing input ${name}`);
  return t;
}

/** Output shapes: the loss, then each requested parameter's own shape. */
export function stepOutputShapes(args: KernelArgs, outputs: string[]): number[][] {
  return [[], ...outputs.map((name) => tensorInput(args, name).shape)];
}

/** The batch inputs, read in place. */
export function stepBatch(args: KernelArgs, mem: HostMemory, B: number): StepBatch {
  const f = (name: string) => mem.f32(tensorInput(args, name));
  return { B, u: f('u'), targets: f('targets'), mask: f('mask') };
}

/** Copies `byName[name]` into the gradient output of each of `outputs`. */
export function writeGrads(
  mem: HostMemory,
  infos: tf.TensorInfo[],
  outputs: string[],
  byName: Record<string, Float32Array>,
): void {
  outputs.forEach((name, i) => {
    const g = byName[name];
    if (!g) throw new Error(`fused training step: no gradient for "${name}"`);
    mem.f32(infos[i]).set(g);
  });
}
