/**
 * tfjs ops for the fused NM-RNN and low-rank RNN scans, and their gradients. Two op boundaries:
 * the drive-taking scans (NMRNN_SCAN, LOWRANK_SCAN) see only the recurrence, with the drives
 * (B_x u, B_z u) precomputed and y = C x + d read out in tfjs; the factored scan (NMRNN_SCAN_U)
 * also forms the drives from the inputs u and reads out y itself, so no [B, T, N] drive, its
 * gradient, or the readout's matMuls run in tfjs (U and O are 1–7). L̃ stays in tfjs either way. Gradients are registered once for all backends; each backend supplies
 * the `…Grad` kernel that runs the backward recurrence.
 */
import * as tf from '@tensorflow/tfjs';
import type { NmrnnScanAttrs, NmrnnScanUAttrs } from './attrs';
import {
  LOWRANK_SCAN,
  LOWRANK_SCAN_GRAD,
  NMRNN_SCAN,
  NMRNN_SCAN_GRAD,
  NMRNN_SCAN_U,
  NMRNN_SCAN_U_GRAD,
} from './names';
import { nmrnnFactoredLayout, nmrnnLayout } from './layout';
import { registerSingleStateScanGradient } from './rnnOp';

export interface NmrnnScanInputs {
  /** B_x u for every step: [B, T, N]. */
  driveX: tf.Tensor3D;
  /** B_z u (+ b_zx with feedback) for every step: [B, T, M]. */
  driveZ: tf.Tensor3D;
  /** Recurrent parameters packed as nmrnnLayout (see packNmrnnParams). */
  params: tf.Tensor1D;
  /** Ablation [B, T, R] (per trial, so a window can follow a cue): s' = s·mul + add. Not differentiated. */
  mul: tf.Tensor3D;
  add: tf.Tensor3D;
}

export interface NmrnnScanOutputs {
  x: tf.Tensor3D;
  z: tf.Tensor3D;
  s: tf.Tensor3D;
}

export interface NmrnnParamParts {
  Lt: tf.Tensor;
  V: tf.Tensor;
  Wz?: tf.Tensor;
  Az?: tf.Tensor;
  bz?: tf.Tensor;
  Wzx?: tf.Tensor;
  x0: tf.Tensor;
  z0?: tf.Tensor;
}

/** Flattens and concatenates the recurrent parameters in nmrnnLayout order (differentiable). */
export function packNmrnnParams(p: NmrnnParamParts, feedback: boolean): tf.Tensor1D {
  const parts = [p.Lt, p.V];
  if (p.Wz && p.Az && p.bz && p.z0) {
    parts.push(p.Wz, p.Az, p.bz);
    if (feedback) {
      if (!p.Wzx) throw new Error('packNmrnnParams: feedback needs Wzx');
      parts.push(p.Wzx);
    }
    parts.push(p.x0, p.z0);
  } else {
    parts.push(p.x0);
  }
  return tf.concat(parts.map((t) => t.reshape([-1])));
}

export function nmrnnScan(inputs: NmrnnScanInputs, attrs: NmrnnScanAttrs): NmrnnScanOutputs {
  checkNmrnn(inputs.params, attrs);
  const [x, z, s] = tf
    .engine()
    .runKernel<tf.Tensor[]>(NMRNN_SCAN, { ...inputs }, { ...attrs } as unknown as tf.NamedAttrMap);
  return { x: x as tf.Tensor3D, z: z as tf.Tensor3D, s: s as tf.Tensor3D };
}

/** The low-rank RNN (s ≡ 1): attrs.M must be 0; params packed as nmrnnLayout with M = 0. */
export function lowRankScan(
  inputs: { driveX: tf.Tensor3D; params: tf.Tensor1D },
  attrs: NmrnnScanAttrs,
): tf.Tensor3D {
  if (attrs.M !== 0 || attrs.feedback) throw new Error('lowRankScan: needs M = 0, no feedback');
  checkNmrnn(inputs.params, attrs);
  return tf.engine().runKernel<tf.Tensor>(LOWRANK_SCAN, { ...inputs }, {
    ...attrs,
  } as unknown as tf.NamedAttrMap) as tf.Tensor3D;
}

export interface NmrnnFactoredParts extends NmrnnParamParts {
  /** [N, Ux] */
  Bx: tf.Tensor;
  /** [M, U], with the NM subnetwork. */
  Bz?: tf.Tensor;
  /** [M], iff attrs.biasZ. */
  bzx?: tf.Tensor;
  /** [O, N] */
  C: tf.Tensor;
  /** [O], iff attrs.biasY. */
  d?: tf.Tensor;
}

