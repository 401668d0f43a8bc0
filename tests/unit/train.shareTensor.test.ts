/**
 * The divergence guard's snapshots (train/shareTensor.ts): a second handle on a variable's data, no
 * copy, that keeps the values it saw after the variable is assigned new ones, and frees the data
 * once both handles are gone — on cpu and on wasm (whose tf.clone copies).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { shareTensor } from '../../src/core/train/shareTensor';

for (const backend of ['cpu', 'wasm']) {
  describe(`shareTensor on ${backend}`, () => {
    it('shares the data, outlives an assign, and frees it with the last handle', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const v = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
      const before = tf.memory();
      const snap = shareTensor(v);
      // One more tensor, no more data.
      expect(tf.memory().numTensors).toBe(before.numTensors + 1);
      expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
      expect(snap.dataId).toBe(v.dataId);
      tf.tidy(() => v.assign(tf.tensor1d([7, 8, 9])));
      expect(Array.from(await snap.data())).toEqual([1, 2, 3]);
      expect(Array.from(await v.data())).toEqual([7, 8, 9]);
      const held = tf.memory().numDataBuffers;
      snap.dispose();
      expect(tf.memory().numDataBuffers).toBe(held - 1);
      v.dispose();
    });

    it('copies data the active backend does not hold yet', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const other = backend === 'cpu' ? 'wasm' : 'cpu';
      expect(await tf.setBackend(other)).toBe(true);
      const t = tf.tensor1d([4, 5]);
      expect(await tf.setBackend(backend)).toBe(true);
      const snap = shareTensor(t);
      expect(Array.from(await snap.data())).toEqual([4, 5]);
      tf.dispose([snap, t]);
    });
  });
}
