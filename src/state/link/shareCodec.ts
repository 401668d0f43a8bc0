/**
 * The share link: the whole playground state (experiment config, preset, ablations, view,
 * classroom flags) as a human-readable URL fragment, e.g.
 *
 *   #v=1&preset=mwg-nmrnn&task=mwg&intervals=12,14,16,18&…&abl=0:clamp:0,2:scale:1.5@20-60&hide=model
 *
 * Decoding treats the fragment as untrusted text: every value is parsed by a fixed table (never
 * evaluated), numbers are clamped to BOUNDS, and anything clamped, unknown or invalid becomes a
 * notice the page shows, while the rest of the link still applies. encode(decode(x)) is stable and
 * decode(encode(s)) gives back s exactly, because numbers are written in JavaScript's shortest
 * round-tripping form.
 */
import {
  ALIGNMENTS,
  CLASSROOM_CONTROLS,
  componentCount,
  DEFAULT_VIEW,
  defaultShareState,
  EPS_BOUNDS,
  LINK_BACKENDS,
  MAX_TRAINED,
  MAX_TRIAL_INDEX,
  SHARE_VERSION,
  VIEW_TABS,
  type ClassroomControl,
  type ShareNotice,
  type ShareState,
  type ShareView,
} from './shareState';
import { decodeAblation, encodeAblation } from './ablationLink';
import {
  bool,
  boundedNumber,
  enc,
  parseBool,
  parseEnum,
  parseList,
  truncate,
  type Result,
} from './linkValues';
import { COGNITIVE_TASKS, TASK_CUES, type CognitiveTask } from '../../core/tasks/types';
import { findPreset } from '../../core/config/presets';
import { configProblem, repairConfig } from '../../core/config/validate';
import { formatSchedule, parseSchedule } from '../../core/train/schedules';
import {
  BOUNDS,
  DEFAULT_EXPERIMENT,
  MODEL_KINDS,
  TASK_FAMILIES,
  TRAIN_STAGES,
  experimentSchema,
  type ExperimentConfig,
} from '../../core/config/schema';

export * from './shareState';
export { encodeAblation } from './ablationLink';