/** Packs in nmrnnFactoredLayout order: nmrnnLayout's blocks, then B_x, B_z, b_zx, C, d. */
export function packNmrnnFactoredParams(p: NmrnnFactoredParts, feedback: boolean): tf.Tensor1D {
  const extra = [p.Bx, p.Bz, p.bzx, p.C, p.d].filter((t): t is tf.Tensor => t !== undefined);
  return tf.concat([
    packNmrnnParams(p, feedback),
    ...extra.map((t) => t.reshape([-1])),
  ]) as tf.Tensor1D;
}

export interface NmrnnScanUInputs {
  /** [B, T, U]: x reads the first Ux channels, z all U. */
  u: tf.Tensor3D;
  /** Packed as nmrnnFactoredLayout (see packNmrnnFactoredParams). */
  params: tf.Tensor1D;
  /** Ablation [B, T, R]: s' = s·mul + add. Not differentiated; ignored when M = 0. */
  mul: tf.Tensor3D;
  add: tf.Tensor3D;
}

export interface NmrnnScanUOutputs extends NmrnnScanOutputs {
  /** [B, T, O] */
  y: tf.Tensor3D;
}

/** The factored scan; z and s are [B, T, 0] when M = 0 (the low-rank RNN). */
export function nmrnnScanFactored(
  inputs: NmrnnScanUInputs,
  attrs: NmrnnScanUAttrs,
): NmrnnScanUOutputs {
  const want = nmrnnFactoredLayout(attrs).size;
  if (inputs.params.size !== want) {
    throw new Error(`factored NM-RNN scan: ${inputs.params.size} packed values, expected ${want}`);
  }
  const [y, x, z, s] = tf.engine().runKernel<tf.Tensor[]>(NMRNN_SCAN_U, { ...inputs }, {
    ...attrs,
  } as unknown as tf.NamedAttrMap);
  return { y: y as tf.Tensor3D, x: x as tf.Tensor3D, z: z as tf.Tensor3D, s: s as tf.Tensor3D };
}

function checkNmrnn(params: tf.Tensor, a: NmrnnScanAttrs): void {
  const want = nmrnnLayout(a).size;
  if (params.size !== want) {
    throw new Error(
      `fused NM-RNN scan: packed params have ${params.size} values, expected ${want}`,
    );
  }
}

/** Registers the (backend-independent) gradients of both scans. Safe to call more than once. */
export function registerNmrnnGradients(): void {
  tf.registerGradient({
    kernelName: NMRNN_SCAN,
    inputsToSave: ['params', 'mul', 'add'],
    outputsToSave: [true, true, true],
    gradFunc: (dy, saved, attrs) => {
      const [params, mul, add, x, z, s] = saved;
      const [dx, dz, ds] = dy as tf.Tensor[];
      // Run the backward scan once, eagerly: the per-input closures below are each called in
      // their own tidy, which would otherwise dispose the sibling gradients.
      const [gX, gZ, gP] = tf
        .engine()
        .runKernel<tf.Tensor[]>(NMRNN_SCAN_GRAD, { params, mul, add, x, z, s, dx, dz, ds }, attrs);
      return {
        driveX: () => gX,
        driveZ: () => gZ,
        params: () => gP,
        mul: () => tf.zerosLike(mul),
        add: () => tf.zerosLike(add),
      };
    },
  });
  registerSingleStateScanGradient(LOWRANK_SCAN, LOWRANK_SCAN_GRAD);
  tf.registerGradient({
    kernelName: NMRNN_SCAN_U,
    inputsToSave: ['u', 'params', 'mul'],
    outputsToSave: [false, true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [u, params, mul, x, z, s] = saved;
      const [dy, dx, dz, ds] = dys as tf.Tensor[];
      const gP = tf
        .engine()
        .runKernel<tf.Tensor>(
          NMRNN_SCAN_U_GRAD,
          { u, params, mul, x, z, s, dy, dx, dz, ds },
          attrs,
        );
      return {
        // The inputs are data; tfjs asks for this only when u depends on something trained.
        u: () => {
          throw new Error('factored NM-RNN scan: no gradient with respect to the inputs u');
        },
        params: () => gP,
        mul: () => tf.zerosLike(mul),
        add: () => tf.zerosLike(mul),
      };
    },
  });
}
