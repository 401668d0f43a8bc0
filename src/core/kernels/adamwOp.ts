/**
 * The fused optimiser step: one kernel computes, for every trainable parameter, the clipped-AdamW
 * update of θ and its moments and the squared norm of its raw gradient, instead of about fourteen
 * small kernels per parameter. Nothing is assigned here: the trainer looks at the norms first
 * (divergence guard) and only then commits (train/optimizer.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAMW_UPDATE } from './names';

export interface AdamWAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled decay (0 for plain Adam). */
  weightDecay: number;
  /** Element-wise clip of the gradient; 0 = off. */
  clip: number;
  /** Bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ, per parameter (each has its own update count). */
  c1: number[];
  c2: number[];
}

export interface AdamWItem {
  theta: tf.Tensor;
  g: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

export interface AdamWResult {
  theta: tf.Tensor[];
  m: tf.Tensor[];
  v: tf.Tensor[];
  /** Σ g² of each raw (unclipped) gradient, [k]. */
  gradSq: tf.Tensor1D;
}

/** Whether the active backend has the fused optimiser kernel. */
export function fusedAdamWAvailable(): boolean {
  return tf.getKernel(ADAMW_UPDATE, tf.getBackend()) !== undefined;
}

/** Input names of parameter i, in the order the kernel reads them. */
export const adamwInputNames = (i: number): [string, string, string, string] => [
  `theta${i}`,
  `g${i}`,
  `m${i}`,
  `v${i}`,
];

/**
 * The same update with tfjs ops (≈ 19 small kernels per parameter): for backends without the fused
 * kernel, and as the reference the fused ones are checked against.
 */
export function adamWUpdateOps(items: readonly AdamWItem[], attrs: AdamWAttrs): AdamWResult {
  const { lr, beta1, beta2, epsilon, weightDecay, clip, c1, c2 } = attrs;
  return tf.tidy(() => {
    const theta: tf.Tensor[] = [];
    const m: tf.Tensor[] = [];
    const v: tf.Tensor[] = [];
    items.forEach((it, i) => {
      const gc = clip > 0 ? tf.clipByValue(it.g, -clip, clip) : it.g;
      const mi = tf.add(tf.mul(it.m, beta1), tf.mul(gc, 1 - beta1));
      const vi = tf.add(tf.mul(it.v, beta2), tf.mul(tf.square(gc), 1 - beta2));
      const mHat = tf.div(mi, c1[i]);
      const vHat = tf.div(vi, c2[i]);
      let step = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), lr);
      if (weightDecay !== 0) step = tf.add(step, tf.mul(it.theta, lr * weightDecay));
      theta.push(tf.sub(it.theta, step));
      m.push(mi);
      v.push(vi);
    });
    // Not tf.addN or one big stack on WebGPU-sized lists: stack goes through concat, which
    // splits its inputs.
    const gradSq = tf.stack(items.map((it) => tf.sum(tf.square(it.g)))) as tf.Tensor1D;
    return { theta, m, v, gradSq };
  });
}

export function adamWUpdate(items: readonly AdamWItem[], attrs: AdamWAttrs): AdamWResult {
  const inputs: tf.NamedTensorMap = {};
  items.forEach((it, i) => {
    const [t, g, m, v] = adamwInputNames(i);
    inputs[t] = it.theta;
    inputs[g] = it.g;
    inputs[m] = it.m;
    inputs[v] = it.v;
  });
  // NamedAttrMap admits number[]; the interface is spread into a plain record for it.
  const out = tf.engine().runKernel(ADAMW_UPDATE, inputs, { ...attrs }) as tf.Tensor[];
  const k = items.length;
  return {
    theta: out.slice(0, 3 * k).filter((_, j) => j % 3 === 0),
    m: out.slice(0, 3 * k).filter((_, j) => j % 3 === 1),
    v: out.slice(0, 3 * k).filter((_, j) => j % 3 === 2),
    gradSq: out[3 * k] as tf.Tensor1D,
  };
}
