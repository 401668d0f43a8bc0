/**
 * The trainer's host steps (cpu, wasm: parameters and moments as host arrays, the variables
 * assigned once per block) give the same run as the tensor path, bit for bit: reports, parameters,
 * moments, checkpoints, divergence handling, changes of stage and learning rate, parameters set
 * from outside, a second trainer on the same model, and moments moving between the two forms.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { createModel, defaultModelConfig, type ModelConfig } from '../../src/core/models';
import { hostLossGradFor, setHostStepsEnabled } from '../../src/core/models/fusedRegistry';
import type { Model, ParamGroup } from '../../src/core/models/types';
import { Rng } from '../../src/core/random';
import type { TaskBatch } from '../../src/core/tasks/types';
import { TrainingSession, type StepReport } from '../../src/core/train/session';
import { FEEDBACK_NMRNN } from './kernels.cases';
import { mwgSample } from '../../src/core/tasks/mwg';

const CONFIGS: Record<string, ModelConfig> = {
  nmrnn: defaultModelConfig('nmrnn', { N: 12, R: 2, M: 3 }),
  'nmrnn (feedback, EFT)': FEEDBACK_NMRNN,
  lrrnn: defaultModelConfig('lrrnn', { N: 10, R: 2 }),
  rnn: defaultModelConfig('rnn', { N: 9 }),
  lstm: defaultModelConfig('lstm', { N: 7 }),
};

/** Batch n of a fixed stream (B 6, T 9), with a NaN input in batch `nanAt`. */
function batches(c: ModelConfig, nanAt?: number): () => TaskBatch {
  let n = 0;
  return () => {
    n += 1;
    const rng = new Rng(1000 + n);
    const [B, T] = [6, 9];
    const inputs = Float32Array.from(rng.normals(B * T * c.U));
    if (n === nanAt) inputs[4] = NaN;
    return {
      family: 'mwg',
      B,
      T,
      U: c.U,
      O: c.O,
      inputs,
      targets: Float32Array.from(rng.normals(B * T * c.O, 0.5)),
      mask: Float32Array.from({ length: B * T }, (_, i) => (i % 5 === 0 ? 0 : 1)),
      meta: Array.from({ length: B }, (_, b) => ({
        label: `${b}`,
        condition: b,
        cues: {},
        values: {},
      })),
    };
  };
}

const otherGroup = (model: Model): ParamGroup =>
  (['nm', 'output', 'input'] as const).find((g) => (model.groups[g]?.length ?? 0) > 0) ?? 'all';

/** What a run leaves behind, for comparing the two paths. */
async function outcome(model: Model, session: TrainingSession, reports: StepReport[]) {
  return {
    reports,
    params: await model.toArrays(),
    optimizer: await session.getOptimizerState(),
    stepCount: session.stepCount,
    state: session.state,
    checkpoints: session.checkpoints.map((c) => ({ ...c })),
  };
}

/**
 * `k` steps: as one block on the host path; on the tensor path one at a time, as cpu and wasm run
 * them (train/readBack.ts). A host block draws only the batches of the steps it runs, as single
 * steps do; a tensor block would draw all k before its read-back.
 */
async function block(session: TrainingSession, k: number, host: boolean): Promise<StepReport[]> {
  if (host) return session.steps(k);
  const out: StepReport[] = [];
  for (let i = 0; i < k; i++) {
    const r = await session.step();
    out.push(r);
    if (!r.ok) break;
  }
  return out;
}

/** Steps, a stage and learning-rate change, a NaN batch, resume, a restored checkpoint. */
async function scenario(c: ModelConfig, host: boolean) {
  setHostStepsEnabled(host);
  const model = createModel(c, new Rng(7).stream('init'));
  const session = new TrainingSession(model, batches(c, 7), {
    lr: 1e-2,
    checkpointEvery: 2,
    keepCheckpoints: 3,
  });
  try {
    const reports: StepReport[] = [];
    for (let i = 0; i < 4; i++) reports.push(await session.step());
    session.setLearningRate(4e-3);
    session.setStage(otherGroup(model));
    reports.push(...(await block(session, 2, host)));
    session.setStage('all');
    reports.push(...(await block(session, 3, host)));
    expect(session.state.kind).toBe('diverged');
    session.resume();
    reports.push(...(await block(session, 2, host)));
    session.restoreCheckpoint(1);
    reports.push(...(await block(session, 2, host)));
    return await outcome(model, session, reports);
  } finally {
    setHostStepsEnabled(true);
    session.dispose();
    model.dispose();
  }
}

beforeAll(() => {
  registerFusedKernels();
});

afterEach(() => {
  setHostStepsEnabled(true);
});

