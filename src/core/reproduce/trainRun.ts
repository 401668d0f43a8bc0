/**
 * One training run of an experiment config, as the reproduction scripts and the preset builder
 * need it: train for a number of steps (optionally in stages), then score every evaluation set
 * with the task's own metrics. Pure over src/core, so tests can run it tiny.
 */
import type { ExperimentConfig } from '../config/schema';
import { createExperiment, trainingOptionsFor, type Experiment } from '../experiment';
import { activeImpl } from '../kernels/register';
import { createModel } from '../models';
import type { Model, ParamGroup, ScanImpl } from '../models/types';
import { Rng } from '../random';
import { TrainingSession } from '../train';
import { evaluateModel } from '../analysis';

/** Progress callback: what is training, which step, the latest loss. */
export type ProgressFn = (p: { label: string; step: number; steps: number; loss: number }) => void;

export interface TrainRunOptions {
  steps: number;
  /** Shown in progress lines. */
  label?: string;
  /** Report progress every this many steps (default 100). */
  progressEvery?: number;
  onProgress?: ProgressFn;
  impl?: ScanImpl;
}

export interface TrainRun {
  experiment: Experiment;
  model: Model;
  session: TrainingSession;
  impl: ScanImpl;
  /** Loss of every step taken (the loss of the parameters before that step's update). */
  losses: number[];
  /** Set when the divergence guard stopped the run early. */
  stoppedEarly?: string;
  seconds: number;
}

/** What every experiment records about one seed's training run. */
export interface RunSummary {
  seed: number;
  steps: number;
  seconds: number;
  finalLoss: number;
  stoppedEarly?: string;
}

export function runSummary(run: TrainRun, seed: number): RunSummary {
  return {
    seed,
    steps: run.losses.length,
    seconds: run.seconds,
    finalLoss: run.losses[run.losses.length - 1] ?? NaN,
    ...(run.stoppedEarly ? { stoppedEarly: run.stoppedEarly } : {}),
  };
}

/** Build the experiment, the model (init seed) and a session; nothing is trained yet. */
export function startRun(config: ExperimentConfig, impl?: ScanImpl): TrainRun {
  const experiment = createExperiment(config);
  const model = createModel(experiment.modelConfig, new Rng(config.seeds.init));
  const chosen = impl ?? activeImpl(experiment.modelConfig.kind, experiment.modelConfig);
  const session = new TrainingSession(model, experiment.nextBatch, {
    ...trainingOptionsFor(config),
    impl: chosen,
  });
  return { experiment, model, session, impl: chosen, losses: [], seconds: 0 };
}

/** Train `run` for more steps in its current stage, appending to its loss history. */
export async function continueRun(run: TrainRun, opts: TrainRunOptions): Promise<TrainRun> {
  const every = opts.progressEvery ?? 100;
  const t0 = performance.now();
  const label = opts.label ?? run.experiment.modelConfig.kind;
  for (let i = 0; i < opts.steps; i++) {
    const r = await run.session.step();
    if (!r.ok) {
      run.stoppedEarly = r.reason;
      break;
    }
    run.losses.push(r.loss);
    if ((i + 1) % every === 0 || i + 1 === opts.steps) {
      opts.onProgress?.({ label, step: i + 1, steps: opts.steps, loss: r.loss });
    }
  }
  run.seconds += (performance.now() - t0) / 1000;
  return run;
}

/** Start and train in one go. */
export async function trainRun(config: ExperimentConfig, opts: TrainRunOptions): Promise<TrainRun> {
  return continueRun(startRun(config, opts.impl), opts);
}

/** Switch the trainable group (staged training, retraining protocols). */
export function setStage(run: TrainRun, stage: ParamGroup, lr?: number): void {
  run.session.setStage(stage);
  if (lr !== undefined) run.session.setLearningRate(lr);
}

/**
 * Task metrics of the current parameters on every evaluation set, keyed `<set>.<metric>` exactly
 * like the train CLI's output (plus `<set>.loss`), so preset files and reports agree.
 */
export async function evaluateRun(run: TrainRun): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const set of run.experiment.evalSets) {
    const ev = await evaluateModel(run.model, set.batch, { impl: run.impl });
    for (const [k, v] of Object.entries(run.experiment.metrics(set, ev.outputs.data))) {
      out[`${set.name}.${k}`] = v;
    }
    out[`${set.name}.loss`] = ev.loss;
  }
  return out;
}

export function disposeRun(run: TrainRun): void {
  run.session.dispose();
  run.model.dispose();
}
