/**
 * Forward passes: a tiny NM-RNN against hand arithmetic, orthonormalisation, ablation semantics,
 * the LR-RNN as the NM-RNN with s ≡ 1, fused-scan dispatch, and tensor bookkeeping.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ablationArrays, windowSpan } from '../../src/core/models/ablation';
import { defaultModelConfig } from '../../src/core/models/config';
import {
  fusedScanFor,
  registerFusedScan,
  unregisterFusedScan,
} from '../../src/core/models/fusedRegistry';
import { createModel, modelFromArrays } from '../../src/core/models/model';
import { orthonormalizeColumns } from '../../src/core/models/orthonormalize';
import {
  lstmScanReference,
  nmrnnScanReference,
  rnnScanReference,
} from '../../src/core/models/referenceScans';
import type { ModelConfig, ModelKind, ParamArrays } from '../../src/core/models/types';
import { Rng } from '../../src/core/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (shape: number[], values: number[]): { shape: number[]; data: Float32Array } => ({
  shape,
  data: Float32Array.from(values),
});

describe('NM-RNN forward on hand-set weights', () => {
  // N=2, R=1, M=1, U=1, O=1, τx=2, τz=4; L = (1.2, 1.6) orthonormalises to (0.6, 0.8).
  const config: ModelConfig = defaultModelConfig('nmrnn', {
    N: 2,
    R: 1,
    M: 1,
    U: 1,
    O: 1,
    tauX: 2,
    tauZ: 4,
  });
  const arrays: ParamArrays = {
    L: arr([2, 1], [1.2, 1.6]),
    V: arr([2, 1], [0.5, -0.3]),
    Bx: arr([2, 1], [1, 0.5]),
    C: arr([1, 2], [1, -1]),
    d: arr([1], [0.2]),
    Wz: arr([1, 1], [0.4]),
    Bz: arr([1, 1], [0.7]),
    Az: arr([1, 1], [1.5]),
    bz: arr([1], [-0.2]),
    x0: arr([2], [0.1, 0.1]),
    z0: arr([1], [0.1]),
  };
  const us = [1, 0, -0.5];

  function byHand(): { y: number[]; s: number[] } {
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    let x1 = 0.1;
    let x2 = 0.1;
    let z = 0.1;
    const y: number[] = [];
    const s: number[] = [];
    for (const u of us) {
      z = 0.75 * z + 0.25 * (0.4 * Math.tanh(z) + 0.7 * u);
      const st = sig(1.5 * z - 0.2);
      const vphi = 0.5 * Math.tanh(x1) - 0.3 * Math.tanh(x2);
      const n1 = 0.5 * x1 + 0.5 * (0.6 * st * vphi + 1 * u);
      const n2 = 0.5 * x2 + 0.5 * (0.8 * st * vphi + 0.5 * u);
      x1 = n1;
      x2 = n2;
      y.push(x1 - x2 + 0.2);
      s.push(st);
    }
    return { y, s };
  }

  it('matches scalar arithmetic step by step', async () => {
    const m = modelFromArrays(config, arrays);
    const u = tf.tensor3d(us, [1, 3, 1]);
    const r = m.forward(u, { record: true });
    const want = byHand();
    const y = await r.y.data();
    const s = await r.states.s!.data();
    expect(r.y.shape).toEqual([1, 3, 1]);
    expect(r.states.x!.shape).toEqual([1, 3, 2]);
    expect(r.states.z!.shape).toEqual([1, 3, 1]);
    for (let t = 0; t < 3; t++) {
      expect(y[t]).toBeCloseTo(want.y[t], 6);
      expect(s[t]).toBeCloseTo(want.s[t], 6);
    }
    tf.dispose([u, r.y, ...Object.values(r.states)]);
    m.dispose();
  });

  it('without orthonormalisation uses L as given', async () => {
    const raw = modelFromArrays(
      { ...config, orthonormalize: false },
      {
        ...arrays,
        L: arr([2, 1], [0.6, 0.8]),
      },
    );
    const u = tf.tensor3d(us, [1, 3, 1]);
    const y = await raw.forward(u).y.data();
    const want = byHand().y;
    for (let t = 0; t < 3; t++) expect(y[t]).toBeCloseTo(want[t], 6);
    u.dispose();
    raw.dispose();
  });
});

describe('orthonormalizeColumns', () => {
  it('gives orthonormal columns spanning L with a positive-diagonal R₀', async () => {
    const N = 10;
    const R = 4;
    const L = tf.tensor2d(new Rng(11).normals(N * R), [N, R]);
    const Q = orthonormalizeColumns(L);
    const gram = (await tf.matMul(Q, Q, true, false).array()) as number[][];
    for (let i = 0; i < R; i++) {
      for (let j = 0; j < R; j++) expect(gram[i][j]).toBeCloseTo(i === j ? 1 : 0, 5);
    }
    // R₀ = QᵀL: upper triangular with positive diagonal, and Q·R₀ reproduces L.
    const R0 = tf.matMul(Q, L, true, false);
    const r0 = (await R0.array()) as number[][];
    for (let i = 0; i < R; i++) {
      expect(r0[i][i]).toBeGreaterThan(0);
      for (let j = 0; j < i; j++) expect(Math.abs(r0[i][j])).toBeLessThan(1e-5);
    }
    const back = await tf.matMul(Q, R0).data();
    const l = await L.data();
    for (let k = 0; k < l.length; k++) expect(back[k]).toBeCloseTo(l[k], 5);
    // Sign convention: the first column is L's first column, normalised (not flipped).
    const q = await Q.array();
    const norm0 = Math.hypot(...Array.from({ length: N }, (_, n) => l[n * R]));
    for (let n = 0; n < N; n++) expect(q[n][0]).toBeCloseTo(l[n * R] / norm0, 6);
    tf.dispose([L, Q, R0]);
  });
});

/** A small NM-RNN and a fixed batch. */
function setup(overrides: Partial<ModelConfig> = {}): {
  config: ModelConfig;
  arrays: ParamArrays;
  u: tf.Tensor3D;
} {
  const config = defaultModelConfig('nmrnn', { N: 12, R: 3, M: 4, tauX: 3, tauZ: 5, ...overrides });
  const arrays = createModelArrays(config);
  const u = tf.tensor3d(new Rng(2).normals(2 * 20 * 3), [2, 20, 3]);
  return { config, arrays, u };
}

