import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import {
  describeTask,
  eftChanceMse,
  eftMetrics,
  eftSample,
  eftTestSet,
  eftTrial,
} from '../../src/core/tasks/index';

describe('EFT generator', () => {
  it('encodes [q, v_0..v_24] and targets v_q at the last step only', () => {
    const batch = eftSample(new Rng(1), 300);
    expect([batch.B, batch.T, batch.U, batch.O]).toEqual([300, 26, 1, 1]);
    const qs = new Set<number>();
    for (let b = 0; b < batch.B; b++) {
      const row = batch.inputs.subarray(b * 26, b * 26 + 26);
      const q = row[0];
      qs.add(q);
      expect(Number.isInteger(q) && q >= 0 && q <= 24).toBe(true);
      for (let i = 1; i < 26; i++) {
        expect(Number.isInteger(row[i]) && row[i] >= -10 && row[i] <= 10).toBe(true);
      }
      expect(batch.targets[b * 26 + 25]).toBe(row[q + 1]);
      expect(batch.meta[b].values).toMatchObject({ q, target: row[q + 1] });
      expect(batch.meta[b].cues).toEqual({ query: 0, element: q + 1, readout: 25 });
      for (let t = 0; t < 25; t++) {
        expect(batch.mask[b * 26 + t]).toBe(0);
        expect(batch.targets[b * 26 + t]).toBe(0);
      }
      expect(batch.mask[b * 26 + 25]).toBe(1);
    }
    expect(qs.size).toBe(25);
  });

  it('is deterministic per seed and follows the length option', () => {
    expect(eftTestSet(4, 32).inputs).toEqual(eftTestSet(4, 32).inputs);
    expect(eftTestSet(4, 32).inputs).not.toEqual(eftTestSet(5, 32).inputs);
    expect(eftSample(new Rng(0), 2, { length: 7 }).T).toBe(8);
    expect(describeTask('eft', { eft: { length: 7 } })).toMatchObject({ U: 1, O: 1, T: 8 });
    expect(() => eftTrial(3, [1, 2, 3])).toThrow(RangeError);
  });
});

describe('EFT metrics', () => {
  const batch = eftTestSet(0, 2000);

  it('computes chance MSE analytically (36.67 for [−10, 10]) and matches it empirically', () => {
    expect(eftChanceMse().best).toBeCloseTo(440 / 12, 10);
    expect(eftChanceMse().zero).toBeCloseTo(440 / 12, 10);
    expect(eftChanceMse({ vMin: 0, vMax: 4 })).toEqual({ best: 2, zero: 6 });
    const zeros = eftMetrics(batch, new Float32Array(batch.B * batch.T));
    expect(zeros.chanceMse).toBeCloseTo(36.667, 3);
    expect(zeros.mse).toBeGreaterThan(34);
    expect(zeros.mse).toBeLessThan(39.5);
  });

  it('scores a perfect output as MSE 0 and accuracy 1, per query too', () => {
    const m = eftMetrics(batch, batch.targets);
    expect(m.mse).toBe(0);
    expect(m.accuracy).toBe(1);
    expect(m.mseByQuery).toHaveLength(25);
    expect(m.mseByQuery.every((v) => v === 0)).toBe(true);
  });

  it('uses only the final step and the ±0.5 accuracy band', () => {
    const out = new Float32Array(batch.targets);
    for (let b = 0; b < batch.B; b++) {
      out[b * batch.T] = 99; // non-final steps are ignored
      out[b * batch.T + 25] += b % 2 === 0 ? 0.4 : 0.6;
    }
    const m = eftMetrics(batch, out);
    expect(m.accuracy).toBe(0.5);
    expect(m.mse).toBeCloseTo((0.4 ** 2 + 0.6 ** 2) / 2, 5);
    expect(m.predictions[1] - m.targets[1]).toBeCloseTo(0.6, 5);
  });

  it('reports NaN for query positions with no trials', () => {
    const single = eftSample(new Rng(2), 1);
    const m = eftMetrics(single, single.targets);
    const q = single.meta[0].values.q;
    expect(m.mseByQuery[q]).toBe(0);
    expect(m.mseByQuery.filter((v) => Number.isNaN(v))).toHaveLength(24);
  });
});
