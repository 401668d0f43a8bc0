/**
 * The one typed configuration of an experiment: task, model, training and seeds. Everything the
 * playground, the CLI and the reproduction scripts compute is a function of this object plus model
 * parameters. Bounds live here so the URL codec, the UI sliders and file import clamp identically.
 */
import { z } from 'zod';
import { COGNITIVE_TASKS } from '../tasks/types';

export const TASK_FAMILIES = ['mwg', 'multitask', 'eft'] as const;
export const MODEL_KINDS = ['nmrnn', 'lrrnn', 'rnn', 'lstm'] as const;
export const TRAIN_STAGES = ['all', 'nm', 'output', 'input'] as const;

/** Numeric bounds shared by validation, URL clamping and UI sliders. */
export const BOUNDS = {
  N: [1, 512],
  R: [1, 32],
  M: [1, 128],
  tauX: [1, 1000],
  tauZ: [1, 1000],
  lr: [1e-5, 1],
  batchSize: [0, 1024],
  weightDecay: [0, 1],
  clip: [0, 100],
  seed: [0, 2 ** 31 - 1],
  mwgInterval: [2, 40],
  mwgDelay: [1, 40],
  eftLength: [2, 100],
  steps: [0, 10_000_000],
} as const satisfies Record<string, readonly [number, number]>;

const BOUNDS_POOL_MAX = 20_000;

const bounded = (key: keyof typeof BOUNDS, int = false) => {
  const [lo, hi] = BOUNDS[key];
  const base = int ? z.number().int() : z.number();
  return base.min(lo).max(hi);
};

export const mwgTaskSchema = z.object({
  /** Intervals I trained on (docs/SCIENCE.md §2.1: 12, 14, 16, 18). */
  trainIntervals: z.array(bounded('mwgInterval', true)).min(1).max(20),
  /** Fixed set→go delay. */
  delay: bounded('mwgDelay', true),
});

/**
 * Where training trials come from (docs/SCIENCE.md "Multitask data"). `poolTrials` 0 draws fresh
 * trials every step (our clean choice); > 0 draws every minibatch, with replacement, from one fixed
 * pool of that many trials, as the authors do. `inputNoise` is the s.d. of Gaussian noise added
 * once to every input channel of the pool's trials (the authors use 0.1 for the baselines, 0 for
 * the NM-RNN).
 */
export const trialPoolSchema = z.object({
  poolTrials: z.number().int().min(0).max(BOUNDS_POOL_MAX),
  inputNoise: z.number().min(0).max(1),
});

export const multitaskSchema = z.object({
  /** Tasks in the training mix (any non-empty subset of the four). */
  tasks: z.array(z.enum(COGNITIVE_TASKS)).min(1).max(4),
  data: trialPoolSchema.default({ poolTrials: 0, inputNoise: 0 }),
});

export const eftSchema = z.object({
  length: bounded('eftLength', true),
});

export const taskSchema = z.object({
  family: z.enum(TASK_FAMILIES),
  mwg: mwgTaskSchema,
  multitask: multitaskSchema,
  eft: eftSchema,
});

export const modelSchema = z.object({
  kind: z.enum(MODEL_KINDS),
  N: bounded('N', true),
  R: bounded('R', true),
  M: bounded('M', true),
  tauX: bounded('tauX'),
  tauZ: bounded('tauZ'),
  /** NM-RNN whose z also reads x (docs/SCIENCE.md §1.3; the EFT variant). */
  feedback: z.boolean(),
  orthonormalize: z.boolean(),
  recurrentScale: z.enum(['one', 'invN']),
  readoutBias: z.boolean(),
  init: z.enum(['paper', 'eft']),
  /** φ of x: tanh when absent; 'linear' for the rank-1 theory (docs/SCIENCE.md §4). */
  activation: z.enum(['tanh', 'linear']).optional(),
  /** V ≡ L̃: the symmetric low-rank network of the rank-1 theory (docs/SCIENCE.md §4). */
  symmetric: z.boolean().optional(),
});

/**
 * One phase of a training schedule: which parameter group trains, for how many steps, at which
 * learning rate, and whether the optimiser starts afresh (docs/SCIENCE.md "Training schedules").
 */
export const trainingPhaseSchema = z.object({
  group: z.enum(TRAIN_STAGES),
  steps: bounded('steps', true).min(1),
  /** Learning rate of this phase; absent = the run's `lr`. */
  lr: bounded('lr').optional(),
  /** Start this phase with fresh Adam moments (the authors re-initialise at every stage). */
  resetOptimizer: z.boolean().default(true),
});

