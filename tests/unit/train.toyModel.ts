/** A toy model and batch for the training-session tests (train.session*.test.ts). */
import * as tf from '@tensorflow/tfjs';
import type { Model, ModelConfig, ParamArrays, ParamGroup } from '../../src/core/models/types';
import type { TaskBatch } from '../../src/core/tasks/types';
import { Rng } from '../../src/core/random';

/**
 * A tiny stand-in implementing the Model contract (a per-step two-layer map), so these tests
 * exercise the session alone, independent of the real models.
 */
export function toyModel(seed = 1, poison = false, U = 2, H = 4, O = 1): Model {
  const rng = new Rng(seed);
  const w1 = rng.normals(U * H, 0.5);
  // Poisoned: W1[0] = 0 and y gains 0·Σ√|W1|, finite in value but NaN in its gradient.
  if (poison) w1[0] = 0;
  const params = {
    W1: tf.variable(tf.tensor2d(w1, [U, H])),
    W2: tf.variable(tf.tensor2d(rng.normals(H * O, 0.5), [H, O])),
    x0: tf.variable(tf.zeros([H]), false),
  };
  const config: ModelConfig = {
    kind: 'rnn',
    N: H,
    R: 0,
    M: 0,
    U,
    Ux: U,
    O,
    tauX: 1,
    tauZ: 1,
    feedback: false,
    orthonormalize: false,
    recurrentScale: 'one',
    readoutBias: false,
    init: 'paper',
  };
  const groups: Record<ParamGroup, string[]> = {
    all: ['W1', 'W2'],
    input: ['W1'],
    output: ['W2'],
    nm: [],
  };
  return {
    config,
    params,
    groups,
    forward(inputs) {
      return tf.tidy(() => {
        const [B, T] = inputs.shape;
        const flat = tf.reshape(inputs, [B * T, U]);
        const h = tf.tanh(tf.add(tf.matMul(flat, params.W1), params.x0));
        let y = tf.reshape(tf.matMul(h, params.W2), [B, T, O]) as tf.Tensor3D;
        if (poison) y = tf.add(y, tf.mul(tf.sum(tf.sqrt(tf.abs(params.W1))), 0));
        return { y, states: {} };
      });
    },
    paramCount: () => U * H + H * O,
    async toArrays() {
      const out: ParamArrays = {};
      for (const [n, v] of Object.entries(params)) {
        out[n] = { shape: [...v.shape], data: Float32Array.from(await v.data()) };
      }
      return out;
    },
    dispose() {
      for (const v of Object.values(params)) v.dispose();
    },
  };
}

export function toyBatch(seed = 2, B = 8, T = 5): TaskBatch {
  const rng = new Rng(seed);
  const inputs = rng.normals(B * T * 2);
  const targets = new Float32Array(B * T);
  for (let i = 0; i < B * T; i++)
    targets[i] = Math.sin(inputs[2 * i]) * 0.5 - 0.3 * inputs[2 * i + 1];
  return {
    family: 'mwg',
    B,
    T,
    U: 2,
    O: 1,
    inputs,
    targets,
    mask: new Float32Array(B * T).fill(1),
    meta: [],
  };
}

/** Bit-identical, NaN included. */
export const same = (a: Float32Array, b: Float32Array): boolean =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
