/**
 * The fused training step (one kernel: L̃, the factored scan, the masked MSE and the backward) against
 * tf.variableGrads of the reference forward and train/loss.ts maskedMse: loss within 1e-5 relative
 * and every parameter's gradient within 1e-4 of its largest entry, on cpu and wasm, with SIMD (the
 * NM-RNN / LR-RNN both with the trials in the lanes and per trial) and with the TypeScript loops,
 * under a mask that drops part of the batch. The trainer must take this
 * path by default there, and train to the same parameters as the reference.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { createModel, defaultModelConfig, type ModelConfig } from '../../src/core/models';
import { fusedLossGradFor, setHostStepsEnabled } from '../../src/core/models/fusedRegistry';
import { Rng } from '../../src/core/random';
import { NMRNN_LOSS_GRAD, NMRNN_SCAN_U_GRAD } from '../../src/core/kernels/names';
import { setNmrnnSimdEnabled } from '../../src/core/kernels/simd/nmrnnSimd';
import {
  nmrnnLossGradLanes,
  nmrnnLanesSimd,
  setNmrnnLanesEnabled,
} from '../../src/core/kernels/simd/nmrnnLanesSimd';
import { nmrnnFactoredLayout } from '../../src/core/kernels/layout';
import { setRnnSimdEnabled } from '../../src/core/kernels/simd/rnnSimd';
import { setLstmSimdEnabled } from '../../src/core/kernels/simd/lstmSimd';
import { relaxedSimdInUse, setRelaxedSimdEnabled } from '../../src/core/kernels/simd/lanes';
import { maskedMse } from '../../src/core/train/loss';
import { TrainingSession } from '../../src/core/train/session';
import type { TaskBatch } from '../../src/core/tasks';
import { relMaxDiff } from './kernels.oracle';
import { BACKEND_SIMD_COMBOS, FEEDBACK_NMRNN } from './kernels.cases';

const cfg = defaultModelConfig;
const cases: { name: string; config: ModelConfig; B: number; T: number }[] = [
  { name: 'NM-RNN MWG size (N100 R3 M5)', config: cfg('nmrnn'), B: 3, T: 40 },
  {
    name: 'context NM-RNN (Ux < U, O 3)',
    config: cfg('nmrnn', { N: 10, R: 3, M: 6, U: 5, Ux: 3, O: 3, tauX: 4, tauZ: 8 }),
    B: 2,
    T: 16,
  },
  {
    name: 'NM-RNN with feedback, 1/N scale, no readout bias, no orthonormalisation',
    config: FEEDBACK_NMRNN,
    B: 3,
    T: 26,
  },
  {
    name: 'linear rank-1 NM-RNN (the theory network)',
    config: cfg('nmrnn', { N: 12, R: 1, M: 4, tauX: 3, tauZ: 6, activation: 'linear' }),
    B: 2,
    T: 20,
  },
  { name: 'LR-RNN (N odd)', config: cfg('lrrnn', { N: 13, tauX: 3 }), B: 3, T: 18 },
  // V ≡ L̃: L's gradient gathers both factors' uses (and goes through Gram–Schmidt).
  {
    name: 'symmetric linear rank-1 NM-RNN (V ≡ L̃, the theory network)',
    config: cfg('nmrnn', {
      N: 12,
      R: 1,
      M: 4,
      tauX: 3,
      tauZ: 6,
      activation: 'linear',
      symmetric: true,
    }),
    B: 5,
    T: 20,
  },
  {
    name: 'symmetric LR-RNN, no orthonormalisation',
    config: cfg('lrrnn', { N: 9, R: 2, tauX: 3, orthonormalize: false, symmetric: true }),
    B: 3,
    T: 15,
  },
  // B over 16 and not a multiple of 4: the NM-RNN lane kernel's 16-lane passes and pad lanes.
  {
    name: 'context NM-RNN, 21 trials',
    config: cfg('nmrnn', { N: 10, R: 3, M: 6, U: 5, Ux: 3, O: 3, tauX: 4, tauZ: 8 }),
    B: 21,
    T: 12,
  },
  { name: 'NM-RNN with feedback, 21 trials', config: FEEDBACK_NMRNN, B: 21, T: 14 },
  // The trial-lane models: B not a multiple of 4 (pad lanes), B over 16 (the 16-lane passes).
  { name: 'vanilla RNN MWG size (N31)', config: cfg('rnn', { tauX: 3 }), B: 5, T: 30 },
  {
    name: 'vanilla RNN, no readout bias, O 2, 21 trials',
    config: cfg('rnn', { N: 7, U: 2, O: 2, readoutBias: false }),
    B: 21,
    T: 9,
  },
  { name: 'LSTM MWG size (N15)', config: cfg('lstm'), B: 3, T: 30 },
  { name: 'LSTM N6, U 2, O 2, 21 trials', config: cfg('lstm', { N: 6, U: 2, O: 2 }), B: 21, T: 12 },
  {
    name: "LR-RNN, the authors' 1/N scale",
    config: cfg('lrrnn', { recurrentScale: 'invN' }),
    B: 2,
    T: 30,
  },
];

/** Random inputs and targets, and a mask with whole trials and single steps dropped. */
function batchOf(c: ModelConfig, B: number, T: number, rng: Rng) {
  const mask = new Float32Array(B * T).fill(1);
  for (let t = 0; t < T; t++) mask[t] = 0; // trial 0 does not count at all
  for (let i = 0; i < B * T; i += 5) mask[i] = 0;
  mask[B * T - 1] = 0.5;
  return {
    inputs: tf.tensor3d(rng.normals(B * T * c.U), [B, T, c.U]),
    targets: tf.tensor3d(rng.normals(B * T * c.O, 0.5), [B, T, c.O]),
    mask: tf.tensor2d(mask, [B, T]),
  };
}

