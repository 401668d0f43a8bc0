/**
 * The training loop's own state and rhythm: running or not, an optional step to stop at, short
 * chunks of steps under the session's lock with a yield between them so the page's messages get
 * through, and the speed meter. What a step, an evaluation or a snapshot is belongs to the session.
 */
import { SpeedMeter } from './speedMeter';
import { yieldToEventLoop } from './yieldToEventLoop';

/** Longest stretch of training between two chances for page messages to get in. */
const CHUNK_MS = 40;

export interface LoopHost {
  /** Run `fn` under the session's lock. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Up to `max` training steps with one read-back; false when training must stop. */
  train(max: number): Promise<boolean>;
  /** Steps per read-back on the active backend (core/train/readBack.ts). */
  readEvery(): number;
  currentStep(): number;
  /** Between chunks: evaluate and send a snapshot when they are due. */
  betweenChunks(): Promise<void>;
  /** Training stopped: a final evaluation and snapshot. */
  stopped(): Promise<void>;
}

export class TrainingLoop {
  readonly speed = new SpeedMeter();
  private isRunning = false;
  private stopAtStep: number | undefined;
  private looping = false;

  get running(): boolean {
    return this.isRunning;
  }

  /**
   * Start (or keep) running, until `untilStep` if given. False when there is nothing to do: the
   * step asked for is already behind.
   */
  start(currentStep: number, untilStep?: number): boolean {
    this.stopAtStep = untilStep !== undefined && untilStep > currentStep ? untilStep : undefined;
    if (untilStep !== undefined && this.stopAtStep === undefined) return false;
    if (!this.isRunning) {
      this.isRunning = true;
      this.speed.start();
    }
    return true;
  }

  stop(): void {
    this.speed.stop();
    this.isRunning = false;
    this.stopAtStep = undefined;
  }

  /** Train until stopped; a second call while a loop runs does nothing. */
  async run(host: LoopHost): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.isRunning) {
        await host.exclusive(() => this.chunk(host));
        await host.betweenChunks();
        await yieldToEventLoop();
      }
    } finally {
      this.looping = false;
    }
    await host.stopped();
  }

  /** `n` steps now (the Step button), timed into the meter's elapsed time. */
  async steps(
    n: number,
    host: Pick<LoopHost, 'train' | 'readEvery' | 'currentStep'>,
  ): Promise<void> {
    const target = host.currentStep() + Math.max(1, Math.floor(n));
    while (host.currentStep() < target) {
      const t0 = performance.now();
      const ok = await host.train(Math.min(host.readEvery(), target - host.currentStep()));
      this.speed.addElapsed(performance.now() - t0);
      if (!ok) break;
    }
  }

  private async chunk(host: LoopHost): Promise<void> {
    const start = performance.now();
    while (this.isRunning && performance.now() - start < CHUNK_MS) {
      const room = this.stopAtStep !== undefined ? this.stopAtStep - host.currentStep() : Infinity;
      if (!(await host.train(Math.min(host.readEvery(), room)))) break;
      if (this.stopAtStep !== undefined && host.currentStep() >= this.stopAtStep) this.stop();
    }
  }
}