describe.each(['cpu', 'wasm'])('host steps on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });

  it.each(Object.keys(CONFIGS))('%s: the same run as the tensor path', async (name) => {
    const c = CONFIGS[name];
    expect(hostLossGradFor(c.kind, backend, c)).toBeDefined();
    const host = await scenario(c, true);
    const tensor = await scenario(c, false);
    expect(host.reports.filter((r) => !r.ok)).toHaveLength(1);
    expect(host.reports.filter((r) => r.ok).length).toBeGreaterThan(8);
    expect(host).toEqual(tensor);
  });

  it('says whether its steps run on host arrays (the backend race reads it)', () => {
    const c = CONFIGS.nmrnn;
    const model = createModel(c, new Rng(2).stream('init'));
    const fused = new TrainingSession(model, batches(c), { lr: 1e-2 });
    const reference = new TrainingSession(model, batches(c), { lr: 1e-2, impl: 'reference' });
    try {
      expect(fused.stepsOnHost).toBe(true);
      expect(reference.stepsOnHost).toBe(false);
      setHostStepsEnabled(false);
      expect(fused.stepsOnHost).toBe(false);
    } finally {
      setHostStepsEnabled(true);
      fused.dispose();
      reference.dispose();
      model.dispose();
    }
  });

  it('a second trainer on the same model, and moments moving between the two forms', async () => {
    const c = CONFIGS.nmrnn;
    const run = async (hostFirst: boolean, hostAfter: boolean) => {
      const model = createModel(c, new Rng(3).stream('init'));
      const a = new TrainingSession(model, batches(c), { lr: 1e-2 });
      const b = new TrainingSession(model, batches(c), { lr: 5e-3, stage: otherGroup(model) });
      try {
        setHostStepsEnabled(hostFirst);
        const reports = [...(await a.steps(2)), ...(await b.steps(2))];
        setHostStepsEnabled(hostAfter);
        reports.push(...(await a.steps(2)), await b.step());
        setHostStepsEnabled(hostFirst);
        reports.push(...(await a.steps(2)));
        return await outcome(model, a, reports);
      } finally {
        setHostStepsEnabled(true);
        a.dispose();
        b.dispose();
        model.dispose();
      }
    };
    const tensor = await run(false, false);
    expect(await run(true, true)).toEqual(tensor);
    expect(await run(true, false)).toEqual(tensor);
    expect(await run(false, true)).toEqual(tensor);
  });

  it('host steps draw each batch into the previous one, with the same run', async () => {
    const c = CONFIGS.nmrnn;
    const run = async (host: boolean) => {
      setHostStepsEnabled(host);
      const model = createModel(c, new Rng(5).stream('init'));
      const rng = new Rng(6);
      const handed: (TaskBatch | undefined)[] = [];
      const drawn: TaskBatch[] = [];
      const source = (reuse?: TaskBatch): TaskBatch => {
        handed.push(reuse);
        const b = mwgSample(rng, 5, {}, reuse);
        drawn.push(b);
        return b;
      };
      const session = new TrainingSession(model, source, { lr: 1e-2 });
      try {
        const reports = await block(session, 4, host);
        return { out: await outcome(model, session, reports), handed, drawn };
      } finally {
        setHostStepsEnabled(true);
        session.dispose();
        model.dispose();
      }
    };
    const tensor = await run(false);
    const host = await run(true);
    expect(host.out).toEqual(tensor.out);
    expect(tensor.handed).toEqual([undefined, undefined, undefined, undefined]);
    expect(host.handed[0]).toBeUndefined();
    for (let i = 1; i < 4; i++) {
      expect(host.handed[i]).toBe(host.drawn[i - 1]);
      expect(host.drawn[i].inputs).toBe(host.drawn[0].inputs);
    }
  });

  it('optimiser state saved from host moments continues the same run elsewhere', async () => {
    const c = CONFIGS.lrrnn;
    const model = createModel(c, new Rng(4).stream('init'));
    const next = batches(c);
    const first = new TrainingSession(model, next, { lr: 1e-2 });
    await first.steps(3);
    const saved = await first.getOptimizerState();
    for (const [n, m] of Object.entries(saved.m)) expect(m.shape).toEqual(model.params[n].shape);
    const params = await model.toArrays();
    const cont = [...(await first.steps(2))];
    const after = await model.toArrays();
    first.dispose();

    setHostStepsEnabled(false);
    const stream = batches(c);
    for (let i = 0; i < 3; i++) stream();
    const second = new TrainingSession(model, stream, { lr: 1e-2 });
    second.setParams(params);
    second.setOptimizerState(saved);
    const again = await second.steps(2);
    // A new session numbers its steps from 1; the numbers are what must agree.
    const numbers = (rs: StepReport[]) => rs.map((r) => (r.ok ? [r.loss, r.gradNorm] : r.reason));
    expect(numbers(again)).toEqual(numbers(cont));
    expect(await model.toArrays()).toEqual(after);
    second.dispose();
    model.dispose();
  });
});
