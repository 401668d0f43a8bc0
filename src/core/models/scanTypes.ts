/**
 * The signatures of the recurrent cores ("scans") of every model family. A scan sees only the
 * sequential part of a forward pass: the caller has already computed the input drives for all T
 * steps, the orthonormalised L̃ and the ablation arrays, and reads y out of the returned states.
 * The op-by-op reference scans and the fused kernels share these signatures exactly, so either can
 * run inside `Model.forward` (see fusedRegistry.ts). A fused NM-RNN scan may also offer a
 * `factored` entry that takes the inputs and readout weights instead (NmrnnFactoredScanFn).
 */
import type * as tf from '@tensorflow/tfjs';

/**
 * Per-trial, per-step ablation of s, row-major [B, T, K]: s'_bt = s_bt · mul_bt + add_bt. Per trial
 * because a window may follow a cue (the go cue moves from trial to trial). Plain arrays, not
 * tensors, because they are never differentiated and a scan can skip the identity steps.
 */
export interface AblationArrays {
  mul: Float32Array;
  add: Float32Array;
}

/** The neuromodulatory subnetwork's recurrent parameters (absent for the low-rank RNN). */
export interface NmrnnNmTensors {
  /** [M, M] */
  Wz: tf.Tensor2D;
  /** [K, M] */
  Az: tf.Tensor2D;
  /** [K] */
  bz: tf.Tensor1D;
  /** [M], fixed initial z. */
  z0: tf.Tensor1D;
  /** [M, N], only with feedback from x to z. */
  Wzx?: tf.Tensor2D;
}

export interface NmrnnScanTensors {
  /** L̃ [N, R]: already orthonormalised when the model asks for it. */
  Lt: tf.Tensor2D;
  /** [N, R] */
  V: tf.Tensor2D;
  /** [N], fixed initial x. */
  x0: tf.Tensor1D;
  /** Absent: s ≡ 1 (the low-rank RNN). */
  nm?: NmrnnNmTensors;
}

/**
 * How a drive was computed: drive = u·Wᵀ (+ b) with u [B, T, ·]. Optional on every scan: with it a
 * scan can form each step's drive from u_t directly instead of splitting the [B, T, ·] drive by
 * step, which op by op costs a full copy of the drive per step on wasm and a per-element loop on
 * cpu (the reference scans use it; fused kernels read the whole drive and ignore it).
 */
export interface DriveFactors {
  /** [B, T, Uin] */
  u: tf.Tensor3D;
  /** [P, Uin] */
  W: tf.Tensor2D;
  /** [P] */
  b?: tf.Tensor1D;
}

export interface NmrnnScanDrives {
  /** B_x u_t for every step: [B, T, N]. */
  driveX: tf.Tensor3D;
  /** B_z u_t (+ b_zx with feedback) for every step: [B, T, M]; needed iff `nm` is given. */
  driveZ?: tf.Tensor3D;
  /** Ablation of s [B, T, K]; absent = none. Ignored without `nm`. */
  ablation?: AblationArrays;
  /** Optional factors of driveX and driveZ (see DriveFactors). */
  factors?: { x: DriveFactors; z?: DriveFactors };
}

export interface NmrnnScanSettings {
  tauX: number;
  tauZ: number;
  /** φ of x is the identity (ModelConfig.activation 'linear'); only the reference scan has it. */
  linear?: boolean;
  /** Factor on the low-rank recurrent term: 1, or 1/N (recurrentScale 'invN'). */
  scale: number;
}

export interface NmrnnScanResult {
  /** [B, T, N] */
  x: tf.Tensor3D;
  /** [B, T, M], present iff `nm` was given. */
  z?: tf.Tensor3D;
  /** [B, T, K] after ablation, present iff `nm` was given. */
  s?: tf.Tensor3D;
}

/** The readout y = C·state (+ d), for scans that read out themselves. */
export interface ScanReadout {
  /** [O, N] */
  C: tf.Tensor2D;
  /** [O] */
  d?: tf.Tensor1D;
}

/**
 * The NM-RNN / low-rank RNN drives as factors only: driveX = u[…, :Ux]·B_xᵀ and
 * driveZ = u·B_zᵀ (+ b_zx), never materialised.
 */
export interface NmrnnFactoredDrives {
  /** [B, T, U] */
  u: tf.Tensor3D;
  /** Input channels x reads: the first Ux of u (docs/SCIENCE.md §1.2). */
  Ux: number;
  /** [N, Ux] */
  Bx: tf.Tensor2D;
  /** [M, U]; needed iff `nm` is given. */
  Bz?: tf.Tensor2D;
  /** [M] */
  bzx?: tf.Tensor1D;
  /** Ablation of s [B, T, K]; absent = none. Ignored without `nm`. */
  ablation?: AblationArrays;
}

/**
 * A scan that forms the drives and reads out y itself (a fused kernel doing the whole forward
 * pass but L̃). Returns undefined, having created nothing, where it cannot run (e.g. a backend
 * with only the drive-taking kernel); the caller then uses the plain signature.
 */
export type NmrnnFactoredScanFn = (
  params: NmrnnScanTensors,
  drives: NmrnnFactoredDrives,
  settings: NmrnnScanSettings,
  readout: ScanReadout,
) => (NmrnnScanResult & { y: tf.Tensor3D }) | undefined;

export type NmrnnScanFn = ((
  params: NmrnnScanTensors,
  drives: NmrnnScanDrives,
  settings: NmrnnScanSettings,
) => NmrnnScanResult) & {
  /** Optional faster entry with the same results (the reference scans have none). */
  factored?: NmrnnFactoredScanFn;
};

export interface RnnScanTensors {
  /** [N, N], unscaled (the 1/N is `settings.scale`). */
  W: tf.Tensor2D;
  /** [N] */
  x0: tf.Tensor1D;
}

export interface RnnScanSettings {
  tau: number;
  scale: number;
}

export type RnnScanFn = (
  params: RnnScanTensors,
  /** B u_t for every step: [B, T, N]. */
  driveX: tf.Tensor3D,
  settings: RnnScanSettings,
  /** Optional factors of driveX (see DriveFactors). */
  factors?: DriveFactors,
) => { x: tf.Tensor3D };

export interface LstmScanTensors {
  /** Recurrent matrices of the gates stacked in order i, f, g, o: [4N, N]. */
  Wh: tf.Tensor2D;
  /** [N] */
  h0: tf.Tensor1D;
  /** [N] */
  c0: tf.Tensor1D;
}

export interface LstmScanSettings {
  /** Also return the gate activations (costs memory; analyses only). */
  recordGates: boolean;
}

export interface LstmScanResult {
  /** [B, T, N] */
  h: tf.Tensor3D;
  /** [B, T, N] */
  c: tf.Tensor3D;
  /** [B, T, 4N], activations i, f, g, o; present iff recordGates. */
  gates?: tf.Tensor3D;
}

export type LstmScanFn = (
  params: LstmScanTensors,
  /** W u_t + b for the four gates, stacked i, f, g, o: [B, T, 4N]. */
  drive: tf.Tensor3D,
  settings: LstmScanSettings,
  /** Optional factors of drive (see DriveFactors). */
  factors?: DriveFactors,
) => LstmScanResult;

/** The scan each model kind runs (the low-rank RNN uses the NM-RNN scan without `nm`). */
export interface ScanFns {
  nmrnn: NmrnnScanFn;
  lrrnn: NmrnnScanFn;
  rnn: RnnScanFn;
  lstm: LstmScanFn;
}
