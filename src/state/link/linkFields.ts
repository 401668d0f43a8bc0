/**
 * The fields of a share link, one table for writing and reading: each field's key, how the state
 * writes it (undefined: left out) and how a value is read into the draft state, clamped to the
 * schema's bounds or refused with a reason.
 */
import {
  ALIGNMENTS,
  CLASSROOM_CONTROLS,
  EPS_BOUNDS,
  LINK_BACKENDS,
  MAX_PAGE_THREADS,
  MAX_TRAINED,
  MAX_TRIAL_INDEX,
  VIEW_TABS,
  type ClassroomControl,
  type ShareState,
  type ShareView,
} from './shareState';
import { encodeAblation } from './ablationLink';
import { bool, boundedNumber, parseBool, parseEnum, parseList, type Result } from './linkValues';
import { COGNITIVE_TASKS, type CognitiveTask } from '../../core/tasks/types';
import { formatSchedule, parseSchedule } from '../../core/train/schedules';
import {
  BOUNDS,
  MODEL_KINDS,
  TASK_FAMILIES,
  TRAIN_STAGES,
  type ExperimentConfig,
} from '../../core/config/schema';

export interface Draft {
  config: ExperimentConfig;
  weights: boolean;
  trained: number;
  view: ShareView;
  hide: ClassroomControl[];
  lock: ClassroomControl[];
  ablationRaw?: string;
}

type Setter = (draft: Draft, raw: string) => Result<unknown>;

interface Field {
  key: string;
  write: (state: ShareState) => string | undefined;
  read: Setter;
}

/** Apply `r`'s value with `set` when it parsed. */
function apply<T>(r: Result<T>, set: (v: T) => void): Result<T> {
  if (r.ok) set(r.value);
  return r;
}

const num =
  (key: keyof typeof BOUNDS, int: boolean, set: (d: Draft, v: number) => void): Setter =>
  (d, raw) =>
    apply(boundedNumber(raw, BOUNDS[key], int), (v) => set(d, v));

/**
 * Every field of a link, in the order links are written: its key, how the state writes it (undefined:
 * left out) and how a value is read into the draft. One table, so a field cannot be written one way
 * and read another.
 */
