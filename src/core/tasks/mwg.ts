/**
 * Measure-Wait-Go (docs/SCIENCE.md §2.1): three single-step cue pulses (measure, set, go) define an
 * interval I = t_set − t_measure; after a fixed delay the go cue fires and the network must produce
 * a ramp from −0.5 to +0.5 lasting I steps.
 *
 * Time convention: steps are indexed t = 0..T−1 and the same index is used for inputs and targets.
 * A cue "at t" means inputs[b, t, channel] = pulseHeight. t_set = t_measure + I and
 * t_go = t_set + delay. The target at index t is −0.5 + clip((t − t_go)/I, 0, 1), so it equals −0.5
 * at the go step itself and first reaches +0.5 at t_go + I (matching the authors' generator).
 */
import type { Rng } from '../random';
import type { TaskBatch } from './types';
import { assertOutputShape, buildBatch, emptyTrial, meanOf, stackTrials, trialMse } from './trial';
import type { SingleTrial, TrialArrays } from './trial';

export interface MwgOptions {
  /** Trial length in steps. */
  T: number;
  /** Height of each single-step cue pulse. */
  pulseHeight: number;
  /** Fixed set→go delay in steps. */
  delay: number;
  /** Intervals in the training set (defines which intervals count as "trained"). */
  trainIntervals: readonly number[];
  /** Measure-cue times in the training set. */
  trainMeasureTimes: readonly number[];
  /** Intervals of the evaluation / extrapolation set. */
  evalIntervals: readonly number[];
  /** Measure-cue time used for every evaluation trial. */
  evalMeasureTime: number;
}

export const MWG_INPUT_CHANNELS = ['measure', 'set', 'go'] as const;
export const MWG_OUTPUT_CHANNELS = ['output'] as const;
export const MWG_CUES = ['measure', 'set', 'go'] as const;
/** Ramp start and end levels of the target. */
export const MWG_LOW = -0.5;
export const MWG_HIGH = 0.5;
/** Fraction of the ramp height at which the produced interval is read off. */
export const MWG_THRESHOLD_FRACTION = 0.9;

const range = (lo: number, hi: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
};

export const DEFAULT_MWG_OPTIONS: Readonly<MwgOptions> = Object.freeze({
  T: 110,
  pulseHeight: 10,
  delay: 15,
  trainIntervals: [12, 14, 16, 18],
  trainMeasureTimes: range(10, 19),
  evalIntervals: range(4, 26, 2),
  evalMeasureTime: 15,
});

export function resolveMwgOptions(opts: Partial<MwgOptions> = {}): MwgOptions {
  return { ...DEFAULT_MWG_OPTIONS, ...opts };
}

/** Where I falls relative to the trained range [min, max] of trainIntervals. */
export function mwgGroup(
  I: number,
  trainIntervals: readonly number[],
): 'short' | 'trained' | 'long' {
  if (I < Math.min(...trainIntervals)) return 'short';
  if (I > Math.max(...trainIntervals)) return 'long';
  return 'trained';
}

/** The target value at step t for a go cue at tGo and interval I. */
export function mwgTarget(t: number, tGo: number, I: number): number {
  const frac = Math.min(1, Math.max(0, (t - tGo) / I));
  return MWG_LOW + (MWG_HIGH - MWG_LOW) * frac;
}

/**
 * One MWG trial. Throws if a cue would fall outside the trial (the ramp itself may be cut off).
 * Written into `into` where given (a batch's rows, trial.ts buildBatch).
 */
