/**
 * Registers the WebGPU fused kernels with tfjs and the models' fused scans for backend 'webgpu',
 * each with the configurations it handles (the workgroup limits; φ = tanh). Registration only
 * stores kernel functions by name, so it needs no import of tfjs-backend-webgpu and is harmless in
 * Node; the functions run only when the webgpu backend is active, and then receive its
 * WebGPUBackend. A model the kernels cannot hold gets the reference scan from the registry
 * (models/fusedRegistry.ts fusedScanFor), so Model.forward and activeImpl give the same answer.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedScan } from '../../models/fusedRegistry';
import type { ModelConfig, ModelKind } from '../../models/types';
import {
  ADAMW_UPDATE,
  LOWRANK_SCAN,
  LOWRANK_SCAN_GRAD,
  LSTM_SCAN,
  LSTM_SCAN_GRAD,
  NMRNN_SCAN,
  NMRNN_SCAN_GRAD,
  RNN_SCAN,
  RNN_SCAN_GRAD,
} from '../names';
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
import { webgpuFits } from './sizing';
import { adamwWebgpuKernel } from './adamwKernels';

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
  [ADAMW_UPDATE, adamwWebgpuKernel],
];

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
  // The programs' workgroup limits, and φ = tanh hard-coded: anything else runs op by op.
  const fits = (kind: ModelKind) => (c: Partial<ModelConfig>) =>
    c.activation !== 'linear' && webgpuFits(kind, c);
  registerFusedScan('nmrnn', WEBGPU, nmrnnScanFused, fits('nmrnn'));
  registerFusedScan('lrrnn', WEBGPU, nmrnnScanFused, fits('lrrnn'));
  registerFusedScan('rnn', WEBGPU, rnnScanFused, fits('rnn'));
  registerFusedScan('lstm', WEBGPU, lstmScanFused, fits('lstm'));
}
