/**
 * Run one reproduction job end to end: train through its schedule, score it with the task's
 * metrics (both interval definitions, both decodings), run the experiment's extra analysis (MWG
 * ablations, multitask Memory Anti retraining) and return everything its result file records.
 */
import { evaluateModel } from '../../analysis';
import { trainingOptionsFor } from '../../experiment';
import { nonFiniteAsNull, serializeModel } from '../../io/modelFile';
import type { ParamArrays, ParamGroup } from '../../models/types';
import { Rng } from '../../random';
import { cognitiveSample, sampleFromPool, withInputNoise } from '../../tasks';
import { COGNITIVE_TASKS, type BatchSource } from '../../tasks/types';
import { runPhase, TrainingSession } from '../../train';
import { createdWith, jsonSafe } from '../../io/experimentFile';
import { clampAblation, proAntiSplit } from '../analyses';
import { analyzeRank1 } from '../rank1';
import { blockMeans } from '../stats';
import {
  evaluateRun,
  startRun,
  trainPhases,
  type EvalPoint,
  type ProgressFn,
  type TrainRun,
} from '../trainRun';
import { phasesOf } from '../../config/schema';
import type { JobSpec, RetrainSpec } from './plan';
import { disposeRun } from '../../train/run';
import {
  HISTORY_POINTS,
  JOB_RESULT_FORMAT,
  JOB_RESULT_VERSION,
  type JobOutput,
  type JobResult,
  type JobMetrics,
  type TrainingHistory,
} from './jobResult';
import { CHECKPOINT_EVERY, type JobState } from './checkpoint';
import type { PhaseProgress } from '../../train/phases';

const finite = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/**
 * Per-item breakdowns (MSE by query position, produced interval per I) stay out of the history:
 * the final metrics keep them, and the curves would make each result file 20× larger.
 */
export const historyKey = (key: string): boolean => !/mseByQuery|produced/.test(key);

const pick = (metrics: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(metrics).filter(([k]) => historyKey(k)));

/** A deep copy with every non-finite number as null (JSON has none). */
/** A value as it will read back from JSON: non-finite numbers become null. */
export const jsonSafeDeep = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value, nonFiniteAsNull)) as T;

export function thinHistory(
  losses: readonly number[],
  evals: readonly EvalPoint[],
): TrainingHistory {
  const lossBlock = Math.max(1, Math.ceil(losses.length / HISTORY_POINTS));
  const stride = Math.max(1, Math.ceil(evals.length / HISTORY_POINTS));
  return {
    lossBlock,
    loss: blockMeans(losses, lossBlock),
    evals: evals
      .filter((_, i) => i % stride === 0 || i === evals.length - 1)
      .map((e) => ({ step: e.step, metrics: jsonSafe(pick(e.metrics)) })),
  };
}

/** A model file of `run`'s network; `steps`: the training steps it records (retraining aside). */
function modelText(
  run: TrainRun,
  spec: JobSpec,
  params: ParamArrays,
  metrics: JobMetrics,
  steps: number,
  extra: string,
): string {
  return serializeModel({
    config: { ...run.experiment.modelConfig, experiment: spec.config },
    params,
    metrics,
    seeds: spec.config.seeds,
    createdWith: createdWith('reproduce', steps, { job: spec.id, stage: extra }),
  });
}

async function mwgAblations(run: TrainRun): Promise<{ k: number; metrics: JobMetrics }[]> {
  const cfg = run.experiment.modelConfig;
  if (cfg.kind !== 'nmrnn') return [];
  const set = run.experiment.evalSets.find((s) => s.name === 'extrapolate');
  if (!set) return [];
  const out: { k: number; metrics: JobMetrics }[] = [];
  for (let k = 0; k < cfg.R; k++) {
    const ev = await evaluateModel(run.model, set.batch, {
      impl: run.impl,
      ablation: clampAblation(cfg.R, k),
    });
    out.push({ k, metrics: jsonSafe(run.experiment.metrics(set, ev.outputs.data)) });
  }
  return out;
}

/** Channel of a task's context input (fixation, sin, cos, then one per task). */
const contextChannel = (task: (typeof COGNITIVE_TASKS)[number]): number =>
  3 + COGNITIVE_TASKS.indexOf(task);

/** The input matrices whose column `channel` a new context feeds: B_z, B or the LSTM's four. */
function inputMatrices(run: TrainRun): string[] {
  const kind = run.experiment.modelConfig.kind;
  if (kind === 'nmrnn') return ['Bz'];
  if (kind === 'lstm') return ['Wi', 'Wf', 'Wg', 'Wo'];
  return ['Bx'];
}

