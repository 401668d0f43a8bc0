/** Parameter counts, size matching, groups, initialisation and loading of model parameters. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultModelConfig,
  matchHiddenSize,
  paramCount,
  validateModelConfig,
} from '../../src/core/models/config';
import { initialArrays } from '../../src/core/models/init';
import { createModel, modelFromArrays } from '../../src/core/models/model';
import { paramSpecs } from '../../src/core/models/paramSpecs';
import type { ModelConfig, ModelKind, ParamArrays } from '../../src/core/models/types';
import { Rng } from '../../src/core/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const mwg = (kind: ModelKind, N: number): ModelConfig => defaultModelConfig(kind, { N });
const eftNm = (M: number, N: number, R: number): ModelConfig =>
  defaultModelConfig('nmrnn', {
    M,
    N,
    R,
    U: 1,
    O: 1,
    feedback: true,
    readoutBias: false,
    recurrentScale: 'invN',
    orthonormalize: false,
    init: 'eft',
  });

function std(a: Float32Array): number {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
}

describe('parameter counts (docs/SCIENCE.md §1.5)', () => {
  it('matches the paper’s MWG sets', () => {
    expect(paramCount(mwg('nmrnn', 100))).toBe(1059);
    expect(paramCount(mwg('lrrnn', 106))).toBe(1061);
    expect(paramCount(mwg('rnn', 31))).toBe(1086);
    expect(paramCount(mwg('lstm', 15))).toBe(1155);
  });

  it('matches the paper’s EFT sets (~500 each)', () => {
    expect(paramCount(eftNm(5, 18, 8))).toBe(497);
    expect(paramCount(eftNm(5, 13, 12))).toBe(510);
    expect(paramCount(eftNm(10, 12, 7))).toBe(509);
    expect(paramCount(defaultModelConfig('lstm', { N: 10, U: 1, O: 1 }))).toBe(490);
  });

  it('counts the context NM-RNN’s x and z inputs separately', () => {
    // 2NR + N·Ux + O·N + O + M² + M·U + K·M + K with N100 R3 M20 U7 Ux3 O3.
    const c = defaultModelConfig('nmrnn', { M: 20, U: 7, Ux: 3, O: 3 });
    expect(paramCount(c)).toBe(600 + 300 + 300 + 3 + 400 + 140 + 60 + 3);
  });

  it('equals the number of trainable scalars the model actually has', () => {
    const configs = [
      mwg('nmrnn', 100),
      eftNm(5, 13, 12),
      defaultModelConfig('nmrnn', { U: 7, Ux: 3, O: 3, M: 20 }),
      mwg('lrrnn', 106),
      defaultModelConfig('lrrnn', { readoutBias: false }),
      mwg('rnn', 31),
      mwg('lstm', 15),
    ];
    for (const c of configs) {
      const specs = paramSpecs(c).filter((s) => s.trainable);
      const total = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
      expect(total, c.kind).toBe(paramCount(c));
    }
  });
});

describe('matchHiddenSize', () => {
  const base = mwg('nmrnn', 100);
  it('reproduces the MWG baselines with the “at least” rule', () => {
    expect(matchHiddenSize('lrrnn', 1059, base)).toBe(106);
    expect(matchHiddenSize('rnn', 1059, base)).toBe(31);
    expect(matchHiddenSize('lstm', 1059, base)).toBe(15);
  });
  it('picks the nearest count with the “closest” rule', () => {
    expect(matchHiddenSize('lrrnn', 1059, base, 'closest')).toBe(106);
    expect(matchHiddenSize('rnn', 1059, base, 'closest')).toBe(31);
    // 1022 (N14) is nearer 1059 than 1155 (N15): why the paper's sets need 'atLeast'.
    expect(matchHiddenSize('lstm', 1059, base, 'closest')).toBe(14);
    const eftBase = defaultModelConfig('lstm', { U: 1, O: 1 });
    expect(matchHiddenSize('lstm', paramCount(eftNm(5, 18, 8)), eftBase, 'closest')).toBe(10);
    expect(matchHiddenSize('rnn', 490, { ...eftBase, kind: 'rnn' }, 'closest')).toBe(21);
  });
});

describe('configs', () => {
  it('defaults to the MWG NM-RNN', () => {
    expect(defaultModelConfig('nmrnn')).toEqual({
      kind: 'nmrnn',
      N: 100,
      R: 3,
      M: 5,
      U: 3,
      Ux: 3,
      O: 1,
      tauX: 10,
      tauZ: 100,
      feedback: false,
      orthonormalize: true,
      recurrentScale: 'one',
      readoutBias: true,
      init: 'paper',
    });
    expect(defaultModelConfig('lrrnn', { U: 7 }).Ux).toBe(7);
  });
  it('rejects impossible configurations with a reason', () => {
    expect(() => validateModelConfig(defaultModelConfig('nmrnn', { N: 0 }))).toThrow(/N/);
    expect(() => validateModelConfig(defaultModelConfig('nmrnn', { U: 3, Ux: 4 }))).toThrow(/Ux/);
    expect(() => validateModelConfig(defaultModelConfig('lrrnn', { N: 2, R: 3 }))).toThrow(
      /orthonormalise/,
    );
  });
  it('groups parameters for staged training', () => {
    const m = createModel(defaultModelConfig('nmrnn', { feedback: true }), new Rng(0));
    expect(m.groups.nm).toEqual(['Wz', 'Bz', 'Az', 'bz', 'Wzx', 'bzx']);
    expect(m.groups.output).toEqual(['L', 'V', 'Bx', 'C', 'd']);
    expect(m.groups.input).toEqual(['Bz']);
    expect(m.groups.all).toEqual([...m.groups.output, ...m.groups.nm]);
    expect(m.params.x0.trainable).toBe(false);
    expect(m.params.z0.trainable).toBe(false);
    expect(m.params.L.trainable).toBe(true);
    m.dispose();
    const lstm = createModel(mwg('lstm', 3), new Rng(0));
    expect(lstm.groups.input).toEqual(['Wi', 'Wf', 'Wg', 'Wo']);
    expect(lstm.groups.nm).toEqual([]);
    expect(lstm.groups.output).toEqual(lstm.groups.all);
    expect(lstm.groups.all).not.toContain('h0');
    lstm.dispose();
    const rnn = createModel(mwg('rnn', 3), new Rng(0));
    expect(rnn.groups.input).toEqual(['Bx']);
    expect(Object.keys(rnn.params).sort()).toEqual(['Bx', 'C', 'W', 'd', 'x0']);
    rnn.dispose();
  });
});

describe('initialisation', () => {
  it('is a function of the seed', () => {
    const c = mwg('nmrnn', 100);
    const a = initialArrays(c, new Rng(3));
    const b = initialArrays(c, new Rng(3));
    const other = initialArrays(c, new Rng(4));
    for (const name of Object.keys(a)) expect(b[name].data).toEqual(a[name].data);
    expect(other.L.data).not.toEqual(a.L.data);
  });

  it('draws each parameter from its own stream', () => {
    const plain = initialArrays(mwg('nmrnn', 20), new Rng(5));
    const fb = initialArrays(defaultModelConfig('nmrnn', { N: 20, feedback: true }), new Rng(5));
    for (const name of ['L', 'V', 'Bx', 'C', 'd', 'Wz', 'Bz', 'Az', 'bz']) {
      expect(fb[name].data, name).toEqual(plain[name].data);
    }
  });

  it('follows docs/SCIENCE.md §1.1 scales (paper init)', () => {
    const a = initialArrays(mwg('nmrnn', 100), new Rng(1));
    expect(std(a.L.data)).toBeGreaterThan(0.88);
    expect(std(a.L.data)).toBeLessThan(1.12);
    expect(std(a.V.data)).toBeGreaterThan(0.88);
    expect(std(a.V.data)).toBeLessThan(1.12);
    expect(std(a.Bx.data)).toBeGreaterThan(0.88 / Math.sqrt(3));
    expect(std(a.Bx.data)).toBeLessThan(1.12 / Math.sqrt(3));
    expect(std(a.C.data)).toBeGreaterThan(0.07);
    expect(std(a.C.data)).toBeLessThan(0.13);
    expect(std(a.Wz.data)).toBeGreaterThan(0.05);
    expect(std(a.Wz.data)).toBeLessThan(0.15);
    expect([...a.x0.data]).toEqual(new Array(100).fill(Math.fround(0.1)));
    expect([...a.z0.data]).toEqual(new Array(5).fill(Math.fround(0.1)));
  });

  it('follows docs/SCIENCE.md §1.3 scales (EFT init)', () => {
    const a = initialArrays(eftNm(10, 100, 12), new Rng(1));
    // L: 1200 draws of N(0, 1/R): std within ~±6% of 1/√12.
    expect(std(a.L.data) * Math.sqrt(12)).toBeGreaterThan(0.93);
    expect(std(a.L.data) * Math.sqrt(12)).toBeLessThan(1.07);
    expect(std(a.Wzx.data) * Math.sqrt(100)).toBeGreaterThan(0.95);
    expect(std(a.Wzx.data) * Math.sqrt(100)).toBeLessThan(1.05);
    expect(std(a.Wz.data) * Math.sqrt(10)).toBeGreaterThan(0.8);
    expect(std(a.Wz.data) * Math.sqrt(10)).toBeLessThan(1.2);
    // Random fixed initial state, N(0, 1/N).
    expect(std(a.x0.data) * 10).toBeGreaterThan(0.75);
    expect(std(a.x0.data) * 10).toBeLessThan(1.25);
    expect(a.d).toBeUndefined();
  });

  it('LSTM: §1.4 scales and constant initial states', () => {
    const a = initialArrays(defaultModelConfig('lstm', { N: 40, U: 4 }), new Rng(2));
    expect(std(a.Wi.data) * 2).toBeGreaterThan(0.85);
    expect(std(a.Wi.data) * 2).toBeLessThan(1.15);
    expect(std(a.Uf.data) * Math.sqrt(40)).toBeGreaterThan(0.9);
    expect(std(a.Uf.data) * Math.sqrt(40)).toBeLessThan(1.1);
    expect([...a.c0.data]).toEqual(new Array(40).fill(Math.fround(0.1)));
  });
});

describe('modelFromArrays', () => {
  it('round-trips through toArrays', async () => {
    const c = defaultModelConfig('nmrnn', { N: 8, feedback: true });
    const m = createModel(c, new Rng(9));
    const arrays = await m.toArrays();
    expect(Object.keys(arrays).sort()).toEqual([
      'Az',
      'Bx',
      'Bz',
      'C',
      'L',
      'V',
      'Wz',
      'Wzx',
      'bz',
      'bzx',
      'd',
      'x0',
      'z0',
    ]);
    expect(arrays.L.shape).toEqual([8, 3]);
    expect(arrays.Wzx.shape).toEqual([5, 8]);
    const copy = modelFromArrays(c, arrays);
    const u = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
    const y1 = await m.forward(u).y.data();
    const y2 = await copy.forward(u).y.data();
    expect(y2).toEqual(y1);
    tf.dispose(u);
    m.dispose();
    copy.dispose();
  });

  it('names the offending parameter and shapes', () => {
    const c = mwg('rnn', 4);
    const good: ParamArrays = initialArrays(c, new Rng(0));
    const badShape = { ...good, W: { shape: [4, 3], data: new Float32Array(12) } };
    expect(() => modelFromArrays(c, badShape)).toThrow(
      'parameter "W" has shape [4, 3], expected [4, 4]',
    );
    const badLength = { ...good, C: { shape: [1, 4], data: new Float32Array(3) } };
    expect(() => modelFromArrays(c, badLength)).toThrow(/"C" has 3 values, expected 4/);
    const { x0: _x0, ...missing } = good;
    expect(() => modelFromArrays(c, missing)).toThrow(/"x0" is missing \(expected shape \[4\]\)/);
    const extra = { ...good, L: { shape: [4, 3], data: new Float32Array(12) } };
    expect(() => modelFromArrays(c, extra)).toThrow(/unexpected parameter "L"/);
  });
});
