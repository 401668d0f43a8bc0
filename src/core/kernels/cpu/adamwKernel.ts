/**
 * The fused clipped-AdamW step on the host backends (cpu, wasm): one pass over each parameter,
 * arithmetic in float64, results stored as float32 (the tfjs-op path it replaces computes in
 * float32; the two agree to float32 rounding).
 */
import type * as tf from '@tensorflow/tfjs';
import type { AdamWAttrs } from '../adamwOp';
import { adamwInputNames } from '../adamwOp';
import { withHostMemory } from './hostIO';

type KernelArgs = Parameters<tf.KernelFunc>[0];

export function adamwKernel(args: KernelArgs): tf.TensorInfo[] {
  const a = args.attrs as unknown as AdamWAttrs;
  const k = a.c1.length;
  const input = (name: string): tf.TensorInfo => {
    const t = args.inputs[name];
    if (!t) throw new Error(`ClippedAdamWUpdate: missing input ${name}`);
    return t as tf.TensorInfo;
  };
  const shapes: number[][] = [];
  for (let i = 0; i < k; i++) {
    const shape = input(adamwInputNames(i)[0]).shape;
    shapes.push(shape, shape, shape);
  }
  shapes.push([k]);
  const { lr, beta1, beta2, epsilon, weightDecay, clip } = a;
  return withHostMemory(args.backend, shapes, (mem, outs) => {
    const gradSq = mem.f32(outs[3 * k]);
    for (let i = 0; i < k; i++) {
      const [tn, gn, mn, vn] = adamwInputNames(i);
      const theta = mem.f32(input(tn));
      const g = mem.f32(input(gn));
      const m = mem.f32(input(mn));
      const v = mem.f32(input(vn));
      const thetaOut = mem.f32(outs[3 * i]);
      const mOut = mem.f32(outs[3 * i + 1]);
      const vOut = mem.f32(outs[3 * i + 2]);
      const c1 = a.c1[i];
      const c2 = a.c2[i];
      let sq = 0;
      for (let j = 0; j < theta.length; j++) {
        const gj = g[j];
        sq += gj * gj;
        const gc = clip > 0 ? Math.min(clip, Math.max(-clip, gj)) : gj;
        const mj = beta1 * m[j] + (1 - beta1) * gc;
        const vj = beta2 * v[j] + (1 - beta2) * gc * gc;
        mOut[j] = mj;
        vOut[j] = vj;
        const step =
          (lr * (mj / c1)) / (Math.sqrt(vj / c2) + epsilon) + lr * weightDecay * theta[j];
        thetaOut[j] = theta[j] - step;
      }
      gradSq[i] = sq;
    }
  });
}