/** The fragment (without '#') for `state`. */
export function encodeShare(state: ShareState): string {
  const c = state.config;
  const pairs: [string, string][] = [['v', String(SHARE_VERSION)]];
  if (state.preset) pairs.push(['preset', state.preset]);
  if (state.weights) pairs.push(['w', '1']);
  if (state.trained > 0) pairs.push(['trained', String(state.trained)]);
  pairs.push(
    ['task', c.task.family],
    ['intervals', c.task.mwg.trainIntervals.join(',')],
    ['delay', String(c.task.mwg.delay)],
    ['tasks', c.task.multitask.tasks.join(',')],
    ['eftlen', String(c.task.eft.length)],
    ['model', c.model.kind],
    ['N', String(c.model.N)],
    ['R', String(c.model.R)],
    ['M', String(c.model.M)],
    ['tx', String(c.model.tauX)],
    ['tz', String(c.model.tauZ)],
    ['fb', bool(c.model.feedback)],
    ['orth', bool(c.model.orthonormalize)],
    ['rscale', c.model.recurrentScale],
    ['bias', bool(c.model.readoutBias)],
    ['init', c.model.init],
    ...(c.model.activation === 'linear' ? [['phi', 'linear'] as [string, string]] : []),
    ['opt', c.training.optimizer],
    ['lr', String(c.training.lr)],
    ['bs', String(c.training.batchSize)],
    ['stage', c.training.stage],
    ['wd', String(c.training.weightDecay)],
    ['clip', String(c.training.clip)],
    ['eps', String(c.training.eps)],
    ['steps', String(c.training.steps)],
    ...(c.training.schedule.length > 0
      ? [['sched', formatSchedule(c.training.schedule)] as [string, string]]
      : []),
    ...(c.training.authorsLoop ? [['aloop', '1'] as [string, string]] : []),
    ...(c.task.multitask.data.poolTrials > 0 || c.task.multitask.data.inputNoise > 0
      ? [
          ['pool', `${c.task.multitask.data.poolTrials}:${c.task.multitask.data.inputNoise}`] as [
            string,
            string,
          ],
        ]
      : []),
    ['seed', String(c.seeds.init)],
    ['dseed', String(c.seeds.data)],
  );
  const abl = encodeAblation(state.ablation);
  if (abl) pairs.push(['abl', abl]);
  pairs.push(
    ['tab', state.view.tab],
    ['align', state.view.align],
    ['pca', `${state.view.pcaDims}d`],
  );
  if (state.view.trial !== undefined) pairs.push(['trial', String(state.view.trial)]);
  if (state.view.present) pairs.push(['present', '1']);
  if (state.view.backend) pairs.push(['be', state.view.backend]);
  if (state.hide.length > 0) pairs.push(['hide', state.hide.join(',')]);
  if (state.lock.length > 0) pairs.push(['lock', state.lock.join(',')]);
  return pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

// ---- decoding ----------------------------------------------------------------------------

interface Draft {
  config: ExperimentConfig;
  weights: boolean;
  trained: number;
  view: ShareView;
  hide: ClassroomControl[];
  lock: ClassroomControl[];
  ablationRaw?: string;
}

type Setter = (draft: Draft, raw: string) => Result<unknown>;

/** Apply `r`'s value with `set` when it parsed. */
function apply<T>(r: Result<T>, set: (v: T) => void): Result<T> {
  if (r.ok) set(r.value);
  return r;
}

const num =
  (key: keyof typeof BOUNDS, int: boolean, set: (d: Draft, v: number) => void): Setter =>
  (d, raw) =>
    apply(boundedNumber(raw, BOUNDS[key], int), (v) => set(d, v));

const FIELDS: Record<string, Setter> = {
  task: (d, raw) => apply(parseEnum(raw, TASK_FAMILIES), (v) => (d.config.task.family = v)),
  intervals: (d, raw) =>
    apply(
      parseList(raw, (s) => boundedNumber(s, BOUNDS.mwgInterval, true), { min: 1, max: 20 }),
      (v) => (d.config.task.mwg.trainIntervals = v),
    ),
  delay: num('mwgDelay', true, (d, v) => (d.config.task.mwg.delay = v)),
  tasks: (d, raw) =>
    apply(
      parseList(raw, (s) => parseEnum<CognitiveTask>(s, COGNITIVE_TASKS), { min: 1, max: 4 }),
      // Context channels follow COGNITIVE_TASKS order, so keep the mix in that order too.
      (v) => (d.config.task.multitask.tasks = COGNITIVE_TASKS.filter((t) => v.includes(t))),
    ),
  eftlen: num('eftLength', true, (d, v) => (d.config.task.eft.length = v)),
  model: (d, raw) => apply(parseEnum(raw, MODEL_KINDS), (v) => (d.config.model.kind = v)),
  N: num('N', true, (d, v) => (d.config.model.N = v)),
  R: num('R', true, (d, v) => (d.config.model.R = v)),
  M: num('M', true, (d, v) => (d.config.model.M = v)),
  tx: num('tauX', false, (d, v) => (d.config.model.tauX = v)),
  tz: num('tauZ', false, (d, v) => (d.config.model.tauZ = v)),
  fb: (d, raw) => apply(parseBool(raw), (v) => (d.config.model.feedback = v)),
  orth: (d, raw) => apply(parseBool(raw), (v) => (d.config.model.orthonormalize = v)),
  rscale: (d, raw) =>
    apply(parseEnum(raw, ['one', 'invN'] as const), (v) => (d.config.model.recurrentScale = v)),
  bias: (d, raw) => apply(parseBool(raw), (v) => (d.config.model.readoutBias = v)),
  init: (d, raw) =>
    apply(parseEnum(raw, ['paper', 'eft'] as const), (v) => (d.config.model.init = v)),
  phi: (d, raw) =>
    apply(parseEnum(raw, ['tanh', 'linear'] as const), (v) => {
      if (v === 'linear') d.config.model.activation = v;
      else delete d.config.model.activation;
    }),
  opt: (d, raw) =>
    apply(parseEnum(raw, ['adamw', 'adam'] as const), (v) => (d.config.training.optimizer = v)),
  lr: num('lr', false, (d, v) => (d.config.training.lr = v)),
  bs: num('batchSize', true, (d, v) => (d.config.training.batchSize = v)),
  stage: (d, raw) => apply(parseEnum(raw, TRAIN_STAGES), (v) => (d.config.training.stage = v)),
  wd: num('weightDecay', false, (d, v) => (d.config.training.weightDecay = v)),
  clip: num('clip', false, (d, v) => (d.config.training.clip = v)),
  eps: (d, raw) => apply(boundedNumber(raw, EPS_BOUNDS, false), (v) => (d.config.training.eps = v)),
  steps: num('steps', true, (d, v) => (d.config.training.steps = v)),
  sched: (d, raw) => {
    const r = parseSchedule(raw);
    if (!r.ok) return { ok: false, error: `schedule: ${r.error}` };
    d.config.training.schedule = r.phases;
    return { ok: true, value: raw };
  },
  aloop: (d, raw) => apply(parseBool(raw), (v) => (d.config.training.authorsLoop = v)),
  pool: (d, raw) => {
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
  seed: num('seed', true, (d, v) => (d.config.seeds.init = v)),
  dseed: num('seed', true, (d, v) => (d.config.seeds.data = v)),
  w: (d, raw) => apply(parseBool(raw), (v) => (d.weights = v)),
  trained: (d, raw) => apply(boundedNumber(raw, [0, MAX_TRAINED], true), (v) => (d.trained = v)),
  abl: (d, raw) => {
    d.ablationRaw = raw;
    return { ok: true, value: raw };
  },
  tab: (d, raw) => apply(parseEnum(raw, VIEW_TABS), (v) => (d.view.tab = v)),
  be: (d, raw) => apply(parseEnum(raw, LINK_BACKENDS), (v) => (d.view.backend = v)),
  align: (d, raw) => apply(parseEnum(raw, ALIGNMENTS), (v) => (d.view.align = v)),
  pca: (d, raw) =>
    apply(parseEnum(raw, ['2d', '3d'] as const), (v) => (d.view.pcaDims = v === '3d' ? 3 : 2)),
  present: (d, raw) =>
    apply(parseBool(raw), (v) => {
      if (v) d.view.present = true;
      else delete d.view.present;
    }),
  trial: (d, raw) =>
    apply(boundedNumber(raw, [0, MAX_TRIAL_INDEX], true), (v) => (d.view.trial = v)),
  hide: (d, raw) => apply(controlList(raw), (v) => (d.hide = v)),
  lock: (d, raw) => apply(controlList(raw), (v) => (d.lock = v)),
};

/** A comma-separated list of classroom controls (`hide=`, `lock=`). */
function controlList(raw: string): Result<ClassroomControl[]> {
  return parseList(raw, (s) => parseEnum(s, CLASSROOM_CONTROLS), {
    min: 0,
    max: CLASSROOM_CONTROLS.length,
  });
}

/** Split a fragment into decoded key/value pairs; parts that cannot be read become notices. */
function splitFragment(fragment: string, notices: ShareNotice[]): [string, string][] {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const pairs: [string, string][] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      notices.push({
        key: part,
        kind: 'malformed',
        message: `"${truncate(part)}" is not a key=value setting; ignored`,
      });
      continue;
    }
    try {
      pairs.push([decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))]);
    } catch {
      notices.push({
        key: part.slice(0, eq),
        kind: 'malformed',
        message: `"${truncate(part)}" is not valid URL encoding; ignored`,
      });
    }
  }
  return pairs;
}

