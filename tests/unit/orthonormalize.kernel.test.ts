import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { orthonormalizeFused } from '../../src/core/kernels/orthonormalizeOp';
import { orthonormalizeColumns } from '../../src/core/models/orthonormalize';
import { Rng } from '../../src/core/random';
import { relMaxDiff } from './kernels.oracle';

describe('the Gram–Schmidt kernel', () => {
  for (const backend of ['cpu', 'wasm']) {
    for (const [N, R] of [
      [7, 1],
      [12, 3],
      [9, 5],
    ] as const) {
      it(`matches the op-by-op L̃ and its gradient on ${backend} (N ${N}, R ${R})`, async () => {
        expect(await tf.setBackend(backend)).toBe(true);
        registerFusedKernels();
        const rng = new Rng(N * 10 + R);
        const L = tf.tensor2d(rng.normals(N * R), [N, R]);
        const W = tf.tensor2d(rng.normals(N * R), [N, R]);
        const loss = (f: (l: tf.Tensor2D) => tf.Tensor2D) => (l: tf.Tensor) =>
          tf.sum(tf.mul(f(l as tf.Tensor2D), W));
        const qFused = orthonormalizeFused(L);
        const qOps = orthonormalizeColumns(L);
        expect(relMaxDiff(qFused, qOps)).toBeLessThan(1e-5);
        // Orthonormal columns with a positive R₀ diagonal: QᵀQ = I and qᵀL_k > 0.
        const gram = (await tf.matMul(qFused, qFused, true, false).data()) as Float32Array;
        gram.forEach((v, i) => expect(v).toBeCloseTo(i % (R + 1) === 0 ? 1 : 0, 5));
        const gFused = tf.grad(loss(orthonormalizeFused))(L);
        const gOps = tf.grad(loss(orthonormalizeColumns))(L);
        expect(relMaxDiff(gFused, gOps)).toBeLessThan(1e-4);
        tf.dispose([L, W, qFused, qOps, gFused, gOps]);
      });
    }
  }
});
