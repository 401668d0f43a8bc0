/**
 * Registers the CPU-loop kernels (the scans, the fused training step and optimiser step) for the backends whose
 * tensors live in host memory.
 */
import * as tf from '@tensorflow/tfjs';
import {
  ADAMW_UPDATE,
  ORTHONORMALIZE,
  ORTHONORMALIZE_GRAD,
  LOWRANK_SCAN,
  LOWRANK_SCAN_GRAD,
  LSTM_SCAN,
  LSTM_SCAN_GRAD,
  LSTM_LOSS_GRAD,
  NMRNN_LOSS_GRAD,
  RNN_LOSS_GRAD,
  NMRNN_SCAN,
  NMRNN_SCAN_GRAD,
  NMRNN_SCAN_U,
  NMRNN_SCAN_U_GRAD,
  RNN_SCAN,
  RNN_SCAN_GRAD,
} from '../names';
import {
  lowRankBackwardKernel,
  lowRankForwardKernel,
  nmrnnBackwardKernel,
  nmrnnFactoredBackwardKernel,
  nmrnnFactoredForwardKernel,
  nmrnnForwardKernel,
} from './nmrnnKernels';
import {
  lstmBackwardKernel,
  lstmForwardKernel,
  rnnBackwardKernel,
  rnnForwardKernel,
} from './rnnKernels';
import { adamwKernel } from './adamwKernel';
import { nmrnnLossGradKernel } from './nmrnnLossGradKernel';
import { lstmLossGradKernel, rnnLossGradKernel } from './laneLossGradKernels';
import { orthonormalizeGradKernel, orthonormalizeKernel } from './orthonormalizeKernel';

export const HOST_BACKENDS = ['cpu', 'wasm'] as const;

const KERNELS: [string, tf.KernelFunc][] = [
  [NMRNN_SCAN, nmrnnForwardKernel],
  [NMRNN_SCAN_GRAD, nmrnnBackwardKernel],
  [NMRNN_SCAN_U, nmrnnFactoredForwardKernel],
  [NMRNN_SCAN_U_GRAD, nmrnnFactoredBackwardKernel],
  [LOWRANK_SCAN, lowRankForwardKernel],
  [LOWRANK_SCAN_GRAD, lowRankBackwardKernel],
  [RNN_SCAN, rnnForwardKernel],
  [RNN_SCAN_GRAD, rnnBackwardKernel],
  [LSTM_SCAN, lstmForwardKernel],
  [LSTM_SCAN_GRAD, lstmBackwardKernel],
  [NMRNN_LOSS_GRAD, nmrnnLossGradKernel],
  [RNN_LOSS_GRAD, rnnLossGradKernel],
  [LSTM_LOSS_GRAD, lstmLossGradKernel],
  [ADAMW_UPDATE, adamwKernel],
  [ORTHONORMALIZE, orthonormalizeKernel],
  [ORTHONORMALIZE_GRAD, orthonormalizeGradKernel],
];

export function registerCpuKernels(): void {
  for (const backendName of HOST_BACKENDS) {
    for (const [kernelName, kernelFunc] of KERNELS) {
      if (tf.getKernel(kernelName, backendName)) continue;
      tf.registerKernel({ kernelName, backendName, kernelFunc });
    }
  }
}
