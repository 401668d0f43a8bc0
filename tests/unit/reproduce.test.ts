import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFusedKernels } from '../../src/core/kernels/register';
import { runMwg, clampAblation } from '../../src/core/reproduce/mwg';
import { runRank1, rank1Geometry, linearFit } from '../../src/core/reproduce/rank1';
import { runEft, blockMeans } from '../../src/core/reproduce/eft';
import { runMultitask, proAntiSplit } from '../../src/core/reproduce/multitask';
import { median, spread } from '../../src/core/reproduce/stats';
import {
  mwgSection,
  rank1Section,
  eftSection,
  multitaskSection,
  spliceSection,
  sectionMarkers,
  type RunInfo,
} from '../../src/core/reproduce/report';
import { mwgRampTheory } from '../../src/core/analysis';
import { cognitiveTestSet } from '../../src/core/tasks';

const info: RunInfo = { command: 'test', machine: 'test', wallSeconds: 1, date: '2000-01-01' };

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

describe('mwg experiment (tiny)', () => {
  it('scores every evaluation interval and ablates each s_k of the NM-RNN', async () => {
    const r = await runMwg({ seeds: [0], steps: 2, models: ['NM-RNN'] });
    expect(r.intervals).toEqual([4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26]);
    const nm = r.models[0];
    expect(nm.paramCount).toBe(1059);
    expect(nm.runs[0].steps).toBe(2);
    expect(nm.runs[0].produced).toHaveLength(12);
    expect(nm.runs[0].ablations?.map((a) => a.k)).toEqual([0, 1, 2]);
    // Clamping an s_k to 0 must change the behaviour (else the ablation did not reach s).
    const changed = nm.runs[0].ablations!.some(
      (a) => Math.abs(a.mseTrained - nm.runs[0].mseTrained) > 1e-6,
    );
    expect(changed).toBe(true);
    expect(mwgSection(r, info)).toContain('| NM-RNN (N100) | 1059 |');
  });

  it('clampAblation leaves the other components off', () => {
    expect(clampAblation(3, 1)).toEqual([
      { mode: 'off', value: 0 },
      { mode: 'clamp', value: 0 },
      { mode: 'off', value: 0 },
    ]);
  });
});

describe('rank-1 experiment (tiny)', () => {
  it('compares s over each ramp with the theory computed from the trained d and rᵀℓ', async () => {
    const r = await runRank1({ seeds: [0], steps: 1 });
    const run = r.runs[0];
    expect(run.intervals).toHaveLength(12);
    const p = run.intervals[0];
    expect(p.trained).toHaveLength(p.interval);
    expect(p.theory).toEqual(
      Array.from(mwgRampTheory(p.interval, { tauX: 10, d: run.dEff, rDotL: run.rDotL }).s),
    );
    expect(p.trained.every((s) => s > 0 && s < 1)).toBe(true);
    expect(rank1Section(r, info)).toContain('rᵀℓ');
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

describe('eft experiment (tiny)', () => {
  it('reports the final MSE and MSE by each of the 25 query positions', async () => {
    const r = await runEft({ seeds: [0], steps: 2, models: ['eft-nmrnn'] });
    expect(r.chanceMse).toBeCloseTo(36.67, 1);
    expect(r.models[0].paramCount).toBe(497);
    expect(r.models[0].mseByQueryMedian).toHaveLength(25);
    expect(eftSection(r, info)).toContain('NM-RNN (M5, N18, R8)');
  });
});

describe('multitask experiment (tiny)', () => {
  it('retrains only the NM subnetwork of the NM-RNN on Memory Anti', async () => {
    const r = await runMultitask({ seeds: [0], steps: 1, retrainSteps: 1, models: ['NM-RNN'] });
    const run = r.models[0].runs[0];
    expect(run.retrainedGroup).toBe('nm');
    expect(run.retrainedParams.sort()).toEqual(['Az', 'Bz', 'Wz', 'bz']);
    expect(Object.keys(run.after).sort()).toEqual(
      ['delayAnti', 'delayPro', 'memoryAnti', 'memoryPro'].sort(),
    );
    expect(run.proAnti?.dPrime.length).toBe(10);
    expect(multitaskSection(r, info)).toContain('Memory Anti');
  });

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
