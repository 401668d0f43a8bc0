/**
 * The behaviour of a model on a task's trials, scored by the task's own metrics (produced
 * intervals, percent correct, EFT error by query): the worker scores intact and ablated outputs
 * once and ships the result, so the page never re-scores outputs itself.
 */
import { eftMetrics, mwgMetrics, percentCorrect } from '../tasks';
import type { EftMetrics, MwgMetrics, PercentCorrect } from '../tasks';
import type { TaskBatch } from '../tasks/types';

export type Behaviour =
  | { family: 'mwg'; metrics: MwgMetrics }
  | { family: 'multitask'; metrics: PercentCorrect }
  | { family: 'eft'; metrics: EftMetrics };

/** Scores `outputs` ([B, T, O]) on `batch`'s trials. */
export function scoreBehaviour(batch: TaskBatch, outputs: Float32Array): Behaviour {
  if (outputs.length !== batch.B * batch.T * batch.O) {
    throw new Error(
      `outputs hold ${outputs.length} values, the batch needs ${batch.B * batch.T * batch.O}`,
    );
  }
  switch (batch.family) {
    case 'mwg':
      return { family: 'mwg', metrics: mwgMetrics(batch, outputs) };
    case 'multitask':
      return { family: 'multitask', metrics: percentCorrect(batch, outputs) };
    case 'eft':
      return { family: 'eft', metrics: eftMetrics(batch, outputs) };
  }
}
