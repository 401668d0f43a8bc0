/**
 * Op-by-op tfjs recurrences of every model family: the oracle the fused kernels are checked
 * against, and the implementation wherever no fused kernel is registered. Autodiff gives their
 * gradients. They keep the per-step op count low: constant factors (1/τ, the recurrent scale) are
 * folded into the weights once, and each step's drive comes either from one split of the whole
 * drive or, when its factors are given, from the (small) inputs split once and one small matMul
 * per step, which is far cheaper than splitting a [B, T, N] tensor on the cpu and wasm backends.
 */
import * as tf from '@tensorflow/tfjs';
import { ablationActiveAt, ablationStep } from './ablation';
import type { DriveFactors, LstmScanFn, NmrnnScanFn, RnnScanFn } from './scanTypes';

/**
 * Step tensors are [B, C] ('rows', for the NM-RNN and RNN) or [C, B] ('columns', for the LSTM,
 * whose gate split is then a split of contiguous rows instead of a strided column split, which
 * tfjs-cpu runs as a per-element loop).
 */
type Layout = 'rows' | 'columns';

/** The fixed initial state [n] repeated for each of B trials. */
function initialState(v: tf.Tensor1D, B: number, layout: Layout = 'rows'): tf.Tensor2D {
  return layout === 'rows'
    ? (tf.tile(tf.reshape(v, [1, -1]), [B, 1]) as tf.Tensor2D)
    : (tf.tile(tf.reshape(v, [-1, 1]), [1, B]) as tf.Tensor2D);
}

/**
 * [B, T, C] → T step tensors. Made time-major first so that each piece is a contiguous slice (a
 * view on cpu), not tfjs-cpu's per-element strided slice loop, nor on wasm a copy of the whole
 * tensor per step. tfjs cannot differentiate an unstack into a single piece, hence T = 1.
 */
function splitSteps(t3: tf.Tensor3D, layout: Layout): tf.Tensor2D[] {
  const [B, T, C] = t3.shape;
  const timeMajor = tf.transpose(t3, layout === 'rows' ? [1, 0, 2] : [1, 2, 0]);
  if (T === 1) return [tf.reshape(timeMajor, layout === 'rows' ? [B, C] : [C, B])];
  return tf.unstack(timeMajor, 0) as tf.Tensor2D[];
}

/**
 * T step tensors → [B, T, C]. Stacked time-major and then transposed because the gradient of a
 * stack is a split along the same axis, and splitting along axis 1 runs tfjs-cpu's per-element
 * slice loop (measured ~5× slower than this for [40, 110, 100]).
 */
function stackSteps(steps: tf.Tensor2D[], layout: Layout = 'rows'): tf.Tensor3D {
  return tf.transpose(tf.stack(steps, 0), layout === 'rows' ? [1, 0, 2] : [2, 0, 1]) as tf.Tensor3D;
}

/** Splits each input tensor once, however many drives it feeds (x and z share u). */
function splitter(layout: Layout): (u: tf.Tensor3D) => tf.Tensor2D[] {
  const cache = new Map<tf.Tensor3D, tf.Tensor2D[]>();
  return (u) => {
    let s = cache.get(u);
    if (!s) cache.set(u, (s = splitSteps(u, layout)));
    return s;
  };
}

/**
 * u·Wᵀ + b as [u, 1]·[W, b]ᵀ: the bias rides in the matMul, so the backward pass has no per-step
 * sum over the batch for it (a transpose plus reduction per step on tfjs-cpu).
 */
function foldBias(f: DriveFactors): { u: tf.Tensor3D; W: tf.Tensor2D } {
  if (!f.b) return f;
  const [B, T] = f.u.shape;
  return {
    u: tf.concat([f.u, tf.ones([B, T, 1])], 2) as tf.Tensor3D,
    W: tf.concat([f.W, tf.reshape(f.b, [-1, 1])], 1) as tf.Tensor2D,
  };
}

/**
 * The drive of step t times `factor`: from the factors when given, else by splitting the whole
 * drive once.
 */
function stepDrives(
  drive: tf.Tensor3D,
  factor: number,
  factors: DriveFactors | undefined,
  split: (u: tf.Tensor3D) => tf.Tensor2D[],
  layout: Layout = 'rows',
): (t: number) => tf.Tensor2D {
  if (!factors) {
    const steps = splitSteps(factor === 1 ? drive : tf.mul(drive, factor), layout);
    return (t) => steps[t];
  }
  const { u, W } = foldBias(factors);
  const us = split(u);
  const Ws = factor === 1 ? W : tf.mul(W, factor);
  return layout === 'rows'
    ? (t) => tf.matMul(us[t], Ws, false, true) as tf.Tensor2D
    : (t) => tf.matMul(Ws, us[t]) as tf.Tensor2D;
}

