/**
 * Blocks of steps with one read-back (TrainingSession.steps): the same run, divergence handling,
 * checkpoints and memory as one step at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/core/models/types';
import type { TaskBatch } from '../../src/core/tasks/types';
import { TrainingSession, type StepReport } from '../../src/core/train/session';
import { readEveryFor } from '../../src/core/train/readBack';
import { same, toyBatch, toyModel } from './train.toyModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Batches 1, 2, 3, … from fixed seeds, with a NaN input in the batch of step `nanAt`. */
function batches(nanAt?: number): () => TaskBatch {
  let n = 0;
  return () => {
    n += 1;
    const b = toyBatch(100 + n);
    if (n === nanAt) b.inputs[3] = NaN;
    return b;
  };
}

/** A learning rate and stage that change by step, as the page's warm-up and schedule do. */
function perStep(session: TrainingSession): (step: number) => void {
  return (step) => {
    session.setLearningRate(0.02 + 0.001 * step);
    session.setStage(step % 4 === 0 ? 'output' : 'all');
  };
}

interface Outcome {
  reports: StepReport[];
  params: Awaited<ReturnType<Model['toArrays']>>;
  optimizer: Awaited<ReturnType<TrainingSession['getOptimizerState']>>;
  stepCount: number;
  checkpoints: number[];
}

/** `total` steps in blocks of `k` (stopping at the first failure), from a fresh toy model. */
async function train(k: number, total: number, nanAt?: number, lr?: number): Promise<Outcome> {
  const model = toyModel(3);
  const session = new TrainingSession(model, batches(nanAt), { lr: 0.02, checkpointEvery: 3 });
  const before = lr === undefined ? perStep(session) : () => session.setLearningRate(lr);
  const reports: StepReport[] = [];
  while (session.stepCount < total && session.state.kind === 'ready') {
    const got = await session.steps(Math.min(k, total - session.stepCount), before);
    reports.push(...got);
    if (got.some((r) => !r.ok)) break;
  }
  const out = {
    reports,
    params: await model.toArrays(),
    optimizer: await session.getOptimizerState(),
    stepCount: session.stepCount,
    checkpoints: session.checkpoints.map((c) => c.step),
  };
  session.dispose();
  model.dispose();
  return out;
}

function expectSameOutcome(a: Outcome, b: Outcome): void {
  expect(b.reports).toEqual(a.reports);
  expect(b.stepCount).toBe(a.stepCount);
  expect(b.checkpoints).toEqual(a.checkpoints);
  for (const name of Object.keys(a.params)) {
    expect(same(b.params[name].data, a.params[name].data), name).toBe(true);
  }
  expect(b.optimizer.counts).toEqual(a.optimizer.counts);
  for (const name of Object.keys(a.optimizer.m)) {
    expect(same(b.optimizer.m[name].data, a.optimizer.m[name].data), `m ${name}`).toBe(true);
    expect(same(b.optimizer.v[name].data, a.optimizer.v[name].data), `v ${name}`).toBe(true);
  }
}

describe('TrainingSession.steps (one read-back per block)', () => {
  it('trains exactly as one step at a time, per-step rates and stages included', async () => {
    const single = await train(1, 23);
    expect(single.reports).toHaveLength(23);
    expect(single.reports.every((r) => r.ok)).toBe(true);
    for (const k of [4, 7, 23]) expectSameOutcome(single, await train(k, 23));
  });

  it('stops a block at a NaN step, drops the steps after it and restores as one step would', async () => {
    const single = await train(1, 20, 10);
    expect(single.reports.at(-1)).toEqual({
      step: 10,
      ok: false,
      reason: 'loss became NaN at step 10; parameters restored to step 9',
    });
    expect(single.stepCount).toBe(8);
    // The failing step in the middle of a block, at its start, and at its end.
    for (const k of [4, 9, 10]) expectSameOutcome(single, await train(k, 20, 10));
  });

  it('undoes a huge update found non-finite only at the block’s end', async () => {
    const single = await train(1, 6, undefined, 1e38);
    expect(single.reports.map((r) => r.ok)).toEqual([true, false]);
    expectSameOutcome(single, await train(6, 6, undefined, 1e38));
  });

  it('names a non-finite gradient found inside a block', async () => {
    const model = toyModel(1, true);
    const session = new TrainingSession(model, () => toyBatch(), { lr: 0.05 });
    expect(await session.steps(5)).toEqual([
      {
        step: 1,
        ok: false,
        reason:
          'gradient of "W1" became non-finite at step 1; parameters left at their values before step 1',
      },
    ]);
    session.dispose();
    model.dispose();
  });

  it('creates no tensors per block, after a divergence too', async () => {
    const model = toyModel();
    const session = new TrainingSession(model, batches(40), { lr: 0.01, checkpointEvery: 10 });
    await session.steps(3);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 12; i++) await session.steps(6);
    expect(session.state.kind).toBe('diverged');
    session.resume();
    await session.steps(6);
    expect(tf.memory().numTensors).toBe(count);
    session.dispose();
    model.dispose();
  });
});

describe('readEveryFor', () => {
  it('reads every step where a read is free and every few on a GPU', () => {
    expect(readEveryFor('cpu')).toBe(1);
    expect(readEveryFor('wasm')).toBe(1);
    expect(readEveryFor('webgpu')).toBeGreaterThan(1);
  });
});
