/** The status line the page shows, read from the session's parts. */
import { activeImpl } from '../core/kernels/register';
import type { BackendHost } from './backendHost';
import type { TrainingStatus } from './protocol';
import type { RunSlot } from './runSlot';
import type { TrainingLoop } from './trainingLoop';
import type { ThreadsInfo } from './stepThreads';

export function statusOf(
  run: RunSlot,
  loop: TrainingLoop,
  host: BackendHost,
  message: string | undefined,
  diverged: boolean,
  threads: ThreadsInfo,
): TrainingStatus {
  const model = run.built?.model;
  const { config, step } = run;
  return {
    running: loop.running,
    step,
    stepsPerSec: loop.speed.stepsPerSec(),
    elapsedMs: loop.speed.elapsedMs(),
    backend: host.name,
    impl: model ? activeImpl(model.config.kind, model.config) : 'reference',
    // Step threads serve the host kernels only; a GPU backend trains on its own device.
    threads: host.name === 'cpu' || host.name === 'wasm' ? threads.count : 1,
    ...(threads.note ? { threadsNote: threads.note } : {}),
    learningRate: run.schedule.targetLr(config, step),
    message,
    diverged,
    paramCount: model ? model.paramCount() : 0,
    backendNote: host.backendNote,
    backendChoice: host.choice,
    ...(host.available ? { available: host.available } : {}),
    stage: run.built?.trainer.stage,
    ...run.schedule.status(config, step),
  };
}
