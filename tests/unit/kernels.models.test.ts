/**
 * Fused vs reference through the models themselves (Model.forward with impl 'fused' and
 * 'reference'): loss within 1e-5 relative and every parameter gradient within 1e-4 of that
 * gradient's max, per model family, for several shapes, with ablation on and off, and with
 * frozen parameter groups; the NM-RNN and LR-RNN also with the TypeScript-loop fallback.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeImpl, fusedAvailable, registerFusedKernels } from '../../src/core/kernels/register';
import {
  createModel,
  defaultModelConfig,
  type Ablation,
  type Model,
  type ModelConfig,
  type ParamGroup,
} from '../../src/core/models';
import { Rng } from '../../src/core/random';
import {
  LOWRANK_SCAN,
  NMRNN_SCAN,
  NMRNN_SCAN_U,
  NMRNN_SCAN_U_GRAD,
} from '../../src/core/kernels/names';
import { setNmrnnSimdEnabled } from '../../src/core/kernels/simd/nmrnnSimd';
import { relMaxDiff } from './kernels.oracle';
import { BACKEND_SIMD_COMBOS, FEEDBACK_NMRNN } from './kernels.cases';

interface Case {
  name: string;
  config: ModelConfig;
  B: number;
  T: number;
  ablation?: Ablation;
  group?: ParamGroup;
}

const cfg = defaultModelConfig;
const cases: Case[] = [
  {
    // φ = identity takes the TypeScript loops even where SIMD exists.
    name: 'linear rank-1 NM-RNN (the theory network), clamp in a window',
    config: cfg('nmrnn', { N: 12, R: 1, M: 4, tauX: 3, tauZ: 6, activation: 'linear' }),
    B: 3,
    T: 20,
    ablation: [{ mode: 'clamp', value: 0.4, window: [5, 12] }],
  },
  {
    name: 'NM-RNN small',
    config: cfg('nmrnn', { N: 12, R: 2, M: 4, tauX: 3, tauZ: 6 }),
    B: 3,
    T: 20,
  },
  {
    name: 'NM-RNN MWG size (N100 R3 M5), clamp s1 in a window',
    config: cfg('nmrnn'),
    B: 2,
    T: 110,
    ablation: [
      { mode: 'off', value: 0 },
      { mode: 'clamp', value: 0, window: [30, 70] },
    ],
  },
  {
    name: 'context NM-RNN (Ux < U), scale s0, NM group only',
    config: cfg('nmrnn', { N: 10, R: 3, M: 6, U: 5, Ux: 3, O: 3, tauX: 4, tauZ: 8 }),
    B: 2,
    T: 16,
    ablation: [{ mode: 'scale', value: 1.6 }],
    group: 'nm',
  },
  {
    name: 'NM-RNN with feedback, 1/N scale, no bias, no orthonormalisation',
    config: FEEDBACK_NMRNN,
    B: 3,
    T: 26,
  },
  {
    name: 'LR-RNN (N odd, output group)',
    config: cfg('lrrnn', { N: 13, tauX: 3 }),
    B: 3,
    T: 18,
    group: 'output',
  },
  { name: 'LR-RNN MWG size (N106)', config: cfg('lrrnn'), B: 2, T: 40 },
  { name: 'vanilla RNN MWG size (N31)', config: cfg('rnn', { tauX: 3 }), B: 3, T: 30 },
  { name: 'LSTM MWG size (N15)', config: cfg('lstm'), B: 3, T: 30 },
  {
    name: 'LSTM N6, input group',
    config: cfg('lstm', { N: 6, U: 2, O: 2 }),
    B: 2,
    T: 12,
    group: 'input',
  },
];

function inputsFor(c: Case, rng: Rng): { u: tf.Tensor3D; target: tf.Tensor3D } {
  const { U, O } = c.config;
  const u = tf.tensor3d(rng.normals(c.B * c.T * U), [c.B, c.T, U]);
  const target = tf.tensor3d(rng.normals(c.B * c.T * O, 0.5), [c.B, c.T, O]);
  return { u, target };
}

function lossAndGrads(
  model: Model,
  u: tf.Tensor3D,
  target: tf.Tensor3D,
  impl: 'fused' | 'reference',
  c: Case,
) {
  const names = model.groups[c.group ?? 'all'];
  const vars = names.map((n) => model.params[n]);
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(tf.sub(model.forward(u, { impl, ablation: c.ablation }).y, target))),
    vars,
  );
  return { loss: value.dataSync()[0], grads, names };
}

const combos = BACKEND_SIMD_COMBOS;
for (const [backend, simd] of combos) {
  describe(`fused vs reference model forward/backward on ${backend}${simd ? '' : ', no SIMD'}`, () => {
    beforeAll(async () => {
      registerFusedKernels();
      expect(await tf.setBackend(backend)).toBe(true);
      setNmrnnSimdEnabled(simd);
    });
    afterAll(() => {
      setNmrnnSimdEnabled(true);
      tf.disposeVariables();
    });

    const lowRank = (c: Case) => c.config.kind === 'nmrnn' || c.config.kind === 'lrrnn';
    for (const c of simd ? cases : cases.filter(lowRank)) {
      it(c.name, () => {
        expect(fusedAvailable(c.config.kind, backend)).toBe(true);
        expect(activeImpl(c.config.kind)).toBe('fused');
        const rng = new Rng(7);
        const model = createModel(c.config, rng.stream('init'));
        const { u, target } = inputsFor(c, rng.stream('data'));
        const fused = lossAndGrads(model, u, target, 'fused', c);
        const ref = lossAndGrads(model, u, target, 'reference', c);
        expect(Math.abs(fused.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(1e-5);
        expect(Object.keys(fused.grads).sort()).toEqual(Object.keys(ref.grads).sort());
        for (const name of fused.names) {
          const key = model.params[name].name;
          expect(relMaxDiff(fused.grads[key], ref.grads[key]), name).toBeLessThan(1e-4);
        }
        // States agree too (they are what the analyses plot).
        const f = model.forward(u, { impl: 'fused', record: true, ablation: c.ablation });
        const r = model.forward(u, { impl: 'reference', record: true, ablation: c.ablation });
        for (const k of Object.keys(r.states) as (keyof typeof r.states)[]) {
          expect(relMaxDiff(f.states[k]!, r.states[k]!), k).toBeLessThan(1e-5);
        }
        model.dispose();
      });
    }

    it('the NM-RNN and LR-RNN run the factored kernel: inputs in, y out', async () => {
      for (const kind of ['nmrnn', 'lrrnn'] as const) {
        const model = createModel(cfg(kind, { N: 12 }), new Rng(1));
        const u = tf.tensor3d(new Rng(2).normals(2 * 10 * 3), [2, 10, 3]);
        const info = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(u).y));
          value.dispose();
          tf.dispose(grads);
        });
        expect(info.kernelNames).toContain(NMRNN_SCAN_U);
        expect(info.kernelNames).toContain(NMRNN_SCAN_U_GRAD);
        expect(info.kernelNames).not.toContain(NMRNN_SCAN);
        expect(info.kernelNames).not.toContain(LOWRANK_SCAN);
        u.dispose();
        model.dispose();
      }
    });

    it('an ablation changes the fused output (the ablation path is live)', () => {
      const model = createModel(cfg('nmrnn', { N: 12 }), new Rng(1));
      const u = tf.tensor3d(new Rng(2).normals(2 * 40 * 3), [2, 40, 3]);
      const a = model.forward(u, { impl: 'fused' }).y;
      const clampAll: Ablation = [0, 1, 2].map(() => ({ mode: 'clamp', value: 1 }));
      const b = model.forward(u, { impl: 'fused', ablation: clampAll }).y;
      expect(relMaxDiff(a, b)).toBeGreaterThan(1e-3);
      model.dispose();
    });
  });
}
