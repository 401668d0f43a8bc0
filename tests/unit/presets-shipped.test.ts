/**
 * Every trained preset in public/presets must still reproduce the metrics recorded in it: the file
 * is parsed like an upload, the experiment rebuilt from config.experiment, and each eval set scored
 * again. Stale weights (a changed task, model or metric) fail here rather than in the gallery.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { parseModelFile } from '../../src/core/io/modelFile';
import { parseExperiment } from '../../src/core/config/schema';
import { createExperiment } from '../../src/core/experiment';
import { findPreset } from '../../src/core/config/presets';
import { modelFromArrays } from '../../src/core/models';
import type { ScanImpl } from '../../src/core/models/types';
import { evaluateModel } from '../../src/core/analysis';
import { PRESET_BUILD_PLAN } from '../../src/core/reproduce/presetPlan';

const DIR = join(__dirname, '../../public/presets');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** Relative tolerance: the same implementation on the same backend differs only in summation order. */
const REL = 1e-4;
const ABS = 1e-9;

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFusedKernels();
});

describe('shipped presets', () => {
  it('are exactly the presets the build plan ships', () => {
    const expected = PRESET_BUILD_PLAN.map((b) => `${b.name}.json`).sort();
    expect(files).toEqual(expected);
  });

  it.each(files)('%s reproduces its recorded metrics', async (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const contents = parseModelFile(text);
    const parsed = parseExperiment(contents.config.experiment);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const name = file.replace(/\.json$/, '');
    const preset = findPreset(name);
    expect(preset, `no gallery preset named ${name}`).toBeDefined();
    // The shipped config is the preset's own, apart from the step count the build recorded.
    expect({ ...parsed.config, training: { ...parsed.config.training, steps: 0 } }).toEqual({
      ...preset!.config,
      training: { ...preset!.config.training, steps: 0 },
    });
    expect(contents.createdWith.steps).toBe(parsed.config.training.steps);

    const exp = createExperiment(parsed.config);
    const { experiment: _experiment, ...modelConfig } = contents.config;
    expect(modelConfig).toEqual(exp.modelConfig);
    const model = modelFromArrays(exp.modelConfig, contents.params);
    const impl = (contents.createdWith.impl as ScanImpl | undefined) ?? 'fused';
    try {
      const recomputed: Record<string, number> = {};
      for (const set of exp.evalSets) {
        const ev = await evaluateModel(model, set.batch, { impl });
        for (const [k, v] of Object.entries(exp.metrics(set, ev.outputs.data))) {
          recomputed[`${set.name}.${k}`] = v;
        }
        recomputed[`${set.name}.loss`] = ev.loss;
      }
      expect(Object.keys(contents.metrics).sort()).toEqual(Object.keys(recomputed).sort());
      for (const [key, recorded] of Object.entries(contents.metrics)) {
        const now = recomputed[key];
        if (recorded === null) {
          expect(Number.isFinite(now), `${key} was n/a, now ${now}`).toBe(false);
          continue;
        }
        expect(typeof recorded).toBe('number');
        const tol = Math.max(ABS, REL * Math.abs(recorded as number));
        expect(
          Math.abs(now - (recorded as number)),
          `${key}: recorded ${recorded}, now ${now}`,
        ).toBeLessThanOrEqual(tol);
      }
    } finally {
      model.dispose();
    }
  });
});
