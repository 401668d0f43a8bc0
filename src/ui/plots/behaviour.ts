/**
 * The headline of a behaviour the worker scored (core/analysis/behaviour.ts): the one number that
 * best says how well the model does on this task.
 */
import type { Behaviour } from '../../core/analysis/behaviour';

export type { Behaviour };

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
