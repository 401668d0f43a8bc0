/**
 * Behavioural readouts of an evaluation (produced intervals, percent correct, EFT error by query),
 * computed here with the tasks module's own metrics so intact and ablated outputs are scored the
 * same way whatever the worker chose to put in `metrics`.
 */
import type { EvalView } from '../../worker/protocol';
import { eftMetrics, mwgMetrics, percentCorrect } from '../../core/tasks';
import type { EftMetrics, MwgMetrics, PercentCorrect } from '../../core/tasks';
import { evalAsBatch, evalFamily } from './evalData';

export type Behaviour =
  | { family: 'mwg'; metrics: MwgMetrics }
  | { family: 'multitask'; metrics: PercentCorrect }
  | { family: 'eft'; metrics: EftMetrics };

/** Scores `outputs` ([B, T, O], intact or ablated) on the view's trials; undefined if unknown. */
export function behaviourOf(view: EvalView, outputs: Float32Array): Behaviour | undefined {
  const family = evalFamily(view);
  if (!family || outputs.length !== view.B * view.T * view.O) return undefined;
  const batch = evalAsBatch(view);
  switch (family) {
    case 'mwg':
      return { family, metrics: mwgMetrics(batch, outputs) };
    case 'multitask':
      return { family, metrics: percentCorrect(batch, outputs) };
    case 'eft':
      return { family, metrics: eftMetrics(batch, outputs) };
  }
}

export interface Headline {
  label: string;
  value: number;
  /** '%' for percent correct; '' for an MSE. */
  unit: string;
}

/** The one number that best says how well the model does on this task. */
export function headlineOf(b: Behaviour): Headline {
  switch (b.family) {
    case 'mwg': {
      const ex = b.metrics.mseByGroup.extrapolated;
      return Number.isNaN(ex)
        ? { label: 'MSE', value: b.metrics.mseByGroup.all, unit: '' }
        : { label: 'extrapolation MSE', value: ex, unit: '' };
    }
    case 'multitask':
      return { label: 'percent correct', value: b.metrics.overall.percent, unit: '%' };
    case 'eft':
      return { label: 'MSE', value: b.metrics.mse, unit: '' };
  }
}