export function mwgTrial(
  I: number,
  tMeasure: number,
  opts: Partial<MwgOptions> = {},
  into?: TrialArrays,
): SingleTrial {
  const o = resolveMwgOptions(opts);
  if (!Number.isInteger(I) || I < 1)
    throw new RangeError(`MWG interval must be an integer ≥ 1, got ${I}`);
  if (!Number.isInteger(tMeasure) || tMeasure < 0) {
    throw new RangeError(`MWG measure time must be an integer ≥ 0, got ${tMeasure}`);
  }
  const tSet = tMeasure + I;
  const tGo = tSet + o.delay;
  if (tGo >= o.T) {
    throw new RangeError(
      `MWG go cue at step ${tGo} does not fit in T = ${o.T} (I=${I}, t_measure=${tMeasure})`,
    );
  }
  const U = MWG_INPUT_CHANNELS.length;
  const trial = emptyTrial(
    o.T,
    U,
    1,
    {
      label: `I=${I}`,
      condition: I,
      group: mwgGroup(I, o.trainIntervals),
      cues: { measure: tMeasure, set: tSet, go: tGo },
      values: { interval: I, tMeasure },
    },
    into,
  );
  trial.inputs[tMeasure * U + 0] = o.pulseHeight;
  trial.inputs[tSet * U + 1] = o.pulseHeight;
  trial.inputs[tGo * U + 2] = o.pulseHeight;
  for (let t = 0; t < o.T; t++) trial.targets[t] = mwgTarget(t, tGo, I);
  // The paper's loss is MSE over the whole trial, so every step counts.
  trial.mask.fill(1);
  return trial;
}

/** The full-batch training set: every trainInterval × trainMeasureTime (40 trials by default). */
export function mwgTrainingSet(opts: Partial<MwgOptions> = {}): TaskBatch {
  const o = resolveMwgOptions(opts);
  const trials: SingleTrial[] = [];
  for (const I of o.trainIntervals) {
    for (const tm of o.trainMeasureTimes) trials.push(mwgTrial(I, tm, o));
  }
  return stackTrials('mwg', trials);
}

/** The evaluation / extrapolation set: each evalInterval once, at evalMeasureTime (12 trials). */
export function mwgEvalSet(opts: Partial<MwgOptions> = {}): TaskBatch {
  const o = resolveMwgOptions(opts);
  return stackTrials(
    'mwg',
    o.evalIntervals.map((I) => mwgTrial(I, o.evalMeasureTime, o)),
  );
}

/** B random training-distribution trials (I from trainIntervals, t_measure from trainMeasureTimes). */
export function mwgSample(
  rng: Rng,
  B: number,
  opts: Partial<MwgOptions> = {},
  reuse?: TaskBatch,
): TaskBatch {
  const o = resolveMwgOptions(opts);
  const shape = { T: o.T, U: MWG_INPUT_CHANNELS.length, O: 1 };
  return buildBatch(
    'mwg',
    B,
    shape,
    (into) => {
      const I = o.trainIntervals[rng.int(0, o.trainIntervals.length - 1)];
      const tm = o.trainMeasureTimes[rng.int(0, o.trainMeasureTimes.length - 1)];
      return mwgTrial(I, tm, o, into);
    },
    reuse,
  );
}

/**
 * Produced interval of trial b (docs/SCIENCE.md §2.1): the time from the go cue until the output first
 * reaches −0.5 + 0.9 (= 0.4), divided by 0.9 so the exact target ramp gives exactly I.
 *
 * The crossing time is linearly interpolated between the last step below the threshold and the
 * first step at or above it, giving sub-step precision (a ramp of slope 1/I crosses at exactly
 * t_go + 0.9·I). The search starts at the go step, so anything the output does before go is
 * ignored; an output already above threshold at go gives 0. Returns NaN if the threshold is never
 * reached before the trial ends. `channel` selects the output channel when O > 1.
 */
export function producedInterval(
  output: Float32Array,
  b: number,
  T: number,
  tGo: number,
  O = 1,
  channel = 0,
): number {
  const threshold = MWG_LOW + MWG_THRESHOLD_FRACTION * (MWG_HIGH - MWG_LOW);
  const y = (t: number): number => output[(b * T + t) * O + channel];
  for (let t = tGo; t < T; t++) {
    const yt = y(t);
    if (!(yt >= threshold)) continue;
    if (t === tGo) return 0;
    const yPrev = y(t - 1);
    const crossing = t - 1 + (threshold - yPrev) / (yt - yPrev);
    return (crossing - tGo) / MWG_THRESHOLD_FRACTION;
  }
  return Number.NaN;
}

