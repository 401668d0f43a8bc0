/**
 * Registers the WebGPU fused kernels with tfjs, the models' fused scans for backend 'webgpu', and
 * the size limit fusedAvailable consults. Registration only stores kernel functions by name, so
 * it needs no import of tfjs-backend-webgpu and is harmless in Node; the functions run only when
 * the webgpu backend is active, and then receive its WebGPUBackend.
 *
 * The scans registered for the models check the size first and run the reference scan for a model
 * the kernels cannot hold, so Model.forward falls back cleanly (and activeImpl, through the size
 * limit, reports 'reference' for it).
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedScan } from '../../models/fusedRegistry';
import {
  lstmScanReference,
  nmrnnScanReference,
  rnnScanReference,
} from '../../models/referenceScans';
import type { LstmScanFn, NmrnnScanFn, RnnScanFn } from '../../models/scanTypes';
import {
  LOWRANK_SCAN,
  LOWRANK_SCAN_GRAD,
  LSTM_SCAN,
  LSTM_SCAN_GRAD,
  NMRNN_SCAN,
  NMRNN_SCAN_GRAD,
  RNN_SCAN,
  RNN_SCAN_GRAD,
} from '../names';
import { setFusedSizeLimit } from '../sizeLimits';
import { lstmScanFused, nmrnnScanFused, rnnScanFused } from '../scans';
import {
  lstmBackwardKernel,
  lstmForwardKernel,
  rnnBackwardKernel,
  rnnForwardKernel,
} from './denseKernels';
import {
  lowRankBackwardKernel,
  lowRankForwardKernel,
  nmrnnBackwardKernel,
  nmrnnForwardKernel,
} from './nmrnnKernels';
import { lstmPlan, nmrnnPlan, rnnPlan, webgpuFits } from './sizing';

export const WEBGPU = 'webgpu';

const KERNELS: [string, tf.KernelFunc][] = [
  [NMRNN_SCAN, nmrnnForwardKernel],
  [NMRNN_SCAN_GRAD, nmrnnBackwardKernel],
  [LOWRANK_SCAN, lowRankForwardKernel],
  [LOWRANK_SCAN_GRAD, lowRankBackwardKernel],
  [RNN_SCAN, rnnForwardKernel],
  [RNN_SCAN_GRAD, rnnBackwardKernel],
  [LSTM_SCAN, lstmForwardKernel],
  [LSTM_SCAN_GRAD, lstmBackwardKernel],
];

const nmrnnScanWebgpu: NmrnnScanFn = (params, drives, settings) => {
  const N = drives.driveX.shape[2];
  const R = params.Lt.shape[1];
  const M = params.nm ? params.nm.Wz.shape[0] : 0;
  // The WebGPU programs hard-code φ = tanh: a linear output network runs op by op.
  const fits = !settings.linear && nmrnnPlan(N, R, M, params.nm?.Wzx !== undefined) !== null;
  return (fits ? nmrnnScanFused : nmrnnScanReference)(params, drives, settings);
};

const rnnScanWebgpu: RnnScanFn = (params, driveX, settings, factors) => {
  const fits = rnnPlan(driveX.shape[2]) !== null;
  return (fits ? rnnScanFused : rnnScanReference)(params, driveX, settings, factors);
};

const lstmScanWebgpu: LstmScanFn = (params, drive, settings, factors) => {
  const fits = lstmPlan(drive.shape[2] / 4) !== null;
  return (fits ? lstmScanFused : lstmScanReference)(params, drive, settings, factors);
};

/**
 * How often each WebGPU kernel has run in this context: lets a check prove that the fused path
 * really ran on the GPU (and that an oversized model did not reach it), at the cost of one
 * increment per call.
 */
export const webgpuKernelCalls: Record<string, number> = {};

export function registerWebgpuKernels(): void {
  for (const [kernelName, kernelFunc] of KERNELS) {
    if (tf.getKernel(kernelName, WEBGPU)) continue;
    const counted: tf.KernelFunc = (args) => {
      webgpuKernelCalls[kernelName] = (webgpuKernelCalls[kernelName] ?? 0) + 1;
      return kernelFunc(args);
    };
    tf.registerKernel({ kernelName, backendName: WEBGPU, kernelFunc: counted });
  }
  registerFusedScan('nmrnn', WEBGPU, nmrnnScanWebgpu);
  registerFusedScan('lrrnn', WEBGPU, nmrnnScanWebgpu);
  registerFusedScan('rnn', WEBGPU, rnnScanWebgpu);
  registerFusedScan('lstm', WEBGPU, lstmScanWebgpu);
  setFusedSizeLimit(WEBGPU, webgpuFits);
}
