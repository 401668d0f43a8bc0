/**
 * Op-by-op tfjs recurrences of every model family: the oracle the fused kernels are checked
 * against, and the implementation wherever no fused kernel is registered. Autodiff gives their
 * gradients. They keep the per-step op count low: constant factors (1/τ, the recurrent scale) are
 * folded into the weights once, and each step's drive comes either from one split of the whole
 * drive or, when its factors are given, from the (small) inputs split once and one small matMul
 * per step, which is far cheaper than splitting a [B, T, N] tensor on the cpu and wasm backends.
 */
import * as tf from '@tensorflow/tfjs';
import { ablationActiveAt } from './ablation';
import type { DriveFactors, LstmScanFn, NmrnnScanFn, RnnScanFn } from './scanTypes';

/** The fixed initial state [n] repeated for each of B trials. */
function initialState(v: tf.Tensor1D, B: number): tf.Tensor2D {
  return tf.tile(tf.reshape(v, [1, -1]), [B, 1]) as tf.Tensor2D;
}

/**
 * [B, T, C] → T tensors [B, C]. Transposed to time-major first so that each piece is a contiguous
 * slice (a view on cpu) rather than tfjs-cpu's per-element strided slice loop. tfjs's Unpack
 * gradient fails for a single output, hence the T = 1 case.
 */
function splitSteps(t3: tf.Tensor3D): tf.Tensor2D[] {
  const [B, T, C] = t3.shape;
  if (T === 1) return [tf.reshape(t3, [B, C])];
  return tf.unstack(tf.transpose(t3, [1, 0, 2]), 0) as tf.Tensor2D[];
}

/**
 * Per-step drives times `factor`: from the factors when given (u_t · (factor·W)ᵀ + factor·b),
 * else by splitting the whole drive. `splitU` caches the split of each u tensor, so inputs shared
 * by the x and z drives are split once.
 */
function stepDrives(
  drive: tf.Tensor3D,
  factor: number,
  factors: DriveFactors | undefined,
  splitU: (u: tf.Tensor3D) => tf.Tensor2D[],
): (t: number) => tf.Tensor2D {
  if (!factors) {
    const steps = splitSteps(tf.mul(drive, factor));
    return (t) => steps[t];
  }
  const us = splitU(factors.u);
  const WT = tf.mul(tf.transpose(factors.W), factor) as tf.Tensor2D;
  const b = factors.b ? tf.mul(factors.b, factor) : undefined;
  return (t) => {
    const d = tf.matMul(us[t], WT) as tf.Tensor2D;
    return b ? (tf.add(d, b) as tf.Tensor2D) : d;
  };
}

/**
 * T tensors [B, C] → [B, T, C]. Stacked time-major and then transposed because the gradient of a
 * stack is a split along the same axis, and splitting along axis 1 runs tfjs-cpu's per-element
 * slice loop (measured ~5× slower than this for [40, 110, 100]).
 */
function stackSteps(steps: tf.Tensor2D[]): tf.Tensor3D {
  return tf.transpose(tf.stack(steps, 0), [1, 0, 2]) as tf.Tensor3D;
}

function splitter(): (u: tf.Tensor3D) => tf.Tensor2D[] {
  const cache = new Map<tf.Tensor3D, tf.Tensor2D[]>();
  return (u) => {
    let s = cache.get(u);
    if (!s) cache.set(u, (s = splitSteps(u)));
    return s;
  };
}

/**
 * NM-RNN (with `nm`) or low-rank RNN (without), science.md §1.1–1.4, Δt = 1:
 *   z_t = (1 − 1/τz) z_{t−1} + (1/τz)(W_z φ(z_{t−1}) + driveZ_t [+ W_zx φ(x_{t−1})])
 *   s_t = σ(A_z z_t + b_z) · mul_t + add_t
 *   x_t = (1 − 1/τx) x_{t−1} + (1/τx)(scale · L̃ diag(s_t) Vᵀ φ(x_{t−1}) + driveX_t)
 */
