/**
 * The four cognitive tasks of docs/SCIENCE.md §2.2 (Delay Pro/Anti, Memory Pro/Anti).
 *
 * Inputs [T, 3 + nContexts]: fixation (1 until fix-off, then 0), sin θ_in, cos θ_in (amplitude 1
 * while the stimulus is on), then one context one-hot per entry of `contexts`, held on all trial.
 * Targets [T, 3]: fixation 0.8 before fix-off and 0 after; sin θ_out, cos θ_out from fix-off on
 * (0 before). Mask: all ones, since the paper's loss is MSE over the whole trial.
 *
 * Epoch boundaries are drawn in arbitrary units, rescaled by T / end, and then discretised with
 * ceil: a boundary at continuous time c starts at integer step ⌈c⌉. That is exactly the authors'
 * rule "step t is in the epoch iff t ≥ c", written as an integer cue time for plots and metrics.
 * The stimulus of the Delay tasks stays on until the end of the trial; in the Memory tasks it is
 * on for stimOn ≤ t < stimOff.
 */
import { Rng } from '../random';
import { COGNITIVE_TASKS } from './types';
import type { CognitiveTask, TaskBatch } from './types';
import { assertOutputShape, buildBatch, emptyTrial } from './trial';
import type { SingleTrial, TrialArrays } from './trial';

export interface CognitiveOptions {
  /** Trial length in steps. */
  T?: number;
  /**
   * Tasks that have a context channel, in channel order. Default: all four (COGNITIVE_TASKS order).
   * The 3-task protocol uses the first three and adds Memory Anti's channel for retraining.
   */
  contexts?: readonly CognitiveTask[];
}

export const COGNITIVE_T = 100;
/** Channels that reach the output network x (the context ones reach only z, docs/SCIENCE.md §1.2). */
export const COGNITIVE_TASK_INPUTS = ['fixation', 'sin θ_in', 'cos θ_in'] as const;
export const COGNITIVE_OUTPUT_CHANNELS = ['fixation', 'sin θ_out', 'cos θ_out'] as const;
export const COGNITIVE_CUES = ['stimOn', 'stimOff', 'fixOff', 'end'] as const;
export const FIXATION_TARGET = 0.8;
/** A trial's fixation counts as held while the fixation output stays above this. */
export const FIXATION_THRESHOLD = 0.5;
/** A response is correct when the decoded angle is within this of θ_out. */
export const ANGLE_TOLERANCE = Math.PI / 10;

const TWO_PI = 2 * Math.PI;

export const isMemoryTask = (task: CognitiveTask): boolean =>
  task === 'memoryPro' || task === 'memoryAnti';
export const isAntiTask = (task: CognitiveTask): boolean =>
  task === 'delayAnti' || task === 'memoryAnti';

/** Angle wrapped into [0, 2π). */
export function wrapAngle(theta: number): number {
  const w = theta % TWO_PI;
  return w < 0 ? w + TWO_PI : w;
}

/** Smallest absolute angular distance between a and b, in [0, π]. */
export function angularDistance(a: number, b: number): number {
  const d = wrapAngle(a - b);
  return Math.min(d, TWO_PI - d);
}

/**
 * Response angle from the (sin, cos) outputs. atan2 uses both signs, so an answer pointing opposite
 * the target decodes as opposite (docs/SCIENCE.md Decision: arctan(sin/cos) would score it correct).
 */
export function decodeAngle(sin: number, cos: number): number {
  return wrapAngle(Math.atan2(sin, cos));
}

/** Integer epoch boundaries of one trial (stimOff only for Memory tasks); end is always T. */
export interface CognitiveEpochs {
  stimOn: number;
  stimOff?: number;
  fixOff: number;
  end: number;
}

/** Draw one trial's epochs per docs/SCIENCE.md §2.2 and discretise them (see the module comment). */
export function sampleCognitiveEpochs(
  task: CognitiveTask,
  rng: Rng,
  T = COGNITIVE_T,
): CognitiveEpochs {
  const a = rng.uniformIn(0.3, 0.7);
  const stimOff = isMemoryTask(task) ? a + rng.uniformIn(0.2, 1.6) : undefined;
  const fixOff = (stimOff ?? a) + rng.uniformIn(0.2, isMemoryTask(task) ? 1.6 : 1.5);
  const end = fixOff + rng.uniformIn(0.3, 0.7);
  // Clamping keeps the epochs strictly ordered and non-empty even for very short T; at T = 100 the
  // shortest epoch is ≥ 4 steps so it never binds.
  const toStep = (c: number, lo: number): number =>
    Math.min(T - 1, Math.max(lo, Math.ceil((c / end) * T)));
  const stimOnStep = toStep(a, 1);
  const stimOffStep = stimOff === undefined ? undefined : toStep(stimOff, stimOnStep + 1);
  const fixOffStep = toStep(fixOff, (stimOffStep ?? stimOnStep) + 1);
  return stimOffStep === undefined
    ? { stimOn: stimOnStep, fixOff: fixOffStep, end: T }
    : { stimOn: stimOnStep, stimOff: stimOffStep, fixOff: fixOffStep, end: T };
}

