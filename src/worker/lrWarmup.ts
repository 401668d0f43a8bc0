/**
 * The learning-rate ramp when training continues from loaded weights. The optimiser's moments are
 * not in a plain model file, and a fresh Adam's first steps move every parameter by about lr, which
 * knocks a trained model far off (MWG: loss 2e-4 → 0.06) before it recovers. So the rate climbs
 * from lr/WARMUP_STEPS to lr over the first WARMUP_STEPS steps. Runs from initial parameters, and
 * sessions that bring their optimiser state, are unaffected.
 */
export const WARMUP_STEPS = 200;

export class LrWarmup {
  private start: number | undefined;

  constructor(private readonly steps = WARMUP_STEPS) {}

  /** Ramp from the trainer's step `at` on. */
  begin(at: number): void {
    this.start = at;
  }

  cancel(): void {
    this.start = undefined;
  }

  get active(): boolean {
    return this.start !== undefined;
  }

  /**
   * The learning rate for the trainer's next step given the rate training is headed for, or
   * undefined when no ramp is running (the ramp ends itself at its last step).
   */
  rateAt(trainerStep: number, target: number): number | undefined {
    if (this.start === undefined) return undefined;
    const k = trainerStep - this.start;
    if (k >= this.steps) {
      this.start = undefined;
      return target;
    }
    return (target * (k + 1)) / this.steps;
  }
}
