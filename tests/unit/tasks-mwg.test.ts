import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import {
  DEFAULT_MWG_OPTIONS,
  at3,
  describeTask,
  mwgEvalSet,
  mwgMetrics,
  mwgSample,
  mwgTrainingSet,
  mwgTrial,
  producedInterval,
} from '../../src/core/tasks/index';
import type { TaskBatch } from '../../src/core/tasks/index';

/** Output that follows a ramp of the given duration starting at each trial's go cue. */
function rampOutputs(batch: TaskBatch, durationOf: (I: number) => number): Float32Array {
  const out = new Float32Array(batch.B * batch.T);
  for (let b = 0; b < batch.B; b++) {
    const { go } = batch.meta[b].cues;
    const D = durationOf(batch.meta[b].values.interval);
    for (let t = 0; t < batch.T; t++)
      out[b * batch.T + t] = -0.5 + Math.min(1, Math.max(0, (t - go) / D));
  }
  return out;
}

describe('mwgTrial', () => {
  it('places single-step pulses of height 10 at measure, set = measure + I, go = set + 15', () => {
    const trial = mwgTrial(14, 12);
    expect(trial.meta.cues).toEqual({ measure: 12, set: 26, go: 41 });
    const pulses: [number, number, number][] = [];
    for (let t = 0; t < trial.T; t++) {
      for (let c = 0; c < 3; c++) {
        const v = trial.inputs[t * 3 + c];
        if (v !== 0) pulses.push([t, c, v]);
      }
    }
    expect(pulses).toEqual([
      [12, 0, 10],
      [26, 1, 10],
      [41, 2, 10],
    ]);
    expect(trial.T).toBe(110);
    expect(trial.meta.label).toBe('I=14');
    expect(trial.meta.condition).toBe(14);
    expect(trial.meta.values).toEqual({ interval: 14, tMeasure: 12 });
  });

  it('has target −0.5 up to go, slope exactly 1/I after it, and +0.5 from go + I on', () => {
    for (const I of [4, 13, 26]) {
      const trial = mwgTrial(I, 19);
      const go = trial.meta.cues.go;
      for (let t = 0; t <= go; t++) expect(trial.targets[t]).toBe(-0.5);
      for (let t = go + 1; t <= go + I; t++) {
        expect(trial.targets[t] - trial.targets[t - 1]).toBeCloseTo(1 / I, 6);
      }
      for (let t = go + I; t < trial.T; t++) expect(trial.targets[t]).toBe(0.5);
    }
  });

  it('fits the longest eval ramp with the latest measure time inside T = 110', () => {
    const trial = mwgTrial(26, 19);
    expect(trial.meta.cues.go + 26).toBeLessThan(110);
    expect(trial.targets[109]).toBe(0.5);
    expect(() => mwgTrial(80, 19)).toThrow(RangeError);
  });

  it('uses an all-ones mask and the trained range for groups', () => {
    expect(Array.from(mwgTrial(12, 10).mask).every((m) => m === 1)).toBe(true);
    expect(mwgTrial(10, 15).meta.group).toBe('short');
    expect(mwgTrial(12, 15).meta.group).toBe('trained');
    expect(mwgTrial(18, 15).meta.group).toBe('trained');
    expect(mwgTrial(20, 15).meta.group).toBe('long');
    expect(mwgTrial(20, 15, { trainIntervals: [20, 30] }).meta.group).toBe('trained');
  });
});

