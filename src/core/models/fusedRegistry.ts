/**
 * Where fused scan kernels plug into the models. The kernels module registers, per model kind and
 * tfjs backend, a function with exactly the reference scan's signature; `Model.forward` uses it
 * when one exists for the active backend (unless the caller asks for 'reference'). Keeping the
 * registry here, rather than having the models import the kernels, keeps the dependency one-way.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelKind } from './types';
import type { ScanFns } from './scanTypes';

export type FusedScanFn<K extends ModelKind> = ScanFns[K];

const registry = new Map<string, ScanFns[ModelKind]>();

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
): void {
  registry.set(key(kind, backend), fn);
}

export function unregisterFusedScan(kind: ModelKind, backend: string): void {
  registry.delete(key(kind, backend));
}

/** The fused scan registered for `kind` on `backend`, if any. */
export function getFusedScan<K extends ModelKind>(
  kind: K,
  backend: string,
): FusedScanFn<K> | undefined {
  // The map stores each kind's function under that kind's key only, so the cast is sound.
  return registry.get(key(kind, backend)) as FusedScanFn<K> | undefined;
}
