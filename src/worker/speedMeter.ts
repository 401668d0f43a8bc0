/**
 * How fast training runs and for how long it has run: the steps-per-second figure beside the
 * backend, and the elapsed training time. The clock is injectable so the rules can be tested.
 */
export class SpeedMeter {
  private stepTimes: number[] = [];
  private lastRate = 0;
  private runStartedAt = 0;
  private elapsedBefore = 0;
  private running = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Training (re)starts: elapsed time counts from now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.runStartedAt = this.now();
  }

  /** Training pauses: the time so far is kept; the rate shown is the one it ran at. */
  stop(): void {
    if (!this.running) return;
    this.elapsedBefore += this.now() - this.runStartedAt;
    this.running = false;
  }

  /** Training time spent outside a run (single steps). */
  addElapsed(ms: number): void {
    this.elapsedBefore += ms;
  }

  markStep(): void {
    this.stepTimes.push(this.now());
  }

  /** A new backend or model: earlier step times say nothing about the next ones. */
  resetRate(): void {
    this.stepTimes = [];
    this.lastRate = 0;
  }

  /** A reset of training: elapsed time starts again from zero. */
  resetClock(): void {
    this.elapsedBefore = 0;
    this.runStartedAt = this.now();
  }

  /**
   * Rate over the last 50 steps or 10 s, whichever is shorter, so a fast run reads steady and a
   * slow one (a software GPU: seconds per step) still shows a number. After a pause: the rate it
   * ran at.
   */
  stepsPerSec(): number {
    if (!this.running) return this.lastRate;
    const now = this.now();
    this.stepTimes = this.stepTimes.filter((t) => now - t <= 10_000).slice(-50);
    const n = this.stepTimes.length;
    if (n >= 2) this.lastRate = (n - 1) / ((now - this.stepTimes[0]) / 1000);
    return this.lastRate;
  }

  elapsedMs(): number {
    return this.elapsedBefore + (this.running ? this.now() - this.runStartedAt : 0);
  }
}
