/**
 * One training run of an experiment config, as the reproduction scripts and the preset builder
 * need it: train for a number of steps (optionally in stages), then score every evaluation set
 * with the task's own metrics. Pure over src/core, so tests can run it tiny.
 */
import { phasesOf, type ExperimentConfig, type TrainingPhase } from '../config/schema';
import { resolveModelConfig } from '../experiment';
import { activeImpl } from '../kernels/register';
import type { ScanImpl } from '../models/types';
import { runPhase } from '../train';
import { createRun, type Run } from '../train/run';
import type { PhaseProgress } from '../train/phases';
import { evaluateModel } from '../analysis';

/** Progress callback: what is training, which step, the latest loss. */
export type ProgressFn = (p: { label: string; step: number; steps: number; loss: number }) => void;

export interface TrainRunOptions {
  /** One phase of this many steps in the config's stage; absent = the config's schedule. */
  steps?: number;
  /** Shown in progress lines. */
  label?: string;
  /** Report progress every this many steps (default 100). */
  progressEvery?: number;
  onProgress?: ProgressFn;
  impl?: ScanImpl;
  /** Score every evaluation set every this many steps into `run.evals` (0 = never). */
  evalEvery?: number;
  /** Continue a run stopped in phase `from.phase` (its state restored by the caller). */
  from?: RunPosition;
  /** Called every `checkpointEvery` steps within a phase and between phases. */
  checkpointEvery?: number;
  onCheckpoint?: (at: RunPosition) => Promise<void>;
}

/** Where a run through a list of phases stands. */
export interface RunPosition {
  phase: number;
  progress: PhaseProgress;
}

/** The task metrics of every evaluation set at one step of training. */
export interface EvalPoint {
  step: number;
  metrics: Record<string, number>;
}

/** What one phase of a run did. */
export interface PhaseLog {
  group: string;
  steps: number;
  lr: number;
  /** Authors' loop: which 1,000-step chunk's end the phase returned, and its minibatch loss. */
  bestChunk?: { index: number; loss: number };
}

/** A run (core/train/run.ts) with what a reproduction records of its training. */
export interface TrainRun extends Run {
  impl: ScanImpl;
  /** Loss of every step taken (the loss of the parameters before that step's update). */
  losses: number[];
  /** Periodic evaluations (TrainRunOptions.evalEvery). */
  evals: EvalPoint[];
  phases: PhaseLog[];
  /** Set when the divergence guard stopped the run early. */
  stoppedEarly?: string;
  seconds: number;
}

/** Build the experiment, the model (init seed) and its trainer; nothing is trained yet. */
export function startRun(config: ExperimentConfig, impl?: ScanImpl): TrainRun {
  const modelConfig = resolveModelConfig(config);
  const chosen = impl ?? activeImpl(modelConfig.kind, modelConfig);
  return {
    ...createRun(config, { impl: chosen }),
    impl: chosen,
    losses: [],
    evals: [],
    phases: [],
    seconds: 0,
  };
}

/** Train `run` through `phases` in order, appending to its loss history. */
export async function trainPhases(
  run: TrainRun,
  phases: readonly TrainingPhase[],
  opts: Omit<TrainRunOptions, 'steps'> = {},
): Promise<TrainRun> {
  const every = opts.progressEvery ?? 100;
  const label = opts.label ?? run.experiment.modelConfig.kind;
  const baseLr = run.experiment.config.training.lr;
  const authorsLoop = run.experiment.config.training.authorsLoop;
  let t0 = performance.now();
  /** Add the time since the last lap to `run.seconds`, so a checkpoint records it. */
  const lap = (): void => {
    run.seconds += (performance.now() - t0) / 1000;
    t0 = performance.now();
  };
  for (const [p, phase] of phases.entries()) {
    if (run.stoppedEarly) break;
    if (opts.from && p < opts.from.phase) continue;
    const from = opts.from?.phase === p ? opts.from.progress : undefined;
    const phaseLabel =
      phases.length > 1 ? `${label} [${p + 1}/${phases.length} ${phase.group}]` : label;
    const result = await runPhase(run.trainer, phase, baseLr, {
      authorsLoop,
      from,
      checkpointEvery: opts.checkpointEvery,
      onCheckpoint: opts.onCheckpoint
        ? (progress) => {
            lap();
            return opts.onCheckpoint!({ phase: p, progress });
          }
        : undefined,
      onStep: async (r, i) => {
        run.losses.push(r.loss);
        if ((i + 1) % every === 0 || i + 1 === phase.steps) {
          opts.onProgress?.({ label: phaseLabel, step: i + 1, steps: phase.steps, loss: r.loss });
        }
        if (opts.evalEvery && run.losses.length % opts.evalEvery === 0) {
          run.evals.push({ step: run.losses.length, metrics: await evaluateRun(run) });
        }
      },
    });
    run.phases.push({
      group: phase.group,
      steps: (from?.done ?? 0) + result.losses.length,
      lr: phase.lr ?? baseLr,
      ...(result.bestChunk ? { bestChunk: result.bestChunk } : {}),
    });
    if (result.stoppedEarly) run.stoppedEarly = result.stoppedEarly;
    else if (opts.onCheckpoint && p + 1 < phases.length) {
      lap();
      await opts.onCheckpoint({ phase: p + 1, progress: { done: 0, chunkIndex: 0 } });
    }
  }
  lap();
  return run;
}

/** Train `run` for more steps in its current stage, appending to its loss history. */
export async function continueRun(run: TrainRun, opts: TrainRunOptions): Promise<TrainRun> {
  const phase: TrainingPhase = {
    group: run.trainer.stage,
    steps: opts.steps ?? 0,
    lr: run.trainer.learningRate,
    resetOptimizer: false,
  };
  return trainPhases(run, [phase], opts);
}

/** Start and train in one go: `opts.steps` in the config's stage, or the config's schedule. */
export async function trainRun(config: ExperimentConfig, opts: TrainRunOptions): Promise<TrainRun> {
  const run = startRun(config, opts.impl);
  if (opts.steps !== undefined) return continueRun(run, opts);
  return trainPhases(run, phasesOf(config.training), opts);
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
