/**
 * Element Finder Task (docs/SCIENCE.md §2.3): one input channel carries the sequence
 * [q, v_0, …, v_{L−1}] as raw numbers (T = L + 1); the network must output v_q at the final step.
 * Only the final step is scored (mask 1 there, 0 elsewhere; targets elsewhere are 0).
 */
import { Rng } from '../random';
import type { TaskBatch } from './types';
import { assertOutputShape, buildBatch, emptyTrial } from './trial';
import type { SingleTrial, TrialArrays } from './trial';

export interface EftOptions {
  /** Number of values L; the trial has T = L + 1 steps. */
  length: number;
  /** Values are uniform integers in [vMin, vMax]. */
  vMin: number;
  vMax: number;
}

export const DEFAULT_EFT_OPTIONS: Readonly<EftOptions> = Object.freeze({
  length: 25,
  vMin: -10,
  vMax: 10,
});

export const EFT_INPUT_CHANNELS = ['sequence'] as const;
export const EFT_OUTPUT_CHANNELS = ['output'] as const;
export const EFT_CUES = ['query', 'element', 'readout'] as const;
/** A prediction counts as accurate when it rounds to the right integer. */
export const EFT_ACCURACY_TOLERANCE = 0.5;

export function resolveEftOptions(opts: Partial<EftOptions> = {}): EftOptions {
  const o = { ...DEFAULT_EFT_OPTIONS, ...opts };
  if (!Number.isInteger(o.length) || o.length < 1)
    throw new RangeError(`EFT length must be ≥ 1, got ${o.length}`);
  if (!Number.isInteger(o.vMin) || !Number.isInteger(o.vMax) || o.vMin > o.vMax) {
    throw new RangeError(
      `EFT value range [${o.vMin}, ${o.vMax}] must be integers with vMin ≤ vMax`,
    );
  }
  return o;
}

export const eftTrialLength = (opts: Partial<EftOptions> = {}): number =>
  resolveEftOptions(opts).length + 1;

/**
 * Reference MSEs of input-blind predictors, computed analytically for n = vMax − vMin + 1 uniform
 * integers: `best` is predicting the mean (MSE = variance = (n² − 1)/12) and `zero` is always
 * predicting 0 (MSE = variance + mean²), the paper's "chance". They agree for a symmetric range
 * (36.67 for [−10, 10]).
 */
export function eftChanceMse(opts: Partial<EftOptions> = {}): { best: number; zero: number } {
  const o = resolveEftOptions(opts);
  const n = o.vMax - o.vMin + 1;
  const mean = (o.vMin + o.vMax) / 2;
  const variance = (n * n - 1) / 12;
  return { best: variance, zero: variance + mean * mean };
}

/**
 * One trial with query q and values v (exposed so tests and demos can build specific trials). The
 * value range is recorded in the meta so metrics can compute chance without extra arguments.
 * Written into `into` where given (a batch's rows, trial.ts buildBatch).
 */
export function eftTrial(
  q: number,
  values: readonly number[],
  range: Pick<EftOptions, 'vMin' | 'vMax'> = DEFAULT_EFT_OPTIONS,
  into?: TrialArrays,
): SingleTrial {
  const L = values.length;
  if (!Number.isInteger(q) || q < 0 || q >= L)
    throw new RangeError(`EFT query ${q} outside 0..${L - 1}`);
  const T = L + 1;
  const target = values[q];
  const trial = emptyTrial(
    T,
    1,
    1,
    {
      label: `q=${q}`,
      condition: q,
      cues: { query: 0, element: q + 1, readout: T - 1 },
      values: { q, target, vMin: range.vMin, vMax: range.vMax },
    },
    into,
  );
  trial.inputs[0] = q;
  for (let i = 0; i < L; i++) trial.inputs[i + 1] = values[i];
  trial.targets[T - 1] = target;
  trial.mask[T - 1] = 1;
  return trial;
}

/** B fresh random trials: q uniform in 0..L−1, each v_i uniform in vMin..vMax. */
export function eftSample(
  rng: Rng,
  B: number,
  opts: Partial<EftOptions> = {},
  reuse?: TaskBatch,
): TaskBatch {
  const o = resolveEftOptions(opts);
  const values: number[] = new Array<number>(o.length);
  return buildBatch(
    'eft',
    B,
    { T: o.length + 1, U: 1, O: 1 },
    (into) => {
      const q = rng.int(0, o.length - 1);
      for (let i = 0; i < o.length; i++) values[i] = rng.int(o.vMin, o.vMax);
      return eftTrial(q, values, o, into);
    },
    reuse,
  );
}

/** A deterministic test batch for `seed` (its own stream, independent of training batches). */
export function eftTestSet(seed: number, B: number, opts: Partial<EftOptions> = {}): TaskBatch {
  return eftSample(new Rng(seed).stream('eft-test'), B, opts);
}

export interface EftMetrics {
  /** Mean squared error at the final step over the batch. */
  mse: number;
  /** Best input-blind MSE (predict the mean); 36.67 by default. */
  chanceMse: number;
  /** MSE of always answering 0 (the paper's "chance"); equals chanceMse for symmetric ranges. */
  zeroMse: number;
  /** Fraction of trials with |prediction − target| < 0.5. */
  accuracy: number;
  /** Final-step MSE by query position q (length L; NaN where no trial queried q). */
  mseByQuery: number[];
  /** Per trial: final-step prediction and target. */
  predictions: number[];
  targets: number[];
}

export function eftMetrics(batch: TaskBatch, outputs: Float32Array): EftMetrics {
  assertOutputShape(batch, outputs);
  const { B, T, O } = batch;
  const L = T - 1;
  const first = batch.meta[0]?.values;
  const chance = eftChanceMse(
    first ? { length: L, vMin: first.vMin, vMax: first.vMax } : { length: Math.max(1, L) },
  );
  const sums = new Float64Array(L);
  const counts = new Uint32Array(L);
  const predictions: number[] = [];
  const targets: number[] = [];
  let total = 0;
  let hits = 0;
  for (let b = 0; b < B; b++) {
    const pred = outputs[(b * T + T - 1) * O];
    const target = batch.targets[(b * T + T - 1) * O];
    const err = (pred - target) ** 2;
    predictions.push(pred);
    targets.push(target);
    total += err;
    if (Math.abs(pred - target) < EFT_ACCURACY_TOLERANCE) hits++;
    const q = batch.meta[b].values.q;
    sums[q] += err;
    counts[q]++;
  }
  return {
    mse: B > 0 ? total / B : Number.NaN,
    chanceMse: chance.best,
    zeroMse: chance.zero,
    accuracy: B > 0 ? hits / B : Number.NaN,
    mseByQuery: Array.from(sums, (s, q) => (counts[q] > 0 ? s / counts[q] : Number.NaN)),
    predictions,
    targets,
  };
}
