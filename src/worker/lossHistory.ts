/**
 * Training loss kept at a bounded size however long a run lasts: points are bucket means, and when
 * the history fills up, neighbouring buckets merge and the bucket width doubles. Means (not
 * samples) keep a noisy minibatch loss readable after 100k steps.
 */
import type { LossPoint } from './protocol';

export class LossHistory {
  private readonly maxPoints: number;
  private points: LossPoint[] = [];
  private width = 1;
  private pendingSum = 0;
  private pendingCount = 0;
  private pendingStep = 0;

  constructor(maxPoints = 2000) {
    // An even bound keeps every merge pairing whole buckets.
    this.maxPoints = Math.max(2, maxPoints - (maxPoints % 2));
  }

  add(step: number, loss: number): void {
    if (!Number.isFinite(loss)) return;
    this.pendingSum += loss;
    this.pendingCount += 1;
    this.pendingStep = step;
    if (this.pendingCount < this.width) return;
    this.points.push({ step: this.pendingStep, loss: this.pendingSum / this.pendingCount });
    this.pendingSum = 0;
    this.pendingCount = 0;
    if (this.points.length >= this.maxPoints) this.merge();
  }

  /** Every full bucket plus the partial one being filled, so the latest loss is always shown. */
  values(): LossPoint[] {
    const out = this.points.slice();
    if (this.pendingCount > 0) {
      out.push({ step: this.pendingStep, loss: this.pendingSum / this.pendingCount });
    }
    return out;
  }

  get last(): LossPoint | undefined {
    if (this.pendingCount > 0) {
      return { step: this.pendingStep, loss: this.pendingSum / this.pendingCount };
    }
    return this.points[this.points.length - 1];
  }

  /** An independent copy (for Undo). */
  clone(): LossHistory {
    const copy = new LossHistory(this.maxPoints);
    copy.replaceWith(this);
    return copy;
  }

  /** Become a copy of `other`. */
  replaceWith(other: LossHistory): void {
    this.points = other.points.slice();
    this.width = other.width;
    this.pendingSum = other.pendingSum;
    this.pendingCount = other.pendingCount;
    this.pendingStep = other.pendingStep;
  }

  /** Start from saved points (a session file); later steps append as usual. */
  restorePoints(points: readonly LossPoint[]): void {
    this.clear();
    this.points = points.slice(-this.maxPoints + 1);
    this.width = 1;
  }

  clear(): void {
    this.points = [];
    this.width = 1;
    this.pendingSum = 0;
    this.pendingCount = 0;
  }

  private merge(): void {
    const merged: LossPoint[] = [];
    for (let i = 0; i + 1 < this.points.length; i += 2) {
      const a = this.points[i];
      const b = this.points[i + 1];
      merged.push({ step: b.step, loss: (a.loss + b.loss) / 2 });
    }
    this.points = merged;
    this.width *= 2;
  }
}
