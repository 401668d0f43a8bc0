/**
 * Op-by-op tfjs versions of exactly the recurrences the fused kernels compute, written directly
 * from docs/SCIENCE.md §1, so the kernels can be checked (values and autodiff gradients) without
 * depending on the model code. The models' own reference paths are checked separately.
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmScanAttrs, NmrnnScanAttrs, RnnScanAttrs } from '../../src/core/kernels/attrs';
import { lstmLayout, nmrnnLayout, rnnLayout } from '../../src/core/kernels/layout';
import { Rng } from '../../src/core/random';

function block(p: tf.Tensor1D, offset: number, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return p.slice(offset, size).reshape(shape);
}

/** Row vector [1, n] broadcast against a [B, n] state. */
function initial(p: tf.Tensor1D, offset: number, n: number, B: number): tf.Tensor2D {
  return tf.tile(block(p, offset, [1, n]), [B, 1]) as tf.Tensor2D;
}

function stepOf(t3: tf.Tensor3D, t: number): tf.Tensor2D {
  const [B, , C] = t3.shape;
  return t3.slice([0, t, 0], [B, 1, C]).reshape([B, C]);
}

export function nmrnnOracle(
  a: NmrnnScanAttrs,
  driveX: tf.Tensor3D,
  driveZ: tf.Tensor3D | null,
  params: tf.Tensor1D,
  mul: tf.Tensor3D | null,
  add: tf.Tensor3D | null,
): { x: tf.Tensor3D; z?: tf.Tensor3D; s?: tf.Tensor3D } {
  const { B, T, N, R, M } = a;
  const lay = nmrnnLayout(a);
  const Lt = block(params, lay.Lt, [N, R]);
  const V = block(params, lay.V, [N, R]);
  const ax = 1 / a.tauX;
  const az = 1 / a.tauZ;
  let x = initial(params, lay.x0, N, B);
  let z = M > 0 ? initial(params, lay.z0, M, B) : null;
  const xs: tf.Tensor2D[] = [];
  const zs: tf.Tensor2D[] = [];
  const ss: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const phx = tf.tanh(x);
    let s: tf.Tensor2D = tf.ones([B, R]);
    if (z && driveZ && mul && add) {
      const Wz = block(params, lay.Wz, [M, M]);
      const Az = block(params, lay.Az, [R, M]);
      const bz = block(params, lay.bz, [R]);
      let inZ = tf.add(tf.matMul(tf.tanh(z), Wz, false, true), stepOf(driveZ, t));
      if (a.feedback)
        inZ = tf.add(inZ, tf.matMul(phx, block(params, lay.Wzx, [M, N]), false, true));
      z = tf.add(tf.mul(1 - az, z), tf.mul(az, inZ)) as tf.Tensor2D;
      const sr = tf.sigmoid(tf.add(tf.matMul(z, Az, false, true), bz));
      s = tf.add(
        tf.mul(sr, mul.slice([0, t, 0], [B, 1, R]).reshape([B, R])),
        add.slice([0, t, 0], [B, 1, R]).reshape([B, R]),
      ) as tf.Tensor2D;
      zs.push(z);
      ss.push(s);
    }
    const w = tf.mul(s, tf.matMul(phx, V));
    const rec = tf.mul(a.scale, tf.matMul(w, Lt, false, true));
    x = tf.add(tf.mul(1 - ax, x), tf.mul(ax, tf.add(rec, stepOf(driveX, t)))) as tf.Tensor2D;
    xs.push(x);
  }
  return {
    x: tf.stack(xs, 1) as tf.Tensor3D,
    z: zs.length ? (tf.stack(zs, 1) as tf.Tensor3D) : undefined,
    s: ss.length ? (tf.stack(ss, 1) as tf.Tensor3D) : undefined,
  };
}

export function rnnOracle(a: RnnScanAttrs, driveX: tf.Tensor3D, params: tf.Tensor1D): tf.Tensor3D {
  const { B, T, N } = a;
  const lay = rnnLayout(N);
  const W = block(params, lay.W, [N, N]);
  const ax = 1 / a.tau;
  let x = initial(params, lay.x0, N, B);
  const xs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const rec = tf.mul(a.scale, tf.matMul(tf.tanh(x), W, false, true));
    x = tf.add(tf.mul(1 - ax, x), tf.mul(ax, tf.add(rec, stepOf(driveX, t)))) as tf.Tensor2D;
    xs.push(x);
  }
  return tf.stack(xs, 1) as tf.Tensor3D;
}

export function lstmOracle(
  a: LstmScanAttrs,
  drive: tf.Tensor3D,
  params: tf.Tensor1D,
): { h: tf.Tensor3D; c: tf.Tensor3D; gates: tf.Tensor3D } {
  const { B, T, N } = a;
  const lay = lstmLayout(N);
  const Wh = block(params, lay.Wh, [4 * N, N]);
  let h = initial(params, lay.h0, N, B);
  let c = initial(params, lay.c0, N, B);
  const hs: tf.Tensor2D[] = [];
  const cs: tf.Tensor2D[] = [];
  const gs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const pre = tf.add(tf.matMul(h, Wh, false, true), stepOf(drive, t));
    const [pi, pf, pg, po] = tf.split(pre, 4, 1);
    const i = tf.sigmoid(pi);
    const f = tf.sigmoid(pf);
    const g = tf.tanh(pg);
    const o = tf.sigmoid(po);
    c = tf.add(tf.mul(f, c), tf.mul(i, g)) as tf.Tensor2D;
    h = tf.mul(o, tf.tanh(c)) as tf.Tensor2D;
    hs.push(h);
    cs.push(c);
    gs.push(tf.concat([i, f, g, o], 1) as tf.Tensor2D);
  }
  return {
    h: tf.stack(hs, 1) as tf.Tensor3D,
    c: tf.stack(cs, 1) as tf.Tensor3D,
    gates: tf.stack(gs, 1) as tf.Tensor3D,
  };
}

export function randn(rng: Rng, shape: number[], std = 1): tf.Tensor {
  return tf.tensor(
    rng.normals(
      shape.reduce((x, y) => x * y, 1),
      std,
    ),
    shape,
  );
}

/** Largest |a − b| divided by max |b| (≥ tiny), the tolerance measure the issue asks for. */
export function relMaxDiff(a: tf.Tensor, b: tf.Tensor): number {
  const da = a.dataSync();
  const db = b.dataSync();
  if (da.length !== db.length) throw new Error(`size mismatch ${da.length} vs ${db.length}`);
  let num = 0;
  let den = 1e-30;
  for (let i = 0; i < da.length; i++) {
    num = Math.max(num, Math.abs(da[i] - db[i]));
    den = Math.max(den, Math.abs(db[i]));
  }
  return num / den;
}
