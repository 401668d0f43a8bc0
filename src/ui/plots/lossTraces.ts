/**
 * The loss figure: training loss and the evaluation metrics that are losses (log axis), and
 * percent-correct metrics on a second, linear 0–100 axis.
 */
import type { EvalPoint, LossPoint } from '../../worker/protocol';
import { categorical, type PlotTheme } from '../palette';
import type { Figure, Trace } from './figure';
import { COGNITIVE_TASKS } from '../../core/tasks/types';
import { TASK_LABELS } from './conditionStyle';

const isNum = (v: unknown): v is number => typeof v === 'number';
/** Reference levels (EFT's chance MSE) are drawn once as a line, not as a series. */
const REFERENCE_KEY = /chance|zero/i;
const LOSS_KEY = /mse|loss/i;
// Not /correct/: a worker may also report raw counts such as `overall.correct`.
const PERCENT_KEY = /percent/i;
/** More series than this turns the legend of a one-third-width panel into a wall. */
const MAX_LOSS_SERIES = 4;
const MAX_PERCENT_SERIES = 5;

function keysMatching(evals: readonly EvalPoint[], test: (key: string) => boolean): string[] {
  const keys = new Set<string>();
  for (const e of evals) {
    for (const [k, v] of Object.entries(e.metrics)) if (isNum(v) && test(k)) keys.add(k);
  }
  return [...keys];
}

/**
 * Metric keys plotted on the loss axis. Dotted keys are per-item breakdowns (an MSE per query
 * position, a produced interval per I) and stay out. When the task reports MSE on trained and on
 * extrapolated conditions, those two are the story (docs/SCIENCE.md §4) and the rest is left out.
 */
export function lossMetricKeys(evals: readonly EvalPoint[]): string[] {
  // The ramp-window MSE is the authors' view of the same fit, reported for reproduction only.
  const keys = keysMatching(
    evals,
    (k) => !k.includes('.') && LOSS_KEY.test(k) && !REFERENCE_KEY.test(k) && !/ramp/i.test(k),
  );
  const trained = keys.find((k) => /trained/i.test(k));
  const extrapolated = keys.find((k) => /extrapolat/i.test(k));
  if (trained && extrapolated) return [trained, extrapolated];
  // An eval "loss" next to an "mse" is the same number twice; next to percent correct it only
  // repeats the training loss on other trials, and the legend has no room to spare.
  const redundantLoss = keys.some((k) => /^mse$/i.test(k)) || percentMetricKeys(evals).length > 0;
  return keys.filter((k) => !(redundantLoss && /^loss$/i.test(k))).slice(0, MAX_LOSS_SERIES);
}

/**
 * Metric keys plotted on the percent axis: percent correct per task when the worker reports it
 * (docs/SCIENCE.md §4), else the overall figure.
 */
export function percentMetricKeys(evals: readonly EvalPoint[]): string[] {
  // The authors' arctan decoding is reported for comparison (reproduction), not plotted: the
  // legend speaks the page's own atan2 scoring.
  const keys = keysMatching(evals, (k) => PERCENT_KEY.test(k) && !/arctan/i.test(k));
  const perTask = keys.filter((k) => k.includes('.'));
  return (perTask.length > 0 ? perTask : keys).slice(0, MAX_PERCENT_SERIES);
}

/** Legend words for the worker's metric names: "mseExtrapolated" → "MSE extrapolated". */
export function metricLabel(key: string): string {
  const words = key
    .split(/[./]/)
    .map((part) =>
      part
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/[_-]+/g, ' ')
        .toLowerCase(),
    )
    .join(' ')
    .replace(/\bmse\b/g, 'MSE')
    .replace(/\bpercent( correct)?\b/g, '% correct')
    .replace(/\b(by group|overall|per task)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // A bare "loss" would read as the training loss.
  if (words === 'loss') return 'eval loss';
  const task = COGNITIVE_TASKS.find((t) => key.endsWith(`.${t}`));
  return task && PERCENT_KEY.test(key) ? `% ${TASK_LABELS[task]}` : words;
}

/** Only finite positive values can sit on a log axis (a diverged step is NaN or ∞). */
const logSafe = (v: number): number | null => (Number.isFinite(v) && v > 0 ? v : null);

export function lossFigure(
  loss: readonly LossPoint[],
  evals: readonly EvalPoint[],
  theme: PlotTheme,
): Figure {
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'training loss',
      x: loss.map((p) => p.step),
      y: loss.map((p) => logSafe(p.loss)),
      line: { color: theme.foreground, width: 1.5 },
      hovertemplate: '%{y:.4g}',
    },
  ];
  lossMetricKeys(evals).forEach((key, i) => {
    const pts = evals.filter((e) => isNum(e.metrics[key]));
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: metricLabel(key),
      x: pts.map((e) => e.step),
      y: pts.map((e) => logSafe(e.metrics[key])),
      line: { color: categorical(i), width: 1.5 },
      marker: { size: 4 },
      hovertemplate: '%{y:.4g}',
    });
  });
  const percent = percentMetricKeys(evals);
  percent.forEach((key, i) => {
    const pts = evals.filter((e) => isNum(e.metrics[key]));
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: metricLabel(key),
      x: pts.map((e) => e.step),
      y: pts.map((e) => e.metrics[key]),
      yaxis: 'y2',
      line: { color: categorical(i + 3), width: 1.5, dash: 'dot' },
      marker: { size: 4 },
      hovertemplate: '%{y:.1f}%',
    });
  });
  const reference = keysMatching(evals, (k) => REFERENCE_KEY.test(k) && LOSS_KEY.test(k))[0];
  const refValue = reference
    ? [...evals].reverse().find((e) => isNum(e.metrics[reference]))?.metrics[reference]
    : undefined;
  const steps = [...loss.map((p) => p.step), ...evals.map((e) => e.step)];
  if (isNum(refValue) && refValue > 0 && steps.length) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'chance',
      x: [Math.min(...steps), Math.max(...steps)],
      y: [refValue, refValue],
      line: { color: theme.target, width: 1, dash: 'dash' },
      hovertemplate: 'chance %{y:.4g}',
    });
  }
  return {
    data,
    layout: {
      margin: { l: 52, r: percent.length ? 44 : 12, t: 8, b: 36 },
      xaxis: { title: { text: 'step' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'loss (MSE)' }, type: 'log', exponentformat: 'power' },
      ...(percent.length
        ? {
            yaxis2: {
              title: { text: '% correct' },
              overlaying: 'y',
              side: 'right',
              range: [0, 100],
              tickmode: 'linear',
              tick0: 0,
              dtick: 25,
              showgrid: false,
            },
          }
        : {}),
      hovermode: 'x unified',
      legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
      uirevision: 'loss',
    },
  };
}

/** One sentence with the latest values, for the text alternative. */
export function lossSummary(loss: readonly LossPoint[], evals: readonly EvalPoint[]): string {
  const last = loss.at(-1);
  if (!last) return 'No training steps yet.';
  const parts = [`Step ${last.step}: training loss ${fmt(last.loss)}`];
  const e = evals.at(-1);
  if (e) {
    for (const k of [...lossMetricKeys(evals), ...percentMetricKeys(evals)]) {
      if (isNum(e.metrics[k])) parts.push(`${metricLabel(k)} ${fmt(e.metrics[k])}`);
    }
  }
  return `${parts.join(', ')}.`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}
