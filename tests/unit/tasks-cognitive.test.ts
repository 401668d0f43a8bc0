import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import {
  COGNITIVE_TASKS,
  angularDistance,
  at3,
  cognitiveSample,
  cognitiveTestSet,
  cognitiveTrial,
  decodeAngle,
  describeTask,
  percentCorrect,
  sampleCognitiveEpochs,
} from '../../src/core/tasks/index';
import type { TaskBatch } from '../../src/core/tasks/index';

/** Outputs with fixation 0.8 before fix-off, then the unit vector at θ_out + offset. */
function constructedOutputs(batch: TaskBatch, angleOffset = 0, fixBreakAt?: number): Float32Array {
  const out = new Float32Array(batch.B * batch.T * 3);
  for (let b = 0; b < batch.B; b++) {
    const { fixOff } = batch.meta[b].cues;
    const theta = batch.meta[b].values.thetaOut + angleOffset;
    for (let t = 0; t < batch.T; t++) {
      const i = at3(b, t, 0, batch.T, 3);
      const fixating = t < fixOff && t !== fixBreakAt;
      out[i] = fixating ? 0.8 : 0;
      out[i + 1] = t >= fixOff ? Math.sin(theta) : 0;
      out[i + 2] = t >= fixOff ? Math.cos(theta) : 0;
    }
  }
  return out;
}

describe('cognitive epochs', () => {
  it('are ordered stimOn < (stimOff <) fixOff < T and fill the trial', () => {
    const rng = new Rng(11);
    for (const task of COGNITIVE_TASKS) {
      for (let i = 0; i < 200; i++) {
        const e = sampleCognitiveEpochs(task, rng, 100);
        expect(e.end).toBe(100);
        expect(e.stimOn).toBeGreaterThanOrEqual(1);
        expect(e.fixOff).toBeLessThan(100);
        if (task.startsWith('memory')) {
          expect(e.stimOff).toBeDefined();
          expect(e.stimOn).toBeLessThan(e.stimOff!);
          expect(e.stimOff!).toBeLessThan(e.fixOff);
        } else {
          expect(e.stimOff).toBeUndefined();
          expect(e.stimOn).toBeLessThan(e.fixOff);
        }
        // Response epoch is ≥ 0.3/2.9 (delay) or 0.3/4.6 (memory) of the trial.
        expect(100 - e.fixOff).toBeGreaterThanOrEqual(6);
      }
    }
  });
});

describe('cognitiveTrial', () => {
  it('builds inputs and targets per epoch for each task', () => {
    for (const task of COGNITIVE_TASKS) {
      const trial = cognitiveTrial(task, new Rng(5));
      const { stimOn, fixOff } = trial.meta.cues;
      const stimOff = trial.meta.cues.stimOff ?? trial.T;
      const { thetaIn, thetaOut } = trial.meta.values;
      const k = COGNITIVE_TASKS.indexOf(task);
      expect([trial.T, trial.U, trial.O]).toEqual([100, 7, 3]);
      expect(trial.meta.condition).toBe(k);
      expect(trial.meta.values.task).toBe(k);
      const expectedOut = task.endsWith('Anti') ? (thetaIn + Math.PI) % (2 * Math.PI) : thetaIn;
      expect(thetaOut).toBeCloseTo(expectedOut, 12);
      for (let t = 0; t < trial.T; t++) {
        const u = Array.from(trial.inputs.subarray(t * 7, t * 7 + 7));
        const y = Array.from(trial.targets.subarray(t * 3, t * 3 + 3));
        const stim = t >= stimOn && t < stimOff;
        expect(u[0]).toBe(t < fixOff ? 1 : 0);
        expect(u[1]).toBeCloseTo(stim ? Math.sin(thetaIn) : 0, 6);
        expect(u[2]).toBeCloseTo(stim ? Math.cos(thetaIn) : 0, 6);
        expect(u.slice(3)).toEqual([0, 1, 2, 3].map((c) => (c === k ? 1 : 0)));
        expect(y[0]).toBeCloseTo(t < fixOff ? 0.8 : 0, 6);
        expect(y[1]).toBeCloseTo(t < fixOff ? 0 : Math.sin(thetaOut), 6);
        expect(y[2]).toBeCloseTo(t < fixOff ? 0 : Math.cos(thetaOut), 6);
      }
      expect(Array.from(trial.mask).every((m) => m === 1)).toBe(true);
    }
  });

  it('Delay stimulus stays on to the end; Memory stimulus turns off before fix-off', () => {
    const delay = cognitiveTrial('delayPro', new Rng(2));
    const memory = cognitiveTrial('memoryPro', new Rng(2));
    const norm = (tr: typeof delay, t: number) =>
      Math.hypot(tr.inputs[t * tr.U + 1], tr.inputs[t * tr.U + 2]);
    expect(norm(delay, 99)).toBeCloseTo(1, 6);
    expect(norm(memory, memory.meta.cues.stimOff)).toBe(0);
    expect(norm(memory, memory.meta.cues.stimOff - 1)).toBeCloseTo(1, 6);
  });

  it('uses only the listed context channels, in order', () => {
    const contexts = ['delayPro', 'delayAnti', 'memoryPro'] as const;
    const trial = cognitiveTrial('memoryPro', new Rng(1), { contexts });
    expect(trial.U).toBe(6);
    expect(Array.from(trial.inputs.subarray(3, 6))).toEqual([0, 0, 1]);
    expect(() => cognitiveTrial('memoryAnti', new Rng(1), { contexts })).toThrow(RangeError);
    expect(describeTask('multitask', { cognitive: { contexts } })).toMatchObject({
      U: 6,
      Ux: 3,
      O: 3,
      T: 100,
    });
  });
});

