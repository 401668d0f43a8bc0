/**
 * The evaluation metrics over training (the Loss panel's evaluation curves): one point per
 * evaluated step, bounded in length by thinning the older part, so a long run keeps its whole
 * time span in a few hundred points.
 */
import type { EvalPoint, Metrics } from './protocol';

export const MAX_EVAL_POINTS = 400;
/** The newest points kept whole when the history is thinned. */
const KEEP_RECENT = 20;

export class EvalHistory {
  private points: EvalPoint[] = [];

  constructor(private readonly max = MAX_EVAL_POINTS) {}

  /** Adds the metrics of `step`; a second point for the same step is ignored. */
  add(step: number, metrics: Metrics): void {
    if (this.points.length > 0 && this.points[this.points.length - 1].step === step) return;
    this.points.push({ step, metrics });
    if (this.points.length > this.max) {
      const n = this.points.length;
      this.points = this.points.filter((_, i) => i % 2 === 0 || i >= n - KEEP_RECENT);
    }
  }

  replace(points: readonly EvalPoint[]): void {
    this.points = points.map((e) => ({ step: e.step, metrics: { ...e.metrics } }));
  }

  clear(): void {
    this.points = [];
  }

  /** A copy (the snapshot and Undo keep their own). */
  values(): EvalPoint[] {
    return this.points.slice();
  }
}
