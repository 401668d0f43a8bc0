/**
 * Fixed trial pools (the authors' multitask protocol, docs/SCIENCE.md "Multitask data"): a pool of
 * trials is drawn once, optionally with Gaussian noise on its inputs, and every minibatch is drawn
 * from it with replacement.
 */
import type { Rng } from '../random';
import { batchArrays } from './trial';
import type { TaskBatch } from './types';

/**
 * A copy of `batch` with N(0, sd²) noise added to the input channels `channels` (default: all) of
 * every step. The noise is drawn once, so a pool stays fixed across minibatches.
 */
export function withInputNoise(
  batch: TaskBatch,
  rng: Rng,
  sd: number,
  channels?: readonly number[],
): TaskBatch {
  return addInputNoise({ ...batch, inputs: Float32Array.from(batch.inputs) }, rng, sd, channels);
}

/** withInputNoise in place: for a batch its caller owns (a fresh draw), with no copy made. */
export function addInputNoise(
  batch: TaskBatch,
  rng: Rng,
  sd: number,
  channels?: readonly number[],
): TaskBatch {
  if (sd > 0) {
    const { inputs } = batch;
    const chans = channels ?? Array.from({ length: batch.U }, (_, c) => c);
    for (let i = 0; i < batch.B * batch.T; i++) {
      for (const c of chans) inputs[i * batch.U + c] += sd * rng.normal();
    }
  }
  return batch;
}

/** B trials drawn uniformly with replacement from `pool` (into `reuse`'s arrays: BatchSource). */
export function sampleFromPool(pool: TaskBatch, rng: Rng, B: number, reuse?: TaskBatch): TaskBatch {
  const { T, U, O } = pool;
  const { inputs, targets, mask } = batchArrays(pool.family, B, pool, reuse);
  const meta = [];
  for (let b = 0; b < B; b++) {
    const j = rng.int(0, pool.B - 1);
    inputs.set(pool.inputs.subarray(j * T * U, (j + 1) * T * U), b * T * U);
    targets.set(pool.targets.subarray(j * T * O, (j + 1) * T * O), b * T * O);
    mask.set(pool.mask.subarray(j * T, (j + 1) * T), b * T);
    meta.push(pool.meta[j]);
  }
  return { family: pool.family, B, T, U, O, inputs, targets, mask, meta };
}
