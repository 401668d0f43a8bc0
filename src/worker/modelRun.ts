/**
 * One model being trained in the worker: its experiment (task, batches, evaluation sets), the
 * model and its trainer, built from a configuration (fresh, or from saved parameters and optimiser
 * moments), read back to the host, and freed.
 */
import type { ExperimentConfig } from '../core/config/schema';
import { createExperiment, trainingOptionsFor, type Experiment } from '../core/experiment';
import { createModel, modelFromArrays } from '../core/models';
import type { Model, ParamArrays } from '../core/models/types';
import { Rng } from '../core/random';
import type { OptimizerState } from '../core/train/optimizer';
import { TrainingSession } from '../core/train/session';

export interface ModelRun {
  experiment: Experiment;
  model: Model;
  trainer: TrainingSession;
}

/** A run of `config`: from its initial parameters, or from saved ones (and their moments). */
export function buildRun(
  config: ExperimentConfig,
  params?: ParamArrays,
  optimizer?: OptimizerState,
): ModelRun {
  const experiment = createExperiment(config);
  const model = params
    ? modelFromArrays(experiment.modelConfig, params)
    : createModel(experiment.modelConfig, new Rng(config.seeds.init));
  const stage = config.training.stage;
  const trainer = new TrainingSession(model, experiment.nextBatch, {
    ...trainingOptionsFor(config),
    // A stage this model has no parameters for (the NM group of an LSTM) trains everything.
    stage: model.groups[stage]?.length ? stage : 'all',
  });
  if (optimizer) trainer.setOptimizerState(optimizer);
  return { experiment, model, trainer };
}

/**
 * The run's parameters and optimiser moments on the host. A backend that died with its buffers
 * cannot give them back: then `fallback` (the host copy from the last evaluation) stands in.
 */
export async function readRun(
  run: ModelRun,
  fallback?: ParamArrays,
): Promise<{ params?: ParamArrays; optimizer?: OptimizerState }> {
  try {
    return { params: await run.model.toArrays(), optimizer: await run.trainer.getOptimizerState() };
  } catch {
    return { params: fallback };
  }
}

/** Free the run's tensors; a dead backend cannot free its buffers, and that is fine. */
export function disposeRun(run: ModelRun): void {
  try {
    run.trainer.dispose();
    run.model.dispose();
  } catch {
    // Nothing left to free.
  }
}