describe('MWG sets', () => {
  it('training set has 40 trials covering every interval × measure time once', () => {
    const set = mwgTrainingSet();
    expect([set.B, set.T, set.U, set.O]).toEqual([40, 110, 3, 1]);
    const combos = new Set(set.meta.map((m) => `${m.values.interval}/${m.values.tMeasure}`));
    expect(combos.size).toBe(40);
    for (const I of [12, 14, 16, 18])
      for (let tm = 10; tm <= 19; tm++) expect(combos.has(`${I}/${tm}`)).toBe(true);
    // The batch layout matches each trial's own cues.
    set.meta.forEach((m, b) => {
      expect(set.inputs[at3(b, m.cues.measure, 0, set.T, set.U)]).toBe(10);
      expect(set.inputs[at3(b, m.cues.set, 1, set.T, set.U)]).toBe(10);
      expect(set.inputs[at3(b, m.cues.go, 2, set.T, set.U)]).toBe(10);
    });
  });

  it('eval set has the 12 intervals 4..26 at t_measure = 15 with short/trained/long groups', () => {
    const set = mwgEvalSet();
    expect(set.B).toBe(12);
    expect(set.meta.map((m) => m.values.interval)).toEqual([
      4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26,
    ]);
    expect(set.meta.every((m) => m.cues.measure === 15)).toBe(true);
    expect(set.meta.map((m) => m.group)).toEqual([
      ...Array(4).fill('short'),
      ...Array(4).fill('trained'),
      ...Array(4).fill('long'),
    ]);
  });

  it('samples from the training distribution deterministically per seed', () => {
    const a = mwgSample(new Rng(3), 64);
    const b = mwgSample(new Rng(3), 64);
    const c = mwgSample(new Rng(4), 64);
    expect(a.inputs).toEqual(b.inputs);
    expect(a.targets).toEqual(b.targets);
    expect(a.inputs).not.toEqual(c.inputs);
    const intervals = new Set(a.meta.map((m) => m.values.interval));
    const measures = new Set(a.meta.map((m) => m.values.tMeasure));
    expect([...intervals].every((I) => DEFAULT_MWG_OPTIONS.trainIntervals.includes(I))).toBe(true);
    expect(intervals.size).toBe(4);
    expect(Math.min(...measures)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...measures)).toBeLessThanOrEqual(19);
    expect(measures.size).toBeGreaterThan(5);
  });
});

describe('producedInterval and mwgMetrics', () => {
  it('recovers I exactly from the target ramp of every eval interval', () => {
    const set = mwgEvalSet();
    const produced = set.meta.map((m, b) => producedInterval(set.targets, b, set.T, m.cues.go));
    produced.forEach((p, b) => expect(p).toBeCloseTo(set.meta[b].values.interval, 4));
  });

  it('reads 2I from a ramp twice as slow and NaN from a flat output', () => {
    const set = mwgEvalSet();
    const slow = rampOutputs(set, (I) => 2 * I);
    set.meta.forEach((m, b) => {
      const p = producedInterval(slow, b, set.T, m.cues.go);
      if (m.cues.go + 2 * m.values.interval * 0.9 < set.T)
        expect(p).toBeCloseTo(2 * m.values.interval, 4);
    });
    const flat = new Float32Array(set.B * set.T).fill(0.3);
    expect(Number.isNaN(producedInterval(flat, 0, set.T, set.meta[0].cues.go))).toBe(true);
  });

  it('interpolates between steps and ignores output before go', () => {
    const T = 20;
    const y = new Float32Array(T).fill(-0.5);
    y[2] = 1; // before go: must not count
    y[10] = 0.2;
    y[11] = 0.6; // crosses 0.4 halfway between steps 10 and 11
    expect(producedInterval(y, 0, T, 5)).toBeCloseTo(5.5 / 0.9, 6);
  });

  it('reports zero MSE for a perfect output and group MSEs for a constant one', () => {
    const set = mwgEvalSet();
    const perfect = mwgMetrics(set, set.targets);
    expect(perfect.mse.every((m) => m === 0)).toBe(true);
    expect(perfect.mseByGroup.trained).toBe(0);
    const zeros = mwgMetrics(set, new Float32Array(set.B * set.T));
    // Output 0 against a target of ±0.5 except along the ramp: MSE < 0.25 everywhere, and longer
    // ramps spend more steps near 0, so the long group's error is the smallest.
    for (const m of zeros.mse) expect(m).toBeLessThan(0.25);
    expect(zeros.mseByGroup.long).toBeLessThan(zeros.mseByGroup.short);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(zeros.mseByGroup.extrapolated).toBeCloseTo(
      mean([...zeros.mse.slice(0, 4), ...zeros.mse.slice(8)]),
      10,
    );
    expect(zeros.mseByGroup.trained).toBeCloseTo(mean(zeros.mse.slice(4, 8)), 10);
    expect(zeros.intervals).toEqual(set.meta.map((m) => m.values.interval));
    expect(() => mwgMetrics(set, new Float32Array(5))).toThrow(RangeError);
  });

  it('is described with 3 inputs, 1 output and T = 110', () => {
    expect(describeTask('mwg')).toMatchObject({
      U: 3,
      Ux: 3,
      O: 1,
      T: 110,
      cueNames: ['measure', 'set', 'go'],
    });
  });
});