function createModelArrays(config: ModelConfig): ParamArrays {
  // Larger A_z and b_z than the paper's init so that s is far from constant over a trial.
  const m = createModel(config, new Rng(1));
  const out: ParamArrays = {};
  for (const [k, v] of Object.entries(m.params)) {
    const data = Float32Array.from(v.dataSync());
    if (k === 'Az' || k === 'bz') for (let i = 0; i < data.length; i++) data[i] *= 20;
    out[k] = { shape: [...v.shape], data };
  }
  m.dispose();
  return out;
}

async function run(
  config: ModelConfig,
  arrays: ParamArrays,
  u: tf.Tensor3D,
  ablation?: Parameters<typeof ablationArrays>[0],
): Promise<{ y: Float32Array; s: Float32Array }> {
  const m = modelFromArrays(config, arrays);
  const r = m.forward(u, { ablation, record: true });
  const y = (await r.y.data()) as Float32Array;
  const s = r.states.s ? ((await r.states.s.data()) as Float32Array) : new Float32Array(0);
  tf.dispose([r.y, ...Object.values(r.states)]);
  m.dispose();
  return { y, s };
}

describe('ablation', () => {
  it('builds per-step multiplier and adder arrays', () => {
    const { mul, add } = ablationArrays(
      [
        { mode: 'clamp', value: 0.25, window: [1, 3] },
        { mode: 'off', value: 0.9 },
        { mode: 'scale', value: 1.5 },
      ],
      1,
      4,
      3,
    );
    expect([...mul]).toEqual([1, 1, 1.5, 0, 1, 1.5, 0, 1, 1.5, 1, 1, 1.5]);
    expect([...add]).toEqual([0, 0, 0, 0.25, 0, 0, 0.25, 0, 0, 0, 0, 0]);
    // Windows are clipped to the trial; surplus components are ignored.
    const clipped = ablationArrays(
      [
        { mode: 'scale', value: 2, window: [-3, 1] },
        { mode: 'off', value: 0 },
        { mode: 'off', value: 0 },
      ],
      1,
      2,
      1,
    );
    expect([...clipped.mul]).toEqual([2, 1]);
  });

  it('places a window anchored to a cue at that cue in each trial', () => {
    const clamp = { mode: 'clamp' as const, value: 0, window: [-1, 1] as [number, number] };
    const { mul } = ablationArrays([{ ...clamp, anchor: 'go' }], 3, 5, 1, [
      { go: 1 },
      { go: 3 },
      {}, // no go cue: nothing to count from, left intact
    ]);
    expect([...mul]).toEqual([0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]);
    // Without cue times an anchored window cannot be placed: every trial stays intact.
    expect([...ablationArrays([{ ...clamp, anchor: 'go' }], 1, 3, 1).mul]).toEqual([1, 1, 1]);
    expect(windowSpan({ ...clamp, anchor: 'go' }, 5, { go: 4 })).toEqual([3, 5]);
  });

  it('a window anchored to a cue moves with it through the forward pass', async () => {
    const { config, arrays, u } = setup();
    const [B, T, R] = [2, 20, 3];
    const goes = [5, 11];
    const m = modelFromArrays(config, arrays);
    const r = m.forward(u, {
      ablation: [{ mode: 'clamp', value: 0.9, window: [0, 3], anchor: 'go' }],
      trialCues: goes.map((go) => ({ go })),
      record: true,
    });
    const s = (await r.states.s!.data()) as Float32Array;
    tf.dispose([r.y, ...Object.values(r.states)]);
    m.dispose();
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const clamped = t >= goes[b] && t < goes[b] + 3;
        expect(s[(b * T + t) * R] === 0.9 || Math.abs(s[(b * T + t) * R] - 0.9) < 1e-6).toBe(
          clamped,
        );
      }
    }
    u.dispose();
  });

  it('clamping s_k to 0 all trial zeroes it and changes the output', async () => {
    const { config, arrays, u } = setup();
    const base = await run(config, arrays, u);
    const ab = await run(config, arrays, u, [
      { mode: 'off', value: 0 },
      { mode: 'clamp', value: 0 },
    ]);
    const R = 3;
    for (let i = 0; i < ab.s.length / R; i++) {
      expect(ab.s[i * R + 1]).toBe(0);
      expect(ab.s[i * R]).toBeGreaterThan(0);
    }
    const diff = Math.max(...base.y.map((v, i) => Math.abs(v - ab.y[i])));
    expect(diff).toBeGreaterThan(1e-3);
    u.dispose();
  });

  it('scaling by 1 changes nothing', async () => {
    const { config, arrays, u } = setup();
    const base = await run(config, arrays, u);
    const same = await run(config, arrays, u, [
      { mode: 'scale', value: 1 },
      { mode: 'scale', value: 1, window: [3, 9] },
    ]);
    expect(same.y).toEqual(base.y);
    expect(same.s).toEqual(base.s);
    u.dispose();
  });

  it('a window affects only steps from its start on', async () => {
    const { config, arrays, u } = setup();
    const [B, T, O, R] = [2, 20, 1, 3];
    const t0 = 8;
    const base = await run(config, arrays, u);
    const ab = await run(config, arrays, u, [{ mode: 'clamp', value: 0.9, window: [t0, 14] }]);
    let changedAfter = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const i = (b * T + t) * O;
        if (t < t0) expect(ab.y[i]).toBe(base.y[i]);
        else changedAfter = Math.max(changedAfter, Math.abs(ab.y[i] - base.y[i]));
        const sk = ab.s[(b * T + t) * R];
        if (t >= t0 && t < 14) expect(sk).toBeCloseTo(0.9, 6);
        // z does not see x here (no feedback), so s outside the window is untouched.
        else expect(sk).toBe(base.s[(b * T + t) * R]);
      }
    }
    expect(changedAfter).toBeGreaterThan(1e-3);
    u.dispose();
  });

  it('the LR-RNN is the NM-RNN’s output network with every s clamped to 1 (exactly)', async () => {
    for (const o of [{}, { orthonormalize: false, recurrentScale: 'invN' as const }]) {
      const { config, arrays, u } = setup(o);
      const clampAll = [0, 1, 2].map(() => ({ mode: 'clamp' as const, value: 1 }));
      const nm = await run(config, arrays, u, clampAll);
      const lrConfig: ModelConfig = { ...config, kind: 'lrrnn' };
      const { L, V, Bx, C, d, x0 } = arrays;
      const lr = await run(lrConfig, { L, V, Bx, C, d, x0 }, u);
      expect(lr.y).toEqual(nm.y);
      u.dispose();
    }
  });
});

