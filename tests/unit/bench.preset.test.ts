/**
 * `npm run bench -- --presets NAME@B`: a preset's own training step at another batch size (the
 * multitask NM-RNN's speed target is at B = 100), and a clear refusal of a bad one.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { benchPreset } from '../../src/core/bench/stepBench';

describe('benchPreset', () => {
  beforeAll(async () => {
    registerFusedKernels();
    expect(await tf.setBackend('cpu')).toBe(true);
  });

  it("times the preset's step at the batch size given after @", async () => {
    const row = await benchPreset('mwg-nmrnn@8', 2, 0);
    expect(row.B).toBe(8);
    expect(row.preset).toBe('mwg-nmrnn@8');
    expect(row.msPerStep).toBeGreaterThan(0);
  });

  it('refuses a batch size that is not a whole number in range, and an unknown preset', async () => {
    await expect(benchPreset('mwg-nmrnn@0', 1, 0)).rejects.toThrow(/integer in 1…1024/);
    await expect(benchPreset('mwg-nmrnn@ten', 1, 0)).rejects.toThrow(/got "ten"/);
    await expect(benchPreset('no-such-preset', 1, 0)).rejects.toThrow(/no preset "no-such-preset"/);
  });
});
