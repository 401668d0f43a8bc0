/**
 * Which finished seed a gallery preset ships (presetSources.ts): the rule named on its card, over the
 * first protocol that has results, and for MWG only among seeds that do the trained task when any do.
 */
import { describe, expect, it } from 'vitest';
import { PRESET_SOURCES, choosePresetResult } from '../../src/core/reproduce/presetSources';
import type { JobResult } from '../../src/core/reproduce/jobs/jobResult';

/** A finished MWG LSTM seed: produced intervals for I = 12…18 and the two MSEs. */
function mwgSeed(seed: number, produced: number[], mseTrained: number, mseExtrapolated: number) {
  const metrics: Record<string, number> = {
    'extrapolate.mseTrained': mseTrained,
    'extrapolate.mseExtrapolated': mseExtrapolated,
  };
  [12, 14, 16, 18].forEach((I, i) => (metrics[`extrapolate.produced.I${I}`] = produced[i]));
  return {
    experiment: 'mwg',
    model: 'lstm',
    protocol: 'paper',
    seed,
    metrics,
  } as unknown as JobResult;
}

const source = (name: string) => PRESET_SOURCES.find((s) => s.name === name)!;

describe('choosePresetResult', () => {
  it('MWG: the best extrapolation among seeds whose produced intervals grow with I', () => {
    const results = [
      mwgSeed(0, [12, 14, 16, 18], 1e-8, 2e-2),
      // Extrapolates best but does not do the trained task: passed over.
      mwgSeed(1, [12, 12, 12, 12], 1e-3, 1e-3),
      mwgSeed(2, [12, 14, 16, 18], 5e-8, 8e-3),
    ];
    const choice = choosePresetResult(source('mwg-lstm'), results)!;
    expect(choice.result.seed).toBe(2);
    expect(choice.among).toBe(2);
    expect(choice.why).toMatch(/seed 2: .*untrained intervals.*grow with I.* of 2 seeds/);
  });

  it('MWG: with no seed doing the trained task, the best of all (its card then says it falls short)', () => {
    const results = [
      mwgSeed(0, [12, 12, 12, 12], 1e-3, 5e-3),
      mwgSeed(1, [9, 9, 9, 9], 1e-3, 4e-3),
    ];
    const src = source('mwg-lstm');
    const choice = choosePresetResult(src, results)!;
    expect(choice.result.seed).toBe(1);
    expect(src.bar?.(choice.result.metrics)).toMatch(/do not grow with I/);
  });

  it('falls back to the next protocol only when the first has no finished seed', () => {
    const seed = (protocol: string, s: number, pct: number) =>
      ({
        experiment: 'multitask',
        model: 'rnn',
        protocol,
        seed: s,
        metrics: { 'test.percentCorrect': pct },
      }) as unknown as JobResult;
    const src = source('multitask-rnn');
    expect(
      choosePresetResult(src, [seed('paper-short', 0, 99), seed('paper', 1, 80)])!.result.seed,
    ).toBe(1);
    expect(choosePresetResult(src, [seed('paper-short', 0, 99)])!.result.seed).toBe(0);
    expect(choosePresetResult(src, [])).toBeUndefined();
  });
});
