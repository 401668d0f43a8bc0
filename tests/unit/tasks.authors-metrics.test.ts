import { describe, expect, it } from 'vitest';
import {
  cognitiveTestSet,
  mwgEvalSet,
  mwgMetrics,
  percentCorrect,
  producedIntervalAuthors,
  rampWindowMse,
} from '../../src/core/tasks';

describe("the authors' metrics beside ours", () => {
  it('produced interval: ours gives exactly I on the target ramp, the authors’ whole steps without ÷ 0.9', () => {
    const set = mwgEvalSet();
    const m = mwgMetrics(set, set.targets);
    m.intervals.forEach((I, b) => {
      expect(m.produced[b]).toBeCloseTo(I, 6);
      // First step above 0.9·max = 0.45: −0.5 + k/I > 0.45 ⇔ k > 0.95·I.
      expect(m.producedAuthors[b]).toBe(Math.floor(0.95 * I) + 1);
      expect(m.mseRamp[b]).toBe(0);
    });
    expect(producedIntervalAuthors(new Float32Array(set.T).fill(-1), 0, set.T, 50)).toBeNaN();
  });

  it('ramp-window MSE counts only go − 3 … go + I + 3', () => {
    const set = mwgEvalSet();
    const y = Float32Array.from(set.targets);
    const b = 0;
    const go = set.meta[b].cues.go;
    y[b * set.T + 2] += 1; // far before go: outside the window
    expect(rampWindowMse(set, y, b)).toBe(0);
    y[b * set.T + go] += 1;
    const I = set.meta[b].values.interval;
    expect(rampWindowMse(set, y, b)).toBeCloseTo(1 / (I + 7), 6);
  });

  it('arctan decoding accepts an answer pointing exactly opposite; atan2 does not', () => {
    const set = cognitiveTestSet(7, 5, ['delayPro']);
    const flipped = Float32Array.from(set.targets);
    for (let b = 0; b < set.B; b++) {
      const last = (b * set.T + set.T - 1) * set.O;
      flipped[last + 1] = -flipped[last + 1];
      flipped[last + 2] = -flipped[last + 2];
    }
    expect(percentCorrect(set, set.targets).overall.percent).toBe(100);
    expect(percentCorrect(set, set.targets, 'arctan').overall.percent).toBe(100);
    expect(percentCorrect(set, flipped).overall.percent).toBe(0);
    expect(percentCorrect(set, flipped, 'arctan').overall.percent).toBe(100);
  });

  it('arctan decoding counts directions either side of ±90° as far apart (the authors’ rule)', () => {
    const set = cognitiveTestSet(7, 1, ['delayPro']);
    const out = Float32Array.from(set.targets);
    const theta = set.meta[0].values.thetaOut;
    const last = (set.T - 1) * set.O;
    // Put the target just past +90° and answer 2° away on the other side of 90°.
    set.meta[0].values.thetaOut = Math.PI / 2 + 0.01;
    out[last + 1] = Math.sin(Math.PI / 2 - 0.025);
    out[last + 2] = Math.cos(Math.PI / 2 - 0.025);
    expect(percentCorrect(set, out).overall.percent).toBe(100);
    expect(percentCorrect(set, out, 'arctan').overall.percent).toBe(0);
    set.meta[0].values.thetaOut = theta;
  });
});