function resolveContexts(opts: CognitiveOptions): readonly CognitiveTask[] {
  return opts.contexts ?? COGNITIVE_TASKS;
}

/** Number of input channels for the given context list. */
export function cognitiveInputSize(contexts: readonly CognitiveTask[] = COGNITIVE_TASKS): number {
  return COGNITIVE_TASK_INPUTS.length + contexts.length;
}

/** The [T, U, O] of every trial under `opts`. */
function cognitiveShape(opts: CognitiveOptions): { T: number; U: number; O: number } {
  const T = opts.T ?? COGNITIVE_T;
  return { T, U: cognitiveInputSize(resolveContexts(opts)), O: COGNITIVE_OUTPUT_CHANNELS.length };
}

/**
 * One trial of `task`. Draws θ_in first, then the epochs, from `rng`; written into `into` where
 * given (a batch's rows, trial.ts buildBatch).
 */
export function cognitiveTrial(
  task: CognitiveTask,
  rng: Rng,
  opts: CognitiveOptions = {},
  into?: TrialArrays,
): SingleTrial {
  const { T, U, O } = cognitiveShape(opts);
  const contexts = resolveContexts(opts);
  const ctx = contexts.indexOf(task);
  if (ctx < 0) {
    throw new RangeError(`task ${task} has no context channel (contexts: ${contexts.join(', ')})`);
  }
  const thetaIn = rng.uniformIn(0, TWO_PI);
  const thetaOut = isAntiTask(task) ? wrapAngle(thetaIn + Math.PI) : thetaIn;
  const epochs = sampleCognitiveEpochs(task, rng, T);
  const taskIndex = COGNITIVE_TASKS.indexOf(task);
  const cues: Record<string, number> = {
    stimOn: epochs.stimOn,
    fixOff: epochs.fixOff,
    end: epochs.end,
  };
  if (epochs.stimOff !== undefined) cues.stimOff = epochs.stimOff;
  const trial = emptyTrial(
    T,
    U,
    O,
    {
      // Degrees, like every plot of the page.
      label: `${task} θ=${Math.round((thetaIn * 180) / Math.PI)}°`,
      condition: taskIndex,
      cues,
      values: { task: taskIndex, thetaIn, thetaOut },
    },
    into,
  );
  const stimEnd = epochs.stimOff ?? T;
  const [sinIn, cosIn] = [Math.sin(thetaIn), Math.cos(thetaIn)];
  const [sinOut, cosOut] = [Math.sin(thetaOut), Math.cos(thetaOut)];
  for (let t = 0; t < T; t++) {
    const i = t * U;
    const beforeGo = t < epochs.fixOff;
    trial.inputs[i] = beforeGo ? 1 : 0;
    if (t >= epochs.stimOn && t < stimEnd) {
      trial.inputs[i + 1] = sinIn;
      trial.inputs[i + 2] = cosIn;
    }
    trial.inputs[i + 3 + ctx] = 1;
    const j = t * O;
    trial.targets[j] = beforeGo ? FIXATION_TARGET : 0;
    trial.targets[j + 1] = beforeGo ? 0 : sinOut;
    trial.targets[j + 2] = beforeGo ? 0 : cosOut;
  }
  trial.mask.fill(1);
  return trial;
}

/** B trials, each of a task drawn uniformly from `tasks` (into `reuse`'s arrays: BatchSource). */
export function cognitiveSample(
  rng: Rng,
  B: number,
  opts: CognitiveOptions & { tasks: readonly CognitiveTask[] },
  reuse?: TaskBatch,
): TaskBatch {
  const { tasks } = opts;
  if (tasks.length === 0) throw new RangeError('cognitiveSample: tasks must be non-empty');
  return buildBatch(
    'multitask',
    B,
    cognitiveShape(opts),
    (into) => cognitiveTrial(tasks[rng.int(0, tasks.length - 1)], rng, opts, into),
    reuse,
  );
}

