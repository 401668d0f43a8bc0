import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import {
  DEFAULT_EXPERIMENT,
  phasesOf,
  totalSteps,
  withOverrides,
} from '../../src/core/config/schema';
import { phaseAt, runPhase } from '../../src/core/train/phases';
import {
  formatSchedule,
  MWG_NM_SCHEDULE,
  parseSchedule,
  scheduleName,
} from '../../src/core/train/schedules';
import { startRun, trainPhases } from '../../src/core/reproduce/trainRun';
import { disposeRun } from '../../src/core/train/run';
import { ClippedAdamW } from '../../src/core/train/optimizer';
import { Rng } from '../../src/core/random';
import { cognitiveSample, sampleFromPool, withInputNoise } from '../../src/core/tasks';
import { decodeShare, encodeShare } from '../../src/state/link/shareCodec';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFusedKernels();
});

describe('schedule positions', () => {
  const phases = [...MWG_NM_SCHEDULE];

  it('maps steps to phases and keeps the last phase after the end', () => {
    expect(phaseAt([], 5)).toBeUndefined();
    expect(phaseAt(phases, 0)).toMatchObject({ index: 0, start: 0, done: false });
    expect(phaseAt(phases, 9_999)?.index).toBe(0);
    expect(phaseAt(phases, 10_000)).toMatchObject({ index: 1, start: 10_000 });
    expect(phaseAt(phases, 20_000)).toMatchObject({ index: 2, start: 20_000, done: false });
    expect(phaseAt(phases, 70_000)).toMatchObject({ index: 2, done: true });
    expect(
      totalSteps(withOverrides(DEFAULT_EXPERIMENT, { training: { schedule: phases } }).training),
    ).toBe(70_000);
    expect(phasesOf(DEFAULT_EXPERIMENT.training)).toEqual([
      { group: 'all', steps: 2000, resetOptimizer: false },
    ]);
  });

  it('formats and parses schedules, naming the authors’ one, refusing bad phases', () => {
    expect(scheduleName(phases)).toBe('staged');
    expect(scheduleName([])).toBe('none');
    const text = formatSchedule(phases);
    expect(text).toBe('output:10000,nm:10000,all:50000');
    expect(parseSchedule(text)).toEqual({ ok: true, phases });
    const custom = parseSchedule('nm:50:0.01:keep,all:100');
    expect(custom).toEqual({
      ok: true,
      phases: [
        { group: 'nm', steps: 50, lr: 0.01, resetOptimizer: false },
        { group: 'all', steps: 100, resetOptimizer: true },
      ],
    });
    if (custom.ok) expect(scheduleName(custom.phases)).toBe('custom');
    for (const bad of ['nope:10', 'all:0', 'all:x', 'all:10:5', Array(9).fill('all:1').join(',')]) {
      const r = parseSchedule(bad);
      expect(r.ok, bad).toBe(false);
    }
  });

  it('travels in a share link with the authors’ loop and the trial pool', () => {
    const config = withOverrides(DEFAULT_EXPERIMENT, {
      task: {
        family: 'multitask',
        multitask: { tasks: ['delayPro'], data: { poolTrials: 500, inputNoise: 0.1 } },
      },
      training: { schedule: [...phases], authorsLoop: true },
    });
    const fragment = encodeShare({ ...decodeShare('').state, config });
    const back = decodeShare(fragment).state.config;
    expect(back.training.schedule).toEqual(phases);
    expect(back.training.authorsLoop).toBe(true);
    expect(back.task.multitask.data).toEqual({ poolTrials: 500, inputNoise: 0.1 });
    const broken = decodeShare(`${fragment}&sched=all:-4`);
    expect(JSON.stringify(broken.notices)).toMatch(/schedule/);
  });
});

describe('running phases', () => {
  const tiny = withOverrides(DEFAULT_EXPERIMENT, { model: { N: 20 } });

  it('trains each phase’s group only, at its learning rate', async () => {
    const run = startRun(tiny);
    try {
      const before = await run.trainer.getParams();
      await trainPhases(run, [{ group: 'output', steps: 3, lr: 0.02, resetOptimizer: true }]);
      const after = await run.trainer.getParams();
      const changed = (n: string) => before[n].data.some((v, i) => v !== after[n].data[i]);
      expect(changed('L')).toBe(true);
      expect(changed('Wz')).toBe(false);
      expect(run.trainer.learningRate).toBe(0.02);
      expect(run.phases).toEqual([{ group: 'output', steps: 3, lr: 0.02 }]);
      expect(run.losses).toHaveLength(3);
    } finally {
      disposeRun(run);
    }
  });

  it('the authors’ loop ends a phase on the best chunk end and restarts the moments', async () => {
    const run = startRun(tiny);
    try {
      // lr 1 makes the loss blow up after the first chunk, so the best chunk is an early one.
      const phase = { group: 'all' as const, steps: 9, lr: 1, resetOptimizer: true };
      const seen: number[] = [];
      let bestParams: Awaited<ReturnType<typeof run.trainer.getParams>> | undefined;
      let bestLoss = Infinity;
      const r = await runPhase(run.trainer, phase, 1, {
        authorsLoop: true,
        chunk: 3,
        onStep: async (rep, i) => {
          seen.push(rep.loss);
          if ((i + 1) % 3 === 0 && rep.loss < bestLoss) {
            bestLoss = rep.loss;
            bestParams = await run.trainer.getParams();
          }
        },
      });
      expect(r.bestChunk?.loss).toBe(bestLoss);
      expect(r.losses).toEqual(seen);
      const final = await run.trainer.getParams();
      // step() applies its update before onStep sees it, so these are the chunk end's parameters.
      expect(final.L.data).toEqual(bestParams!.L.data);
    } finally {
      disposeRun(run);
    }
  });
});

describe('optimizer without clipping', () => {
  it('clip 0 passes gradients through; clip 1 bounds them', () => {
    const run = (clip: number) => {
      const theta = tf.variable(tf.tensor1d([0]));
      const opt = new ClippedAdamW(0.1, { kind: 'adam', clip, weightDecay: 0 });
      // With Adam the first step is ±lr whatever the gradient size, so look at the moments instead.
      opt.apply({ t: theta }, { t: tf.tensor1d([50]) });
      return opt;
    };
    return Promise.all([run(0).getState(), run(1).getState()]).then(([free, clipped]) => {
      expect(free.m.t.data[0]).toBeCloseTo(5, 5);
      expect(clipped.m.t.data[0]).toBeCloseTo(0.1, 5);
    });
  });
});

describe('trial pools', () => {
  it('draw minibatches with replacement from one fixed, noisy pool', () => {
    const pool = cognitiveSample(new Rng(1), 10, { tasks: ['delayPro'] });
    const noisy = withInputNoise(pool, new Rng(2), 0.1, [3]);
    let changed = 0;
    for (let i = 0; i < pool.inputs.length; i++) {
      if (noisy.inputs[i] !== pool.inputs[i]) {
        changed++;
        expect(i % pool.U).toBe(3);
      }
    }
    expect(changed).toBe(pool.B * pool.T);
    const batch = sampleFromPool(noisy, new Rng(3), 25);
    expect(batch.B).toBe(25);
    for (let b = 0; b < batch.B; b++) {
      const row = batch.inputs.subarray(b * batch.T * batch.U, (b + 1) * batch.T * batch.U);
      const found = Array.from({ length: noisy.B }, (_, j) =>
        noisy.inputs.subarray(j * noisy.T * noisy.U, (j + 1) * noisy.T * noisy.U),
      ).some((r) => r.every((v, i) => v === row[i]));
      expect(found).toBe(true);
    }
  });
});