describe('context and feedback wiring', () => {
  it('context channels reach z only', async () => {
    const { config, arrays } = setup({ U: 5, Ux: 3 });
    expect(arrays.Bx.shape).toEqual([12, 3]);
    expect(arrays.Bz.shape).toEqual([4, 5]);
    const data = new Rng(4).normals(1 * 10 * 5);
    const u1 = tf.tensor3d(data, [1, 10, 5]);
    const other = data.slice();
    for (let t = 0; t < 10; t++) other[t * 5 + 4] += 1;
    const u2 = tf.tensor3d(other, [1, 10, 5]);
    // With s clamped, z no longer matters, so a context change must leave y unchanged.
    const clamp = [0, 1, 2].map(() => ({ mode: 'clamp' as const, value: 0.5 }));
    expect((await run(config, arrays, u2, clamp)).y).toEqual(
      (await run(config, arrays, u1, clamp)).y,
    );
    expect((await run(config, arrays, u2)).y).not.toEqual((await run(config, arrays, u1)).y);
    tf.dispose([u1, u2]);
  });

  it('with feedback, x changes s (clamping one s_k moves the others)', async () => {
    const { config, arrays, u } = setup({ feedback: true });
    const base = await run(config, arrays, u);
    const ab = await run(config, arrays, u, [{ mode: 'clamp', value: 0 }]);
    expect(ab.s[3 * 10 + 1]).not.toBe(base.s[3 * 10 + 1]);
    u.dispose();
  });
});

