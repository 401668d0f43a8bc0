/**
 * One call that makes the fused scans available (their gradients and the kernels of every backend
 * that has them), and the questions the trainer, CLI and UI ask: is the fused path available for
 * this model on this backend, and which implementation runs now.
 */
import * as tf from '@tensorflow/tfjs';
import {
  fusedScanFor,
  registerFusedLossGrad,
  registerFusedOrthonormalize,
  registerFusedScan,
  registerHostLossGrad,
} from '../models/fusedRegistry';
import {
  lstmLossGradFused,
  lstmLossGradOnHost,
  lstmStepAvailable,
  nmrnnLossGradFused,
  nmrnnLossGradOnHost,
  nmrnnStepAvailable,
  rnnLossGradFused,
  rnnLossGradOnHost,
  rnnStepAvailable,
} from './lossGradOp';
import { orthonormalizeFused, registerOrthonormalizeGradient } from './orthonormalizeOp';
import type { ModelConfig, ModelKind, ScanImpl } from '../models/types';
import { HOST_BACKENDS, registerCpuKernels } from './cpu/registerCpu';
import { LOWRANK_SCAN, LSTM_SCAN, NMRNN_SCAN, RNN_SCAN } from './names';
import { registerNmrnnGradients } from './nmrnnOp';
import { registerRnnLstmGradients } from './rnnOp';
import { lstmScanFused, nmrnnScanFused, rnnScanFused } from './scans';
import { registerWebgpuKernels } from './webgpu/registerWebgpu';

let registered = false;

/**
 * Registers the gradients, the kernels, and the fused scans in the models' registry for every
 * backend that has kernels, so `Model.forward` (and so the trainer) uses them by default.
 * Idempotent; cheap after the first call. Call it once at startup (worker, CLI, tests).
 */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  registerNmrnnGradients();
  registerRnnLstmGradients();
  registerOrthonormalizeGradient();
  registerCpuKernels();
  for (const backend of HOST_BACKENDS) registerScans(backend);
  registerWebgpuKernels();
}

function registerScans(backend: string): void {
  registerFusedScan('nmrnn', backend, nmrnnScanFused);
  registerFusedScan('lrrnn', backend, nmrnnScanFused);
  registerFusedScan('rnn', backend, rnnScanFused);
  registerFusedScan('lstm', backend, lstmScanFused);
  registerFusedOrthonormalize(backend, orthonormalizeFused);
  registerFusedLossGrad('nmrnn', backend, nmrnnLossGradFused);
  registerFusedLossGrad('lrrnn', backend, nmrnnLossGradFused);
  registerFusedLossGrad('rnn', backend, rnnLossGradFused);
  registerFusedLossGrad('lstm', backend, lstmLossGradFused);
  registerHostLossGrad('nmrnn', backend, nmrnnLossGradOnHost, nmrnnStepAvailable);
  registerHostLossGrad('lrrnn', backend, nmrnnLossGradOnHost, nmrnnStepAvailable);
  registerHostLossGrad('rnn', backend, rnnLossGradOnHost, rnnStepAvailable);
  registerHostLossGrad('lstm', backend, lstmLossGradOnHost, lstmStepAvailable);
}

const FORWARD_KERNEL: Record<ModelKind, string> = {
  nmrnn: NMRNN_SCAN,
  lrrnn: LOWRANK_SCAN,
  rnn: RNN_SCAN,
  lstm: LSTM_SCAN,
};

/**
 * Whether a fused kernel for this model family exists on this backend (and, given the model's
 * configuration, whether its sizes fit that backend's kernel).
 */
export function fusedAvailable(
  kind: ModelKind,
  backendName: string,
  config?: Partial<ModelConfig>,
): boolean {
  registerFusedKernels();
  if (!tf.getKernel(FORWARD_KERNEL[kind], backendName)) return false;
  return fusedScanFor(kind, backendName, config ?? {}) !== undefined;
}

/** The implementation a forward pass without an explicit `impl` uses on the active backend. */
export function activeImpl(kind: ModelKind, config?: Partial<ModelConfig>): ScanImpl {
  return fusedAvailable(kind, tf.getBackend(), config) ? 'fused' : 'reference';
}
