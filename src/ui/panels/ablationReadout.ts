import type { EvalView } from '../../worker/protocol';
import { headlineOf } from '../plots/behaviour';
import { formatMetric } from './format';

/** "extrapolation MSE 0.012 → 0.231", or undefined when there is no ablated run to compare. */
export function ablationReadout(view: EvalView | undefined): string | undefined {
  if (!view?.ablated) return undefined;
  const intact = view.behaviour;
  const ablated = view.ablated.behaviour;
  const a = headlineOf(intact);
  const b = headlineOf(ablated);
  return `${a.label} ${formatMetric(a.value)}${a.unit} → ${formatMetric(b.value)}${b.unit}`;
}
