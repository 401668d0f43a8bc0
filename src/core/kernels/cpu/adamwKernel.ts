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

/** The hyperparameters of one update (AdamWAttrs without the per-parameter corrections). */
export type AdamWHyper = Omit<AdamWAttrs, 'c1' | 'c2'>;

/**
 * One parameter's clipped-AdamW update: θ′, m′, v′ into the outputs (which may be the inputs
 * themselves: each entry is read before it is written), with bias corrections c1, c2. Returns
 * Σ g² of the raw gradient. The fused kernel and the trainer's host steps (train/optimizer.ts)
 * both run this.
 */
export function adamWArrays(
  io: {
    theta: Float32Array;
    g: Float32Array;
    m: Float32Array;
    v: Float32Array;
    thetaOut: Float32Array;
    mOut: Float32Array;
    vOut: Float32Array;
  },
  h: AdamWHyper,
  c1: number,
  c2: number,
): number {
  const { theta, g, m, v, thetaOut, mOut, vOut } = io;
  const { lr, beta1, beta2, epsilon, weightDecay, clip } = h;
  let sq = 0;
  for (let j = 0; j < theta.length; j++) {
    const gj = g[j];
    sq += gj * gj;
    const gc = clip > 0 ? Math.min(clip, Math.max(-clip, gj)) : gj;
    const mj = beta1 * m[j] + (1 - beta1) * gc;
    const vj = beta2 * v[j] + (1 - beta2) * gc * gc;
    mOut[j] = mj;
    vOut[j] = vj;
    const step = (lr * (mj / c1)) / (Math.sqrt(vj / c2) + epsilon) + lr * weightDecay * theta[j];
    thetaOut[j] = theta[j] - step;
  }
  return sq;
}

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
  return withHostMemory(args.backend, shapes, (mem, outs) => {
    const gradSq = mem.f32(outs[3 * k]);
    for (let i = 0; i < k; i++) {
      const [tn, gn, mn, vn] = adamwInputNames(i);
      const io = {
        theta: mem.f32(input(tn)),
        g: mem.f32(input(gn)),
        m: mem.f32(input(mn)),
        v: mem.f32(input(vn)),
        thetaOut: mem.f32(outs[3 * i]),
        mOut: mem.f32(outs[3 * i + 1]),
        vOut: mem.f32(outs[3 * i + 2]),
      };
      gradSq[i] = adamWArrays(io, a, a.c1[i], a.c2[i]);
    }
  });
}
