/**
 * The training loss of every task: mean squared error over the time steps the task's mask selects
 * (MWG and the cognitive tasks: all of them; EFT: only the last one).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * sum_{b,t,o} mask[b,t]·(y − y*)² / (sum(mask)·O).
 * y, target: [B, T, O]; mask: [B, T]. A mask that sums to zero gives NaN, which the session's
 * divergence guard reports rather than silently training on nothing.
 */
export function maskedMse(y: tf.Tensor3D, target: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const O = y.shape[2];
    const sq = tf.square(tf.sub(y, target));
    const weighted = tf.mul(sq, tf.expandDims(mask, 2));
    return tf.div(tf.sum(weighted), tf.mul(tf.sum(mask), O)) as tf.Scalar;
  });
}

/** The same loss on plain arrays (for metrics and tests; float64 accumulation). */
export function maskedMseArrays(
  y: Float32Array,
  target: Float32Array,
  mask: Float32Array,
  dims: { B: number; T: number; O: number },
): number {
  const { B, T, O } = dims;
  let num = 0;
  for (let bt = 0; bt < B * T; bt++) {
    const w = mask[bt];
    if (w === 0) continue;
    for (let o = 0; o < O; o++) {
      const e = y[bt * O + o] - target[bt * O + o];
      num += w * e * e;
    }
  }
  return num / maskedMseDenominator(mask.subarray(0, B * T), O);
}

/** The loss's denominator sum(mask)·O (float64): the same for a whole batch and for its parts. */
export function maskedMseDenominator(mask: Float32Array, O: number): number {
  let den = 0;
  for (let i = 0; i < mask.length; i++) den += mask[i];
  return den * O;
}

/**
 * maskedMseArrays and its gradient with respect to y in one pass, for the fused training step:
 * dY = 2·mask·(y − y*) / den, written into `dY` ([B, T, O]). Sums in float64. `den` is
 * maskedMseDenominator of the whole batch, also when this is one part of it split across threads,
 * so the parts' losses and gradients add up to the whole one's.
 */
export function maskedMseWithGradient(
  y: Float32Array,
  target: Float32Array,
  mask: Float32Array,
  dims: { B: number; T: number; O: number },
  dY: Float32Array,
  den: number,
): number {
  const { B, T, O } = dims;
  let num = 0;
  const scale = 2 / den;
  for (let bt = 0; bt < B * T; bt++) {
    const w = mask[bt];
    for (let o = 0; o < O; o++) {
      const i = bt * O + o;
      const e = y[i] - target[i];
      if (w !== 0) num += w * e * e;
      dY[i] = scale * w * e;
    }
  }
  return num / den;
}
