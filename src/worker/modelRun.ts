/**
 * The worker's model run (core/train/run.ts), read back to the host, where a dead backend cannot
 * give its buffers back.
 */
import type { ParamArrays } from '../core/models/types';
import type { OptimizerState } from '../core/train/optimizer';
import type { Run } from '../core/train/run';

export { createRun, disposeRun, type Run as ModelRun } from '../core/train/run';

/**
 * The run's parameters and optimiser moments on the host. A backend that died with its buffers
 * cannot give them back: then `fallback` (the host copy from the last evaluation) stands in.
 */
export async function readRun(
  run: Run,
  fallback?: ParamArrays,
): Promise<{ params?: ParamArrays; optimizer?: OptimizerState }> {
  try {
    return { params: await run.model.toArrays(), optimizer: await run.trainer.getOptimizerState() };
  } catch {
    return { params: fallback };
  }
}
