/**
 * Writing new values into a variable's own data, without a new tensor, on the wasm backend. Only
 * where nothing else holds that data: shareTensor.ts's snapshots share it by reference count and
 * must keep the values they saw, so with any other holder (or on another backend, or another dtype)
 * the caller assigns a new tensor instead. Not on cpu: there `data()` and `dataSync()` hand out the
 * backend's own array, which a reader may keep (model.toArrays), so a write in place would change
 * values someone already read; wasm's reads are copies. Every write is counted per data, so a
 * reader that keeps its own copy (hostParams.ts) can tell that the data changed though its id did
 * not.
 */
import * as tf from '@tensorflow/tfjs';
import { hostView } from '../kernels/cpu/hostIO';

const writes = new WeakMap<object, number>();

/** How many times writeInPlace has written this data. */
export function writesTo(dataId: object): number {
  return writes.get(dataId) ?? 0;
}

/** Writes `values` into `v`'s data; false (nothing written) where it cannot be done in place. */
export function writeInPlace(v: tf.Variable, values: Float32Array): boolean {
  if (v.dtype !== 'float32' || v.size !== values.length) return false;
  if (tf.getBackend() !== 'wasm') return false;
  const backend = tf.backend();
  if (backend.refCount(v.dataId) !== 1) return false;
  const view = hostView(backend, v);
  if (!view || view.length !== values.length) return false;
  view.set(values);
  writes.set(v.dataId, writesTo(v.dataId) + 1);
  return true;
}
