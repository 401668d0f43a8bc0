/**
 * The fused kernels behind the models' scan signatures (models/scanTypes.ts): pack the recurrent
 * parameters, turn the ablation arrays into tensors, call the fused op, and return what the
 * reference scan returns. These are what register.ts puts into the models' fused-scan registry.
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmScanFn, NmrnnScanFn, RnnScanFn } from '../models/scanTypes';
import { lowRankScan, nmrnnScan, packNmrnnParams } from './nmrnnOp';
import { lstmScan, rnnScan } from './rnnOp';

export const nmrnnScanFused: NmrnnScanFn = (params, drives, settings) => {
  const { driveX } = drives;
  const [B, T, N] = driveX.shape;
  const R = params.Lt.shape[1];
  const { nm } = params;
  if (!nm) {
    const attrs = { B, T, N, R, M: 0, feedback: false, ...settings };
    const x = lowRankScan({ driveX, params: packNmrnnParams(params, false) }, attrs);
    return { x };
  }
  if (!drives.driveZ) throw new Error('fused NM-RNN scan: the NM subnetwork needs driveZ');
  const M = nm.Wz.shape[0];
  const feedback = nm.Wzx !== undefined;
  const packed = packNmrnnParams({ ...params, ...nm }, feedback);
  const ab = drives.ablation;
  const mul = ab ? tf.tensor2d(ab.mul, [T, R]) : tf.ones([T, R]);
  const add = ab ? tf.tensor2d(ab.add, [T, R]) : tf.zeros([T, R]);
  return nmrnnScan(
    {
      driveX,
      driveZ: drives.driveZ,
      params: packed,
      mul: mul as tf.Tensor2D,
      add: add as tf.Tensor2D,
    },
    { B, T, N, R, M, feedback, ...settings },
  );
};

export const rnnScanFused: RnnScanFn = (params, driveX, settings) => {
  const [B, T, N] = driveX.shape;
  const packed = tf.concat([tf.reshape(params.W, [-1]), params.x0]) as tf.Tensor1D;
  return { x: rnnScan({ driveX, params: packed }, { B, T, N, ...settings }) };
};

export const lstmScanFused: LstmScanFn = (params, drive, settings) => {
  const [B, T, G] = drive.shape;
  const packed = tf.concat([tf.reshape(params.Wh, [-1]), params.h0, params.c0]) as tf.Tensor1D;
  const { h, c, gates } = lstmScan({ drive, params: packed }, { B, T, N: G / 4 });
  // The kernel always produces the gates (its backward pass needs them); hand them out on request.
  return settings.recordGates ? { h, c, gates } : { h, c };
};
