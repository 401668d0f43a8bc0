/**
 * tfjs ops for the fused vanilla-RNN and LSTM scans, and their gradients (see nmrnnOp.ts for the
 * op boundary and why the backward kernel runs eagerly inside gradFunc).
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmScanAttrs, RnnScanAttrs } from './attrs';
import { lstmLayout, rnnLayout } from './layout';
import { LSTM_SCAN, LSTM_SCAN_GRAD, RNN_SCAN, RNN_SCAN_GRAD } from './names';

function checkSize(what: string, params: tf.Tensor, want: number): void {
  if (params.size !== want) {
    throw new Error(
      `fused ${what} scan: packed params have ${params.size} values, expected ${want}`,
    );
  }
}

/** Vanilla RNN: driveX = B u [B, T, N]; params = [W (N×N), x0]. Returns x [B, T, N]. */
export function rnnScan(
  inputs: { driveX: tf.Tensor3D; params: tf.Tensor1D },
  attrs: RnnScanAttrs,
): tf.Tensor3D {
  checkSize('RNN', inputs.params, rnnLayout(attrs.N).size);
  return tf.engine().runKernel<tf.Tensor>(RNN_SCAN, { ...inputs }, {
    ...attrs,
  } as unknown as tf.NamedAttrMap) as tf.Tensor3D;
}

export interface LstmScanOutputs {
  h: tf.Tensor3D;
  c: tf.Tensor3D;
  /** Post-activation gates i, f, g, o: [B, T, 4N]. */
  gates: tf.Tensor3D;
}

/** LSTM: drive = W_in u + b [B, T, 4N] (gate order i, f, g, o); params = [Wh (4N×N), h0, c0]. */
export function lstmScan(
  inputs: { drive: tf.Tensor3D; params: tf.Tensor1D },
  attrs: LstmScanAttrs,
): LstmScanOutputs {
  checkSize('LSTM', inputs.params, lstmLayout(attrs.N).size);
  const [h, c, gates] = tf
    .engine()
    .runKernel<tf.Tensor[]>(LSTM_SCAN, { ...inputs }, { ...attrs } as unknown as tf.NamedAttrMap);
  return { h: h as tf.Tensor3D, c: c as tf.Tensor3D, gates: gates as tf.Tensor3D };
}

/**
 * The gradient of a scan whose only state is x (LR-RNN, vanilla RNN): its backward kernel takes the
 * packed parameters, the saved trajectory and dL/dx, and returns dL/d(drive) and dL/d(params).
 */
export function registerSingleStateScanGradient(kernelName: string, gradKernelName: string): void {
  tf.registerGradient({
    kernelName,
    inputsToSave: ['params'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [params, x] = saved;
      const [gX, gP] = tf
        .engine()
        .runKernel<tf.Tensor[]>(gradKernelName, { params, x, dx: dy as tf.Tensor }, attrs);
      return { driveX: () => gX, params: () => gP };
    },
  });
}

export function registerRnnLstmGradients(): void {
  registerSingleStateScanGradient(RNN_SCAN, RNN_SCAN_GRAD);
  tf.registerGradient({
    kernelName: LSTM_SCAN,
    inputsToSave: ['params'],
    outputsToSave: [true, true, true],
    gradFunc: (dy, saved, attrs) => {
      const [params, h, c, gates] = saved;
      const [dh, dc, dgates] = dy as tf.Tensor[];
      const [gD, gP] = tf
        .engine()
        .runKernel<tf.Tensor[]>(LSTM_SCAN_GRAD, { params, h, c, gates, dh, dc, dgates }, attrs);
      return { drive: () => gD, params: () => gP };
    },
  });
}
