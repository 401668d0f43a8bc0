/**
 * Autodiff gradients of every model family (tfjs cpu, float32) against central finite differences
 * of an independent float64 forward pass (models-float64.ts) at the same float32 parameter values.
 * In float64 with eps 1e-6 the differences are accurate to ~1e-9 relative, so what remains is
 * float32 rounding in tfjs: measured at ≤ 1.4e-6 of each parameter's largest gradient entry. The
 * tolerance, 1e-4 of that entry, leaves ~70× headroom yet fails when one term is off by 1% (tried:
 * scaling the feedback term by 1.01 in the float64 model gives errors of ~1e-3).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ablationArrays } from '../../src/core/models/ablation';
import { defaultModelConfig } from '../../src/core/models/config';
import { createModel } from '../../src/core/models/model';
import type { Ablation, ModelConfig } from '../../src/core/models/types';
import { Rng } from '../../src/core/random';
import { forward64, toFloat64 } from './models-float64';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 2;
const T = 5;
const tiny = { N: 4, R: 2, M: 3, U: 2, Ux: 2, O: 2, tauX: 2, tauZ: 3 };

interface Case {
  name: string;
  config: ModelConfig;
  ablation?: Ablation;
}

const nm = (o: Partial<ModelConfig>): ModelConfig => defaultModelConfig('nmrnn', { ...tiny, ...o });
const cases: Case[] = [
  { name: 'NM-RNN, orthonormalised L', config: nm({}) },
  {
    name: 'NM-RNN, raw L, 1/N scale',
    config: nm({ orthonormalize: false, recurrentScale: 'invN' }),
  },
  { name: 'context NM-RNN (Ux < U)', config: nm({ U: 3, Ux: 2 }) },
  {
    name: 'NM-RNN with feedback (EFT variant)',
    config: nm({
      feedback: true,
      recurrentScale: 'invN',
      orthonormalize: false,
      readoutBias: false,
      init: 'eft',
    }),
  },
  { name: 'NM-RNN with feedback, orthonormalised L', config: nm({ feedback: true }) },
  {
    name: 'NM-RNN through a windowed ablation',
    config: nm({}),
    ablation: [
      { mode: 'scale', value: 0.5, window: [1, 4] },
      { mode: 'clamp', value: 0.3, window: [2, 3] },
    ],
  },
  { name: 'linear NM-RNN (φ = identity)', config: nm({ R: 1, activation: 'linear' }) },
  { name: 'LR-RNN, orthonormalised L', config: defaultModelConfig('lrrnn', tiny) },
  {
    name: 'LR-RNN, raw L, 1/N scale',
    config: defaultModelConfig('lrrnn', { ...tiny, orthonormalize: false, recurrentScale: 'invN' }),
  },
  { name: 'vanilla RNN', config: defaultModelConfig('rnn', tiny) },
  { name: 'LSTM', config: defaultModelConfig('lstm', tiny) },
];

describe('single-step trials', () => {
  // tfjs cannot differentiate an unstack into one piece; the scans must not rely on it.
  for (const kind of ['nmrnn', 'lrrnn', 'rnn', 'lstm'] as const) {
    it(`${kind}: T = 1 has gradients`, async () => {
      const model = createModel(defaultModelConfig(kind, { ...tiny, N: 3, R: 1 }), new Rng(1));
      const u = tf.ones([2, 1, tiny.U]) as tf.Tensor3D;
      const vars = model.groups.all.map((n) => model.params[n]);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(model.forward(u).y) as tf.Scalar,
        vars,
      );
      const gC = await grads[model.params.C.name].data();
      expect(Math.max(...gC.map(Math.abs))).toBeGreaterThan(0);
      tf.dispose([u, value, ...Object.values(grads)]);
      model.dispose();
    });
  }
});

describe('model gradients vs float64 finite differences', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const rng = new Rng(7);
      const model = createModel(c.config, rng.stream('init'));
      const { U, O, R } = c.config;
      const inputs = rng.stream('inputs').normals(B * T * U);
      const weights = rng.stream('loss').normals(B * T * O);
      const u = tf.tensor3d(inputs, [B, T, U]);
      const w = tf.tensor3d(weights, [B, T, O]);
      const names = model.groups.all;
      const vars = names.map((n) => model.params[n]);

      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(model.forward(u, { ablation: c.ablation }).y, w)) as tf.Scalar,
        vars,
      );
      const ab = c.ablation ? ablationArrays(c.ablation, B, T, R) : undefined;
      const p64 = toFloat64(await model.toArrays());
      const in64 = Float64Array.from(inputs);
      const loss64 = (): number => {
        const y = forward64(c.config, p64, in64, B, T, ab);
        return y.reduce((acc, v, i) => acc + v * weights[i], 0);
      };
      // The float64 forward agrees with the float32 model on the loss itself.
      const l64 = loss64();
      expect(Math.abs((await value.data())[0] - l64)).toBeLessThan(1e-4 * (1 + Math.abs(l64)));

      const eps = 1e-6;
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        const g = await grads[vars[i].name].data();
        const theta = p64[name];
        let maxErr = 0;
        let maxG = 0;
        for (let j = 0; j < theta.length; j++) {
          const keep = theta[j];
          theta[j] = keep + eps;
          const up = loss64();
          theta[j] = keep - eps;
          const down = loss64();
          theta[j] = keep;
          const fd = (up - down) / (2 * eps);
          maxErr = Math.max(maxErr, Math.abs(fd - g[j]));
          maxG = Math.max(maxG, Math.abs(fd));
        }
        // Every parameter matters for y in these models, so its gradient is never all zero.
        expect(maxG, `${name}: gradient vanishes`).toBeGreaterThan(1e-4);
        expect(maxErr / maxG, `${name}: relative gradient error`).toBeLessThan(1e-4);
      }
      tf.dispose([u, w, value, ...Object.values(grads)]);
      model.dispose();
    });
  }
});