/**
 * Read a fragment (with or without '#'). Always returns a valid state: what could not be read is
 * left at its default and reported in `notices`.
 */
export function decodeShare(fragment: string): { state: ShareState; notices: ShareNotice[] } {
  const notices: ShareNotice[] = [];
  const pairs = splitFragment(fragment, notices);
  const fallback = (): { state: ShareState; notices: ShareNotice[] } => ({
    state: defaultShareState(),
    notices: [
      ...notices,
      {
        key: '',
        kind: 'malformed',
        message: 'The link could not be read; showing the default playground.',
      },
    ],
  });
  if (pairs.length === 0) {
    return notices.length > 0 ? fallback() : { state: defaultShareState(), notices };
  }

  const byKey = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (byKey.has(k)) {
      notices.push({
        key: k,
        kind: 'invalid',
        message: `${k} is given more than once; using the last`,
      });
    }
    byKey.set(k, v);
  }

  const v = byKey.get('v');
  if (v === undefined) {
    notices.push({
      key: 'v',
      kind: 'version',
      message: `the link has no version (v=); reading it as version ${SHARE_VERSION}`,
    });
  } else if (!/^\d+$/.test(v)) {
    notices.push({
      key: 'v',
      kind: 'version',
      message: `version "${truncate(v)}" is not a number; reading the link as version ${SHARE_VERSION}`,
    });
  } else if (Number(v) > SHARE_VERSION) {
    notices.push({
      key: 'v',
      kind: 'version',
      message: `this link was made by a newer version (v=${v}); settings this version does not know are ignored`,
    });
  }

  let preset: string | undefined;
  let base = DEFAULT_EXPERIMENT;
  const presetName = byKey.get('preset');
  if (presetName !== undefined) {
    const p = findPreset(presetName);
    if (p) {
      preset = p.name;
      base = p.config;
    } else {
      notices.push({
        key: 'preset',
        kind: 'unknown',
        message: `there is no preset "${truncate(presetName)}"; ignored`,
      });
    }
  }

  const draft: Draft = {
    config: structuredClone(base),
    weights: false,
    trained: 0,
    view: structuredClone(DEFAULT_VIEW),
    hide: [],
    lock: [],
  };
  let understood = preset !== undefined || (v !== undefined && /^\d+$/.test(v)) ? 1 : 0;
  for (const [key, raw] of byKey) {
    if (key === 'v' || key === 'preset') continue;
    // Own keys only: "valueOf" or "__proto__" must read as unknown settings, not Object methods.
    const setter = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined;
    if (!setter) {
      notices.push({
        key,
        kind: 'unknown',
        message: `unknown setting "${truncate(key)}"; ignored`,
      });
      continue;
    }
    const r = setter(draft, raw);
    if (!r.ok) {
      notices.push({ key, kind: 'invalid', message: `${key}: ${r.error}; kept the default` });
    } else {
      understood += 1;
      if (r.note) notices.push({ key, kind: 'clamped', message: `${key}: ${r.note}` });
    }
  }
  if (understood === 0) return fallback();

  const checked = experimentSchema.safeParse(draft.config);
  if (!checked.success) {
    // Every field is checked on its own above, so this means a rule across fields failed.
    const issue = checked.error.issues[0];
    notices.push({
      key: issue?.path.join('.') ?? '',
      kind: 'invalid',
      message: `the settings do not fit together (${issue?.path.join('.')}: ${issue?.message}); using the defaults`,
    });
    return { state: defaultShareState(), notices };
  }
  const repaired = repairConfig(checked.data);
  for (const note of repaired.notes) notices.push({ key: 'R', kind: 'clamped', message: note });
  const problem = configProblem(repaired.config);
  if (problem) {
    notices.push({
      key: '',
      kind: 'invalid',
      message: `the settings do not fit together (${problem}); using the defaults`,
    });
    return { state: defaultShareState(), notices };
  }
  const config = repaired.config;
  const ablation = decodeAblation(
    draft.ablationRaw,
    componentCount(config),
    config.model.kind,
    TASK_CUES[config.task.family],
    notices,
  );
  if (draft.weights && !preset) {
    notices.push({
      key: 'w',
      kind: 'invalid',
      message: 'w=1 needs a preset whose weights to load; ignored',
    });
    draft.weights = false;
  }
  return {
    state: {
      config,
      preset,
      weights: draft.weights,
      trained: draft.trained,
      ablation,
      view: draft.view,
      hide: draft.hide,
      lock: draft.lock,
    },
    notices,
  };
}
