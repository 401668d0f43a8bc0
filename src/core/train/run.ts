/**
 * One run of an experiment config: its experiment (task, training batches, evaluation sets), the
 * model (initial parameters from the init seed, or saved ones) and the trainer that trains it, with
 * saved optimiser moments if given. The worker, the CLI and the reproduction start runs here.
 */
import type { ExperimentConfig } from '../config/schema';
import { createExperiment, trainingOptionsFor, type Experiment } from '../experiment';
import { createModel, modelFromArrays } from '../models';
import type { Model, ParamArrays, ScanImpl } from '../models/types';
import { Rng } from '../random';
import type { OptimizerState } from './optimizer';
import { TrainingSession } from './session';

export interface Run {
  experiment: Experiment;
  model: Model;
  trainer: TrainingSession;
}

export interface RunOptions {
  /** Saved parameters instead of the init seed's. */
  params?: ParamArrays;
  /** Saved optimiser moments (with saved parameters). */
  optimizer?: OptimizerState;
  /** The forward implementation; undefined lets the model choose per call. */
  impl?: ScanImpl;
}

export function createRun(config: ExperimentConfig, opts: RunOptions = {}): Run {
  const experiment = createExperiment(config);
  const model = opts.params
    ? modelFromArrays(experiment.modelConfig, opts.params)
    : createModel(experiment.modelConfig, new Rng(config.seeds.init));
  const stage = config.training.stage;
  const trainer = new TrainingSession(model, experiment.nextBatch, {
    ...trainingOptionsFor(config),
    // A stage this model has no parameters for (the NM group of an LSTM) trains everything.
    stage: model.groups[stage]?.length ? stage : 'all',
    ...(opts.impl ? { impl: opts.impl } : {}),
  });
  if (opts.optimizer) trainer.setOptimizerState(opts.optimizer);
  return { experiment, model, trainer };
}

/** Free the run's tensors; a dead backend cannot free its buffers, and that is fine. */
export function disposeRun(run: Run): void {
  try {
    run.trainer.dispose();
    run.model.dispose();
  } catch {
    // Nothing left to free.
  }
}
