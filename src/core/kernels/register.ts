/**
 * One call that makes the fused scans available: registers their gradients and the kernels of
 * every backend that has them. Idempotent.
 */
import { registerCpuKernels } from './cpu/registerCpu';
import { registerNmrnnGradients } from './nmrnnOp';
import { registerRnnLstmGradients } from './rnnOp';

let registered = false;

export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  registerNmrnnGradients();
  registerRnnLstmGradients();
  registerCpuKernels();
}