/**
 * NM-RNN (with `nm`) or low-rank RNN (without), docs/SCIENCE.md §1.1–1.4, Δt = 1:
 *   z_t = (1 − 1/τz) z_{t−1} + (1/τz)(W_z φ(z_{t−1}) + driveZ_t [+ W_zx φ(x_{t−1})])
 *   s_t = σ(A_z z_t + b_z) · mul_t + add_t
 *   x_t = (1 − 1/τx) x_{t−1} + (1/τx)(scale · L̃ diag(s_t) Vᵀ φ(x_{t−1}) + driveX_t)
 * with φ = tanh, or the identity when `settings.linear` (the rank-1 theory's linear network).
 */
export const nmrnnScanReference: NmrnnScanFn = (params, drives, settings) => {
  const { Lt, V, x0, nm } = params;
  const [B, T] = drives.driveX.shape;
  const R = Lt.shape[1];
  const ax = 1 / settings.tauX;
  const az = 1 / settings.tauZ;
  const split = splitter('rows');
  const LtT = tf.mul(tf.transpose(Lt), ax * settings.scale) as tf.Tensor2D;
  const dx = stepDrives(drives.driveX, ax, drives.factors?.x, split);
  const phi = settings.linear ? (v: tf.Tensor2D) => v : (v: tf.Tensor2D) => tf.tanh(v);
  let x = initialState(x0, B);
  const xs: tf.Tensor2D[] = [];

  if (!nm) {
    for (let t = 0; t < T; t++) {
      const rec = tf.matMul(tf.matMul(phi(x), V), LtT);
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
    const phx = phi(x);
    let zIn = tf.add(tf.matMul(tf.tanh(z), WzT), dz(t));
    if (WzxT) zIn = tf.add(zIn, tf.matMul(phx, WzxT));
    z = tf.add(tf.mul(z, 1 - az), zIn);
    let s: tf.Tensor2D = tf.sigmoid(tf.add(tf.matMul(z, AzT), nm.bz));
    if (ab && ablationActiveAt(ab, t, B, T, R)) {
      const step = ablationStep(ab, t, B, T, R);
      s = tf.add(tf.mul(s, tf.tensor2d(step.mul, [B, R])), tf.tensor2d(step.add, [B, R]));
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

/** Vanilla RNN (docs/SCIENCE.md §1.4): x_t = (1 − 1/τ) x_{t−1} + (1/τ)(scale · W φ(x_{t−1}) + driveX_t). */
export const rnnScanReference: RnnScanFn = (params, driveX, settings, factors) => {
  const [B, T] = driveX.shape;
  const a = 1 / settings.tau;
  const WT = tf.mul(tf.transpose(params.W), a * settings.scale) as tf.Tensor2D;
  const dx = stepDrives(driveX, a, factors, splitter('rows'));
  let x = initialState(params.x0, B);
  const xs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    x = tf.add(tf.add(tf.mul(x, 1 - a), tf.matMul(tf.tanh(x), WT)), dx(t));
    xs.push(x);
  }
  return { x: stackSteps(xs) };
};

/**
 * Standard LSTM (docs/SCIENCE.md §1.4), gates in order i, f, g, o:
 *   [i f g o] = [σ σ tanh σ](Wh h_{t−1} + drive_t),  c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t).
 * States are kept as columns [N, B] so the four gates are contiguous row blocks of one matMul.
 */
export const lstmScanReference: LstmScanFn = (params, drive, settings, factors) => {
  const [B, T] = drive.shape;
  const pre = stepDrives(drive, 1, factors, splitter('columns'), 'columns');
  let h = initialState(params.h0, B, 'columns');
  let c = initialState(params.c0, B, 'columns');
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  const gs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const [pi, pf, pg, po] = tf.split(tf.add(tf.matMul(params.Wh, h), pre(t)), 4, 0);
    const i = tf.sigmoid(pi);
    const f = tf.sigmoid(pf);
    const g = tf.tanh(pg);
    const o = tf.sigmoid(po);
    c = tf.add(tf.mul(f, c), tf.mul(i, g));
    h = tf.mul(o, tf.tanh(c));
    hs.push(h);
    cs.push(c);
    if (settings.recordGates) gs.push(tf.concat([i, f, g, o], 0) as tf.Tensor2D);
  }
  const out = { h: stackSteps(hs, 'columns'), c: stackSteps(cs, 'columns') };
  return settings.recordGates ? { ...out, gates: stackSteps(gs, 'columns') } : out;
};
