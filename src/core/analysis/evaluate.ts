/**
 * Run a model once on a batch and bring everything the plots need back as plain arrays: outputs,
 * every recorded trajectory and the loss. One read per array; no tensor outlives the call.
 */
import * as tf from '@tensorflow/tfjs';
import type { Ablation, Model, ScanImpl, Trajectories } from '../models/types';
import type { TaskBatch } from '../tasks/types';
import { maskedMse } from '../train/loss';

/** A [B, T, D] array, row-major. */
export interface StateArray {
  data: Float32Array;
  dims: [number, number, number];
}

export type StateName = keyof Trajectories;

export interface Evaluation {
  /** [B, T, O] */
  outputs: StateArray;
  /** Whichever trajectories the model records (x, z, s for the NM-RNN; h, c, gates for the LSTM). */
  states: Partial<Record<StateName, StateArray>>;
  /** Masked MSE against the batch's targets. */
  loss: number;
}

export interface EvaluateOptions {
  ablation?: Ablation;
  impl?: ScanImpl;
}

export async function evaluateModel(
  model: Model,
  batch: TaskBatch,
  opts: EvaluateOptions = {},
): Promise<Evaluation> {
  const { B, T } = batch;
  if (batch.U !== model.config.U) {
    throw new Error(`batch has ${batch.U} input channels, the model expects ${model.config.U}`);
  }
  const result = tf.tidy(() => {
    const inputs = tf.tensor3d(batch.inputs, [B, T, batch.U]);
    const targets = tf.tensor3d(batch.targets, [B, T, batch.O]);
    const mask = tf.tensor2d(batch.mask, [B, T]);
    const { y, states } = model.forward(inputs, {
      ablation: opts.ablation,
      trialCues: batch.meta.map((m) => m.cues),
      impl: opts.impl,
      record: true,
    });
    const present: Partial<Record<StateName, tf.Tensor3D>> = {};
    for (const [name, t] of Object.entries(states) as [StateName, tf.Tensor3D | undefined][]) {
      if (t) present[name] = t;
    }
    return { y, loss: maskedMse(y, targets, mask), states: present };
  });

  const stateEntries = Object.entries(result.states) as [StateName, tf.Tensor3D][];
  const all: tf.Tensor[] = [result.y, result.loss, ...stateEntries.map(([, t]) => t)];
  try {
    const datas = await Promise.all(all.map((t) => t.data<'float32'>()));
    const asArray = (i: number): StateArray => {
      const [b, t, d] = all[i].shape;
      return { data: Float32Array.from(datas[i]), dims: [b, t, d] };
    };
    const states: Partial<Record<StateName, StateArray>> = {};
    stateEntries.forEach(([name], i) => {
      states[name] = asArray(i + 2);
    });
    return { outputs: asArray(0), states, loss: datas[1][0] };
  } finally {
    for (const t of all) t.dispose();
  }
}
