/**
 * What the fused training steps (nmrnnLossGradKernel.ts, laneLossGradKernels.ts) share. Each is a
 * function on host arrays — the model's parameters by name and the batch in, the masked MSE and the
 * gradient of each requested parameter out — that the trainer calls directly on the host backends
 * (kernels/hostStep.ts), and that `stepKernel` wraps as a tfjs kernel whose inputs are the
 * parameters by name plus u, targets and mask and whose outputs are the loss (a scalar) and then the
 * gradient of each of attrs.outputs, in that order.
 */
import type * as tf from '@tensorflow/tfjs';
import { withHostMemory } from './hostIO';
import type { StepBatch } from '../threads/stepTypes';

export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** A parameter's values by its docs/SCIENCE.md name (undefined: the model has no such parameter). */
export type ParamSource = (name: string) => Float32Array | undefined;

export interface StepResult {
  /** The masked MSE, rounded to float32 as a kernel's output is. */
  loss: number;
  /**
   * The gradient of each requested parameter: views into the step function's own arrays (see
   * StepArrays), valid until its next call.
   */
  grads: Record<string, Float32Array>;
}

/**
 * A step function's packed work arrays, kept from call to call: a fresh typed array costs 40–100 µs
 * in Chromium (1,500 floats, measured in a worker; a few µs in Node), and a step made three or four.
 */
export class StepArrays {
  private readonly arrays = new Map<string, Float32Array>();

  /** `size` zeros for `role`, in the array this role had last time where its size is the same. */
  zeroed(role: string, size: number): Float32Array {
    const a = this.arrays.get(role);
    if (a && a.length === size) return a.fill(0);
    const fresh = new Float32Array(size);
    this.arrays.set(role, fresh);
    return fresh;
  }
}

/** A training step on host arrays; `a.outputs` names the gradients wanted. */
export type HostStepFn<A> = (a: A, param: ParamSource, batch: StepBatch) => StepResult;

/** The parameter `name`, which the step cannot do without. */
export function required(param: ParamSource, name: string): Float32Array {
  const v = param(name);
  if (!v) throw new Error(`fused training step: missing input ${name}`);
  return v;
}

/** The tfjs kernel around a host step: inputs read in place, the loss and gradients written out. */
export function stepKernel<A extends { B: number; outputs: string[] }>(
  fn: HostStepFn<A>,
): (args: KernelArgs) => tf.TensorInfo[] {
  return (args) => {
    const a = args.attrs as unknown as A;
    const input = (name: string): tf.TensorInfo => {
      const t = args.inputs[name];
      if (!t) throw new Error(`fused training step: missing input ${name}`);
      return t;
    };
    const shapes = [[], ...a.outputs.map((name) => input(name).shape)];
    return withHostMemory(args.backend, shapes, (mem, [lossInfo, ...gradInfos]) => {
      const param: ParamSource = (name) => {
        const t = args.inputs[name];
        return t ? mem.f32(t) : undefined;
      };
      const f = (name: string) => mem.f32(input(name));
      const batch = { B: a.B, u: f('u'), targets: f('targets'), mask: f('mask') };
      const { loss, grads } = fn(a, param, batch);
      mem.f32(lossInfo)[0] = loss;
      a.outputs.forEach((name, i) => {
        const g = grads[name];
        if (!g) throw new Error(`fused training step: no gradient for "${name}"`);
        mem.f32(gradInfos[i]).set(g);
      });
    });
  };
}
