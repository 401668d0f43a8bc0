/**
 * Shared plumbing for the task generators: a single trial's arrays, stacking trials into a
 * TaskBatch, and the per-trial masked MSE that every family's metrics report.
 */
import type { TaskBatch, TaskFamily, TrialMeta } from './types';

/** One trial before batching: inputs [T, U], targets [T, O], mask [T]. */
export interface SingleTrial {
  T: number;
  U: number;
  O: number;
  inputs: Float32Array;
  targets: Float32Array;
  mask: Float32Array;
  meta: TrialMeta;
}

/** Where one trial's values go: arrays of its own, or its rows of a batch's arrays. */
export interface TrialArrays {
  inputs: Float32Array;
  targets: Float32Array;
  mask: Float32Array;
}

/**
 * An all-zero trial of the given shape, ready to be filled in by a generator. With `into` (zeroed
 * views of the right lengths, from buildBatch) it writes there instead of allocating: a fresh
 * Float32Array costs about as much as filling a whole trial, and a batch drew 300 of them per step.
 */
export function emptyTrial(
  T: number,
  U: number,
  O: number,
  meta: TrialMeta,
  into?: TrialArrays,
): SingleTrial {
  if (into) {
    if (into.inputs.length !== T * U || into.targets.length !== T * O || into.mask.length !== T) {
      throw new RangeError(`emptyTrial: the arrays given do not hold a [${T},${U},${O}] trial`);
    }
    return { T, U, O, ...into, meta };
  }
  return {
    T,
    U,
    O,
    inputs: new Float32Array(T * U),
    targets: new Float32Array(T * O),
    mask: new Float32Array(T),
    meta,
  };
}

/**
 * B trials of one shape [T, U, O], each written by `write` straight into its rows of the batch
 * (the views it is handed are zeroed), so drawing a batch allocates three arrays, not 3·B, and
 * copies nothing; with `reuse` of the same family and shape, into its arrays (zeroed first), so it
 * allocates none (types.ts BatchSource). `write` returns the trial it made; one that came out
 * elsewhere or of another shape is refused.
 */
export function buildBatch(
  family: TaskFamily,
  B: number,
  shape: { T: number; U: number; O: number },
  write: (into: TrialArrays, b: number) => SingleTrial,
  reuse?: TaskBatch,
): TaskBatch {
  if (!(B >= 1)) throw new RangeError('buildBatch: need at least one trial');
  const { T, U, O } = shape;
  const { inputs, targets, mask } = batchArrays(family, B, shape, reuse);
  const meta: TrialMeta[] = [];
  for (let b = 0; b < B; b++) {
    const into = {
      inputs: inputs.subarray(b * T * U, (b + 1) * T * U),
      targets: targets.subarray(b * T * O, (b + 1) * T * O),
      mask: mask.subarray(b * T, (b + 1) * T),
    };
    const trial = write(into, b);
    if (
      trial.inputs !== into.inputs ||
      trial.targets !== into.targets ||
      trial.mask !== into.mask
    ) {
      throw new RangeError(`buildBatch: trial ${b} was not written into its rows of the batch`);
    }
    meta.push(trial.meta);
  }
  return { family, B, T, U, O, inputs, targets, mask, meta };
}

/** `reuse`'s arrays zeroed where they hold a batch of this family and shape, else new ones. */
export function batchArrays(
  family: TaskFamily,
  B: number,
  { T, U, O }: { T: number; U: number; O: number },
  reuse?: TaskBatch,
): TrialArrays {
  if (
    reuse &&
    reuse.family === family &&
    reuse.inputs.length === B * T * U &&
    reuse.targets.length === B * T * O &&
    reuse.mask.length === B * T
  ) {
    return {
      inputs: reuse.inputs.fill(0),
      targets: reuse.targets.fill(0),
      mask: reuse.mask.fill(0),
    };
  }
  return {
    inputs: new Float32Array(B * T * U),
    targets: new Float32Array(B * T * O),
    mask: new Float32Array(B * T),
  };
}

/** Concatenate trials of identical shape into one row-major batch. */
export function stackTrials(family: TaskFamily, trials: readonly SingleTrial[]): TaskBatch {
  if (trials.length === 0) throw new RangeError('stackTrials: need at least one trial');
  const { T, U, O } = trials[0];
  const B = trials.length;
  const inputs = new Float32Array(B * T * U);
  const targets = new Float32Array(B * T * O);
  const mask = new Float32Array(B * T);
  trials.forEach((trial, b) => {
    if (trial.T !== T || trial.U !== U || trial.O !== O) {
      throw new RangeError(
        `stackTrials: trial ${b} is [${trial.T},${trial.U},${trial.O}], expected [${T},${U},${O}]`,
      );
    }
    inputs.set(trial.inputs, b * T * U);
    targets.set(trial.targets, b * T * O);
    mask.set(trial.mask, b * T);
  });
  return { family, B, T, U, O, inputs, targets, mask, meta: trials.map((t) => t.meta) };
}

/** Throws unless `outputs` has exactly the [B, T, O] layout of `batch`'s targets. */
export function assertOutputShape(batch: TaskBatch, outputs: Float32Array): void {
  const expected = batch.B * batch.T * batch.O;
  if (outputs.length !== expected) {
    throw new RangeError(
      `outputs has ${outputs.length} values, expected B·T·O = ${batch.B}·${batch.T}·${batch.O} = ${expected}`,
    );
  }
}

/**
 * Masked mean squared error of one trial: Σ_t mask_t Σ_o (y − y*)² / (O · Σ_t mask_t), the
 * per-trial version of the training loss. NaN when the mask is all zero (nothing is scored).
 */
export function trialMse(batch: TaskBatch, outputs: Float32Array, b: number): number {
  const { T, O } = batch;
  let sum = 0;
  let weight = 0;
  for (let t = 0; t < T; t++) {
    const m = batch.mask[b * T + t];
    if (m === 0) continue;
    const base = (b * T + t) * O;
    for (let o = 0; o < O; o++) {
      const d = outputs[base + o] - batch.targets[base + o];
      sum += m * d * d;
    }
    weight += m * O;
  }
  return weight > 0 ? sum / weight : Number.NaN;
}

/** Plain mean; NaN for an empty list (an empty group has no loss), and NaN/∞ propagate so a
 * diverged trial is never silently averaged away. */
export function meanOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