export const FIELDS: readonly Field[] = [
  {
    key: 'w',
    write: (s) => (s.weights ? '1' : undefined),
    read: (d, raw) => apply(parseBool(raw), (v) => (d.weights = v)),
  },
  {
    key: 'trained',
    write: (s) => (s.trained > 0 ? String(s.trained) : undefined),
    read: (d, raw) => apply(boundedNumber(raw, [0, MAX_TRAINED], true), (v) => (d.trained = v)),
  },
  {
    key: 'task',
    write: (s) => s.config.task.family,
    read: (d, raw) => apply(parseEnum(raw, TASK_FAMILIES), (v) => (d.config.task.family = v)),
  },
  {
    key: 'intervals',
    write: (s) => s.config.task.mwg.trainIntervals.join(','),
    read: (d, raw) =>
      apply(
        parseList(raw, (s) => boundedNumber(s, BOUNDS.mwgInterval, true), { min: 1, max: 20 }),
        (v) => (d.config.task.mwg.trainIntervals = v),
      ),
  },
  {
    key: 'delay',
    write: (s) => String(s.config.task.mwg.delay),
    read: num('mwgDelay', true, (d, v) => (d.config.task.mwg.delay = v)),
  },
  {
    key: 'tasks',
    write: (s) => s.config.task.multitask.tasks.join(','),
    read: (d, raw) =>
      apply(
        parseList(raw, (s) => parseEnum<CognitiveTask>(s, COGNITIVE_TASKS), { min: 1, max: 4 }),
        // Context channels follow COGNITIVE_TASKS order, so keep the mix in that order too.
        (v) => (d.config.task.multitask.tasks = COGNITIVE_TASKS.filter((t) => v.includes(t))),
      ),
  },
  {
    key: 'eftlen',
    write: (s) => String(s.config.task.eft.length),
    read: num('eftLength', true, (d, v) => (d.config.task.eft.length = v)),
  },
  {
    key: 'model',
    write: (s) => s.config.model.kind,
    read: (d, raw) => apply(parseEnum(raw, MODEL_KINDS), (v) => (d.config.model.kind = v)),
  },
  {
    key: 'N',
    write: (s) => String(s.config.model.N),
    read: num('N', true, (d, v) => (d.config.model.N = v)),
  },
  {
    key: 'R',
    write: (s) => String(s.config.model.R),
    read: num('R', true, (d, v) => (d.config.model.R = v)),
  },
  {
    key: 'M',
    write: (s) => String(s.config.model.M),
    read: num('M', true, (d, v) => (d.config.model.M = v)),
  },
  {
    key: 'tx',
    write: (s) => String(s.config.model.tauX),
    read: num('tauX', false, (d, v) => (d.config.model.tauX = v)),
  },
  {
    key: 'tz',
    write: (s) => String(s.config.model.tauZ),
    read: num('tauZ', false, (d, v) => (d.config.model.tauZ = v)),
  },
  {
    key: 'fb',
    write: (s) => bool(s.config.model.feedback),
    read: (d, raw) => apply(parseBool(raw), (v) => (d.config.model.feedback = v)),
  },
  {
    key: 'orth',
    write: (s) => bool(s.config.model.orthonormalize),
    read: (d, raw) => apply(parseBool(raw), (v) => (d.config.model.orthonormalize = v)),
  },
  {
    key: 'rscale',
    write: (s) => s.config.model.recurrentScale,
    read: (d, raw) =>
      apply(parseEnum(raw, ['one', 'invN'] as const), (v) => (d.config.model.recurrentScale = v)),
  },
  {
    key: 'bias',
    write: (s) => bool(s.config.model.readoutBias),
    read: (d, raw) => apply(parseBool(raw), (v) => (d.config.model.readoutBias = v)),
  },
  {
    key: 'init',
    write: (s) => s.config.model.init,
    read: (d, raw) =>
      apply(parseEnum(raw, ['paper', 'eft'] as const), (v) => (d.config.model.init = v)),
  },
  {
    key: 'phi',
    write: (s) => (s.config.model.activation === 'linear' ? 'linear' : undefined),
    read: (d, raw) =>
      apply(parseEnum(raw, ['tanh', 'linear'] as const), (v) => {
        if (v === 'linear') d.config.model.activation = v;
        else delete d.config.model.activation;
      }),
  },
  {
    key: 'sym',
    write: (s) => (s.config.model.symmetric ? '1' : undefined),
    read: (d, raw) =>
      apply(parseBool(raw), (v) => {
        if (v) d.config.model.symmetric = true;
        else delete d.config.model.symmetric;
      }),
  },
  {
    key: 'opt',
    write: (s) => s.config.training.optimizer,
    read: (d, raw) =>
      apply(parseEnum(raw, ['adamw', 'adam'] as const), (v) => (d.config.training.optimizer = v)),
  },
  {
    key: 'lr',
    write: (s) => String(s.config.training.lr),
    read: num('lr', false, (d, v) => (d.config.training.lr = v)),
  },
  {
    key: 'bs',
    write: (s) => String(s.config.training.batchSize),
    read: num('batchSize', true, (d, v) => (d.config.training.batchSize = v)),
  },
  {
    key: 'stage',
    write: (s) => s.config.training.stage,
    read: (d, raw) => apply(parseEnum(raw, TRAIN_STAGES), (v) => (d.config.training.stage = v)),
  },
  {
    key: 'wd',
    write: (s) => String(s.config.training.weightDecay),
    read: num('weightDecay', false, (d, v) => (d.config.training.weightDecay = v)),
  },
  {
    key: 'clip',
    write: (s) => String(s.config.training.clip),
    read: num('clip', false, (d, v) => (d.config.training.clip = v)),
  },
  {
    key: 'eps',
    write: (s) => String(s.config.training.eps),
    read: (d, raw) =>
      apply(boundedNumber(raw, EPS_BOUNDS, false), (v) => (d.config.training.eps = v)),
  },
  {
    key: 'steps',
    write: (s) => String(s.config.training.steps),
    read: num('steps', true, (d, v) => (d.config.training.steps = v)),
  },
  {
    key: 'sched',
    write: (s) =>
      s.config.training.schedule.length > 0
        ? formatSchedule(s.config.training.schedule)
        : undefined,
    read: (d, raw) => {
      const r = parseSchedule(raw);
      if (!r.ok) return { ok: false, error: `schedule: ${r.error}` };
      d.config.training.schedule = r.phases;
      return { ok: true, value: raw };
    },
  },
  {
    key: 'aloop',
    write: (s) => (s.config.training.authorsLoop ? '1' : undefined),
    read: (d, raw) => apply(parseBool(raw), (v) => (d.config.training.authorsLoop = v)),
  },
  {
    key: 'pool',
    write: (s) => {
      const { poolTrials, inputNoise } = s.config.task.multitask.data;
      return poolTrials > 0 || inputNoise > 0 ? `${poolTrials}:${inputNoise}` : undefined;
    },
    read: (d, raw) => {
      const m = /^(\d{1,5}):(\d*\.?\d+)$/.exec(raw.trim());
      const trials = m ? Number(m[1]) : NaN;
      const noise = m ? Number(m[2]) : NaN;
      if (!m || trials > 20_000 || noise > 1) {
        return {
          ok: false,
          error: `pool "${raw.slice(0, 40)}" is not trials:noise (≤ 20000 trials, noise ≤ 1)`,
        };
      }
      d.config.task.multitask.data = { poolTrials: trials, inputNoise: noise };
      return { ok: true, value: raw };
    },
  },
  {
    key: 'seed',
    write: (s) => String(s.config.seeds.init),
    read: num('seed', true, (d, v) => (d.config.seeds.init = v)),
  },
  {
    key: 'dseed',
    write: (s) => String(s.config.seeds.data),
    read: num('seed', true, (d, v) => (d.config.seeds.data = v)),
  },
  {
    key: 'abl',
    write: (s) => encodeAblation(s.ablation) || undefined,
    read: (d, raw) => {
      d.ablationRaw = raw;
      return { ok: true, value: raw };
    },
  },
  {
    key: 'tab',
    write: (s) => s.view.tab,
    read: (d, raw) => apply(parseEnum(raw, VIEW_TABS), (v) => (d.view.tab = v)),
  },
  {
    key: 'align',
    write: (s) => s.view.align,
    read: (d, raw) => apply(parseEnum(raw, ALIGNMENTS), (v) => (d.view.align = v)),
  },
  {
    key: 'pca',
    write: (s) => `${s.view.pcaDims}d`,
    read: (d, raw) =>
      apply(parseEnum(raw, ['2d', '3d'] as const), (v) => (d.view.pcaDims = v === '3d' ? 3 : 2)),
  },
  {
    key: 'trial',
    write: (s) => (s.view.trial !== undefined ? String(s.view.trial) : undefined),
    read: (d, raw) =>
      apply(boundedNumber(raw, [0, MAX_TRIAL_INDEX], true), (v) => (d.view.trial = v)),
  },
  {
    key: 'present',
    write: (s) => (s.view.present ? '1' : undefined),
    read: (d, raw) =>
      apply(parseBool(raw), (v) => {
        if (v) d.view.present = true;
        else delete d.view.present;
      }),
  },
  {
    key: 'be',
    write: (s) => s.view.backend,
    read: (d, raw) => apply(parseEnum(raw, LINK_BACKENDS), (v) => (d.view.backend = v)),
  },
  {
    key: 'th',
    write: (s) => (s.view.threads !== undefined ? String(s.view.threads) : undefined),
    read: (d, raw) =>
      apply(boundedNumber(raw, [1, MAX_PAGE_THREADS], true), (v) => (d.view.threads = v)),
  },
  {
    key: 'hide',
    write: (s) => (s.hide.length > 0 ? s.hide.join(',') : undefined),
    read: (d, raw) => apply(controlList(raw), (v) => (d.hide = v)),
  },
  {
    key: 'lock',
    write: (s) => (s.lock.length > 0 ? s.lock.join(',') : undefined),
    read: (d, raw) => apply(controlList(raw), (v) => (d.lock = v)),
  },
];

export const READERS = new Map(FIELDS.map((f) => [f.key, f.read]));

/** A comma-separated list of classroom controls (`hide=`, `lock=`). */
function controlList(raw: string): Result<ClassroomControl[]> {
  return parseList(raw, (s) => parseEnum(s, CLASSROOM_CONTROLS), {
    min: 0,
    max: CLASSROOM_CONTROLS.length,
  });
}
