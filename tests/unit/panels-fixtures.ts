/** Small, deterministic EvalViews built from the real task generators, for the panel tests. */
import type { EvalView } from '../../src/worker/protocol';
import { cognitiveTestSet, eftTestSet, mwgEvalSet } from '../../src/core/tasks';
import type { TaskBatch } from '../../src/core/tasks/types';
import { scoreBehaviour } from '../../src/core/analysis/behaviour';

/** s(t) with a different smooth shape per component, so traces are distinguishable. */
function fakeS(B: number, T: number, K: number, shift = 0): Float32Array {
  const s = new Float32Array(B * T * K);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let k = 0; k < K; k++)
        s[(b * T + t) * K + k] = 0.5 + 0.4 * Math.sin((t + b + shift) / (5 + k));
  return s;
}

function fakePca(B: number, T: number): Float32Array {
  const p = new Float32Array(B * T * 3);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const i = (b * T + t) * 3;
      p[i] = Math.cos(t / 10) * (1 + b / 10);
      p[i + 1] = Math.sin(t / 10);
      p[i + 2] = t / T;
    }
  return p;
}

export function viewFromBatch(
  batch: TaskBatch,
  opts: { K?: number; ablated?: boolean; setName?: string } = {},
): EvalView {
  const K = opts.K ?? 3;
  const { B, T, U, O } = batch;
  const outputs = Float32Array.from(batch.targets, (v, i) => v + 0.02 * Math.sin(i));
  const view: EvalView = {
    family: batch.family,
    setName: opts.setName ?? 'test',
    step: 100,
    B,
    T,
    U,
    O,
    K,
    meta: batch.meta,
    inputs: batch.inputs,
    targets: batch.targets,
    outputs,
    s: K > 0 ? fakeS(B, T, K) : undefined,
    metrics: { 'mse.trained': 0.01, 'mse.extrapolated': 0.05 },
    behaviour: scoreBehaviour(batch, outputs),
    pca: { explained: [0.41, 0.22, 0.09, 0.05], intact: fakePca(B, T) },
  };
  if (opts.ablated) {
    const ablatedOutputs = Float32Array.from(outputs, (v) => v * 0.5 - 0.2);
    view.ablated = {
      outputs: ablatedOutputs,
      s: K > 0 ? fakeS(B, T, K, 7) : undefined,
      metrics: { 'mse.trained': 0.2, 'mse.extrapolated': 0.4 },
      behaviour: scoreBehaviour(batch, ablatedOutputs),
    };
    view.pca = { ...view.pca!, ablated: fakePca(B, T).map((v) => v * 0.8) };
  }
  return view;
}

export const mwgView = (opts?: Parameters<typeof viewFromBatch>[1]) =>
  viewFromBatch(mwgEvalSet(), { setName: 'extrapolate', ...opts });
export const cognitiveView = (opts?: Parameters<typeof viewFromBatch>[1]) =>
  viewFromBatch(cognitiveTestSet(1, 5, ['delayPro', 'delayAnti', 'memoryPro']), opts);
export const eftView = (opts?: Parameters<typeof viewFromBatch>[1]) =>
  viewFromBatch(eftTestSet(1, 60), { K: 8, ...opts });
