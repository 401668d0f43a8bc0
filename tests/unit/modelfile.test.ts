import { describe, expect, it } from 'vitest';
import {
  expectedParamShapes,
  ModelFileError,
  parseModelFile,
  serializeModel,
  type ModelFileContents,
} from '../../src/core/io/modelFile';
import { defaultModelConfig } from '../../src/core/models/config';
import type { ModelConfig, ParamArrays } from '../../src/core/models/types';
import { Rng } from '../../src/core/random';
import {
  APP_NAME,
  APP_VERSION,
  modelMismatch,
  readModelFile,
  writeModelFile,
} from '../../src/core/io/experimentFile';
import { findPreset } from '../../src/core/config/presets';
import { createExperiment } from '../../src/core/experiment';
import { createModel } from '../../src/core/models/model';

function randomParams(config: ModelConfig, seed = 1): ParamArrays {
  const rng = new Rng(seed);
  const out: ParamArrays = {};
  for (const [name, shape] of Object.entries(expectedParamShapes(config))) {
    const n = shape.reduce((a, b) => a * b, 1);
    // Spread magnitudes over many decades so short decimals would not round-trip by accident.
    const data = rng.normals(n).map((x, i) => x * 10 ** ((i % 13) - 6));
    out[name] = { shape, data };
  }
  return out;
}

function contents(config = defaultModelConfig('nmrnn')): ModelFileContents {
  return {
    config: { ...config, experiment: { task: { family: 'mwg' }, note: [1, 'two'] } },
    params: randomParams(config),
    metrics: { loss: 0.0123, extrapolate: { mse: 0.5, produced4: null } },
    seeds: { init: 7, data: 9 },
    createdWith: { app: 'nmrnn-playground', version: '0.1.0', steps: 1000 },
  };
}

