import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '../../src/core/analysis/evaluate';
import { alignToCue, cueTimesOf, MWG_GO_WINDOW } from '../../src/core/analysis/align';
import { fitPca, projectPca } from '../../src/core/analysis/pca';
import { createModel, defaultModelConfig } from '../../src/core/models';
import { mwgEvalSet } from '../../src/core/tasks';
import { Rng } from '../../src/core/random';
import { maskedMseArrays } from '../../src/core/train/loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluateModel', () => {
  it('returns outputs, trajectories and the loss as arrays, and frees every tensor', async () => {
    const config = defaultModelConfig('nmrnn', { N: 12 });
    const model = createModel(config, new Rng(4));
    const batch = mwgEvalSet();
    const before = tf.memory().numTensors;
    const ev = await evaluateModel(model, batch, { impl: 'reference' });
    expect(tf.memory().numTensors).toBe(before);

    expect(ev.outputs.dims).toEqual([12, 110, 1]);
    expect(ev.states.x?.dims).toEqual([12, 110, 12]);
    expect(ev.states.z?.dims).toEqual([12, 110, 5]);
    expect(ev.states.s?.dims).toEqual([12, 110, 3]);
    expect(ev.loss).toBeCloseTo(
      maskedMseArrays(ev.outputs.data, batch.targets, batch.mask, { B: 12, T: 110, O: 1 }),
      5,
    );
    // s is a sigmoid: strictly inside (0, 1), about 0.5 at initialisation (docs/SCIENCE.md §1.1).
    const s = ev.states.s!.data;
    expect(s.every((v) => v > 0 && v < 1)).toBe(true);

    // Clamping s_1 to 0 reaches the trajectories and changes the output.
    const ablated = await evaluateModel(model, batch, {
      impl: 'reference',
      ablation: [
        { mode: 'off', value: 0 },
        { mode: 'clamp', value: 0 },
      ],
    });
    const sAbl = ablated.states.s!.data;
    for (let i = 1; i < sAbl.length; i += 3) expect(sAbl[i]).toBe(0);
    const diff = ev.outputs.data.reduce(
      (m, v, i) => Math.max(m, Math.abs(v - ablated.outputs.data[i])),
      0,
    );
    expect(diff).toBeGreaterThan(1e-4);

    // The analyses chain: go-aligned s windows, and ablated x drawn in the intact PCA basis.
    const win = alignToCue(s, [12, 110, 3], cueTimesOf(batch.meta, 'go'), MWG_GO_WINDOW);
    expect(win.dims).toEqual([12, 61, 3]);
    const fit = fitPca(ev.states.x!.data, 12, { components: 3 });
    expect(projectPca(fit, ablated.states.x!.data)).toHaveLength(12 * 110 * 3);
    model.dispose();
  });
});