describe('cognitive batches', () => {
  it('mix the listed tasks and are deterministic per seed', () => {
    const tasks = ['delayPro', 'memoryAnti'] as const;
    const a = cognitiveSample(new Rng(9), 200, { tasks });
    const b = cognitiveSample(new Rng(9), 200, { tasks });
    const c = cognitiveSample(new Rng(10), 200, { tasks });
    expect(a.inputs).toEqual(b.inputs);
    expect(a.targets).toEqual(b.targets);
    expect(a.inputs).not.toEqual(c.inputs);
    const counts = [0, 0, 0, 0];
    for (const m of a.meta) counts[m.values.task]++;
    expect(counts[1] + counts[2]).toBe(0);
    expect(counts[0]).toBeGreaterThan(70);
    expect(counts[3]).toBeGreaterThan(70);
  });

  it('test set is perTask trials per task, reproducible, and stable when tasks are added', () => {
    const three = cognitiveTestSet(1, 25, ['delayPro', 'delayAnti', 'memoryPro']);
    const four = cognitiveTestSet(1, 25);
    expect(three.B).toBe(75);
    expect(four.B).toBe(100);
    expect(four.meta.map((m) => m.values.task)).toEqual(
      [0, 1, 2, 3].flatMap((k) => Array(25).fill(k)),
    );
    expect(cognitiveTestSet(1, 25).targets).toEqual(four.targets);
    expect(cognitiveTestSet(2, 25).targets).not.toEqual(four.targets);
    // Same trials for the shared tasks (targets do not depend on the context layout).
    expect(four.targets.subarray(0, 75 * 100 * 3)).toEqual(three.targets);
  });
});

describe('percentCorrect', () => {
  const batch = cognitiveTestSet(7, 25);

  it('is 100 for constructed perfect outputs and for small angle errors', () => {
    const perfect = percentCorrect(batch, constructedOutputs(batch));
    expect(perfect.overall).toEqual({ correct: 100, total: 100, percent: 100 });
    for (const task of COGNITIVE_TASKS)
      expect(perfect.perTask[task]).toEqual({ correct: 25, total: 25, percent: 100 });
    expect(
      percentCorrect(batch, constructedOutputs(batch, 0.9 * (Math.PI / 10))).overall.percent,
    ).toBe(100);
    expect(
      percentCorrect(batch, constructedOutputs(batch, -1.1 * (Math.PI / 10))).overall.percent,
    ).toBe(0);
  });

  it('is 0 for outputs pointing exactly opposite (which arctan(sin/cos) would score correct)', () => {
    const opposite = constructedOutputs(batch, Math.PI);
    const result = percentCorrect(batch, opposite);
    expect(result.overall.percent).toBe(0);
    expect(
      result.trials.every((t) => t.fixationHeld && Math.abs(t.angleError - Math.PI) < 1e-5),
    ).toBe(true);
    // The defective decoder the Decision rules out: arctan(sin/cos) only sees the tangent, so the
    // opposite answer decodes to the target angle modulo π and would be scored correct.
    const last = 99 * 3;
    const naive = Math.atan(opposite[last + 1] / opposite[last + 2]);
    expect(Math.abs(Math.sin(naive - batch.meta[0].values.thetaOut))).toBeLessThan(1e-5);
  });

  it('is 0 when fixation breaks for a single step before fix-off', () => {
    const broken = constructedOutputs(batch, 0, 3);
    const result = percentCorrect(batch, broken);
    expect(result.overall.percent).toBe(0);
    expect(result.trials.every((t) => !t.fixationHeld && t.angleError < 1e-5)).toBe(true);
  });

  it('handles wrap-around and reports only the tasks present', () => {
    expect(angularDistance(0.05, 2 * Math.PI - 0.05)).toBeCloseTo(0.1, 12);
    expect(decodeAngle(-1e-3, 1)).toBeGreaterThan(6.28);
    const sub = cognitiveTestSet(3, 4, ['memoryAnti']);
    const r = percentCorrect(sub, constructedOutputs(sub));
    expect(Object.keys(r.perTask)).toEqual(['memoryAnti']);
    expect(r.overall.total).toBe(4);
  });
});
