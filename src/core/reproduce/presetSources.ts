/**
 * Where each gallery preset's shipped weights come from: a finished reproduction job at the
 * authors' budget, picked by a stated rule. `npm run presets:build` reads the committed result
 * files, applies the rule and writes public/presets/<name>.json plus the gallery's summary.
 */
import type { JobResult } from './jobs/jobResult';
import type { Protocol } from './jobs/plan';
import { COGNITIVE_TASK_LABELS } from '../tasks/types';

export interface PresetSource {
  name: string;
  experiment: JobResult['experiment'];
  model: string;
  /** Protocols to take results from, preferred first (the full budget before the short one). */
  protocols: Protocol[];
  /** Which network of the job: as trained, or after Memory Anti retraining. */
  network: 'trained' | 'retrained';
  /** The metric the seed is chosen by, and whether lower is better. */
  selectBy: { key: string; lowerIsBetter: boolean; label: string };
  /** The paper reports this model failing the task (the card says so). */
  paperSaysFails?: boolean;
  /**
   * What "does its task" means for this preset: a message when the metrics fall short, else
   * undefined. A shortfall is printed on the gallery card with its number.
   */
  bar?: (metrics: Record<string, number | null>) => string | undefined;
  /** Seeds to choose among when any qualifies (else every seed is considered). */
  eligible?: (metrics: Record<string, number | null>) => boolean;
}

/** MWG: the produced interval grows with I across the trained intervals. */
const mwgBar = (m: Record<string, number | null>): string | undefined => {
  const p = [12, 14, 16, 18].map((i) => m[`extrapolate.produced.I${i}`] ?? NaN);
  const grows = p.every((v, i) => Number.isFinite(v) && (i === 0 || v > p[i - 1]));
  return grows
    ? undefined
    : `produced intervals for I = 12–18 do not grow with I (${p.map((v) => (Number.isFinite(v) ? v.toFixed(1) : 'none')).join(', ')})`;
};

const mwgGrows = (m: Record<string, number | null>): boolean => mwgBar(m) === undefined;

const eftBar = (m: Record<string, number | null>): string | undefined => {
  const mse = m['test.mse'] ?? NaN;
  return mse <= 12 ? undefined : `test MSE ${mse.toFixed(1)} is above a third of chance (12.2)`;
};

const tasksBar =
  (min: number) =>
  (m: Record<string, number | null>): string | undefined => {
    const low = (['delayPro', 'delayAnti', 'memoryPro'] as const).filter(
      (t) => !((m[`all-tasks.percentCorrect.${t}`] ?? NaN) >= min),
    );
    return low.length === 0 ? undefined : `below ${min} % on ${low.join(', ')} at this budget`;
  };

const memoryAntiBar = (m: Record<string, number | null>): string | undefined => {
  const v = m['all-tasks.percentCorrect.memoryAnti'] ?? NaN;
  return v >= 70
    ? undefined
    : `Memory Anti ${Number.isFinite(v) ? v.toFixed(0) : 'n/a'} % after retraining, below 70 %`;
};

/**
 * MWG: the seed that extrapolates best among those doing the trained task (produced intervals that
 * grow with I over the trained range): the page shows every interval, trained and untrained, and
 * for the LSTM the best-fitting seed can produce shorter intervals for longer untrained I.
 */
const mwgExtrapolation = {
  key: 'extrapolate.mseExtrapolated',
  lowerIsBetter: true,
  label: 'MSE on the untrained intervals (among seeds whose produced intervals grow with I)',
};
const eftMse = { key: 'test.mse', lowerIsBetter: true, label: 'test MSE' };
const threeTasks = {
  key: 'test.percentCorrect',
  lowerIsBetter: false,
  label: '% correct on the three tasks',
};

const src = (
  name: string,
  experiment: PresetSource['experiment'],
  model: string,
  selectBy: PresetSource['selectBy'],
  extra: Partial<PresetSource> = {},
): PresetSource => ({
  name,
  experiment,
  model,
  protocols: experiment === 'multitask' ? ['paper', 'paper-short'] : ['paper'],
  network: 'trained',
  selectBy,
  ...extra,
});

