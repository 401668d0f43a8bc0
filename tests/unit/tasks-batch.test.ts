import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import { buildBatch, emptyTrial, stackTrials } from '../../src/core/tasks/trial';
import { cognitiveSample, cognitiveTestSet, cognitiveTrial } from '../../src/core/tasks/cognitive';
import { mwgSample, mwgTrial, resolveMwgOptions } from '../../src/core/tasks/mwg';
import { eftSample, eftTrial } from '../../src/core/tasks/eft';
import { COGNITIVE_TASKS } from '../../src/core/tasks/types';

/** The generators write trials straight into a batch's rows; these pin that it changes no value. */
describe('batches written in place', () => {
  it('cognitive batches equal stacking separately drawn trials', () => {
    const tasks = COGNITIVE_TASKS.slice(0, 3);
    const inPlace = cognitiveSample(new Rng(7), 23, { tasks });
    const rng = new Rng(7);
    const trials = Array.from({ length: 23 }, () =>
      cognitiveTrial(tasks[rng.int(0, tasks.length - 1)], rng),
    );
    expect(inPlace).toEqual(stackTrials('multitask', trials));
  });

  it('the cognitive test set keeps each task on its own stream', () => {
    const both = cognitiveTestSet(4, 5, ['delayPro', 'memoryAnti']);
    const alone = cognitiveTestSet(4, 5, ['memoryAnti']);
    expect(both.inputs.subarray(5 * 100 * 7)).toEqual(alone.inputs);
    expect(both.meta.slice(5)).toEqual(alone.meta);
  });

  it('MWG and EFT batches equal stacking separately drawn trials', () => {
    const o = resolveMwgOptions();
    const rng = new Rng(2);
    const mwgTrials = Array.from({ length: 9 }, () => {
      const I = o.trainIntervals[rng.int(0, o.trainIntervals.length - 1)];
      const tm = o.trainMeasureTimes[rng.int(0, o.trainMeasureTimes.length - 1)];
      return mwgTrial(I, tm, o);
    });
    expect(mwgSample(new Rng(2), 9)).toEqual(stackTrials('mwg', mwgTrials));

    const r = new Rng(3);
    const eftTrials = Array.from({ length: 6 }, () => {
      const q = r.int(0, 24);
      const values = Array.from({ length: 25 }, () => r.int(-10, 10));
      return eftTrial(q, values);
    });
    expect(eftSample(new Rng(3), 6)).toEqual(stackTrials('eft', eftTrials));
  });

  it('refuses a trial written elsewhere or of another shape', () => {
    const meta = { label: 'x', condition: 0, cues: {}, values: {} };
    expect(() =>
      buildBatch('mwg', 2, { T: 4, U: 3, O: 1 }, () => emptyTrial(4, 3, 1, meta)),
    ).toThrow(/not written into its rows/);
    expect(() =>
      buildBatch('mwg', 2, { T: 4, U: 3, O: 1 }, (into) => emptyTrial(5, 3, 1, meta, into)),
    ).toThrow(/do not hold a \[5,3,1\] trial/);
    expect(() =>
      buildBatch('mwg', 0, { T: 4, U: 3, O: 1 }, () => emptyTrial(4, 3, 1, meta)),
    ).toThrow(/at least one trial/);
  });
});
