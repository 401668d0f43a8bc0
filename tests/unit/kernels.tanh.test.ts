import { describe, expect, it } from 'vitest';
import { fastTanh } from '../../src/core/kernels/cpu/fastTanh';

describe('fastTanh', () => {
  it('is within 1e-7 of Math.tanh everywhere (dense grid on [-12, 12] and extremes)', () => {
    let worst = 0;
    for (let i = -240000; i <= 240000; i++) {
      const x = i / 20000;
      worst = Math.max(worst, Math.abs(fastTanh(x) - Math.tanh(x)));
    }
    for (const x of [-1e30, -50, 50, 1e30, 0])
      worst = Math.max(worst, Math.abs(fastTanh(x) - Math.tanh(x)));
    expect(worst).toBeLessThan(1e-7);
  });

  it('is odd and exact at 0', () => {
    expect(fastTanh(0)).toBe(0);
    for (const x of [0.1, 0.7, 2.3, 8.9]) expect(fastTanh(-x)).toBe(-fastTanh(x));
  });
});
