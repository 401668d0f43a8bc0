/**
 * A reproduction is a set of jobs: experiment × model × protocol × seed (docs/SCIENCE.md
 * "Protocols"). Each job is a complete, self-describing training run; its result lands in its own
 * file, so a sweep survives a stop and spreads over processes or machines.
 *
 * Protocols:
 * - `paper`: the authors' settings as checked against their code (staged NM-RNN training, the
 *   authors' loop, trial pools with input noise, EFT without clipping, full budgets).
 * - `paper-short`: the same at a reduced budget (multitask only: 30k + 15k instead of 100k + 50k),
 *   run where the full budget does not yet fit.
 * - `clean`: our choices (every parameter trained from the start, fresh trials, clipping kept),
 *   at the same budgets.
 */
import { findPreset } from '../../config/presets';
import {
  withOverrides,
  type ExperimentConfig,
  type ModelSettings,
  type TrainingPhase,
} from '../../config/schema';
import { MWG_NM_SCHEDULE } from '../../train/schedules';
import { seedList, summarize } from '../stats';

export const JOB_EXPERIMENTS = ['mwg', 'eft', 'multitask'] as const;
export type JobExperiment = (typeof JOB_EXPERIMENTS)[number];
export const PROTOCOLS = ['paper', 'paper-short', 'clean'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Memory Anti retraining (multitask), docs/SCIENCE.md "Retraining". */
export interface RetrainSpec {
  steps: number;
  lr: number;
  batchSize: number;
  /** 0 = fresh Memory Anti trials every step; otherwise a fixed pool of this many. */
  poolTrials: number;
  /** S.d. of the noise on the three old context channels during retraining. */
  oldContextNoise: number;
  /** Initial value of the new context column (the authors: 0.1); undefined = leave as is. */
  newColumnInit?: number;
}

export interface JobSpec {
  /** `<experiment>/<model>/<protocol>/s<seed>`: stable, filesystem-safe once '/' → '--'. */
  id: string;
  experiment: JobExperiment;
  /** Short model key, e.g. 'nmrnn', 'lrrnn-invN'. */
  model: string;
  label: string;
  /** The gallery preset this model belongs to. */
  preset: string;
  protocol: Protocol;
  seed: number;
  config: ExperimentConfig;
  retrain?: RetrainSpec;
  /** Rough single-core minutes at today's speed (orders the queue, sizes the plan). */
  estimatedMinutes: number;
}

interface ModelEntry {
  model: string;
  label: string;
  preset: string;
  /** Model settings over the preset's (e.g. the LR-RNN's recurrence scale). */
  modelOver?: Partial<ModelSettings>;
  /**
   * ms per training step at the experiment's batch on one thread of the 2-core reference machine
   * (`npm run bench -- --backends wasm --impl fused --presets <preset>[@100]`, 2026-12-03).
   */
  msPerStep: number;
}

const preset = (name: string): ExperimentConfig => {
  const p = findPreset(name);
  if (!p) throw new Error(`job plan names a missing preset "${name}"`);
  return p.config;
};

const phase = (group: TrainingPhase['group'], steps: number, lr?: number): TrainingPhase => ({
  group,
  steps,
  resetOptimizer: true,
  ...(lr !== undefined ? { lr } : {}),
});

export const jobId = (e: string, model: string, protocol: string, seed: number): string =>
  `${e}/${model}/${protocol}/s${seed}`;

function job(
  experiment: JobExperiment,
  m: ModelEntry,
  protocol: Protocol,
  seed: number,
  config: ExperimentConfig,
  steps: number,
  retrain?: RetrainSpec,
  retrainMsPerStep = 0,
): JobSpec {
  return {
    id: jobId(experiment, m.model, protocol, seed),
    experiment,
    model: m.model,
    label: m.label,
    preset: m.preset,
    protocol,
    seed,
    config: withOverrides(config, { seeds: { init: seed, data: seed } }),
    ...(retrain ? { retrain } : {}),
    estimatedMinutes: Math.ceil(
      (steps * m.msPerStep + (retrain?.steps ?? 0) * retrainMsPerStep) / 60_000,
    ),
  };
}

// ---------------------------------------------------------------- MWG (paper, Fig. 3)

const MWG_MODELS: ModelEntry[] = [
  { model: 'nmrnn', label: 'NM-RNN', preset: 'mwg-nmrnn', msPerStep: 1.6 },
  {
    model: 'lrrnn-invN',
    label: 'LR-RNN (1/N)',
    preset: 'mwg-lrrnn-paper',
    modelOver: { recurrentScale: 'invN' },
    msPerStep: 1.5,
  },
  { model: 'lrrnn', label: 'LR-RNN (scale 1)', preset: 'mwg-lrrnn', msPerStep: 1.5 },
  { model: 'rnn', label: 'RNN', preset: 'mwg-rnn', msPerStep: 1.3 },
  { model: 'lstm', label: 'LSTM', preset: 'mwg-lstm', msPerStep: 1.6 },
  // Not a baseline: the rank-1 NM-RNN of the gallery (the paper's results), trained like the NM-RNN.
  { model: 'nmrnn-r1', label: 'NM-RNN rank 1', preset: 'mwg-nmrnn-rank1', msPerStep: 1.4 },
  // The rank-1 theory's test network (φ = identity); the tanh rank-1 model above is its control.
  {
    model: 'nmrnn-r1-linear',
    label: 'NM-RNN rank 1, linear',
    preset: 'mwg-nmrnn-rank1-linear',
    msPerStep: 1,
  },
  // The theory's own case: linear and symmetric (V ≡ L̃, so r·ℓ = 1), the authors' lin_sym_nm_rnn.
  // They trained it 50k steps; here it takes the other rank-1 networks' staged 70k, so the three
  // compare at one budget.
  {
    model: 'nmrnn-r1-linear-sym',
    label: 'NM-RNN rank 1, linear, symmetric',
    preset: 'mwg-nmrnn-rank1-symmetric',
    msPerStep: 1,
  },
];

/** The authors' MWG budgets: NM-RNN 10k output → 10k NM → 50k all; LR-RNN 70k; RNN, LSTM 50k. */
export { MWG_NM_SCHEDULE };
const mwgSteps = (model: string): number =>
  model.startsWith('lrrnn') || model.startsWith('nmrnn') ? 70_000 : 50_000;

function mwgJobs(seeds: number[]): JobSpec[] {
  const out: JobSpec[] = [];
  for (const protocol of ['paper', 'clean'] as const) {
    for (const seed of seeds) {
      for (const m of MWG_MODELS) {
        const base = withOverrides(preset(m.preset), { model: m.modelOver ?? {} });
        const steps = mwgSteps(m.model);
        const schedule =
          m.model.startsWith('nmrnn') && protocol === 'paper'
            ? [...MWG_NM_SCHEDULE]
            : [phase('all', steps)];
        const config = withOverrides(base, {
          training: { steps, schedule, authorsLoop: protocol === 'paper' },
        });
        out.push(job('mwg', m, protocol, seed, config, steps));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- EFT (paper, Fig. 5)

const EFT_MODELS: ModelEntry[] = [
  { model: 'nmrnn', label: 'NM-RNN (M5, N18, R8)', preset: 'eft-nmrnn', msPerStep: 0.6 },
  {
    model: 'nmrnn-n13r12',
    label: 'NM-RNN (M5, N13, R12)',
    preset: 'eft-nmrnn-n13r12',
    msPerStep: 0.6,
  },
  { model: 'nmrnn-m10', label: 'NM-RNN (M10, N12, R7)', preset: 'eft-nmrnn-m10', msPerStep: 0.6 },
  { model: 'lstm', label: 'LSTM (N10)', preset: 'eft-lstm', msPerStep: 0.7 },
  { model: 'rnn', label: 'RNN (N21)', preset: 'eft-rnn', msPerStep: 0.5 },
];
export const EFT_STEPS = 20_000;

function eftJobs(seeds: number[]): JobSpec[] {
  const out: JobSpec[] = [];
  for (const protocol of ['paper', 'clean'] as const) {
    for (const seed of seeds) {
      for (const m of EFT_MODELS) {
        // The authors' EFT loop uses Adam with no gradient clipping; ours keeps clip 1.
        const config = withOverrides(preset(m.preset), {
          training: {
            steps: EFT_STEPS,
            schedule: [phase('all', EFT_STEPS)],
            clip: protocol === 'paper' ? 0 : 1,
          },
        });
        out.push(job('eft', m, protocol, seed, config, EFT_STEPS));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- multitask (paper, Fig. 4)

const MULTITASK_MODELS: ModelEntry[] = [
  { model: 'nmrnn', label: 'NM-RNN', preset: 'multitask-nmrnn', msPerStep: 4.9 },
  {
    model: 'lrrnn-invN',
    label: 'LR-RNN (1/N)',
    preset: 'multitask-lrrnn',
    modelOver: { recurrentScale: 'invN' },
    msPerStep: 3.9,
  },
  { model: 'lrrnn', label: 'LR-RNN (scale 1)', preset: 'multitask-lrrnn', msPerStep: 3.9 },
  { model: 'rnn', label: 'RNN (N18)', preset: 'multitask-rnn', msPerStep: 1.3 },
  { model: 'lstm', label: 'LSTM (N8)', preset: 'multitask-lstm', msPerStep: 1.7 },
];

export const MULTITASK_BUDGETS = {
  paper: { steps: 100_000, retrain: 50_000 },
  'paper-short': { steps: 30_000, retrain: 15_000 },
  clean: { steps: 30_000, retrain: 15_000 },
} as const satisfies Record<Protocol, { steps: number; retrain: number }>;

function multitaskJobs(fullSeeds: number[], shortSeeds: number[]): JobSpec[] {
  const out: JobSpec[] = [];
  const plans: [Protocol, number[]][] = [
    ['paper-short', shortSeeds],
    ['paper', fullSeeds],
    ['clean', shortSeeds],
  ];
  for (const [protocol, seeds] of plans) {
    const budget = MULTITASK_BUDGETS[protocol];
    for (const seed of seeds) {
      for (const m of MULTITASK_MODELS) {
        const isNm = m.model === 'nmrnn';
        const authors = protocol !== 'clean';
        // Authors: NM-RNN from 3,000 noise-free trials, baselines from 500 trials with N(0, 0.1²)
        // input noise; minibatches of 100 drawn with replacement.
        const data = authors
          ? { poolTrials: isNm ? 3000 : 500, inputNoise: isNm ? 0 : 0.1 }
          : { poolTrials: 0, inputNoise: 0 };
        const base = preset(m.preset);
        const config = withOverrides(base, {
          task: { multitask: { ...base.task.multitask, data } },
          model: m.modelOver ?? {},
          training: {
            steps: budget.steps,
            batchSize: authors ? 100 : 64,
            schedule: [phase('all', budget.steps)],
            authorsLoop: authors,
          },
        });
        const retrain: RetrainSpec = authors
          ? {
              steps: budget.retrain,
              lr: 1e-2,
              // The authors' LR-RNN retraining script passes no batch flag: the full pool.
              batchSize: m.model.startsWith('lrrnn') && protocol === 'paper' ? 1000 : 100,
              poolTrials: 1000,
              oldContextNoise: 0.1,
              newColumnInit: 0.1,
            }
          : { steps: budget.retrain, lr: 1e-2, batchSize: 64, poolTrials: 0, oldContextNoise: 0 };
        const retrainMs = (m.msPerStep * retrain.batchSize) / (authors ? 100 : 64);
        out.push(job('multitask', m, protocol, seed, config, budget.steps, retrain, retrainMs));
      }
    }
  }
  return out;
}

/**
 * Seeds per experiment. Four is the fewest per model at which a one-sided Mann–Whitney test can
 * reach p < 0.05 at all (3 against 3 bottoms out at exactly 0.05), so every comparison plans at
 * least four; the multitask runs get them at the authors' full budget too, now that one costs
 * 5–30 minutes on two cores (docs/PERFORMANCE.md).
 */
export const PLAN_SEEDS = { mwg: 5, eft: 10, multitaskFull: 4, multitaskShort: 4 } as const;

/** Every job of `experiment`, in the order a single machine should run them. */
export function planJobs(experiment: JobExperiment): JobSpec[] {
  switch (experiment) {
    case 'mwg':
      return mwgJobs(seedList(PLAN_SEEDS.mwg));
    case 'eft':
      return eftJobs(seedList(PLAN_SEEDS.eft));
    case 'multitask':
      return multitaskJobs(seedList(PLAN_SEEDS.multitaskFull), seedList(PLAN_SEEDS.multitaskShort));
  }
}

/** A job's result file name inside the results folder: `<experiment>/<model>--<protocol>--s<seed>.json`. */
export function resultPath(spec: Pick<JobSpec, 'id'>): string {
  const [experiment, ...rest] = spec.id.split('/');
  return `${experiment}/${rest.join('--')}.json`;
}

export function findJob(id: string): JobSpec | undefined {
  const experiment = id.split('/')[0] as JobExperiment;
  if (!JOB_EXPERIMENTS.includes(experiment)) return undefined;
  return planJobs(experiment).find((j) => j.id === id);
}

/**
 * The order one machine should run `jobs` in, so that what is most useful lands first if the
 * session stops: every experiment's seed 0 under the authors' protocol (cheapest first), then more
 * seeds, then the full-budget multitask runs, then our clean protocol.
 */
export function priorityOrder(jobs: readonly JobSpec[]): JobSpec[] {
  const rank = (j: JobSpec): number =>
    j.protocol === 'clean' ? 2 : j.experiment === 'multitask' && j.protocol === 'paper' ? 1 : 0;
  return [...jobs].sort(
    (a, b) => rank(a) - rank(b) || a.seed - b.seed || a.estimatedMinutes - b.estimatedMinutes,
  );
}

/** Jobs that differ only in their seed share this key. */
export const siblingKey = (j: Pick<JobSpec, 'experiment' | 'model' | 'protocol'>): string =>
  `${j.experiment}/${j.model}/${j.protocol}`;

/**
 * Median minutes (training and retraining) of the finished full-budget seeds of each sibling group:
 * what a pending seed will take on the machine that ran them, where the estimate is a rough guess.
 */
export function measuredMinutes(
  results: readonly (Pick<JobSpec, 'experiment' | 'model' | 'protocol'> & {
    seconds: number;
    retrain?: { seconds: number };
    budgetScale?: number;
  })[],
): Map<string, number> {
  const byKey = new Map<string, number[]>();
  for (const r of results) {
    if (r.budgetScale !== undefined) continue;
    const list = byKey.get(siblingKey(r)) ?? [];
    list.push((r.seconds + (r.retrain?.seconds ?? 0)) / 60);
    byKey.set(siblingKey(r), list);
  }
  return new Map([...byKey].map(([k, v]) => [k, Math.ceil(summarize(v).median)]));
}

/** `spec` with every step count multiplied by `scale` (at least 1 step): smoke tests only. */
export function scaleBudget(spec: JobSpec, scale: number): JobSpec {
  if (scale === 1) return spec;
  const steps = (n: number) => Math.max(1, Math.round(n * scale));
  const t = spec.config.training;
  return {
    ...spec,
    config: {
      ...spec.config,
      training: {
        ...t,
        steps: steps(t.steps),
        schedule: t.schedule.map((p) => ({ ...p, steps: steps(p.steps) })),
      },
    },
    ...(spec.retrain ? { retrain: { ...spec.retrain, steps: steps(spec.retrain.steps) } } : {}),
  };
}
