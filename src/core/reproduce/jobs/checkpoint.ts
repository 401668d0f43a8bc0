/**
 * A job's checkpoint: where a long reproduction job stands, written every few thousand steps so a
 * run stopped by the end of a session continues in the next one instead of starting over. It keeps
 * the parameters and optimiser moments, every step's loss (float32, base64), the evaluations so far
 * and the phase position (with the authors' loop's best chunk). The training data are not stored:
 * a resumed job replays its seeded batch stream up to the step it stopped at, so it continues on
 * exactly the batches an uninterrupted run would have drawn.
 */
import type { SessionRecord } from '../../io/modelFile';
import type { ParamArrays } from '../../models/types';
import type { OptimizerState } from '../../train/optimizer';
import type { EvalPoint, PhaseLog, RunPosition } from '../trainRun';
import type { JobOutput } from './jobResult';

export const JOB_CHECKPOINT_FORMAT = 'nmrnn-playground/job-checkpoint';
export const JOB_CHECKPOINT_VERSION = 1;
/** Steps between checkpoints within a phase (a multiple of the authors' 1,000-step chunk). */
export const CHECKPOINT_EVERY = 5000;

type JsonArrays = Record<string, { shape: number[]; data: number[] }>;
type JsonOptimizer = NonNullable<SessionRecord['optimizer']>;

/** The state of a job's run at a checkpoint (in memory). */
export interface JobState {
  /** 'train': in the config's schedule; 'retrain': Memory Anti retraining after it. */
  stage: 'train' | 'retrain';
  position: RunPosition;
  params: ParamArrays;
  optimizer: OptimizerState;
  /** Every step's loss in this stage so far. */
  losses: number[];
  evals: EvalPoint[];
  phases: PhaseLog[];
  /** Training seconds so far, over every session that worked on the job. */
  seconds: number;
  /** Stage 'retrain': the finished training's result and model file. */
  trained?: JobOutput;
}

export interface JobCheckpoint {
  format: typeof JOB_CHECKPOINT_FORMAT;
  version: number;
  id: string;
  stage: JobState['stage'];
  phase: number;
  done: number;
  chunkIndex: number;
  best?: { index: number; loss: number; params: JsonArrays };
  params: JsonArrays;
  optimizer: JsonOptimizer;
  /** Float32 losses, base64. */
  losses: string;
  evals: EvalPoint[];
  phases: PhaseLog[];
  seconds: number;
  trained?: JobOutput;
}

const toJson = (arrays: ParamArrays): JsonArrays =>
  Object.fromEntries(
    Object.entries(arrays).map(([k, v]) => [k, { shape: [...v.shape], data: Array.from(v.data) }]),
  );

const fromJson = (json: JsonArrays): ParamArrays =>
  Object.fromEntries(
    Object.entries(json).map(([k, v]) => [
      k,
      { shape: [...v.shape], data: Float32Array.from(v.data) },
    ]),
  );

function floatsToBase64(values: readonly number[]): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let text = '';
  // btoa takes a binary string; build it in slices to stay under argument-count limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function base64ToFloats(text: string): number[] {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return Array.from(new Float32Array(bytes.buffer, 0, bytes.length >> 2));
}

export function checkpointToJson(id: string, s: JobState): JobCheckpoint {
  const { progress } = s.position;
  return {
    format: JOB_CHECKPOINT_FORMAT,
    version: JOB_CHECKPOINT_VERSION,
    id,
    stage: s.stage,
    phase: s.position.phase,
    done: progress.done,
    chunkIndex: progress.chunkIndex,
    ...(progress.best
      ? {
          best: {
            index: progress.best.index,
            loss: progress.best.loss,
            params: toJson(progress.best.params),
          },
        }
      : {}),
    params: toJson(s.params),
    optimizer: {
      options: { ...s.optimizer.options },
      counts: { ...s.optimizer.counts },
      m: toJson(s.optimizer.m),
      v: toJson(s.optimizer.v),
    },
    losses: floatsToBase64(s.losses),
    evals: s.evals,
    phases: s.phases,
    seconds: s.seconds,
    ...(s.trained ? { trained: s.trained } : {}),
  };
}

/**
 * The state in a checkpoint's text, or a sentence saying why it cannot be used (another job's,
 * another format, unreadable): the caller then starts the job over and says so.
 */
export function checkpointFromText(id: string, text: string): JobState | string {
  let doc: Partial<JobCheckpoint>;
  try {
    doc = JSON.parse(text) as Partial<JobCheckpoint>;
  } catch (e) {
    return `unreadable (${(e as Error).message})`;
  }
  if (doc.format !== JOB_CHECKPOINT_FORMAT) return `not a job checkpoint (format ${doc.format})`;
  if (doc.version !== JOB_CHECKPOINT_VERSION) return `checkpoint version ${doc.version} unknown`;
  if (doc.id !== id) return `a checkpoint of ${doc.id}, not ${id}`;
  if (!doc.params || !doc.optimizer || typeof doc.losses !== 'string' || !doc.stage) {
    return 'incomplete checkpoint';
  }
  if (doc.stage === 'retrain' && !doc.trained)
    return 'a retraining checkpoint without its training';
  const { options, counts, m, v } = doc.optimizer;
  return {
    stage: doc.stage,
    position: {
      phase: doc.phase ?? 0,
      progress: {
        done: doc.done ?? 0,
        chunkIndex: doc.chunkIndex ?? 0,
        ...(doc.best
          ? {
              best: {
                index: doc.best.index,
                loss: doc.best.loss,
                params: fromJson(doc.best.params),
              },
            }
          : {}),
      },
    },
    params: fromJson(doc.params),
    optimizer: {
      // Written by checkpointToJson from an OptimizerState's options, so it has their shape.
      options: { ...options } as unknown as OptimizerState['options'],
      counts: { ...counts },
      m: fromJson(m),
      v: fromJson(v),
    },
    losses: base64ToFloats(doc.losses),
    evals: doc.evals ?? [],
    phases: doc.phases ?? [],
    seconds: doc.seconds ?? 0,
    ...(doc.trained ? { trained: doc.trained } : {}),
  };
}