export const trainingSchema = z.object({
  optimizer: z.enum(['adamw', 'adam']),
  lr: bounded('lr'),
  /** 0 = full batch (MWG's fixed 40-trial training set). */
  batchSize: bounded('batchSize', true),
  stage: z.enum(TRAIN_STAGES),
  weightDecay: bounded('weightDecay'),
  /** Element-wise gradient clip (docs/SCIENCE.md §3); 0 = no clipping (the authors' EFT). */
  clip: bounded('clip'),
  eps: z.number().positive().max(1e-2),
  /** Default number of steps for a CLI run (ignored when `schedule` is non-empty). */
  steps: bounded('steps', true),
  /**
   * Phases run in order; empty = one phase of `steps` steps training `stage`. The authors' MWG
   * NM-RNN is output 10k → nm 10k → all 50k.
   */
  schedule: z.array(trainingPhaseSchema).max(8).default([]),
  /**
   * The authors' training loop: Adam moments reset every 1,000 steps, and each phase ends on the
   * parameters of its 1,000-step chunk end with the lowest minibatch loss.
   */
  authorsLoop: z.boolean().default(false),
});

export const seedsSchema = z.object({
  init: bounded('seed', true),
  data: bounded('seed', true),
});

export const experimentSchema = z.object({
  task: taskSchema,
  model: modelSchema,
  training: trainingSchema,
  seeds: seedsSchema,
});

export type MwgTaskConfig = z.infer<typeof mwgTaskSchema>;
export type TaskConfig = z.infer<typeof taskSchema>;
export type ModelSettings = z.infer<typeof modelSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;
export type TrainingPhase = z.infer<typeof trainingPhaseSchema>;
export type TrialPool = z.infer<typeof trialPoolSchema>;
export type ExperimentConfig = z.infer<typeof experimentSchema>;

/** The playground's starting point: the paper's MWG NM-RNN (docs/SCIENCE.md §1.1, §2.1, §3). */
export const DEFAULT_EXPERIMENT: ExperimentConfig = {
  task: {
    family: 'mwg',
    mwg: { trainIntervals: [12, 14, 16, 18], delay: 15 },
    multitask: {
      tasks: ['delayPro', 'delayAnti', 'memoryPro'],
      data: { poolTrials: 0, inputNoise: 0 },
    },
    eft: { length: 25 },
  },
  model: {
    kind: 'nmrnn',
    N: 100,
    R: 3,
    M: 5,
    tauX: 10,
    tauZ: 100,
    feedback: false,
    orthonormalize: true,
    recurrentScale: 'one',
    readoutBias: true,
    init: 'paper',
  },
  training: {
    optimizer: 'adamw',
    lr: 1e-2,
    batchSize: 0,
    stage: 'all',
    weightDecay: 1e-4,
    clip: 1,
    eps: 1e-8,
    steps: 2000,
    schedule: [],
    authorsLoop: false,
  },
  seeds: { init: 0, data: 0 },
};

/** Parse untrusted input into a config, with messages that name the offending field. */
export function parseExperiment(
  input: unknown,
): { ok: true; config: ExperimentConfig } | { ok: false; errors: string[] } {
  const r = experimentSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  };
}

/** The phases a config trains through: its schedule, or one phase of `steps` in `stage`. */
export function phasesOf(t: TrainingConfig): TrainingPhase[] {
  if (t.schedule.length > 0) return t.schedule;
  return [{ group: t.stage, steps: t.steps, resetOptimizer: false }];
}

/** Total steps of a config's schedule. */
export const totalSteps = (t: TrainingConfig): number =>
  phasesOf(t).reduce((a, p) => a + p.steps, 0);

/** Deep copy with overrides applied one level deep per section (the shape presets need). */
export function withOverrides(
  base: ExperimentConfig,
  over: {
    task?: Partial<TaskConfig>;
    model?: Partial<ModelSettings>;
    training?: Partial<TrainingConfig>;
    seeds?: Partial<ExperimentConfig['seeds']>;
  },
): ExperimentConfig {
  const copy = structuredClone(base);
  return {
    task: { ...copy.task, ...over.task },
    model: { ...copy.model, ...over.model },
    training: { ...copy.training, ...over.training },
    seeds: { ...copy.seeds, ...over.seeds },
  };
}
