import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClippedAdamW, resolveOptimizerOptions } from '../../src/core/train/optimizer';
import { adamwKernel } from '../../src/core/kernels/cpu/adamwKernel';
import { fusedAdamWAvailable } from '../../src/core/kernels/adamwOp';
import { ADAMW_UPDATE } from '../../src/core/kernels/names';
import { Rng } from '../../src/core/random';
import { maskedMse, maskedMseArrays } from '../../src/core/train/loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function values(v: tf.Tensor): Promise<number[]> {
  return Array.from(await v.data());
}

const setFused = (backendName: string, on: boolean): void => {
  const has = tf.getKernel(ADAMW_UPDATE, backendName) !== undefined;
  if (on && !has)
    tf.registerKernel({ kernelName: ADAMW_UPDATE, backendName, kernelFunc: adamwKernel });
  if (!on && has) tf.unregisterKernel(ADAMW_UPDATE, backendName);
};

for (const fused of [false, true])
  describe(`ClippedAdamW (${fused ? 'fused kernel' : 'tfjs ops'})`, () => {
    beforeAll(() => {
      setFused('cpu', fused);
      expect(fusedAdamWAvailable()).toBe(fused);
    });
    afterAll(() => setFused('cpu', false));

    it('matches a hand computation over two steps (clipping, bias correction, decay)', async () => {
      const lr = 0.1;
      const wd = 0.5; // large so the decoupled decay term is visible at float32 precision
      const opt = new ClippedAdamW(lr, { weightDecay: wd });
      const theta0 = [0.5, -2, 3];
      const p = { w: tf.variable(tf.tensor1d(theta0)) };
      const g1 = [0.1, 5, -0.3]; // 5 is clipped to 1
      const g2 = [-0.2, 0.4, -4]; // −4 is clipped to −1

      opt.apply(p, { w: tf.tensor1d(g1) });
      // Step 1: m̂ = g, v̂ = g², so the Adam part is lr·g/(|g|+ε) ≈ lr·sign(g) for every element,
      // clipped or not; decay subtracts lr·wd·θ0.
      const afterOne = await values(p.w);
      const expectedOne = [
        0.5 - 0.1 * (0.1 / (0.1 + 1e-8)) - 0.1 * 0.5 * 0.5,
        -2 - 0.1 * (1 / (1 + 1e-8)) - 0.1 * 0.5 * -2,
        3 + 0.1 * (0.3 / (0.3 + 1e-8)) - 0.1 * 0.5 * 3,
      ];
      expect(expectedOne).toEqual([
        expect.closeTo(0.375, 6),
        expect.closeTo(-2.0, 6),
        expect.closeTo(2.95, 6),
      ]);
      afterOne.forEach((x, i) => expect(x).toBeCloseTo(expectedOne[i], 6));

      opt.apply(p, { w: tf.tensor1d(g2) });
      const afterTwo = await values(p.w);
      // Step 2 by hand, element 1 (clipped grads 1 then 0.4):
      //   m = 0.9·0.1·1 + 0.1·0.4 = 0.13; m̂ = 0.13/0.19
      //   v = 0.999·0.001·1 + 0.001·0.16 = 0.001159; v̂ = 0.001159/0.001999
      const m1 = 0.13 / 0.19;
      const v1 = 0.001159 / (1 - 0.999 ** 2);
      const e1 = expectedOne[1] - lr * (m1 / (Math.sqrt(v1) + 1e-8)) - lr * wd * expectedOne[1];
      expect(afterTwo[1]).toBeCloseTo(e1, 5);
      // Generic check of the other two elements with the same formula.
      const clip = (x: number): number => Math.max(-1, Math.min(1, x));
      for (const i of [0, 2]) {
        const a = clip(g1[i]);
        const b = clip(g2[i]);
        const m = (0.9 * 0.1 * a + 0.1 * b) / (1 - 0.81);
        const v = (0.999 * 0.001 * a * a + 0.001 * b * b) / (1 - 0.999 ** 2);
        const e = expectedOne[i] - lr * (m / (Math.sqrt(v) + 1e-8)) - lr * wd * expectedOne[i];
        expect(afterTwo[i]).toBeCloseTo(e, 5);
      }
      // Element 2 saw g = −0.3 then −4: had −4 not been clipped, the result would differ visibly.
      const mU = (0.9 * 0.1 * -0.3 + 0.1 * -4) / (1 - 0.81);
      const vU = (0.999 * 0.001 * 0.09 + 0.001 * 16) / (1 - 0.999 ** 2);
      const unclipped =
        expectedOne[2] - lr * (mU / (Math.sqrt(vU) + 1e-8)) - lr * wd * expectedOne[2];
      expect(Math.abs(afterTwo[2] - unclipped)).toBeGreaterThan(1e-3);
      opt.dispose();
      p.w.dispose();
    });

    it("'adam' applies no weight decay and uses ε 1e-7", async () => {
      const opts = resolveOptimizerOptions({ kind: 'adam' });
      expect(opts.epsilon).toBe(1e-7);
      expect(opts.weightDecay).toBe(0);
      const opt = new ClippedAdamW(0.01, { kind: 'adam', weightDecay: 123 });
      const p = { w: tf.variable(tf.tensor1d([10])) };
      opt.apply(p, { w: tf.tensor1d([0]) });
      // Zero gradient and no decay: θ unchanged.
      expect(await values(p.w)).toEqual([10]);
      const adamw = new ClippedAdamW(0.01);
      adamw.apply(p, { w: tf.tensor1d([0]) });
      expect((await values(p.w))[0]).toBeCloseTo(10 - 0.01 * 1e-4 * 10, 6);
      opt.dispose();
      adamw.dispose();
    });

    it('keeps moments of skipped parameters and exports/imports state', async () => {
      const opt = new ClippedAdamW(0.1);
      const p = { a: tf.variable(tf.tensor1d([1, 2])), b: tf.variable(tf.tensor1d([3])) };
      opt.apply(p, { a: tf.tensor1d([0.5, -0.5]), b: tf.tensor1d([0.2]) });
      opt.apply(p, { a: tf.tensor1d([0.1, 0.1]) }); // b frozen this step
      const state = await opt.getState();
      expect(state.counts).toEqual({ a: 2, b: 1 });
      expect(Array.from(state.m.b.data)[0]).toBeCloseTo(0.1 * 0.2, 7);

      // A fresh optimiser with the imported state takes the same next step as the original.
      const q = { a: tf.variable(p.a.clone()), b: tf.variable(p.b.clone()) };
      const copy = new ClippedAdamW(0.1);
      copy.setState(state);
      const g = { a: tf.tensor1d([0.3, -0.7]), b: tf.tensor1d([-0.4]) };
      opt.apply(p, g);
      copy.apply(q, g);
      expect(await values(q.a)).toEqual(await values(p.a));
      expect(await values(q.b)).toEqual(await values(p.b));
      const before = tf.memory().numTensors;
      copy.dispose();
      expect(tf.memory().numTensors).toBe(before - 4);
      opt.dispose();
    });
  });

