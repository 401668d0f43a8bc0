/**
 * Bringing back the curves of a model that arrives from a file: a saved session's exact loss and
 * evaluation points, or a shipped model's recorded history (its training loss in blocks and the
 * evaluations of the plotted set), so the Loss panel shows how the model got here.
 */
import type { ModelHistory, SessionRecord } from '../core/io/modelFile';
import type { EvalHistory } from './evalHistory';
import type { LossHistory } from './lossHistory';
import type { Metrics } from './protocol';

/** A saved session's curves, exactly as they were saved. */
export function restoreSessionCurves(
  session: SessionRecord,
  loss: LossHistory,
  evals: EvalHistory,
): void {
  loss.restorePoints(session.loss);
  evals.replace(
    session.evals.map((e) => ({
      step: e.step,
      metrics: Object.fromEntries(
        Object.entries(e.metrics).filter((kv): kv is [string, number] => kv[1] !== null),
      ),
    })),
  );
}

/**
 * A model file's recorded history, up to its `steps`: the loss blocks, and the evaluations of the
 * set the page plots (file keys are `<set>.<metric>`).
 */
export function replayFileHistory(
  history: ModelHistory,
  steps: number,
  setName: string | undefined,
  loss: LossHistory,
  evals: EvalHistory,
): void {
  history.loss.forEach((value, i) => {
    if (value !== null) loss.add(Math.min(steps, (i + 1) * history.lossBlock), value);
  });
  if (!setName) return;
  const prefix = `${setName}.`;
  for (const e of history.evals) {
    const metrics: Metrics = {};
    for (const [k, v] of Object.entries(e.metrics)) {
      if (v !== null && k.startsWith(prefix)) metrics[k.slice(prefix.length)] = v;
    }
    if (Object.keys(metrics).length > 0) evals.add(e.step, metrics);
  }
}
