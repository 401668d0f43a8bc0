import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { clampAblation, proAntiSplit } from '../../src/core/reproduce/analyses';
import { analyzeRank1, rank1Geometry, linearFit } from '../../src/core/reproduce/rank1';
import { blockMeans, median, spread } from '../../src/core/reproduce/stats';
import { spliceSection, sectionMarkers } from '../../src/core/reproduce/report';
import { findPreset } from '../../src/core/config/presets';
import { trainRun } from '../../src/core/reproduce/trainRun';
import { disposeRun } from '../../src/core/train/run';
import { cognitiveTestSet } from '../../src/core/tasks';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFusedKernels();
});

describe('stats', () => {
  it('median and spread ignore NaN and handle even counts', () => {
    expect(median([3, 1, NaN, 2, 10])).toBe(2.5);
    expect(spread([NaN, NaN])).toMatchObject({ n: 0 });
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
  });
  it('blockMeans averages consecutive blocks', () => {
    expect(blockMeans([1, 3, 5, 7, 9], 2)).toEqual([2, 6, 9]);
  });
});

describe('report sections', () => {
  it('splice replaces the marked block and leaves the rest alone', () => {
    const { start, end } = sectionMarkers('mwg');
    const doc = `intro\n${start}\nold\n${end}\noutro\n`;
    const out = spliceSection(doc, 'mwg', 'new');
    expect(out).toBe(`intro\n${start}\nnew\n${end}\noutro\n`);
    expect(spliceSection('x', 'eft', 'y')).toContain(`${sectionMarkers('eft').start}\ny\n`);
  });
});

describe('mwg ablation', () => {
  it('clampAblation leaves the other components off', () => {
    expect(clampAblation(3, 1)).toEqual([
      { mode: 'off', value: 0 },
      { mode: 'clamp', value: 0 },
      { mode: 'off', value: 0 },
    ]);
  });
});

describe('rank-1 analysis', () => {
  it('compares s over each ramp, steps go+1 … go+I, with the exact and the reduced theory', async () => {
    for (const name of ['mwg-nmrnn-rank1', 'mwg-nmrnn-rank1-linear', 'mwg-nmrnn-rank1-symmetric']) {
      const run = await trainRun(findPreset(name)!.config, { steps: 1 });
      try {
        const a = await analyzeRank1(run.model, run.experiment, run.impl);
        expect(a.activation).toBe(name === 'mwg-nmrnn-rank1' ? 'tanh' : 'linear');
        // V ≡ L̃ of unit length: the right factor reads exactly what the left one writes.
        if (name.endsWith('symmetric')) expect(a.rDotL).toBeCloseTo(1, 5);
        else expect(Math.abs(a.rDotL - 1)).toBeGreaterThan(1e-3);
        expect(a.intervals).toHaveLength(12);
        const p = a.intervals[0];
        expect(p.trained).toHaveLength(p.interval);
        expect(p.theory).toHaveLength(p.interval);
        expect(p.trained.every((s) => s > 0 && s < 1)).toBe(true);
        expect(Number.isFinite(a.rmse)).toBe(true);
        expect(Number.isFinite(a.rmseReduced)).toBe(true);
        expect(a.outOfRange).toBeGreaterThanOrEqual(0);
        expect(a.outOfRange).toBeLessThanOrEqual(1);
      } finally {
        disposeRun(run);
      }
    }
  });

  it('linearFit recovers an intercept and slope', () => {
    const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(f.c).toBeCloseTo(2);
    expect(f.d).toBeCloseTo(1);
    expect(f.r2).toBeCloseTo(1);
  });

  it('rank1Geometry normalises L', () => {
    expect(rank1Geometry(Float32Array.from([3, 4]), Float32Array.from([1, 2])).rDotL).toBeCloseTo(
      (3 + 8) / 5,
    );
  });
});

describe('multitask Pro/Anti split', () => {
  it('proAntiSplit finds the PC along which Pro and Anti trials differ', () => {
    const batch = cognitiveTestSet(1, 6, ['delayPro', 'delayAnti']);
    const { B, T } = batch;
    const N = 3;
    const x = new Float32Array(B * T * N);
    for (let b = 0; b < B; b++) {
      const anti = batch.meta[b].values.task === 1;
      for (let t = 0; t < T; t++) {
        const i = (b * T + t) * N;
        x[i] = 10 * Math.sin(t / 5 + b); // large, task-blind variance: PC 1
        x[i + 1] = (anti ? 1 : -1) + 0.01 * Math.cos(t + b); // the Pro/Anti split
        x[i + 2] = 0.001 * Math.sin(3 * t * b);
      }
    }
    const split = proAntiSplit(x, batch, N, 3);
    expect(split.bestPc).toBe(2);
    expect(split.dPrime[1]).toBeGreaterThan(10);
  });
});
