/**
 * Analyses the reproduction jobs run on a trained model beyond its task metrics: the MWG ablation
 * (docs/SCIENCE.md §4) and the multitask Pro/Anti split along a principal component of x.
 */
import { fitPca, projectPca } from '../analysis';
import type { Ablation } from '../models/types';
import { COGNITIVE_TASKS, isAntiTask, type TaskBatch } from '../tasks';

/** Clamp component k of s to 0 for the whole trial, leave the others alone. */
export function clampAblation(K: number, k: number, value = 0): Ablation {
  return Array.from({ length: K }, (_, j) =>
    j === k ? { mode: 'clamp' as const, value } : { mode: 'off' as const, value: 0 },
  );
}

export interface ProAntiSplit {
  /** 1-based index of the PC of x that best separates Pro from Anti trials. */
  bestPc: number;
  /** d′ (|mean difference| / pooled s.d. of trial-mean projections) for PCs 1…k. */
  dPrime: number[];
  /** Cumulative variance explained by PCs 1…k. */
  cumulative: number[];
}

/**
 * Which principal component of x separates Pro from Anti trials (docs/SCIENCE.md §4: PC 5 in the paper).
 * Each trial contributes its projection averaged over the trial (the context is on all trial).
 */
export function proAntiSplit(x: Float32Array, batch: TaskBatch, N: number, k = 10): ProAntiSplit {
  const fit = fitPca(x, N, { components: k });
  const scores = projectPca(fit, x);
  const kk = fit.components.length;
  const { B, T } = batch;
  const dPrime: number[] = [];
  for (let j = 0; j < kk; j++) {
    const pro: number[] = [];
    const anti: number[] = [];
    for (let b = 0; b < B; b++) {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += scores[(b * T + t) * kk + j];
      const task = COGNITIVE_TASKS[batch.meta[b].values.task];
      (isAntiTask(task) ? anti : pro).push(sum / T);
    }
    const m = (v: number[]) => v.reduce((a, c) => a + c, 0) / v.length;
    const varOf = (v: number[], mu: number) =>
      v.reduce((a, c) => a + (c - mu) ** 2, 0) / Math.max(1, v.length - 1);
    const mp = m(pro);
    const ma = m(anti);
    const pooled = Math.sqrt((varOf(pro, mp) + varOf(anti, ma)) / 2);
    dPrime.push(pooled > 0 ? Math.abs(mp - ma) / pooled : NaN);
  }
  let best = 0;
  dPrime.forEach((d, j) => {
    if (d > dPrime[best]) best = j;
  });
  return { bestPc: best + 1, dPrime, cumulative: fit.cumulative.slice(0, kk) };
}
