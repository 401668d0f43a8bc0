/**
 * The fused kernels behind the models' scan signatures (models/scanTypes.ts): pack the recurrent
 * parameters, turn the ablation arrays into tensors, call the fused op, and return what the
 * reference scan returns. These are what register.ts puts into the models' fused-scan registry.
 */

function ablationTensors(ab: AblationArrays | undefined, B: number, T: number, R: number) {
  return {
    mul: ab ? tf.tensor3d(ab.mul, [B, T, R]) : tf.ones<tf.Rank.R3>([B, T, R]),
    add: ab ? tf.tensor3d(ab.add, [B, T, R]) : tf.zeros<tf.Rank.R3>([B, T, R]),
  };
}

/**
 * The factored entry of the NM-RNN / low-rank scan: one kernel from inputs to y. Only where the
 * active backend registers NMRNN_SCAN_U (backends with only the drive-taking kernels get
 * undefined and run the plain signature).
 */
const nmrnnScanFactoredEntry: NmrnnFactoredScanFn = (params, drives, settings, readout) => {
  if (!tf.getKernel(NMRNN_SCAN_U, tf.getBackend())) return undefined;
  const { u, Ux, Bx, Bz, bzx } = drives;
  const [B, T, U] = u.shape;
  const [N, R] = params.Lt.shape;
  const { nm } = params;
  if (nm && !Bz) throw new Error('fused NM-RNN scan: the NM subnetwork needs Bz');
  const M = nm ? nm.Wz.shape[0] : 0;
  const feedback = nm?.Wzx !== undefined;
  const attrs = {
    ...{ B, T, N, R, M, feedback, ...settings },
    ...{ U, Ux, O: readout.C.shape[0], biasZ: nm !== undefined && bzx !== undefined },
    biasY: readout.d !== undefined,
  };
  const packed = packNmrnnFactoredParams(
    {
      ...params,
      ...nm,
      Bx,
      Bz: nm ? Bz : undefined,
      bzx: attrs.biasZ ? bzx : undefined,
      ...readout,
    },
    feedback,
  );
  const { y, x, z, s } = nmrnnScanFactored(
    { u, params: packed, ...ablationTensors(nm ? drives.ablation : undefined, B, T, R) },
    attrs,
  );
  return nm ? { y, x, z, s } : { y, x };
};
import * as tf from '@tensorflow/tfjs';
import type {
  AblationArrays,
  LstmScanFn,
  NmrnnFactoredScanFn,
  NmrnnScanFn,
  RnnScanFn,
} from '../models/scanTypes';
import { NMRNN_SCAN_U } from './names';
import {
  lowRankScan,
  nmrnnScan,
  nmrnnScanFactored,
  packNmrnnFactoredParams,
  packNmrnnParams,
} from './nmrnnOp';
import { lstmScan, rnnScan } from './rnnOp';

const nmrnnScanWhole: NmrnnScanFn = (params, drives, settings) => {
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
  return nmrnnScan(
    { driveX, driveZ: drives.driveZ, params: packed, ...ablationTensors(drives.ablation, B, T, R) },
    { B, T, N, R, M, feedback, ...settings },
  );
};

/** The NM-RNN / low-rank scan: drives given whole, or (`factored`) as inputs and weights. */
export const nmrnnScanFused: NmrnnScanFn = Object.assign(nmrnnScanWhole, {
  factored: nmrnnScanFactoredEntry,
});

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