/**
 * A valid file, edited as a plain object. `any` because the test deliberately breaks the document's
 * structure in arbitrary ways that no type describes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
function edited(edit: (doc: Doc) => void): string {
  const doc = JSON.parse(serializeModel(contents())) as Doc;
  edit(doc);
  return JSON.stringify(doc);
}

const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function errorOf(text: string, opts?: { maxBytes?: number }): string {
  try {
    parseModelFile(text, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as Error).message;
  }
  throw new Error('expected parseModelFile to throw');
}

describe('model file', () => {
  it('carries a training history and a session record through a round trip', () => {
    const c: ModelFileContents = {
      ...contents(),
      history: {
        lossBlock: 10,
        loss: [1, 0.5, null],
        evals: [{ step: 10, metrics: { 'test.mse': 2, x: null } }],
      },
      session: {
        step: 30,
        optimizer: {
          options: { kind: 'adamw' },
          counts: { L: 30 },
          m: { L: { shape: [1], data: [0.25] } },
          v: { L: { shape: [1], data: [1e-9] } },
        },
        loss: [{ step: 10, loss: 0.3 }],
        evals: [{ step: 30, metrics: { mse: 0.1 } }],
        page: { link: 'v=1&align=start' },
      },
    };
    const back = parseModelFile(serializeModel(c));
    expect(back.history).toEqual(c.history);
    expect(back.session).toEqual(c.session);
    const broken = edited((d) => {
      d.session = { step: -1, loss: [], evals: [] };
    });
    expect(errorOf(broken)).toMatch(/session/);
  });

  it('round-trips every kind bit-exactly, including edge float32 values', () => {
    for (const kind of ['nmrnn', 'lrrnn', 'rnn', 'lstm'] as const) {
      const c = contents(defaultModelConfig(kind, kind === 'nmrnn' ? { feedback: true } : {}));
      const first = Object.values(c.params)[0].data;
      first.set([-0, 1.401298464324817e-45, 3.4028234663852886e38, -1.1754943508222875e-38, 0.1]);
      const text = serializeModel(c);
      const back = parseModelFile(text);
      expect(Object.keys(back.params)).toEqual(Object.keys(c.params));
      for (const [name, p] of Object.entries(c.params)) {
        expect(back.params[name].shape).toEqual(p.shape);
        expect(bits(back.params[name].data)).toEqual(bits(p.data));
      }
      expect(back.config).toEqual(c.config);
      expect(back.metrics).toEqual(c.metrics);
      expect(back.seeds).toEqual(c.seeds);
      expect(back.createdWith).toEqual(c.createdWith);
    }
  });

  it('writes the DESIGN.md layout with row-major data and NaN metrics as null', () => {
    const c = contents();
    c.metrics = { loss: NaN };
    const doc = JSON.parse(serializeModel(c));
    expect(doc.format).toBe('nmrnn-playground/model');
    expect(doc.version).toBe(1);
    expect(doc.params.L.shape).toEqual([100, 3]);
    expect(doc.params.C.shape).toEqual([1, 100]);
    expect(Math.fround(doc.params.L.data[1])).toBe(c.params.L.data[1]);
    expect(doc.metrics.loss).toBeNull();
  });

  it('says what is wrong with each kind of malformed file', () => {
    const good = serializeModel(contents());
    expect(errorOf(good, { maxBytes: 1000 })).toMatch(
      new RegExp(`^model file is too large: .*\\(${good.length} bytes\\) \\(limit 1000 bytes\\)$`),
    );
    expect(errorOf('{"format": "nmrnn-playground/model",')).toMatch(
      /^model file is not valid JSON: /,
    );
    expect(errorOf(edited((d) => (d.format = 'keras')))).toBe(
      'not an NM-RNN Playground model file: "format" is "keras", expected "nmrnn-playground/model"',
    );
    expect(errorOf(edited((d) => (d.version = 2)))).toBe(
      'unsupported model file version 2 (this app reads version 1)',
    );
    expect(errorOf(edited((d) => delete d.params.V))).toBe(
      'parameter "V" is missing (expected shape [100,3])',
    );
    expect(
      errorOf(
        edited((d) => {
          d.params.L.shape = [3, 100];
        }),
      ),
    ).toBe('parameter "L" has shape [3,100], expected [100,3]');
    expect(errorOf(edited((d) => d.params.C.data.pop()))).toBe(
      'parameter "C" has 99 values, expected 100 for shape [1,100]',
    );
    // JSON has no NaN; an exporter that wrote one gives null (or 1e999 for Infinity).
    expect(errorOf(edited((d) => (d.params.Wz.data[17] = null)))).toBe(
      'parameter "Wz" value at index 17 is not a finite float32 number (null)',
    );
    expect(errorOf(good.replace(/("bz": \{"shape": \[3\], "data": \[)[^,]+/, '$11e999'))).toBe(
      'parameter "bz" value at index 0 is not a finite float32 number (Infinity)',
    );
    expect(
      errorOf(
        edited((d) => {
          d.params.bz.data[0] = 1e39; // finite double, Infinity as float32
        }),
      ),
    ).toBe('parameter "bz" value at index 0 is not a finite float32 number (1e+39)');
    expect(
      errorOf(
        edited((d) => {
          d.params.extra = { shape: [1], data: [0] };
        }),
      ),
    ).toBe('unknown parameter "extra" for a nmrnn model');
    expect(errorOf(edited((d) => (d.config.N = 5000)))).toMatch(
      /^invalid model config: config\.N: /,
    );
    expect(errorOf(edited((d) => (d.config.kind = 'gru')))).toMatch(
      /^invalid model config: config\.kind: /,
    );
    expect(errorOf(edited((d) => (d.config.Ux = 9)))).toBe(
      'invalid model config: config.Ux: must be ≤ U (3)',
    );
    expect(errorOf(edited((d) => (d.config.experiment = [1, 2])))).toMatch(
      /^invalid model config: config\.experiment: /,
    );
    expect(errorOf('[1, 2]')).toBe('model file is not a JSON object');
  });
});

describe('experiment files (core/io/experimentFile)', () => {
  it('keep a symmetric network symmetric (no V) through write and read', async () => {
    const preset = findPreset('mwg-nmrnn-rank1-symmetric')!;
    const model = createModel(createExperiment(preset.config).modelConfig, new Rng(1));
    const params = await model.toArrays();
    model.dispose();
    expect(params.V).toBeUndefined();
    const text = writeModelFile({
      config: preset.config,
      params,
      metrics: {},
      step: 3,
      backend: 'cpu',
    });
    const back = readModelFile(text);
    expect(back.config.model.symmetric).toBe(true);
    expect(modelMismatch(back.config, preset.config)).toBeUndefined();
    const { symmetric: _sym, ...free } = preset.config.model;
    expect(modelMismatch({ ...preset.config, model: free }, preset.config)).toMatch(/symmetric/);
  });

  it('keep the linear activation of a rank-1 theory model through write and read', () => {
    const preset = findPreset('mwg-nmrnn-rank1-linear')!;
    const model = createModel(createExperiment(preset.config).modelConfig, new Rng(1));
    return model.toArrays().then((params) => {
      model.dispose();
      const text = writeModelFile({
        config: preset.config,
        params,
        metrics: { mse: Number.NaN },
        step: 3,
        backend: 'cpu',
      });
      const back = readModelFile(text);
      expect(back.config.model.activation).toBe('linear');
      expect(modelMismatch(back.config, preset.config)).toBeUndefined();
      const doc = JSON.parse(text) as { createdWith: { app: string; version: string } };
      expect(doc.createdWith.app).toBe(APP_NAME);
      expect(doc.createdWith.version).toBe(APP_VERSION);
      // A tanh file is not the linear model: the mismatch says which field differs.
      const { activation: _linear, ...tanhModel } = preset.config.model;
      const tanh = { ...preset.config, model: tanhModel };
      expect(modelMismatch(tanh, preset.config)).toMatch(/activation/);
      expect(modelMismatch(preset.config, tanh)).toMatch(/activation/);
    });
  });
});
