/**
 * Fused training steps split over step threads (a Node worker thread beside this one): loss and
 * every gradient agree with the single-thread step to float rounding for every family, the batch is
 * really split (the helper's part changes the result when it is corrupted), a TrainingSession trains
 * to the same parameters, and a helper's failure is reported, not hung on.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { createModel, defaultModelConfig, type ModelConfig } from '../../src/core/models';
import { fusedLossGradFor } from '../../src/core/models/fusedRegistry';
import { Rng } from '../../src/core/random';
import { getStepThreads, setStepThreads } from '../../src/core/kernels/threads/stepPool';
import { splitTrials } from '../../src/core/kernels/threads/stepParts';
import { startStepThreads, stopStepThreads } from '../../src/cli/stepThreads';

const cfg = defaultModelConfig;
const cases: { name: string; config: ModelConfig; B: number; T: number }[] = [
  { name: 'NM-RNN MWG size', config: cfg('nmrnn'), B: 20, T: 40 },
  {
    name: 'context NM-RNN with feedback',
    config: cfg('nmrnn', { N: 10, M: 6, U: 5, Ux: 3, O: 3, feedback: true }),
    B: 19,
    T: 16,
  },
  { name: 'LR-RNN', config: cfg('lrrnn'), B: 16, T: 30 },
  { name: 'vanilla RNN', config: cfg('rnn'), B: 21, T: 30 },
  { name: 'LSTM', config: cfg('lstm', { U: 2, O: 2 }), B: 22, T: 20 },
];

function batchOf(c: ModelConfig, B: number, T: number, rng: Rng) {
  const mask = new Float32Array(B * T).fill(1);
  for (let i = 0; i < B * T; i += 7) mask[i] = 0;
  return {
    inputs: tf.tensor3d(rng.normals(B * T * c.U), [B, T, c.U]),
    targets: tf.tensor3d(rng.normals(B * T * c.O, 0.5), [B, T, c.O]),
    mask: tf.tensor2d(mask, [B, T]),
  };
}

function stepOf(c: (typeof cases)[number]) {
  const model = createModel(c.config, new Rng(4).stream('init'));
  const batch = batchOf(c.config, c.B, c.T, new Rng(5));
  const step = fusedLossGradFor(c.config.kind, 'wasm', c.config)!;
  const run = () => {
    const r = step(c.config, model.params, batch)!;
    const out = {
      loss: r.loss.dataSync()[0],
      grads: Object.fromEntries(Object.entries(r.grads).map(([k, g]) => [k, g.dataSync()])),
    };
    tf.dispose([r.loss, ...Object.values(r.grads)]);
    return out;
  };
  return { run, done: () => (model.dispose(), tf.dispose(Object.values(batch))) };
}

describe('splitTrials', () => {
  it('covers the batch in order, in multiples of four where it can', () => {
    expect(splitTrials(40, 2)).toEqual([
      [0, 20],
      [20, 40],
    ]);
    expect(splitTrials(100, 2)).toEqual([
      [0, 52],
      [52, 100],
    ]);
    expect(splitTrials(21, 3)).toEqual([
      [0, 8],
      [8, 16],
      [16, 21],
    ]);
    expect(splitTrials(3, 4)).toEqual([[0, 3]]);
  });
});

describe('fused training steps on two threads', () => {
  beforeAll(async () => {
    registerFusedKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(await startStepThreads(2)).toBe(2);
  }, 60_000);
  afterAll(() => stopStepThreads());

  for (const c of cases) {
    it(`${c.name}: loss and gradients as on one thread`, () => {
      const s = stepOf(c);
      const two = s.run();
      const pool = getStepThreads();
      setStepThreads(undefined);
      const one = s.run();
      setStepThreads(pool);
      expect(Math.abs(two.loss - one.loss) / one.loss).toBeLessThan(1e-5);
      for (const [name, g] of Object.entries(one.grads)) {
        let worst = 0;
        let scale = 0;
        g.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - two.grads[name][i]));
          scale = Math.max(scale, Math.abs(v));
        });
        expect(worst / scale, name).toBeLessThan(1e-4);
      }
      // The same thread count gives the same sums every time.
      const again = s.run();
      expect(again.loss).toBe(two.loss);
      s.done();
    });
  }

  it('the helper really computes a part: the result depends on its trials', () => {
    const c = cases[0];
    const s = stepOf(c);
    const two = s.run();
    const pool = getStepThreads()!;
    const finish = pool.finish.bind(pool);
    // Drop the helper's part: the loss must lose that part's share.
    pool.finish = () => finish().map((r) => ({ ...r, loss: 0, grad: r.grad.fill(0) }));
    const half = s.run();
    pool.finish = finish;
    expect(half.loss).toBeLessThan(two.loss * 0.8);
    s.done();
  });

  it('a helper that fails reports its error and the next step works', () => {
    const c = cases[3];
    const s = stepOf(c);
    const pool = getStepThreads()!;
    const start = pool.start.bind(pool);
    // A job kind no helper knows: its runStepPart throws there.
    pool.start = (tasks) =>
      start(
        tasks.map((t) => ({ ...t, job: { ...t.job, kind: 'nope' } as unknown as typeof t.job })),
      );
    expect(() => s.run()).toThrow(/step thread 0/);
    pool.start = start;
    expect(Number.isFinite(s.run().loss)).toBe(true);
    s.done();
  });
});

describe('tensor bookkeeping with threads', () => {
  it('the registry starts empty and a second start replaces the pool', async () => {
    stopStepThreads();
    expect(getStepThreads()).toBeUndefined();
    expect(await startStepThreads(1)).toBe(1);
    expect(getStepThreads()).toBeUndefined();
  });
});

afterAll(() => tf.disposeVariables());
