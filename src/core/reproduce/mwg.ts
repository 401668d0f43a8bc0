/**
 * Experiment 1 (science.md §2.1, §5): the four parameter-matched MWG models, K seeds each. For
 * every run: MSE on the trained (12–18) and extrapolated (4–10, 20–26) intervals of the evaluation
 * set, the produced interval of every evaluated interval, and for the NM-RNN the s(t) ablation
 * (each s_k clamped to 0 for the whole trial, no retraining).
 */
import { findPreset } from '../config/presets';
import { withOverrides } from '../config/schema';
import { evaluateModel } from '../analysis';
import { mwgMetrics } from '../tasks';
import type { Ablation } from '../models/types';
import { spread, type Spread } from './stats';
import {
  disposeRun,
  runSummary,
  trainRun,
  type ProgressFn,
  type RunSummary,
  type TrainRun,
} from './trainRun';

export const MWG_MODELS = [
  { label: 'NM-RNN', preset: 'mwg-nmrnn' },
  { label: 'LR-RNN', preset: 'mwg-lrrnn' },
  { label: 'RNN', preset: 'mwg-rnn' },
  { label: 'LSTM', preset: 'mwg-lstm' },
] as const;

export interface MwgBehaviour {
  mseTrained: number;
  mseExtrapolated: number;
  /** Per evaluated interval, in the order of `intervals`. */
  produced: number[];
  mse: number[];
}

export interface MwgAblation extends MwgBehaviour {
  /** Component clamped to 0. */
  k: number;
}

export interface MwgSeedRun extends MwgBehaviour, RunSummary {
  ablations?: MwgAblation[];
  /** Outputs [B, T] of the evaluation set (for figures); intact, then one per ablation. */
  outputs?: number[][][];
}

export interface MwgModelResult {
  label: string;
  preset: string;
  kind: string;
  N: number;
  paramCount: number;
  lr: number;
  runs: MwgSeedRun[];
  mseTrained: Spread;
  mseExtrapolated: Spread;
  /** Median produced interval over seeds, per evaluated interval. */
  producedMedian: number[];
}

export interface MwgResult {
  experiment: 'mwg';
  steps: number;
  seeds: number[];
  intervals: number[];
  trainedIntervals: number[];
  models: MwgModelResult[];
}

export interface MwgOptions {
  seeds: number[];
  steps: number;
  /** Restrict to some of MWG_MODELS (by label); default all four. */
  models?: readonly string[];
  onProgress?: ProgressFn;
  progressEvery?: number;
}

async function behaviourOf(
  run: TrainRun,
  ablation?: Ablation,
): Promise<MwgBehaviour & { y: Float32Array }> {
  const set = run.experiment.evalSets.find((s) => s.name === 'extrapolate');
  if (!set) throw new Error('MWG experiment has no extrapolation set');
  const ev = await evaluateModel(run.model, set.batch, { impl: run.impl, ablation });
  const m = mwgMetrics(set.batch, ev.outputs.data);
  return {
    mseTrained: m.mseByGroup.trained,
    mseExtrapolated: m.mseByGroup.extrapolated,
    produced: m.produced,
    mse: m.mse,
    y: ev.outputs.data,
  };
}

/** Clamp component k of s to 0 for the whole trial, leave the others alone. */
export function clampAblation(K: number, k: number, value = 0): Ablation {
  return Array.from({ length: K }, (_, j) =>
    j === k ? { mode: 'clamp' as const, value } : { mode: 'off' as const, value: 0 },
  );
}

const rows = (y: Float32Array, B: number): number[][] => {
  const T = y.length / B;
  return Array.from({ length: B }, (_, b) => Array.from(y.subarray(b * T, (b + 1) * T)));
};

export async function runMwg(opts: MwgOptions): Promise<MwgResult> {
  const chosen = MWG_MODELS.filter((m) => !opts.models || opts.models.includes(m.label));
  const models: MwgModelResult[] = [];
  let intervals: number[] = [];
  let trainedIntervals: number[] = [];
  for (const spec of chosen) {
    const preset = findPreset(spec.preset);
    if (!preset) throw new Error(`missing preset ${spec.preset}`);
    const runs: MwgSeedRun[] = [];
    let paramCount = 0;
    for (const seed of opts.seeds) {
      const config = withOverrides(preset.config, {
        seeds: { init: seed, data: seed },
        training: { steps: opts.steps },
      });
      trainedIntervals = config.task.mwg.trainIntervals;
      const run = await trainRun(config, {
        steps: opts.steps,
        label: `${spec.label} seed ${seed}`,
        onProgress: opts.onProgress,
        progressEvery: opts.progressEvery,
      });
      try {
        paramCount = run.model.paramCount();
        const set = run.experiment.evalSets.find((s) => s.name === 'extrapolate');
        intervals = set ? set.batch.meta.map((m) => m.values.interval) : [];
        const intact = await behaviourOf(run);
        const outputs = [rows(intact.y, intervals.length)];
        let ablations: MwgAblation[] | undefined;
        if (run.experiment.modelConfig.kind === 'nmrnn') {
          ablations = [];
          const K = run.experiment.modelConfig.R;
          for (let k = 0; k < K; k++) {
            const ab = await behaviourOf(run, clampAblation(K, k));
            outputs.push(rows(ab.y, intervals.length));
            ablations.push({
              k,
              mseTrained: ab.mseTrained,
              mseExtrapolated: ab.mseExtrapolated,
              produced: ab.produced,
              mse: ab.mse,
            });
          }
        }
        runs.push({
          ...runSummary(run, seed),
          mseTrained: intact.mseTrained,
          mseExtrapolated: intact.mseExtrapolated,
          produced: intact.produced,
          mse: intact.mse,
          ablations,
          outputs,
        });
      } finally {
        disposeRun(run);
      }
    }
    models.push({
      label: spec.label,
      preset: spec.preset,
      kind: preset.config.model.kind,
      N: preset.config.model.N,
      paramCount,
      lr: preset.config.training.lr,
      runs,
      mseTrained: spread(runs.map((r) => r.mseTrained)),
      mseExtrapolated: spread(runs.map((r) => r.mseExtrapolated)),
      producedMedian: intervals.map((_, i) => spread(runs.map((r) => r.produced[i])).median),
    });
  }
  return {
    experiment: 'mwg',
    steps: opts.steps,
    seeds: opts.seeds,
    intervals,
    trainedIntervals,
    models,
  };
}
