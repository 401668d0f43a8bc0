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
import { PRESET_SOURCES } from '../../src/core/reproduce/presetSources';
import { presetSummary } from '../../src/core/config/presetResults';

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
  it('each belongs to a preset source, and each built one to its gallery summary', () => {
    const known = PRESET_SOURCES.map((s) => `${s.name}.json`);
    for (const f of files) expect(known).toContain(f);
    for (const f of files) {
      const name = f.replace(/\.json$/, '');
      const doc = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as {
        createdWith: { job?: string };
      };
      if (doc.createdWith.job !== undefined)
        expect(presetSummary(name)?.job).toBe(doc.createdWith.job);
    }
  });

  it.each(files)('%s does its task, or its card says by how much it falls short', (file) => {
    const name = file.replace(/\.json$/, '');
    const doc = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as {
      metrics: Record<string, number | null>;
      createdWith: { job?: string };
      history?: { loss: unknown[] };
    };
    const source = PRESET_SOURCES.find((s) => s.name === name)!;
    const summary = presetSummary(name);
    expect(doc.createdWith.job, `${name} was not built from a reproduction job`).toBeDefined();
    expect(doc.history?.loss.length ?? 0).toBeGreaterThan(0);
    expect(summary?.shortfall).toBe(source.bar?.(doc.metrics));
  });

  it.each(files)('%s reproduces its recorded metrics', async (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const contents = parseModelFile(text);
    const parsed = parseExperiment(contents.config.experiment);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const name = file.replace(/\.json$/, '');
    const preset = findPreset(name);
    expect(preset, `no gallery preset named ${name}`).toBeDefined();
    // The shipped model is the preset's model; its training settings are the job's (recorded).
    expect(parsed.config.model).toEqual(preset!.config.model);
    expect(parsed.config.task.family).toBe(preset!.config.task.family);
    expect(contents.createdWith.steps).toBeGreaterThan(0);

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