describe('fused-scan dispatch', () => {
  afterEach(() => unregisterFusedScan('nmrnn', 'cpu'));

  it('uses a scan registered for the active backend unless asked for the reference', () => {
    let calls = 0;
    registerFusedScan('nmrnn', 'cpu', (p, d, s) => {
      calls++;
      return nmrnnScanReference(p, d, s);
    });
    registerFusedScan('lrrnn', 'webgpu', () => {
      throw new Error('not for cpu');
    });
    const m = createModel(defaultModelConfig('nmrnn', { N: 6 }), new Rng(0));
    const lr = createModel(defaultModelConfig('lrrnn', { N: 6 }), new Rng(0));
    const u = tf.zeros([1, 4, 3]) as tf.Tensor3D;
    tf.tidy(() => {
      m.forward(u);
    });
    expect(calls).toBe(1);
    tf.tidy(() => {
      m.forward(u, { impl: 'fused' });
    });
    expect(calls).toBe(2);
    tf.tidy(() => {
      m.forward(u, { impl: 'reference' });
    });
    expect(calls).toBe(2);
    tf.tidy(() => {
      lr.forward(u);
    });
    unregisterFusedScan('lrrnn', 'webgpu');
    tf.dispose(u);
    m.dispose();
    lr.dispose();
  });

  it('gives the reference scan to a model its fused scan does not fit', () => {
    let calls = 0;
    registerFusedScan(
      'nmrnn',
      'cpu',
      (p, d, s) => {
        calls++;
        return nmrnnScanReference(p, d, s);
      },
      (c) => (c.N ?? 0) <= 8,
    );
    const small = createModel(defaultModelConfig('nmrnn', { N: 6 }), new Rng(0));
    const big = createModel(defaultModelConfig('nmrnn', { N: 12 }), new Rng(0));
    const u = tf.zeros([1, 4, 3]) as tf.Tensor3D;
    tf.tidy(() => {
      small.forward(u);
      big.forward(u);
    });
    expect(calls).toBe(1);
    expect(fusedScanFor('nmrnn', 'cpu', { N: 12 })).toBeUndefined();
    expect(fusedScanFor('nmrnn', 'cpu', { N: 6 })).toBeDefined();
    tf.dispose(u);
    small.dispose();
    big.dispose();
  });
});