async function setInputColumn(run: TrainRun, channel: number, value: number): Promise<void> {
  const params = await run.trainer.getParams();
  const changed: ParamArrays = {};
  for (const name of inputMatrices(run)) {
    const p = params[name];
    const [rows, cols] = p.shape;
    const data = Float32Array.from(p.data);
    for (let r = 0; r < rows; r++) data[r * cols + channel] = value;
    changed[name] = { shape: p.shape, data };
  }
  run.trainer.setParams(changed);
}

/** Memory Anti batches for retraining: fresh, or draws from a pool with noisy old contexts. */
function retrainBatches(spec: RetrainSpec, seed: number): BatchSource {
  const rng = new Rng(seed).stream('memory-anti-retrain');
  const tasks = ['memoryAnti'] as const;
  if (spec.poolTrials === 0) {
    return (reuse) => cognitiveSample(rng, spec.batchSize, { tasks }, reuse);
  }
  const old = (['delayPro', 'delayAnti', 'memoryPro'] as const).map(contextChannel);
  const pool = withInputNoise(
    cognitiveSample(rng.stream('pool'), spec.poolTrials, { tasks }),
    rng.stream('noise'),
    spec.oldContextNoise,
    old,
  );
  const draws = rng.stream('draws');
  return (reuse) => sampleFromPool(pool, draws, spec.batchSize, reuse);
}

/** Resuming and checkpointing a job (checkpoint.ts); absent = run in one go. */
export interface JobCheckpointing {
  /** The state a previous session left, to continue from. */
  saved?: JobState;
  save: (state: JobState) => Promise<void> | void;
  /** Steps between checkpoints within a phase (default CHECKPOINT_EVERY). */
  every?: number;
}

interface RetrainArgs {
  run: TrainRun;
  spec: RetrainSpec;
  seed: number;
  trained: JobOutput;
  checkpoints?: JobCheckpointing;
  onProgress?: ProgressFn;
  progressEvery?: number;
}

async function retrainMemoryAnti(a: RetrainArgs): Promise<NonNullable<JobResult['retrain']>> {
  const { run, spec, checkpoints } = a;
  const progressEvery = a.progressEvery ?? 500;
  const group: ParamGroup = run.experiment.modelConfig.kind === 'nmrnn' ? 'nm' : 'input';
  const saved = checkpoints?.saved?.stage === 'retrain' ? checkpoints.saved : undefined;
  const batches = retrainBatches(spec, a.seed);
  const session = new TrainingSession(run.model, batches, {
    ...trainingOptionsFor(run.experiment.config),
    lr: spec.lr,
    stage: group,
    impl: run.impl,
  });
  const losses: number[] = saved ? [...saved.losses] : [];
  let seconds = saved?.seconds ?? 0;
  let t0 = performance.now();
  const state = async (progress: PhaseProgress): Promise<JobState> => {
    seconds += (performance.now() - t0) / 1000;
    t0 = performance.now();
    return {
      stage: 'retrain',
      position: { phase: 0, progress },
      params: await session.getParams(),
      optimizer: await session.getOptimizerState(),
      losses,
      evals: [],
      phases: [],
      seconds,
      trained: a.trained,
    };
  };
  try {
    if (saved) {
      session.setParams(saved.params);
      session.setOptimizerState(saved.optimizer);
      for (let k = 0; k < saved.losses.length; k++) batches();
    } else {
      if (spec.newColumnInit !== undefined) {
        await setInputColumn(run, contextChannel('memoryAnti'), spec.newColumnInit);
      }
      // Training is done: a stop from here on keeps it.
      await checkpoints?.save(await state({ done: 0, chunkIndex: 0 }));
    }
    const r = await runPhase(
      session,
      { group, steps: spec.steps, lr: spec.lr, resetOptimizer: true },
      spec.lr,
      {
        authorsLoop: run.experiment.config.training.authorsLoop,
        from: saved?.position.progress,
        checkpointEvery: checkpoints?.every ?? CHECKPOINT_EVERY,
        onCheckpoint: checkpoints ? async (at) => checkpoints.save(await state(at)) : undefined,
        onStep: (rep, i) => {
          losses.push(rep.loss);
          if ((i + 1) % progressEvery === 0 || i + 1 === spec.steps) {
            a.onProgress?.({
              label: `retrain ${group} on Memory Anti`,
              step: i + 1,
              steps: spec.steps,
              loss: rep.loss,
            });
          }
        },
      },
    );
    seconds += (performance.now() - t0) / 1000;
    const { lossBlock, loss } = thinHistory(losses, []);
    return {
      spec,
      group,
      steps: losses.length,
      seconds,
      finalLoss: finite(losses[losses.length - 1]),
      ...(r.stoppedEarly ? { stoppedEarly: r.stoppedEarly } : {}),
      lossBlock,
      loss,
      metrics: jsonSafe(await evaluateRun(run)),
    };
  } finally {
    session.dispose();
  }
}

