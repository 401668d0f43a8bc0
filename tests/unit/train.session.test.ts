import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingSession } from '../../src/core/train/session';
import { same, toyBatch, toyModel } from './train.toyModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TrainingSession', () => {
  it('lowers the loss on a small problem and reports gradient norms', async () => {
    const model = toyModel();
    const batch = toyBatch();
    const session = new TrainingSession(model, () => batch, { lr: 0.05 });
    const first = await session.step();
    const last = await session.run(149);
    expect(first.ok && last?.ok).toBe(true);
    if (!first.ok || !last?.ok) return;
    expect(first.gradNorm).toBeGreaterThan(0);
    expect(last.step).toBe(150);
    expect(last.loss).toBeLessThan(first.loss / 3);
    session.dispose();
    model.dispose();
  });

  it('freezing a group leaves its parameters bit-identical and trains the rest', async () => {
    const model = toyModel();
    const batch = toyBatch();
    const before = await model.toArrays();
    const session = new TrainingSession(model, () => batch, { lr: 0.05, stage: 'output' });
    await session.run(5);
    const mid = await model.toArrays();
    expect(same(mid.W1.data, before.W1.data)).toBe(true);
    expect(same(mid.W2.data, before.W2.data)).toBe(false);
    session.setStage('input');
    await session.run(5);
    const after = await model.toArrays();
    expect(same(after.W2.data, mid.W2.data)).toBe(true);
    expect(same(after.W1.data, mid.W1.data)).toBe(false);
    expect(() => session.setStage('nm')).toThrow(/no parameters in group "nm"/);
    session.dispose();
    model.dispose();
  });

  it('stops on a huge learning rate, restores the last good parameters and says so', async () => {
    const model = toyModel();
    const batch = toyBatch();
    const initial = await model.toArrays();
    const session = new TrainingSession(model, () => batch, { lr: 1e38 });
    // Step 1 evaluates the initial parameters (finite) and applies an absurd update.
    const r1 = await session.step();
    expect(r1.ok).toBe(true);
    const r2 = await session.step();
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.reason).toMatch(
      /^loss became (NaN|Infinity) at step 2; parameters restored to step 1$/,
    );
    const restored = await model.toArrays();
    expect(same(restored.W1.data, initial.W1.data)).toBe(true);
    expect(same(restored.W2.data, initial.W2.data)).toBe(true);
    // Refuses to go on until resumed.
    const r3 = await session.step();
    expect(r3.ok).toBe(false);
    if (!r3.ok) expect(r3.reason).toMatch(/resume\(\)/);
    expect(session.state.kind).toBe('diverged');
    session.resume();
    session.setLearningRate(0.01);
    const r4 = await session.step();
    expect(r4).toMatchObject({ ok: true, step: 1 });
    session.dispose();
    model.dispose();
  });

  it('stops on an injected NaN input without applying that step', async () => {
    const model = toyModel();
    const good = toyBatch();
    const bad = toyBatch();
    bad.inputs[7] = NaN;
    let calls = 0;
    const session = new TrainingSession(model, () => (++calls === 3 ? bad : good), { lr: 0.05 });
    await session.run(2);
    expect(session.stepCount).toBe(2);
    const r = await session.run(5);
    expect(r).toEqual({
      step: 3,
      ok: false,
      reason: 'loss became NaN at step 3; parameters restored to step 2',
    });
    expect(calls).toBe(3);
    const p = await model.toArrays();
    expect(p.W1.data.every(Number.isFinite)).toBe(true);
    session.dispose();
    model.dispose();
  });

  it('names a non-finite gradient when the loss is finite', async () => {
    const model = toyModel(1, true);
    const batch = toyBatch();
    const session = new TrainingSession(model, () => batch, { lr: 0.05 });
    expect(await session.step()).toEqual({
      step: 1,
      ok: false,
      reason:
        'gradient of "W1" became non-finite at step 1; parameters left at their values before step 1',
    });
    // Frozen W1 and only W2 trains: the poisoned gradient is never computed, so training goes on.
    session.resume();
    session.setStage('output');
    expect(await session.step()).toMatchObject({ ok: true, step: 1 });
    session.dispose();
    model.dispose();
  });

  it('creates no tensors per step (full batch and fresh batches)', async () => {
    const model = toyModel();
    const batch = toyBatch();
    let seed = 10;
    for (const source of [() => batch, () => toyBatch(seed++)]) {
      const session = new TrainingSession(model, source, { lr: 0.01, checkpointEvery: 10 });
      await session.run(2);
      const count = tf.memory().numTensors;
      await session.run(200);
      expect(tf.memory().numTensors).toBe(count);
      session.dispose();
    }
    model.dispose();
  });

  it('keeps the last checkpoints and restores them exactly', async () => {
    const model = toyModel();
    const batch = toyBatch();
    const session = new TrainingSession(model, () => batch, {
      lr: 0.05,
      checkpointEvery: 3,
      keepCheckpoints: 2,
    });
    const reports: number[] = [];
    await session.run(9, (r) => {
      if (r.ok) reports.push(r.loss);
    });
    expect(session.checkpoints.map((c) => c.step)).toEqual([6, 9]);
    expect(session.checkpoints[0].loss).toBe(reports[5]);
    session.restoreCheckpoint(0);
    expect(session.stepCount).toBe(5);
    // Re-evaluating the restored parameters on the same batch gives the checkpoint's loss.
    const again = await session.step();
    expect(again).toMatchObject({ ok: true, step: 6 });
    if (again.ok) expect(again.loss).toBe(reports[5]);
    session.dispose();
    model.dispose();
  });
});