/**
 * The authors' produced interval (docs/SCIENCE.md "Metrics"): the first whole step at or after go
 * whose output exceeds 0.9 × the trial's maximum output, minus t_go, with no division. NaN when the
 * output never exceeds it after go.
 */
export function producedIntervalAuthors(
  output: Float32Array,
  b: number,
  T: number,
  tGo: number,
  O = 1,
  channel = 0,
): number {
  const y = (t: number): number => output[(b * T + t) * O + channel];
  let max = -Infinity;
  for (let t = 0; t < T; t++) max = Math.max(max, y(t));
  const threshold = MWG_THRESHOLD_FRACTION * max;
  for (let t = tGo; t < T; t++) if (y(t) > threshold) return t - tGo;
  return Number.NaN;
}

/** Steps of the ramp window go − 3 … go + I + 3 (inclusive, clipped to the trial). */
export const MWG_RAMP_MARGIN = 3;

/** MSE of trial b over its ramp window only (the authors' alternative loss view). */
export function rampWindowMse(batch: TaskBatch, outputs: Float32Array, b: number): number {
  const { T, O } = batch;
  const meta = batch.meta[b];
  const lo = Math.max(0, meta.cues.go - MWG_RAMP_MARGIN);
  const hi = Math.min(T - 1, meta.cues.go + meta.values.interval + MWG_RAMP_MARGIN);
  let sum = 0;
  for (let t = lo; t <= hi; t++) {
    const d = outputs[(b * T + t) * O] - batch.targets[(b * T + t) * O];
    sum += d * d;
  }
  return sum / (hi - lo + 1);
}

export interface MwgMetrics {
  /** Per trial: masked MSE against the target ramp. */
  mse: number[];
  /** Per trial: produced interval (NaN if the output never reached 90% of the ramp). */
  produced: number[];
  /** Per trial: the authors' produced interval (whole steps, no ÷ 0.9). */
  producedAuthors: number[];
  /** Per trial: MSE over the ramp window go − 3 … go + I + 3. */
  mseRamp: number[];
  /** Per trial: the target interval I. */
  intervals: number[];
  /** Mean per-trial MSE by group; NaN for an empty group. Extrapolated = short ∪ long. */
  mseByGroup: { all: number; trained: number; extrapolated: number; short: number; long: number };
}

export function mwgMetrics(batch: TaskBatch, outputs: Float32Array): MwgMetrics {
  assertOutputShape(batch, outputs);
  const mse: number[] = [];
  const produced: number[] = [];
  const producedAuthors: number[] = [];
  const mseRamp: number[] = [];
  const intervals: number[] = [];
  const byGroup = { trained: [] as number[], short: [] as number[], long: [] as number[] };
  for (let b = 0; b < batch.B; b++) {
    const meta = batch.meta[b];
    const m = trialMse(batch, outputs, b);
    mse.push(m);
    produced.push(producedInterval(outputs, b, batch.T, meta.cues.go, batch.O));
    producedAuthors.push(producedIntervalAuthors(outputs, b, batch.T, meta.cues.go, batch.O));
    mseRamp.push(rampWindowMse(batch, outputs, b));
    intervals.push(meta.values.interval);
    byGroup[meta.group ?? 'trained'].push(m);
  }
  return {
    mse,
    produced,
    producedAuthors,
    mseRamp,
    intervals,
    mseByGroup: {
      all: meanOf(mse),
      trained: meanOf(byGroup.trained),
      extrapolated: meanOf([...byGroup.short, ...byGroup.long]),
      short: meanOf(byGroup.short),
      long: meanOf(byGroup.long),
    },
  };
}