/** Put a checkpoint's training state back into a fresh run, and replay its batch stream. */
function resumeRun(run: TrainRun, saved: JobState): void {
  run.trainer.setParams(saved.params);
  run.trainer.setOptimizerState(saved.optimizer);
  run.losses.push(...saved.losses);
  run.evals.push(...saved.evals);
  run.phases.push(...saved.phases);
  run.seconds = saved.seconds;
  for (let k = 0; k < saved.losses.length; k++) run.experiment.nextBatch();
}

export async function runJob(
  spec: JobSpec,
  opts: { onProgress?: ProgressFn; progressEvery?: number; checkpoints?: JobCheckpointing } = {},
): Promise<JobOutput> {
  const run = startRun(spec.config);
  const checkpoints = opts.checkpoints;
  try {
    const saved = checkpoints?.saved;
    const output =
      saved?.stage === 'retrain' && saved.trained
        ? saved.trained
        : await trainAndScore(run, spec, opts, saved);
    if (spec.experiment === 'multitask' && spec.retrain) {
      const retrain = await retrainMemoryAnti({
        run,
        spec: spec.retrain,
        seed: spec.seed,
        trained: output,
        checkpoints,
        onProgress: opts.onProgress,
        progressEvery: opts.progressEvery,
      });
      const retrained = modelText(
        run,
        spec,
        await run.trainer.getParams(),
        retrain.metrics,
        // A run resumed in its retraining has no training losses of its own: the result has them.
        output.result.steps,
        'retrained on Memory Anti',
      );
      return {
        result: { ...output.result, retrain },
        models: { ...output.models, retrained },
      };
    }
    return output;
  } finally {
    disposeRun(run);
  }
}

/** Train through the schedule (from a checkpoint if given), then score and analyse the network. */
async function trainAndScore(
  run: TrainRun,
  spec: JobSpec,
  opts: { onProgress?: ProgressFn; progressEvery?: number; checkpoints?: JobCheckpointing },
  saved: JobState | undefined,
): Promise<JobOutput> {
  const phases = phasesOf(spec.config.training);
  const total = phases.reduce((a, p) => a + p.steps, 0);
  if (saved) resumeRun(run, saved);
  const checkpoints = opts.checkpoints;
  await trainPhases(run, phases, {
    label: spec.id,
    onProgress: opts.onProgress,
    progressEvery: opts.progressEvery ?? 1000,
    evalEvery: Math.max(1, Math.round(total / 100)),
    from: saved?.position,
    checkpointEvery: checkpoints?.every ?? CHECKPOINT_EVERY,
    onCheckpoint: checkpoints
      ? async (position) =>
          checkpoints.save({
            stage: 'train',
            position,
            params: await run.trainer.getParams(),
            optimizer: await run.trainer.getOptimizerState(),
            losses: run.losses,
            evals: run.evals,
            phases: run.phases,
            seconds: run.seconds,
          })
      : undefined,
  });
  const metrics = jsonSafe(await evaluateRun(run));
  const trainedParams = await run.trainer.getParams();
  const result: JobOutput['result'] = {
    format: JOB_RESULT_FORMAT,
    version: JOB_RESULT_VERSION,
    id: spec.id,
    experiment: spec.experiment,
    model: spec.model,
    label: spec.label,
    preset: spec.preset,
    protocol: spec.protocol,
    seed: spec.seed,
    paramCount: run.model.paramCount(),
    steps: run.losses.length,
    seconds: run.seconds,
    finalLoss: finite(run.losses[run.losses.length - 1]),
    ...(run.stoppedEarly ? { stoppedEarly: run.stoppedEarly } : {}),
    phases: run.phases,
    metrics,
    history: thinHistory(run.losses, run.evals),
  };
  const models: JobOutput['models'] = {
    trained: modelText(run, spec, trainedParams, metrics, run.losses.length, 'trained'),
  };
  if (spec.experiment === 'mwg') result.ablations = await mwgAblations(run);
  const cfg = run.experiment.modelConfig;
  if (spec.experiment === 'mwg' && cfg.kind === 'nmrnn' && cfg.R === 1) {
    result.rank1 = jsonSafeDeep(await analyzeRank1(run.model, run.experiment, run.impl));
  }
  if (spec.experiment === 'multitask' && cfg.kind === 'nmrnn') {
    const set = run.experiment.evalSets.find((s) => s.name === 'all-tasks');
    if (set) {
      const ev = await evaluateModel(run.model, set.batch, { impl: run.impl });
      if (ev.states.x)
        result.proAnti = jsonSafeDeep(proAntiSplit(ev.states.x.data, set.batch, cfg.N));
    }
  }
  return { result, models };
}
