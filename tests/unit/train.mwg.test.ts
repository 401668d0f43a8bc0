import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { createModel, defaultModelConfig, getFusedScan } from '../../src/core/models';
import { mwgTrainingSet } from '../../src/core/tasks';
import { Rng } from '../../src/core/random';
import { TrainingSession } from '../../src/core/train/session';

beforeAll(async () => {
  await tf.setBackend('cpu');
  // The op-by-op reference runs ≈1.2 s per MWG step on a loaded 2-core machine; the fused scan
  // (same losses to print precision) ≈35–110 ms, which is what keeps this file fast.
  registerFusedKernels();
});

describe('training the MWG NM-RNN (docs/SCIENCE.md defaults)', () => {
  it('uses the fused cpu scan', () => {
    expect(getFusedScan('nmrnn', 'cpu')).toBeDefined();
  });

  it('lowers the full-batch loss at least 5× within 30 steps at lr 1e-2', async () => {
    // Budget: 30 full-batch steps (40 trials × 110 steps, N100 R3 M5). Measured over init seeds
    // 0–3 the ratio after 30 steps was 10.8–17.7×, so 5× leaves a wide margin.
    const model = createModel(defaultModelConfig('nmrnn'), new Rng(0).stream('init'));
    const batch = mwgTrainingSet();
    expect(batch.B).toBe(40);
    const session = new TrainingSession(model, () => batch, { lr: 1e-2 });
    const losses: number[] = [];
    const last = await session.run(30, (r) => {
      if (r.ok) losses.push(r.loss);
    });
    expect(last?.ok).toBe(true);
    expect(losses).toHaveLength(30);
    expect(losses[0] / losses[29]).toBeGreaterThan(5);
    session.dispose();
    model.dispose();
  });

  it("stage 'nm' changes only the NM subnetwork, bit-exactly", async () => {
    const model = createModel(defaultModelConfig('nmrnn'), new Rng(1).stream('init'));
    const batch = mwgTrainingSet();
    const before = await model.toArrays();
    const session = new TrainingSession(model, () => batch, { lr: 1e-2, stage: 'nm' });
    await session.run(2);
    const after = await model.toArrays();
    const changed = Object.keys(before).filter((n) =>
      before[n].data.some((v, i) => !Object.is(v, after[n].data[i])),
    );
    expect(changed.sort()).toEqual(['Az', 'Bz', 'Wz', 'bz']);
    session.dispose();
    model.dispose();
  });
});
