import { describe, expect, it } from 'vitest';
import {
  forwardMultiplyAdds,
  gigaMultiplyAddsPerSecond,
  stepMultiplyAdds,
} from '../../src/core/bench/arithmetic';
import { formatBenchTable, type BenchRow } from '../../src/core/bench/benchTable';
import { defaultModelConfig } from '../../src/core/models/config';

describe('the arithmetic of a training step', () => {
  it('counts the MWG NM-RNN by hand: W_z, B_z, A_z, Vᵀ, U, B_x, C', () => {
    // M² + M·U + R·M + 2·N·R + N·Ux + O·N = 25 + 15 + 15 + 600 + 300 + 100.
    expect(forwardMultiplyAdds(defaultModelConfig('nmrnn'))).toBe(1055);
    // Forward and a backward of twice its products, 40 trials of 110 steps: ≈ 14 M.
    expect(stepMultiplyAdds(defaultModelConfig('nmrnn'), 40, 110)).toBe(3 * 1055 * 40 * 110);
  });

  it('counts each baseline from its own products', () => {
    expect(forwardMultiplyAdds(defaultModelConfig('lrrnn'))).toBe(2 * 106 * 3 + 106 * 3 + 106);
    expect(forwardMultiplyAdds(defaultModelConfig('rnn'))).toBe(31 * 31 + 31 * 3 + 31);
    expect(forwardMultiplyAdds(defaultModelConfig('lstm'))).toBe(4 * (15 * 15 + 15 * 3) + 45 + 15);
  });

  it('adds the feedback from x to z where the NM-RNN has it', () => {
    const plain = defaultModelConfig('nmrnn');
    const fed = defaultModelConfig('nmrnn', { feedback: true });
    expect(forwardMultiplyAdds(fed) - forwardMultiplyAdds(plain)).toBe(5 * 100);
  });

  it('grows linearly in trials and time steps', () => {
    const c = defaultModelConfig('lstm');
    expect(stepMultiplyAdds(c, 80, 110)).toBe(2 * stepMultiplyAdds(c, 40, 110));
    expect(stepMultiplyAdds(c, 40, 55)).toBe(stepMultiplyAdds(c, 40, 110) / 2);
  });

  it('turns a count and a time into billions per second', () => {
    expect(gigaMultiplyAddsPerSecond(14e6, 2)).toBeCloseTo(7, 12);
  });

  it('shows the rate in the bench table, and a dash where the count is unknown', () => {
    const base: BenchRow = {
      backend: 'wasm',
      family: 'nmrnn',
      N: 100,
      B: 40,
      T: 110,
      impl: 'fused',
      msPerStep: 2,
      p10: 2,
      p90: 2,
      steps: 10,
      simd: true,
    };
    const withCount = formatBenchTable([{ ...base, multiplyAdds: 14e6 }]).split('\n')[2];
    expect(withCount.split('|')[8].trim()).toBe('7.00');
    const ofPeak = formatBenchTable([{ ...base, multiplyAdds: 14e6 }], 28).split('\n')[2];
    expect(ofPeak.split('|')[8].trim()).toBe('7.00 (25 %)');
    // Two threads have two cores' peak to share.
    const two = formatBenchTable([{ ...base, multiplyAdds: 14e6, threads: 2 }], 28).split('\n')[2];
    expect(two.split('|')[8].trim()).toBe('7.00 (13 %)');
    const without = formatBenchTable([base]).split('\n')[2];
    expect(without.split('|')[8].trim()).toBe('—');
  });
});
