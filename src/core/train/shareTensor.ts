/**
 * A second handle on a tensor's data without copying it, for the snapshots the divergence guard
 * restores from (train/session.ts, train/optimizer.ts): the data's reference count goes up, as the
 * cpu and WebGPU backends' Identity kernel does it. The wasm backend's Identity (tf.clone) copies
 * into a fresh allocation instead, which for the MWG NM-RNN's twelve parameters was twelve mallocs,
 * copies and frees per step. The data is never written in place (kernels write new outputs, and an
 * update assigns the variable a new tensor), so a shared handle keeps exactly the values it saw.
 */
import * as tf from '@tensorflow/tfjs';

export function shareTensor<T extends tf.Tensor>(t: T): T {
  const backend = tf.backend();
  // Data not (yet) on the active backend, just after a switch: a real copy.
  if (backend.refCount(t.dataId) === 0) return tf.clone(t);
  backend.incRef(t.dataId);
  return tf.engine().makeTensorFromDataId(t.dataId, t.shape, t.dtype, backend) as T;
}
