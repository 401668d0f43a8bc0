/**
 * L̃ through the host kernel (cpu/orthonormalizeKernel.ts) with its gradient registered: what the
 * fused models use where the backend has the kernel; the op-by-op version stays the reference.
 */
import * as tf from '@tensorflow/tfjs';
import { ORTHONORMALIZE, ORTHONORMALIZE_GRAD } from './names';

export function orthonormalizeFused(L: tf.Tensor2D): tf.Tensor2D {
  return tf.engine().runKernel(ORTHONORMALIZE, { L }) as tf.Tensor2D;
}

export function registerOrthonormalizeGradient(): void {
  tf.registerGradient({
    kernelName: ORTHONORMALIZE,
    inputsToSave: ['L'],
    gradFunc: (dy, saved) => {
      const [L] = saved;
      return {
        L: () =>
          tf.engine().runKernel(ORTHONORMALIZE_GRAD, { L, dy: dy as tf.Tensor }) as tf.Tensor,
      };
    },
  });
}