/**
 * A deterministic test set: `perTask` trials of each task in `tasks`, grouped by task. Each task has
 * its own stream so adding or removing a task leaves the others' trials unchanged.
 */
export function cognitiveTestSet(
  seed: number,
  perTask = 25,
  tasks: readonly CognitiveTask[] = COGNITIVE_TASKS,
  opts: CognitiveOptions = {},
): TaskBatch {
  const root = new Rng(seed).stream('cognitive-test');
  const streams = tasks.map((task) => root.stream(task));
  return buildBatch('multitask', tasks.length * perTask, cognitiveShape(opts), (into, b) => {
    const k = Math.floor(b / perTask);
    return cognitiveTrial(tasks[k], streams[k], opts, into);
  });
}

export interface TaskScore {
  correct: number;
  total: number;
  /** 100 · correct / total; NaN when total is 0. */
  percent: number;
}

export interface TrialScore {
  correct: boolean;
  /** Fixation output stayed > 0.5 at every step before fix-off. */
  fixationHeld: boolean;
  /** |decoded − θ_out| wrapped into [0, π] (NaN if the final output is not finite). */
  angleError: number;
}

export interface PercentCorrect {
  /** Only tasks present in the batch appear. */
  perTask: Partial<Record<CognitiveTask, TaskScore>>;
  overall: TaskScore;
  trials: TrialScore[];
}

const score = (correct: number, total: number): TaskScore => ({
  correct,
  total,
  percent: total > 0 ? (100 * correct) / total : Number.NaN,
});

/** Score one trial (docs/SCIENCE.md §2.2): fixation held before fix-off and final angle within π/10. */
export function scoreCognitiveTrial(
  batch: TaskBatch,
  outputs: Float32Array,
  b: number,
  decoding: AngleDecoding = 'atan2',
): TrialScore {
  const { T, O } = batch;
  const meta = batch.meta[b];
  let fixationHeld = true;
  for (let t = 0; t < meta.cues.fixOff; t++) {
    // Written as !(> 0.5) so a NaN output counts as broken fixation.
    if (!(outputs[(b * T + t) * O] > FIXATION_THRESHOLD)) {
      fixationHeld = false;
      break;
    }
  }
  const last = (b * T + T - 1) * O;
  const angleError =
    decoding === 'atan2'
      ? angularDistance(decodeAngle(outputs[last + 1], outputs[last + 2]), meta.values.thetaOut)
      : angleErrorArctan(outputs[last + 1], outputs[last + 2], meta.values.thetaOut);
  return { correct: fixationHeld && angleError < ANGLE_TOLERANCE, fixationHeld, angleError };
}

/**
 * How the final (sin, cos) output is read as an angle. 'atan2' (ours) uses both signs; 'arctan' is
 * the authors' rule: arctan(sin/cos) of target and output, compared directly (their wrap
 * min(|d|, 2π − |d|) changes nothing since |d| < π). An answer pointing exactly opposite the target
 * therefore counts as right, and two directions either side of ±90° count as far apart
 * (docs/SCIENCE.md §4).
 */
export type AngleDecoding = 'atan2' | 'arctan';

function angleErrorArctan(sin: number, cos: number, thetaOut: number): number {
  const d = Math.abs(Math.atan(Math.sin(thetaOut) / Math.cos(thetaOut)) - Math.atan(sin / cos));
  return Math.min(d, 2 * Math.PI - d);
}

export function percentCorrect(
  batch: TaskBatch,
  outputs: Float32Array,
  decoding: AngleDecoding = 'atan2',
): PercentCorrect {
  assertOutputShape(batch, outputs);
  const counts = new Map<CognitiveTask, [number, number]>();
  const trials: TrialScore[] = [];
  let correct = 0;
  for (let b = 0; b < batch.B; b++) {
    const s = scoreCognitiveTrial(batch, outputs, b, decoding);
    trials.push(s);
    const task = COGNITIVE_TASKS[batch.meta[b].values.task];
    const c = counts.get(task) ?? [0, 0];
    c[0] += s.correct ? 1 : 0;
    c[1] += 1;
    counts.set(task, c);
    if (s.correct) correct++;
  }
  const perTask: Partial<Record<CognitiveTask, TaskScore>> = {};
  for (const task of COGNITIVE_TASKS) {
    const c = counts.get(task);
    if (c) perTask[task] = score(c[0], c[1]);
  }
  return { perTask, overall: score(correct, batch.B), trials };
}
