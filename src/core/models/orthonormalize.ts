/**
 * L̃ = Q of the reduced QR decomposition L = Q·R₀ with R₀'s diagonal positive (docs/SCIENCE.md §1.1
 * Decision), by modified Gram–Schmidt in tfjs ops so gradients flow through it. R is small (≤ ~12),
 * so the O(R²) op count is negligible next to the recurrence.
 */
import * as tf from '@tensorflow/tfjs';

/** Orthonormalise the columns of L [N, R] (needs R ≤ N and full column rank). */
export function orthonormalizeColumns(L: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    // Column slices rather than tf.unstack: tfjs's Unpack gradient breaks when there is a single
    // output (R = 1, the rank-1 model).
    const R = L.shape[1];
    const cols = Array.from({ length: R }, (_, k) => tf.slice(L, [0, k], [-1, 1]).reshape([-1]));
    const q: tf.Tensor[] = [];
    for (const col of cols) {
      let v: tf.Tensor = col;
      // Modified GS: project out each earlier q from the running residual, not from the original
      // column, which keeps Q orthonormal to float precision for moderately conditioned L.
      for (const qi of q) v = tf.sub(v, tf.mul(qi, tf.sum(tf.mul(qi, v))));
      // Dividing by the positive norm is what makes R₀'s diagonal positive.
      q.push(tf.div(v, tf.sqrt(tf.sum(tf.square(v)))));
    }
    return tf.stack(q, 1) as tf.Tensor2D;
  });
}
