import { describe, expect, it } from 'vitest';
import { measurePeak } from '../../src/core/bench/peak';
import { engineRunsRelaxedSimd } from '../../src/core/kernels/simd/lanes';

describe("the floor: this core's multiply-add peak", () => {
  it('runs the plain-SIMD loop when asked to and reports a finite, positive rate', () => {
    const peak = measurePeak(20, false);
    expect(peak).not.toBeNull();
    expect(peak!.relaxed).toBe(false);
    expect(Number.isFinite(peak!.gigaPerSecond)).toBe(true);
    expect(peak!.gigaPerSecond).toBeGreaterThan(0);
  });

  it('says whether the fused build ran: only where the engine validates relaxed SIMD', () => {
    const peak = measurePeak(20, true);
    expect(peak!.relaxed).toBe(engineRunsRelaxedSimd());
  });
});