describe('tensor bookkeeping', () => {
  const kinds: [ModelKind, Partial<ModelConfig>][] = [
    ['nmrnn', { feedback: true, U: 4, Ux: 2 }],
    ['lrrnn', {}],
    ['rnn', {}],
    ['lstm', {}],
  ];
  for (const [kind, o] of kinds) {
    it(`${kind}: no leaks from forward, gradients or dispose`, () => {
      const before = tf.memory().numTensors;
      const m = createModel(defaultModelConfig(kind, { N: 6, ...o }), new Rng(0));
      const withModel = tf.memory().numTensors;
      expect(withModel - before).toBe(Object.keys(m.params).length);
      const u = tf.ones([2, 5, m.config.U]) as tf.Tensor3D;
      tf.tidy(() => {
        m.forward(u, { record: true, ablation: [{ mode: 'clamp', value: 0 }] });
      });
      expect(tf.memory().numTensors).toBe(withModel + 1);
      const r = m.forward(u);
      // Outside tidy only y itself remains.
      expect(tf.memory().numTensors).toBe(withModel + 2);
      r.y.dispose();
      const vars = m.groups.all.map((n) => m.params[n]);
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(m.forward(u).y)), vars);
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(withModel + 1);
      u.dispose();
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('reference scans: drive split whole vs formed from its factors', () => {
  it('give the same states for every family', async () => {
    const B = 2;
    const T = 6;
    const rng = new Rng(21);
    const t = (shape: number[], std = 1): tf.Tensor =>
      tf.tensor(
        rng.normals(
          shape.reduce((a, b) => a * b, 1),
          std,
        ),
        shape,
      );
    const close = async (a: tf.Tensor, b: tf.Tensor): Promise<void> => {
      const da = await a.data();
      const db = await b.data();
      for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i], 5);
    };
    const u = t([B, T, 3]) as tf.Tensor3D;
    const W = t([5, 3]) as tf.Tensor2D;
    const Wz = t([4, 3]) as tf.Tensor2D;
    const bz = t([4]) as tf.Tensor1D;
    const drive = tf.reshape(tf.matMul(tf.reshape(u, [B * T, 3]), W, false, true), [B, T, 5]);
    const driveZ = tf.reshape(tf.add(tf.matMul(tf.reshape(u, [B * T, 3]), Wz, false, true), bz), [
      B,
      T,
      4,
    ]);
    const nmParams = {
      Lt: t([5, 2]) as tf.Tensor2D,
      V: t([5, 2]) as tf.Tensor2D,
      x0: t([5]) as tf.Tensor1D,
      nm: {
        Wz: t([4, 4]) as tf.Tensor2D,
        Az: t([2, 4]) as tf.Tensor2D,
        bz: t([2]) as tf.Tensor1D,
        z0: t([4]) as tf.Tensor1D,
        Wzx: t([4, 5]) as tf.Tensor2D,
      },
    };
    const settings = { tauX: 2, tauZ: 3, scale: 1 };
    const drives = { driveX: drive as tf.Tensor3D, driveZ: driveZ as tf.Tensor3D };
    const whole = nmrnnScanReference(nmParams, drives, settings);
    const factored = nmrnnScanReference(
      nmParams,
      { ...drives, factors: { x: { u, W }, z: { u, W: Wz, b: bz } } },
      settings,
    );
    await close(whole.x, factored.x);
    await close(whole.z!, factored.z!);
    await close(whole.s!, factored.s!);

    const rnnP = { W: t([5, 5]) as tf.Tensor2D, x0: t([5]) as tf.Tensor1D };
    const rs = { tau: 2, scale: 0.2 };
    await close(
      rnnScanReference(rnnP, drive as tf.Tensor3D, rs).x,
      rnnScanReference(rnnP, drive as tf.Tensor3D, rs, { u, W }).x,
    );

    const Win = t([8, 3]) as tf.Tensor2D;
    const bias = t([8]) as tf.Tensor1D;
    const lstmDrive = tf.reshape(
      tf.add(tf.matMul(tf.reshape(u, [B * T, 3]), Win, false, true), bias),
      [B, T, 8],
    ) as tf.Tensor3D;
    const lstmP = {
      Wh: t([8, 2]) as tf.Tensor2D,
      h0: t([2]) as tf.Tensor1D,
      c0: t([2]) as tf.Tensor1D,
    };
    const a = lstmScanReference(lstmP, lstmDrive, { recordGates: true });
    const b = lstmScanReference(lstmP, lstmDrive, { recordGates: true }, { u, W: Win, b: bias });
    await close(a.h, b.h);
    await close(a.c, b.c);
    await close(a.gates!, b.gates!);
    expect(b.gates!.shape).toEqual([B, T, 8]);
  });
});

describe('one rule for "is this component ablated?"', () => {
  it('off and a scale of exactly 1 change nothing; clamp and any other scale do', async () => {
    const { isComponentAblated, ablatedComponents } =
      await import('../../src/core/models/ablation');
    expect(isComponentAblated({ mode: 'off', value: 0 })).toBe(false);
    expect(isComponentAblated({ mode: 'scale', value: 1 })).toBe(false);
    expect(isComponentAblated({ mode: 'scale', value: 0.5 })).toBe(true);
    expect(isComponentAblated({ mode: 'clamp', value: 1 })).toBe(true);
    expect(
      ablatedComponents([
        { mode: 'scale', value: 1 },
        { mode: 'clamp', value: 0 },
      ]),
    ).toEqual([1]);
  });
});

describe('the linear output network (rank-1 theory)', () => {
  it('is linear in its inputs from x0 = 0, which tanh is not', async () => {
    const out = async (activation: 'tanh' | 'linear', gain: number) => {
      const config = defaultModelConfig('lrrnn', { N: 12, R: 1, tauX: 3, activation });
      const arrays = createModelArrays(config);
      arrays.x0 = { shape: arrays.x0.shape, data: new Float32Array(12) };
      const u = tf.tensor3d(
        new Rng(2).normals(2 * 20 * 3).map((v) => v * gain),
        [2, 20, 3],
      );
      const m = modelFromArrays(config, arrays);
      const r = m.forward(u, {});
      const y = (await r.y.data()) as Float32Array;
      const d = arrays.d.data[0];
      tf.dispose([r.y, u]);
      m.dispose();
      return Array.from(y, (v) => v - d);
    };
    const [lin1, lin3] = [await out('linear', 1), await out('linear', 3)];
    lin1.forEach((v, i) => expect(lin3[i]).toBeCloseTo(3 * v, 4));
    const [tanh1, tanh3] = [await out('tanh', 1), await out('tanh', 3)];
    const worst = Math.max(...tanh1.map((v, i) => Math.abs(tanh3[i] - 3 * v)));
    expect(worst).toBeGreaterThan(1e-3);
  });
});
