import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { PRESETS } from '../../src/core/config/presets';
import { createExperiment, evalSetByName, taskDims } from '../../src/core/experiment';
import { createModel, paramCount } from '../../src/core/models';
import { Rng } from '../../src/core/random';
import { TrainingSession } from '../../src/core/train';
import { trainingOptionsFor } from '../../src/core/experiment';
import { evaluateModel } from '../../src/core/analysis';
import { experimentSchema } from '../../src/core/config/schema';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('presets', () => {
  it('has every name the CLI promises', () => {
    const names = PRESETS.map((p) => p.name);
    for (const n of [
      'mwg-nmrnn',
      'mwg-nmrnn-rank1',
      'mwg-lrrnn',
      'mwg-rnn',
      'mwg-lstm',
      'multitask-nmrnn',
      'multitask-lrrnn',
      'multitask-rnn',
      'multitask-lstm',
      'eft-nmrnn',
      'eft-lstm',
      'eft-rnn',
    ]) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('are valid configs', () => {
    for (const p of PRESETS)
      expect(experimentSchema.safeParse(p.config).success, p.name).toBe(true);
  });

  it('match the paper’s parameter counts (docs/SCIENCE.md §1.5)', () => {
    const count = (name: string) => {
      const p = PRESETS.find((q) => q.name === name)!;
      return paramCount(createExperiment(p.config).modelConfig);
    };
    expect(count('mwg-nmrnn')).toBe(1059);
    expect(count('mwg-lrrnn')).toBe(1061);
    expect(count('mwg-rnn')).toBe(1086);
    expect(count('mwg-lstm')).toBe(1155);
    expect(count('eft-lstm')).toBe(490);
    for (const n of ['eft-nmrnn', 'eft-nmrnn-n13r12', 'eft-nmrnn-m10', 'eft-rnn']) {
      expect(Math.abs(count(n) - 495), n).toBeLessThan(30);
    }
  });

  it('route the context only to z for the context NM-RNN', () => {
    const nm = PRESETS.find((p) => p.name === 'multitask-nmrnn')!.config;
    const lstm = PRESETS.find((p) => p.name === 'multitask-lstm')!.config;
    expect(taskDims(nm)).toEqual({ U: 7, Ux: 3, O: 3 });
    expect(taskDims(lstm)).toEqual({ U: 7, Ux: 7, O: 3 });
  });
});

describe('every preset runs end to end', () => {
  for (const preset of PRESETS) {
    it(`${preset.name}: one training step and finite metrics on each eval set`, async () => {
      const exp = createExperiment(preset.config);
      const model = createModel(exp.modelConfig, new Rng(preset.config.seeds.init));
      const session = new TrainingSession(model, exp.nextBatch, trainingOptionsFor(preset.config));
      const r = await session.step();
      expect(r.ok).toBe(true);
      for (const set of exp.evalSets) {
        const ev = await evaluateModel(model, set.batch, {});
        expect(ev.outputs.data.length).toBe(set.batch.B * set.batch.T * set.batch.O);
        expect(Number.isFinite(ev.loss)).toBe(true);
        const m = exp.metrics(set, ev.outputs.data);
        expect(Object.keys(m).length).toBeGreaterThan(0);
      }
      session.dispose();
      model.dispose();
    });
  }
});

describe('evalSetByName', () => {
  it('maps MWG names to the training and extrapolation sets', () => {
    const exp = createExperiment(PRESETS[0].config);
    expect(evalSetByName(exp, 'train').batch.B).toBe(40);
    expect(evalSetByName(exp, 'extrapolate').batch.B).toBe(12);
    expect(evalSetByName(exp, 'test').batch.B).toBe(12);
  });
  it('refuses an extrapolation set for EFT with a message', () => {
    const exp = createExperiment(PRESETS.find((p) => p.name === 'eft-nmrnn')!.config);
    expect(() => evalSetByName(exp, 'extrapolate')).toThrow(/no extrapolation set/);
  });
  it('uses fixed evaluation sets: same config → identical trials', () => {
    const cfg = PRESETS.find((p) => p.name === 'multitask-nmrnn')!.config;
    const a = createExperiment(cfg).evalSets[0].batch;
    const b = createExperiment(cfg).evalSets[0].batch;
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
  });
});