export const nmrnnScanReference: NmrnnScanFn = (params, drives, settings) => {
  const { Lt, V, x0, nm } = params;
  const [B, T] = drives.driveX.shape;
  const R = Lt.shape[1];
  const ax = 1 / settings.tauX;
  const az = 1 / settings.tauZ;
  const split = splitter();
  const LtT = tf.mul(tf.transpose(Lt), ax * settings.scale) as tf.Tensor2D;
  const dx = stepDrives(drives.driveX, ax, drives.factors?.x, split);
  let x = initialState(x0, B);
  const xs: tf.Tensor2D[] = [];

  if (!nm) {
    for (let t = 0; t < T; t++) {
      const rec = tf.matMul(tf.matMul(tf.tanh(x), V), LtT);
      x = tf.add(tf.add(tf.mul(x, 1 - ax), rec), dx(t));
      xs.push(x);
    }
    return { x: stackSteps(xs) };
  }

  if (!drives.driveZ) throw new Error('nmrnnScanReference: the NM subnetwork needs driveZ');
  const WzT = tf.mul(tf.transpose(nm.Wz), az) as tf.Tensor2D;
  const AzT = tf.transpose(nm.Az);
  const WzxT = nm.Wzx ? (tf.mul(tf.transpose(nm.Wzx), az) as tf.Tensor2D) : undefined;
  const dz = stepDrives(drives.driveZ, az, drives.factors?.z, split);
  const ab = drives.ablation;
  let z = initialState(nm.z0, B);
  const zs: tf.Tensor2D[] = [];
  const ss: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const phx = tf.tanh(x);
    let zIn = tf.add(tf.matMul(tf.tanh(z), WzT), dz(t));
    if (WzxT) zIn = tf.add(zIn, tf.matMul(phx, WzxT));
    z = tf.add(tf.mul(z, 1 - az), zIn);
    let s: tf.Tensor2D = tf.sigmoid(tf.add(tf.matMul(z, AzT), nm.bz));
    if (ab && ablationActiveAt(ab, t, R)) {
      const mul = tf.tensor1d(ab.mul.subarray(t * R, (t + 1) * R));
      const add = tf.tensor1d(ab.add.subarray(t * R, (t + 1) * R));
      s = tf.add(tf.mul(s, mul), add);
    }
    const rec = tf.matMul(tf.mul(tf.matMul(phx, V), s), LtT);
    x = tf.add(tf.add(tf.mul(x, 1 - ax), rec), dx(t));
    xs.push(x);
    zs.push(z);
    ss.push(s);
  }
  return {
    x: stackSteps(xs),
    z: stackSteps(zs),
    s: stackSteps(ss),
  };
};

/** Vanilla RNN (science.md §1.4): x_t = (1 − 1/τ) x_{t−1} + (1/τ)(scale · W φ(x_{t−1}) + driveX_t). */
export const rnnScanReference: RnnScanFn = (params, driveX, settings, factors) => {
  const [B, T] = driveX.shape;
  const a = 1 / settings.tau;
  const WT = tf.mul(tf.transpose(params.W), a * settings.scale) as tf.Tensor2D;
  const dx = stepDrives(driveX, a, factors, splitter());
  let x = initialState(params.x0, B);
  const xs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    x = tf.add(tf.add(tf.mul(x, 1 - a), tf.matMul(tf.tanh(x), WT)), dx(t));
    xs.push(x);
  }
  return { x: stackSteps(xs) };
};

/**
 * Standard LSTM (science.md §1.4), gates in order i, f, g, o:
 *   [i f g o] = [σ σ tanh σ](Wh h_{t−1} + drive_t),  c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t).
 */
export const lstmScanReference: LstmScanFn = (params, drive, settings, factors) => {
  const [B, T] = drive.shape;
  const WhT = tf.transpose(params.Wh);
  const pre = stepDrives(drive, 1, factors, splitter());
  let h = initialState(params.h0, B);
  let c = initialState(params.c0, B);
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  const gs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const [pi, pf, pg, po] = tf.split(tf.add(tf.matMul(h, WhT), pre(t)), 4, 1);
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
  const out = { h: stackSteps(hs), c: stackSteps(cs) };
  return settings.recordGates ? { ...out, gates: stackSteps(gs) } : out;
};
