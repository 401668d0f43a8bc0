/**
 * No tensor growth over 2,000 fused training steps (the memory target), with a tiny model
 * so the test stays fast: every family, through the real TrainingSession.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { createModel, defaultModelConfig, type ModelKind } from '../../src/core/models';
import { Rng } from '../../src/core/random';
import { mwgTrainingSet, type TaskBatch } from '../../src/core/tasks';
import { TrainingSession } from '../../src/core/train/session';

function tinyBatch(): TaskBatch {
  const full = mwgTrainingSet();
  const B = 2;
  const T = 12;
  const cut = (src: Float32Array, C: number) => {
    const out = new Float32Array(B * T * C);
    for (let b = 0; b < B; b++)
      out.set(src.subarray(b * full.T * C, b * full.T * C + T * C), b * T * C);
    return out;
  };
  return {
    ...full,
    B,
    T,
    inputs: cut(full.inputs, full.U),
    targets: cut(full.targets, full.O),
    mask: cut(full.mask, 1),
    meta: full.meta.slice(0, B),
  };
}

beforeAll(async () => {
  registerFusedKernels();
  await tf.setBackend('cpu');
});

describe('fused training does not leak tensors', () => {
  const steps: Record<ModelKind, number> = { nmrnn: 2000, lrrnn: 200, rnn: 200, lstm: 200 };
  for (const kind of ['nmrnn', 'lrrnn', 'rnn', 'lstm'] as const) {
    it(`${kind}: ${steps[kind]} steps`, async () => {
      const model = createModel(defaultModelConfig(kind, { N: 6, R: 2, M: 3 }), new Rng(1));
      const batch = tinyBatch();
      const session = new TrainingSession(model, () => batch, { lr: 1e-3, impl: 'fused' });
      // The first steps create the optimiser's moments; count from after them.
      for (let i = 0; i < 3; i++) expect((await session.step()).ok).toBe(true);
      const before = tf.memory();
      for (let i = 0; i < steps[kind]; i++) await session.step();
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
      session.dispose();
      model.dispose();
    });
  }
});