export const PRESET_SOURCES: readonly PresetSource[] = [
  src('mwg-nmrnn', 'mwg', 'nmrnn', mwgExtrapolation, { bar: mwgBar, eligible: mwgGrows }),
  src('mwg-nmrnn-rank1', 'mwg', 'nmrnn-r1', mwgExtrapolation, { bar: mwgBar, eligible: mwgGrows }),
  src('mwg-nmrnn-rank1-linear', 'mwg', 'nmrnn-r1-linear', mwgExtrapolation, {
    bar: mwgBar,
    eligible: mwgGrows,
  }),
  src('mwg-nmrnn-rank1-symmetric', 'mwg', 'nmrnn-r1-linear-sym', mwgExtrapolation, {
    bar: mwgBar,
    eligible: mwgGrows,
  }),
  src('mwg-lrrnn', 'mwg', 'lrrnn', mwgExtrapolation, { bar: mwgBar, eligible: mwgGrows }),
  src('mwg-lrrnn-paper', 'mwg', 'lrrnn-invN', mwgExtrapolation, {
    bar: mwgBar,
    eligible: mwgGrows,
  }),
  src('mwg-rnn', 'mwg', 'rnn', mwgExtrapolation, { bar: mwgBar, eligible: mwgGrows }),
  src('mwg-lstm', 'mwg', 'lstm', mwgExtrapolation, { bar: mwgBar, eligible: mwgGrows }),
  src('multitask-nmrnn', 'multitask', 'nmrnn', threeTasks, { bar: tasksBar(90) }),
  src(
    'multitask-nmrnn-memoryanti',
    'multitask',
    'nmrnn',
    {
      key: 'all-tasks.percentCorrect.memoryAnti',
      lowerIsBetter: false,
      label: '% correct on Memory Anti after retraining',
    },
    { network: 'retrained', bar: memoryAntiBar },
  ),
  src('multitask-lrrnn', 'multitask', 'lrrnn', threeTasks, { bar: tasksBar(80) }),
  src('multitask-rnn', 'multitask', 'rnn', threeTasks, { bar: tasksBar(80) }),
  src('multitask-lstm', 'multitask', 'lstm', threeTasks, { bar: tasksBar(80) }),
  src('eft-nmrnn', 'eft', 'nmrnn', eftMse, { bar: eftBar }),
  src('eft-nmrnn-n13r12', 'eft', 'nmrnn-n13r12', eftMse, { bar: eftBar }),
  src('eft-nmrnn-m10', 'eft', 'nmrnn-m10', eftMse, { bar: eftBar }),
  src('eft-lstm', 'eft', 'lstm', eftMse, { bar: eftBar }),
  src('eft-rnn', 'eft', 'rnn', eftMse, { paperSaysFails: true }),
];

/** The metrics a source's network was scored with (after retraining for 'retrained'). */
export function sourceMetrics(source: PresetSource, r: JobResult): Record<string, number | null> {
  return source.network === 'retrained' ? (r.retrain?.metrics ?? {}) : r.metrics;
}

export interface PresetChoice {
  result: JobResult;
  /** How many finished seeds the choice was made among. */
  among: number;
  /** Why this seed, in words for the card and the log. */
  why: string;
}

/**
 * The result a preset ships: among the finished, full-scale results of its first protocol that has
 * any, the seed with the best selection metric (a gallery preset exists to show a model that does
 * its task; the card states the rule and the spread over seeds).
 */
export function choosePresetResult(
  source: PresetSource,
  results: readonly JobResult[],
): PresetChoice | undefined {
  for (const protocol of source.protocols) {
    const candidates = results.filter(
      (r) =>
        r.experiment === source.experiment &&
        r.model === source.model &&
        r.protocol === protocol &&
        r.budgetScale === undefined &&
        (source.network === 'trained' || r.retrain !== undefined),
    );
    const all = candidates
      .map((r) => ({ r, m: sourceMetrics(source, r) }))
      .map(({ r, m }) => ({ r, m, v: m[source.selectBy.key] ?? NaN }))
      .filter((c) => Number.isFinite(c.v));
    if (all.length === 0) continue;
    const { eligible } = source;
    const qualified = eligible ? all.filter((c) => eligible(c.m)) : all;
    const scored = qualified.length > 0 ? qualified : all;
    scored.sort((a, b) => (source.selectBy.lowerIsBetter ? a.v - b.v : b.v - a.v));
    const best = scored[0];
    return {
      result: best.r,
      among: scored.length,
      why: `seed ${best.r.seed}: the best ${source.selectBy.label} of ${scored.length} seed${scored.length > 1 ? 's' : ''} (${protocol} protocol)`,
    };
  }
  return undefined;
}

const pct = (v: number | null | undefined): string => (v == null ? 'n/a' : `${Math.round(v)} %`);
const num = (v: number | null | undefined, d = 3): string => (v == null ? 'n/a' : v.toPrecision(d));

/** The one-line measured result a gallery card shows. */
export function headline(source: PresetSource, metrics: Record<string, number | null>): string {
  switch (source.experiment) {
    case 'mwg': {
      const I4 = metrics['extrapolate.produced.I4'];
      const I26 = metrics['extrapolate.produced.I26'];
      return `MSE ${num(metrics['extrapolate.mseTrained'])} on trained intervals, ${num(metrics['extrapolate.mseExtrapolated'])} on untrained; produced 4→${num(I4, 2)}, 26→${num(I26, 2)}`;
    }
    case 'eft':
      return `test MSE ${num(metrics['test.mse'])} vs chance ${num(metrics['test.chanceMse'])}`;
    case 'multitask': {
      const t = (k: string) => pct(metrics[`all-tasks.percentCorrect.${k}`]);
      const base = (['delayPro', 'delayAnti', 'memoryPro'] as const)
        .map((k) => `${COGNITIVE_TASK_LABELS[k]} ${t(k)}`)
        .join(', ');
      return source.network === 'retrained'
        ? `${COGNITIVE_TASK_LABELS.memoryAnti} ${t('memoryAnti')} after retraining s only; ${base}`
        : base;
    }
  }
}
