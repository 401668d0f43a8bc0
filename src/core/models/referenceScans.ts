/**
 * Op-by-op tfjs recurrences of every model family: the oracle the fused kernels are checked
 * against, and the implementation wherever no fused kernel is registered. Autodiff gives their
 * gradients. They keep the per-step op count low: constant factors (1/τ, the recurrent scale) are
 * folded into the weights and drives once, and the [B, T, ·] drives are unstacked once rather than
 * sliced per step (slices are costly on wasm).
 */
import * as tf from '@tensorflow/tfjs';
import { ablationActiveAt } from './ablation';
import type { LstmScanFn, NmrnnScanFn, RnnScanFn } from './scanTypes';

/** The fixed initial state [n] repeated for each of B trials. */
function initialState(v: tf.Tensor1D, B: number): tf.Tensor2D {
  return tf.tile(tf.reshape(v, [1, -1]), [B, 1]) as tf.Tensor2D;
}

/**
 * NM-RNN (with `nm`) or low-rank RNN (without), science.md §1.1–1.4, Δt = 1:
 *   z_t = (1 − 1/τz) z_{t−1} + (1/τz)(W_z φ(z_{t−1}) + driveZ_t [+ W_zx φ(x_{t−1})])
 *   s_t = σ(A_z z_t + b_z) · mul_t + add_t
 *   x_t = (1 − 1/τx) x_{t−1} + (1/τx)(scale · L̃ diag(s_t) Vᵀ φ(x_{t−1}) + driveX_t)
 */
export const nmrnnScanReference: NmrnnScanFn = (params, drives, settings) => {
  const { Lt, V, x0, nm } = params;
  const { driveX } = drives;
  const [B, T] = driveX.shape;
  const R = Lt.shape[1];
  const ax = 1 / settings.tauX;
  const az = 1 / settings.tauZ;
  const LtT = tf.mul(tf.transpose(Lt), ax * settings.scale) as tf.Tensor2D;
  const dx = tf.unstack(tf.mul(driveX, ax), 1) as tf.Tensor2D[];
  let x = initialState(x0, B);
  const xs: tf.Tensor2D[] = [];

  if (!nm) {
    for (let t = 0; t < T; t++) {
      const rec = tf.matMul(tf.matMul(tf.tanh(x), V), LtT);
      x = tf.add(tf.add(tf.mul(x, 1 - ax), rec), dx[t]);
      xs.push(x);
    }
    return { x: tf.stack(xs, 1) as tf.Tensor3D };
  }

  if (!drives.driveZ) throw new Error('nmrnnScanReference: the NM subnetwork needs driveZ');
  const WzT = tf.mul(tf.transpose(nm.Wz), az) as tf.Tensor2D;
  const AzT = tf.transpose(nm.Az);
  const WzxT = nm.Wzx ? (tf.mul(tf.transpose(nm.Wzx), az) as tf.Tensor2D) : undefined;
  const dz = tf.unstack(tf.mul(drives.driveZ, az), 1) as tf.Tensor2D[];
  const ab = drives.ablation;
  let z = initialState(nm.z0, B);
  const zs: tf.Tensor2D[] = [];
  const ss: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const phx = tf.tanh(x);
    let zIn = tf.add(tf.matMul(tf.tanh(z), WzT), dz[t]);
    if (WzxT) zIn = tf.add(zIn, tf.matMul(phx, WzxT));
    z = tf.add(tf.mul(z, 1 - az), zIn);
    let s: tf.Tensor2D = tf.sigmoid(tf.add(tf.matMul(z, AzT), nm.bz));
    if (ab && ablationActiveAt(ab, t, R)) {
      const mul = tf.tensor1d(ab.mul.subarray(t * R, (t + 1) * R));
      const add = tf.tensor1d(ab.add.subarray(t * R, (t + 1) * R));
      s = tf.add(tf.mul(s, mul), add);
    }
    const rec = tf.matMul(tf.mul(tf.matMul(phx, V), s), LtT);
    x = tf.add(tf.add(tf.mul(x, 1 - ax), rec), dx[t]);
    xs.push(x);
    zs.push(z);
    ss.push(s);
  }
  return {
    x: tf.stack(xs, 1) as tf.Tensor3D,
    z: tf.stack(zs, 1) as tf.Tensor3D,
    s: tf.stack(ss, 1) as tf.Tensor3D,
  };
};

/** Vanilla RNN (science.md §1.4): x_t = (1 − 1/τ) x_{t−1} + (1/τ)(scale · W φ(x_{t−1}) + driveX_t). */
export const rnnScanReference: RnnScanFn = (params, driveX, settings) => {
  const [B, T] = driveX.shape;
  const a = 1 / settings.tau;
  const WT = tf.mul(tf.transpose(params.W), a * settings.scale) as tf.Tensor2D;
  const dx = tf.unstack(tf.mul(driveX, a), 1) as tf.Tensor2D[];
  let x = initialState(params.x0, B);
  const xs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    x = tf.add(tf.add(tf.mul(x, 1 - a), tf.matMul(tf.tanh(x), WT)), dx[t]);
    xs.push(x);
  }
  return { x: tf.stack(xs, 1) as tf.Tensor3D };
};

/**
 * Standard LSTM (science.md §1.4), gates in order i, f, g, o:
 *   [i f g o] = [σ σ tanh σ](Wh h_{t−1} + drive_t),  c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t).
 */
export const lstmScanReference: LstmScanFn = (params, drive, settings) => {
  const [B, T] = drive.shape;
  const WhT = tf.transpose(params.Wh);
  const pre = tf.unstack(drive, 1) as tf.Tensor2D[];
  let h = initialState(params.h0, B);
  let c = initialState(params.c0, B);
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  const gs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const [pi, pf, pg, po] = tf.split(tf.add(tf.matMul(h, WhT), pre[t]), 4, 1);
    const i = tf.sigmoid(pi);
    const f = tf.sigmoid(pf);
    const g = tf.tanh(pg);
    const o = tf.sigmoid(po);
    c = tf.add(tf.mul(f, c), tf.mul(i, g));
    h = tf.mul(o, tf.tanh(c));
    hs.push(h);
    cs.push(c);
    if (settings.recordGates) gs.push(tf.concat([i, f, g, o], 1) as tf.Tensor2D);
  }
  const out = { h: tf.stack(hs, 1) as tf.Tensor3D, c: tf.stack(cs, 1) as tf.Tensor3D };
  return settings.recordGates ? { ...out, gates: tf.stack(gs, 1) as tf.Tensor3D } : out;
};
