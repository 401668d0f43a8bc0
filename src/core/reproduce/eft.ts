/**
 * Experiment 3 (science.md §2.3, §5): the Element Finder Task at ~500 parameters. NM-RNNs with
 * feedback at three shapes, the LSTM (N10) and a vanilla RNN of matched size, K seeds each: final
 * MSE on the fixed 500-trial test set against chance (36.67), and MSE by query position.
 */
import { findPreset } from '../config/presets';
import { withOverrides } from '../config/schema';
import { evaluateModel } from '../analysis';
import { eftMetrics } from '../tasks';
import { spread, type Spread } from './stats';
import { disposeRun, runSummary, trainRun, type ProgressFn, type RunSummary } from './trainRun';

export const EFT_MODELS = [
  { label: 'NM-RNN (M5, N18, R8)', preset: 'eft-nmrnn' },
  { label: 'NM-RNN (M5, N13, R12)', preset: 'eft-nmrnn-n13r12' },
  { label: 'NM-RNN (M10, N12, R7)', preset: 'eft-nmrnn-m10' },
  { label: 'LSTM (N10)', preset: 'eft-lstm' },
  { label: 'RNN (N21)', preset: 'eft-rnn' },
] as const;

export interface EftSeedRun extends RunSummary {
  mse: number;
  accuracy: number;
  mseByQuery: number[];
  /** Training loss averaged over blocks of `lossBlock` steps (the learning curve, small). */
  lossCurve: number[];
}

export interface EftModelResult {
  label: string;
  preset: string;
  paramCount: number;
  runs: EftSeedRun[];
  mse: Spread;
  /** Median over seeds of the MSE at each query position. */
  mseByQueryMedian: number[];
}

export interface EftResult {
  experiment: 'eft';
  steps: number;
  seeds: number[];
  chanceMse: number;
  lossBlock: number;
  models: EftModelResult[];
}

/** Mean of consecutive blocks of `block` values (the last block may be shorter). */
export function blockMeans(values: readonly number[], block: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += block) {
    const part = values.slice(i, i + block);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}

export async function runEft(opts: {
  seeds: number[];
  steps: number;
  models?: readonly string[];
  onProgress?: ProgressFn;
  progressEvery?: number;
}): Promise<EftResult> {
  const lossBlock = Math.max(1, Math.round(opts.steps / 50));
  const chosen = EFT_MODELS.filter((m) => !opts.models || opts.models.includes(m.preset));
  const models: EftModelResult[] = [];
  let chanceMse = NaN;
  for (const spec of chosen) {
    const preset = findPreset(spec.preset);
    if (!preset) throw new Error(`missing preset ${spec.preset}`);
    const runs: EftSeedRun[] = [];
    let paramCount = 0;
    for (const seed of opts.seeds) {
      const config = withOverrides(preset.config, {
        seeds: { init: seed, data: seed },
        training: { steps: opts.steps },
      });
      const run = await trainRun(config, {
        steps: opts.steps,
        label: `${spec.label} seed ${seed}`,
        onProgress: opts.onProgress,
        progressEvery: opts.progressEvery,
      });
      try {
        paramCount = run.model.paramCount();
        const set = run.experiment.evalSets[0];
        const ev = await evaluateModel(run.model, set.batch, { impl: run.impl });
        const m = eftMetrics(set.batch, ev.outputs.data);
        chanceMse = m.chanceMse;
        runs.push({
          ...runSummary(run, seed),
          mse: m.mse,
          accuracy: m.accuracy,
          mseByQuery: m.mseByQuery,
          lossCurve: blockMeans(run.losses, lossBlock),
        });
      } finally {
        disposeRun(run);
      }
    }
    const Q = runs[0]?.mseByQuery.length ?? 0;
    models.push({
      label: spec.label,
      preset: spec.preset,
      paramCount,
      runs,
      mse: spread(runs.map((r) => r.mse)),
      mseByQueryMedian: Array.from(
        { length: Q },
        (_, q) => spread(runs.map((r) => r.mseByQuery[q])).median,
      ),
    });
  }
  return { experiment: 'eft', steps: opts.steps, seeds: opts.seeds, chanceMse, lossBlock, models };
}