const combos = BACKEND_SIMD_COMBOS;

// The lane kernels in both builds: relaxed SIMD (fused multiply-adds, what Chromium and the CLI
// run) and plain SIMD (engines without relaxed SIMD).
const variants: { backend: string; simd: boolean; nmLanes: boolean; relaxed: boolean }[] =
  combos.flatMap(([backend, simd]) =>
    (simd ? [true, false] : [false]).flatMap((nmLanes) =>
      (simd && nmLanes ? [true, false] : [false]).map((relaxed) => ({
        backend,
        simd,
        nmLanes,
        relaxed,
      })),
    ),
  );

for (const { backend, simd, nmLanes, relaxed } of variants) {
  const build = relaxed ? ', relaxed SIMD' : ', plain SIMD';
  const label = simd ? (nmLanes ? build : ', NM-RNN per trial') : ', no SIMD';
  describe(`fused training step vs reference on ${backend}${label}`, () => {
    const setters = [setNmrnnSimdEnabled, setRnnSimdEnabled, setLstmSimdEnabled];
    beforeAll(async () => {
      registerFusedKernels();
      expect(await tf.setBackend(backend)).toBe(true);
      for (const set of setters) set(simd);
      setNmrnnLanesEnabled(nmLanes);
      setRelaxedSimdEnabled(relaxed);
      // The relaxed variant must run the fused build (Node 20: tests/unit/setup.ts sets the flag).
      expect(relaxedSimdInUse()).toBe(relaxed);
    });
    afterAll(() => {
      for (const set of [...setters, setNmrnnLanesEnabled, setRelaxedSimdEnabled]) set(true);
      tf.disposeVariables();
    });

    // The RNN and LSTM steps exist only in SIMD; without it the trainer differentiates forward.
    const lanes = (c: (typeof cases)[number]) =>
      c.config.kind === 'rnn' || c.config.kind === 'lstm';
    for (const c of cases) {
      // The per-trial variant concerns the NM-RNN / LR-RNN only.
      if (simd && !nmLanes && lanes(c)) continue;
      if (!simd && lanes(c)) {
        it(`${c.name}: no fused step without SIMD`, () => {
          const step = fusedLossGradFor(c.config.kind, backend, c.config);
          const model = createModel(c.config, new Rng(1).stream('init'));
          const batch = batchOf(c.config, c.B, c.T, new Rng(2));
          expect(step!(c.config, model.params, batch)).toBeUndefined();
          tf.dispose(Object.values(batch));
          model.dispose();
        });
        continue;
      }
      it(c.name, () => {
        const rng = new Rng(11);
        const model = createModel(c.config, rng.stream('init'));
        const batch = batchOf(c.config, c.B, c.T, rng.stream('data'));
        const step = fusedLossGradFor(c.config.kind, backend, c.config);
        expect(step).toBeDefined();
        const fused = step!(c.config, model.params, batch)!;
        const names = model.groups.all;
        const vars = names.map((n) => model.params[n]);
        const ref = tf.variableGrads(
          () =>
            maskedMse(
              model.forward(batch.inputs, { impl: 'reference' }).y,
              batch.targets,
              batch.mask,
            ),
          vars,
        );
        const want = ref.value.dataSync()[0];
        expect(Math.abs(fused.loss.dataSync()[0] - want) / want).toBeLessThan(1e-5);
        expect(Object.keys(fused.grads).sort()).toEqual([...names].sort());
        names.forEach((name, i) => {
          const g = fused.grads[name];
          expect(g.shape, name).toEqual(model.params[name].shape);
          expect(relMaxDiff(g, ref.grads[vars[i].name]), name).toBeLessThan(1e-4);
        });
        tf.dispose([fused.loss, ref.value, ...Object.values(fused.grads)]);
        tf.dispose(Object.values(ref.grads));
        tf.dispose(Object.values(batch));
        model.dispose();
      });
    }
  });
}

