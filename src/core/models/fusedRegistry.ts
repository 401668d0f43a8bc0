/**
 * Where fused scan kernels plug into the models, and the one answer to "fused or reference?". The
 * kernels module registers, per model kind and tfjs backend, a function with exactly the reference
 * scan's signature and which model configurations it handles (`fits`: a backend's size limits, φ).
 * `Model.forward` and `activeImpl` both ask `fusedScanFor`. Keeping the registry here, rather than
 * having the models import the kernels, keeps the dependency one-way.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig, ModelKind, Params } from './types';
import type { ScanFns } from './scanTypes';

export type FusedScanFn<K extends ModelKind> = ScanFns[K];

/** Which configurations a backend's fused scan handles; absent = all of them. */
export type FusedFits = (config: Partial<ModelConfig>) => boolean;

const registry = new Map<string, { scan: ScanFns[ModelKind]; fits?: FusedFits }>();

const key = (kind: ModelKind, backend: string): string => `${kind}@${backend}`;

type Orthonormalize = (L: tf.Tensor2D) => tf.Tensor2D;
const orthonormalizers = new Map<string, Orthonormalize>();

/** A kernel for L̃ on `backend` (the fused models use it; the reference keeps the tfjs ops). */
export function registerFusedOrthonormalize(backend: string, fn: Orthonormalize): void {
  orthonormalizers.set(backend, fn);
}

export function getFusedOrthonormalize(backend: string): Orthonormalize | undefined {
  return orthonormalizers.get(backend);
}

/** Make `fn` the fused scan of `kind` on tfjs backend `backend` (replaces any earlier one). */
export function registerFusedScan<K extends ModelKind>(
  kind: K,
  backend: string,
  fn: FusedScanFn<K>,
  fits?: FusedFits,
): void {
  registry.set(key(kind, backend), { scan: fn, fits });
}

export function unregisterFusedScan(kind: ModelKind, backend: string): void {
  registry.delete(key(kind, backend));
}

/** The fused scan registered for `kind` on `backend`, if any (whatever the configuration). */
export function getFusedScan<K extends ModelKind>(
  kind: K,
  backend: string,
): FusedScanFn<K> | undefined {
  // The map stores each kind's function under that kind's key only, so the cast is sound.
  return registry.get(key(kind, backend))?.scan as FusedScanFn<K> | undefined;
}

/** The fused scan for this model on `backend` when one exists and handles its configuration. */
export function fusedScanFor<K extends ModelKind>(
  kind: K,
  backend: string,
  config: Partial<ModelConfig> = {},
): FusedScanFn<K> | undefined {
  const entry = registry.get(key(kind, backend));
  if (!entry || (entry.fits && !entry.fits({ ...config, kind }))) return undefined;
  return entry.scan as FusedScanFn<K>;
}

/** One training batch as tensors: inputs [B, T, U], targets [B, T, O], mask [B, T]. */
export interface LossGradBatch {
  inputs: tf.Tensor3D;
  targets: tf.Tensor3D;
  mask: tf.Tensor2D;
}

/**
 * A whole training step's arithmetic in one kernel: the masked MSE of the batch and the gradient of
 * every trainable parameter (paramGroups(config).all), or of `wanted` alone where the kernel can
 * save the others' work (a frozen group); it may return more than asked. Undefined where the active
 * backend lacks the kernel, having created nothing; the trainer then differentiates Model.forward.
 */
export type FusedLossGradFn = (
  config: ModelConfig,
  params: Params,
  batch: LossGradBatch,
  wanted?: readonly string[],
) => { loss: tf.Scalar; grads: Record<string, tf.Tensor> } | undefined;

const lossGrads = new Map<string, FusedLossGradFn>();

export function registerFusedLossGrad(kind: ModelKind, backend: string, fn: FusedLossGradFn): void {
  lossGrads.set(key(kind, backend), fn);
}

/**
 * The fused training step for this model on `backend`, where it has one and the fused scan
 * handles this configuration (so "fused" means the same model arithmetic either way).
 */
export function fusedLossGradFor(
  kind: ModelKind,
  backend: string,
  config: Partial<ModelConfig> = {},
): FusedLossGradFn | undefined {
  if (!fusedScanFor(kind, backend, config)) return undefined;
  return lossGrads.get(key(kind, backend));
}

/** A batch as host arrays, row-major: inputs [B, T, U], targets [B, T, O], mask [B, T]. */
export interface HostStepBatch {
  B: number;
  T: number;
  U: number;
  inputs: Float32Array;
  targets: Float32Array;
  mask: Float32Array;
}

/**
 * The same training step on host arrays, for the backends whose memory is the host's (cpu, wasm):
 * parameters by name and the batch in, the loss (rounded to float32, as the kernel's output is)
 * and the gradients of `wanted` (at least) out, with no tfjs tensor made. The trainer holds the
 * parameters and moments on the host between steps there (train/hostParams.ts).
 */
export type HostLossGradFn = (
  config: ModelConfig,
  params: Record<string, Float32Array>,
  batch: HostStepBatch,
  wanted: readonly string[],
) => { loss: number; grads: Record<string, Float32Array> };

const hostLossGrads = new Map<string, { fn: HostLossGradFn; available: () => boolean }>();
let hostStepsOn = true;

/** `available` says whether the active backend runs it now (its kernel, SIMD where needed). */
export function registerHostLossGrad(
  kind: ModelKind,
  backend: string,
  fn: HostLossGradFn,
  available: () => boolean,
): void {
  hostLossGrads.set(key(kind, backend), { fn, available });
}

/**
 * Whether trainers may use the host steps (default yes); off, every step goes through tfjs kernels
 * (`bench --no-host-steps`, and the tests that compare the two).
 */
export function setHostStepsEnabled(enabled: boolean): void {
  hostStepsOn = enabled;
}

/** The host form of fusedLossGradFor: where it exists, the same step without tfjs tensors. */
export function hostLossGradFor(
  kind: ModelKind,
  backend: string,
  config: Partial<ModelConfig> = {},
): HostLossGradFn | undefined {
  if (!hostStepsOn || !fusedLossGradFor(kind, backend, config)) return undefined;
  const entry = hostLossGrads.get(key(kind, backend));
  return entry?.available() ? entry.fn : undefined;
}
