import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import { buildBatch, emptyTrial, stackTrials } from '../../src/core/tasks/trial';
import { cognitiveSample, cognitiveTestSet, cognitiveTrial } from '../../src/core/tasks/cognitive';
import { mwgSample, mwgTrial, resolveMwgOptions } from '../../src/core/tasks/mwg';
import { eftSample, eftTrial } from '../../src/core/tasks/eft';
import { addInputNoise, sampleFromPool, withInputNoise } from '../../src/core/tasks/pool';
import { COGNITIVE_TASKS, type TaskBatch } from '../../src/core/tasks/types';

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

/** BatchSource's `reuse`: a new batch written over a spent one's arrays, with the same values. */
describe('batches drawn into a spent batch', () => {
  const tasks = COGNITIVE_TASKS.slice(0, 3);
  const sources: Record<string, (rng: Rng, reuse?: TaskBatch) => TaskBatch> = {
    cognitive: (rng, reuse) => cognitiveSample(rng, 11, { tasks }, reuse),
    mwg: (rng, reuse) => mwgSample(rng, 9, {}, reuse),
    eft: (rng, reuse) => eftSample(rng, 6, {}, reuse),
    pool: (rng, reuse) => sampleFromPool(cognitiveSample(new Rng(1), 30, { tasks }), rng, 8, reuse),
  };

  it.each(Object.keys(sources))('%s: the same batches, in the spent arrays', (name) => {
    const draw = sources[name];
    const fresh = new Rng(5);
    const reused = new Rng(5);
    let spent = draw(reused);
    expect(spent).toEqual(draw(fresh));
    for (let i = 0; i < 3; i++) {
      const next = draw(reused, spent);
      expect(next.inputs).toBe(spent.inputs);
      expect(next.targets).toBe(spent.targets);
      expect(next.mask).toBe(spent.mask);
      expect(next).toEqual(draw(fresh));
      spent = next;
    }
  });

  it('does not write into a batch of another shape or family', () => {
    const other = mwgSample(new Rng(1), 4);
    const before = other.inputs.slice();
    const eft = eftSample(new Rng(2), 4, {}, other);
    expect(eft.inputs).not.toBe(other.inputs);
    const mwg = mwgSample(new Rng(3), 5, {}, other);
    expect(mwg.inputs).not.toBe(other.inputs);
    expect(other.inputs).toEqual(before);
  });

  it('noise added in place equals noise added to a copy', () => {
    const batch = cognitiveSample(new Rng(8), 5, { tasks });
    const copied = withInputNoise(batch, new Rng(9), 0.3, [3, 4]);
    expect(copied.inputs).not.toBe(batch.inputs);
    const inPlace = addInputNoise(
      cognitiveSample(new Rng(8), 5, { tasks }),
      new Rng(9),
      0.3,
      [3, 4],
    );
    expect(inPlace).toEqual(copied);
  });
});