// A frozen group: the step asked for some gradients computes exactly those (the lane kernel skips
// the rest's weight sums), equal to the same blocks of the full step.
describe('fused training step for a subset of the parameters (frozen groups), wasm', () => {
  beforeAll(async () => {
    registerFusedKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  const subsetCases: { name: string; config: ModelConfig; group: 'nm' | 'input' | 'output' }[] = [
    { name: 'NM-RNN, NM subnetwork only', config: FEEDBACK_NMRNN, group: 'nm' },
    {
      name: 'context NM-RNN, B_z only',
      config: cfg('nmrnn', { N: 10, R: 3, M: 6, U: 5, Ux: 3, O: 3, tauX: 4, tauZ: 8 }),
      group: 'input',
    },
    { name: 'LR-RNN, inputs only', config: cfg('lrrnn', { N: 13, tauX: 3 }), group: 'input' },
    {
      name: 'symmetric LR-RNN, output network',
      config: cfg('lrrnn', { N: 9, R: 2, tauX: 3, symmetric: true }),
      group: 'output',
    },
  ];
  for (const c of subsetCases) {
    it(c.name, () => {
      const rng = new Rng(12);
      const model = createModel(c.config, rng.stream('init'));
      const batch = batchOf(c.config, 21, 14, rng.stream('data'));
      const step = fusedLossGradFor(c.config.kind, 'wasm', c.config)!;
      const full = step(c.config, model.params, batch)!;
      const wanted = model.groups[c.group];
      expect(wanted.length).toBeGreaterThan(0);
      const part = step(c.config, model.params, batch, wanted)!;
      expect(Object.keys(part.grads).sort()).toEqual([...wanted].sort());
      expect(part.loss.dataSync()[0]).toBe(full.loss.dataSync()[0]);
      for (const name of wanted)
        expect(relMaxDiff(part.grads[name], full.grads[name]), name).toBeLessThan(1e-6);
      tf.dispose([
        full.loss,
        part.loss,
        ...Object.values(full.grads),
        ...Object.values(part.grads),
      ]);
      tf.dispose(Object.values(batch));
      model.dispose();
    });
  }
});

describe('the lane kernel skips the weight sums of parameters not asked for', () => {
  it('leaves their blocks zero and the asked-for blocks as in the full step', () => {
    const wasm = nmrnnLanesSimd();
    expect(wasm).not.toBeNull();
    const a = {
      ...{ B: 6, T: 9, N: 8, R: 2, M: 3, feedback: true, tauX: 3, tauZ: 5, scale: 1 },
      ...{ U: 2, Ux: 2, O: 1, biasZ: true, biasY: true },
    };
    const lay = nmrnnFactoredLayout(a);
    const rng = new Rng(4);
    const params = Float32Array.from(rng.normals(lay.size, 0.5));
    const batch = {
      ...{ B: a.B, T: a.T, U: a.U, O: a.O, den: a.B * a.T },
      u: Float32Array.from(rng.normals(a.B * a.T * a.U)),
      targets: Float32Array.from(rng.normals(a.B * a.T * a.O)),
      mask: new Float32Array(a.B * a.T).fill(1),
    };
    const full = new Float32Array(lay.size);
    const part = new Float32Array(lay.size);
    nmrnnLossGradLanes(wasm!, a, params, batch, full);
    nmrnnLossGradLanes(wasm!, a, params, batch, part, ['Bz', 'bzx']);
    const block = (g: Float32Array, from: number, len: number) => [...g.subarray(from, from + len)];
    const { N, R, M, U, O } = a;
    for (const [at, len] of [
      [lay.Lt, N * R],
      [lay.V, N * R],
      [lay.Wz, M * M],
      [lay.Az, R * M],
      [lay.bz, R],
      [lay.Wzx, M * N],
      [lay.Bx, N * U],
      [lay.C, O * N],
    ]) {
      expect(block(full, at, len).some((v) => v !== 0)).toBe(true);
      expect(block(part, at, len).every((v) => v === 0)).toBe(true);
    }
    expect(block(part, lay.Bz, M * U)).toEqual(block(full, lay.Bz, M * U));
    expect(block(part, lay.bzx, M)).toEqual(block(full, lay.bzx, M));
  });
});

describe('the trainer takes the fused step', () => {
  beforeAll(async () => {
    registerFusedKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  const taskBatch = (c: ModelConfig, B: number, T: number, rng: Rng): TaskBatch => ({
    B,
    T,
    U: c.U,
    O: c.O,
    inputs: Float32Array.from(rng.normals(B * T * c.U)),
    targets: Float32Array.from(rng.normals(B * T * c.O, 0.5)),
    mask: new Float32Array(B * T).fill(1),
    family: 'mwg',
    meta: Array.from({ length: B }, (_, b) => ({
      label: `${b}`,
      condition: b,
      cues: {},
      values: {},
    })),
  });

  it('one kernel for loss and gradients (none on the host path), and the same parameters as the reference after 5 steps', async () => {
    const c = cfg('nmrnn', { N: 20, M: 4 });
    const batch = taskBatch(c, 4, 30, new Rng(3));
    const train = async (impl: 'host' | 'fused' | 'reference', stage: 'all' | 'nm') => {
      setHostStepsEnabled(impl === 'host');
      const model = createModel(c, new Rng(5).stream('init'));
      const session = new TrainingSession(model, () => batch, {
        lr: 1e-2,
        impl: impl === 'reference' ? 'reference' : 'fused',
        stage,
      });
      try {
        const info = await tf.profile(async () => {
          for (let i = 0; i < 5; i++) expect((await session.step()).ok).toBe(true);
        });
        const params = await model.toArrays();
        return { params, kernels: info.kernelNames };
      } finally {
        setHostStepsEnabled(true);
        session.dispose();
        model.dispose();
      }
    };
    for (const stage of ['all', 'nm'] as const) {
      const host = await train('host', stage);
      const fused = await train('fused', stage);
      const ref = await train('reference', stage);
      expect(host.kernels).toEqual([]);
      expect(host.params).toEqual(fused.params);
      expect(fused.kernels).toContain(NMRNN_LOSS_GRAD);
      expect(fused.kernels).not.toContain(NMRNN_SCAN_U_GRAD);
      expect(ref.kernels).not.toContain(NMRNN_LOSS_GRAD);
      for (const [name, p] of Object.entries(ref.params)) {
        const f = fused.params[name].data;
        let worst = 0;
        let scale = 0;
        p.data.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - f[i]));
          scale = Math.max(scale, Math.abs(v));
        });
        expect(worst / scale, `${stage}: ${name}`).toBeLessThan(1e-4);
      }
    }
  });
});