describe('the fused optimiser kernel', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`matches the tfjs-op update over several steps on ${backend}, and reports Σ g²`, async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const shapes = [[7], [3, 4], [1]];
      const run = async (fused: boolean) => {
        setFused(backend, fused);
        const opt = new ClippedAdamW(0.05, { weightDecay: 0.1, clip: 0.5 });
        const data = shapes.map((sh, i) => new Rng(i).normals(sh.reduce((a, b) => a * b, 1)));
        const p: Record<string, tf.Variable> = {};
        shapes.forEach((sh, i) => (p[`p${i}`] = tf.variable(tf.tensor(data[i], sh))));
        const sqs: number[][] = [];
        for (let step = 0; step < 4; step++) {
          const g: Record<string, tf.Tensor> = {};
          shapes.forEach(
            (sh, i) => (g[`p${i}`] = tf.tensor(new Rng(10 * step + i).normals(data[i].length), sh)),
          );
          const upd = opt.prepare(p, g);
          sqs.push(Array.from(await upd.gradSq.data()));
          upd.commit();
          tf.dispose(Object.values(g));
        }
        const out = await Promise.all(Object.values(p).map((v) => v.data()));
        const state = await opt.getState();
        opt.dispose();
        tf.dispose(Object.values(p));
        return { out: out.map((a) => Array.from(a)), sqs, counts: state.counts };
      };
      const ops = await run(false);
      const fusedRun = await run(true);
      setFused(backend, true);
      expect(fusedRun.counts).toEqual(ops.counts);
      fusedRun.out.forEach((a, i) => a.forEach((x, j) => expect(x).toBeCloseTo(ops.out[i][j], 5)));
      fusedRun.sqs.forEach((a, i) => a.forEach((x, j) => expect(x).toBeCloseTo(ops.sqs[i][j], 3)));
      await tf.setBackend('cpu');
    });
  }

  it('leaves parameters and moments untouched when an update is discarded', async () => {
    setFused('cpu', true);
    const opt = new ClippedAdamW(0.1);
    const p = { w: tf.variable(tf.tensor1d([1, 2])) };
    const upd = opt.prepare(p, { w: tf.tensor1d([Number.NaN, 1]) });
    expect(Number.isNaN((await upd.gradSq.data())[0])).toBe(true);
    upd.discard();
    expect(Array.from(await p.w.data())).toEqual([1, 2]);
    expect((await opt.getState()).counts).toEqual({ w: 0 });
    expect(() => upd.commit()).toThrow(/already/);
    setFused('cpu', false);
    opt.dispose();
    p.w.dispose();
  });
});

describe('maskedMse', () => {
  it('averages squared errors over masked steps and output channels', async () => {
    // B=1, T=3, O=2; the middle step is masked out.
    const y = [1, 2, 100, 100, 0, 0];
    const t = [0, 0, 0, 0, 1, 1];
    const mask = [1, 0, 1];
    const expected = (1 + 4 + 1 + 1) / (2 * 2);
    const loss = maskedMse(
      tf.tensor3d(y, [1, 3, 2]),
      tf.tensor3d(t, [1, 3, 2]),
      tf.tensor2d(mask, [1, 3]),
    );
    expect((await loss.data())[0]).toBeCloseTo(expected, 6);
    expect(
      maskedMseArrays(new Float32Array(y), new Float32Array(t), new Float32Array(mask), {
        B: 1,
        T: 3,
        O: 2,
      }),
    ).toBeCloseTo(expected, 12);
  });
});
