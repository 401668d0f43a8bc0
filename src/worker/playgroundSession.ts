/**
 * Everything the worker does, behind the SessionApi contract: one model and its trainer on one
 * tfjs backend (runSlot.ts), a training loop that yields between short chunks (trainingLoop.ts),
 * evaluation of the fixed trials, intact and ablated, a few times per second (evalCache.ts), and
 * throttled snapshots to the page. All tfjs work runs under one lock, so a slider move never
 * interleaves with a half-finished training step. A backend that fails hands the run to the next.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { Ablation } from '../core/models/types';
import { registerFusedKernels } from '../core/kernels/register';
import type { BackendName, BackendTiming, SessionApi, Snapshot, TrainingStatus } from './protocol';
import { errorText } from './backends';
import { BackendHost } from './backendHost';
import { fallBack, raceAndSwitch, switchBackend } from './backendMoves';
import { RunSlot } from './runSlot';
import { evalIntervalMs } from './evalCache';
import { openModelFile } from './runFile';
import { TrainingLoop } from './trainingLoop';
import { readEveryFor } from '../core/train/readBack';
import { statusOf } from './sessionStatus';
import { startPageStepThreads, type ThreadsInfo } from './stepThreads';

const SNAPSHOT_INTERVAL_MS = 250;

type Listener = (snapshot: Snapshot) => void;

export class PlaygroundSession implements SessionApi {
  private readonly host = new BackendHost();
  private readonly run = new RunSlot();
  private readonly loop = new TrainingLoop();
  /** No snapshot goes out before a backend is chosen: the indicator would show a guess. */
  private initialized = false;
  private message: string | undefined;
  private diverged = false;
  private ablation: Ablation | undefined;
  private listener: Listener | undefined;
  private lastEmitAt = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private threads: ThreadsInfo = { count: 1 };

  // ---- SessionApi -------------------------------------------------------------------------

  async init(preference?: BackendName, threads?: number): Promise<BackendName> {
    return this.exclusive(async () => {
      registerFusedKernels();
      // Before the backend race, so the race times the steps as they will run.
      this.threads = await startPageStepThreads(threads);
      const name = await this.host.start(preference);
      this.initialized = true;
      return name;
    });
  }

  async configure(config: ExperimentConfig, modelFileText?: string): Promise<void> {
    await this.changeModel(async () => {
      // Read the file before anything is torn down, so a bad file loses nothing.
      const file = modelFileText !== undefined ? openModelFile(config, modelFileText) : undefined;
      this.loop.stop();
      this.run.open(config, file);
      this.resetSpeed();
      return true;
    });
  }

  async play(untilStep?: number): Promise<void> {
    const built = this.run.built;
    if (!built || !this.loop.start(this.run.step, untilStep)) return;
    if (this.diverged) {
      built.trainer.resume();
      this.clearMessage();
    }
    this.emit();
    void this.loop.run({
      exclusive: (fn) => this.exclusive(fn),
      train: (max) => this.train(max),
      readEvery: () => readEveryFor(this.host.name),
      currentStep: () => this.run.step,
      betweenChunks: async () => {
        const { lastEvalAt, lastEvalMs } = this.run.evaluation;
        const due = evalIntervalMs(this.run.built?.experiment, lastEvalMs);
        if (this.loop.running && performance.now() - lastEvalAt >= due)
          await this.exclusive(() => this.refreshEval(true));
        if (performance.now() - this.lastEmitAt >= SNAPSHOT_INTERVAL_MS) this.emit();
      },
      stopped: () => this.whenSettled(async () => this.refreshEval(true)),
    });
  }

  async pause(): Promise<void> {
    this.loop.stop();
    // Waits for the chunk in flight so the snapshot shows where training really stopped.
    await this.whenSettled(() => this.refreshEval(true));
  }

  async step(n = 1): Promise<void> {
    this.loop.stop();
    await this.whenSettled(async () => {
      await this.loop.steps(n, {
        train: (max) => this.train(max),
        readEvery: () => readEveryFor(this.host.name),
        currentStep: () => this.run.step,
      });
      await this.refreshEval(true);
    });
  }

  async reset(): Promise<void> {
    await this.changeModel(async () => {
      if (!this.run.config) return false;
      this.run.open(this.run.config);
      this.resetSpeed();
      return true;
    });
  }

  /** Keep the model, moments, step and curves aside before an action that would discard them. */
  async keepForUndo(): Promise<number> {
    return this.exclusive(() => this.run.keepForUndo());
  }

  async undo(): Promise<ExperimentConfig | undefined> {
    let config: ExperimentConfig | undefined;
    await this.changeModel(async () => {
      if (!this.run.canUndo) return false;
      this.loop.stop();
      config = this.run.takeUndo();
      this.resetSpeed();
      return true;
    });
    return config;
  }

  async setLearningRate(lr: number): Promise<void> {
    if (!(lr > 0) || !Number.isFinite(lr)) return;
    this.run.setLearningRate(lr);
    this.emit();
  }

  async setStage(stage: ExperimentConfig['training']['stage']): Promise<void> {
    await this.whenSettled(async () => {
      const refused = this.run.setStage(stage);
      if (refused) this.message = refused;
    });
  }

  async setSchedule(schedule: ExperimentConfig['training']['schedule']): Promise<void> {
    await this.whenSettled(async () => this.run.setSchedule(schedule));
  }

  async setAblation(ablation: Ablation | undefined): Promise<void> {
    this.ablation = ablation ? ablation.map((a) => ({ ...a })) : undefined;
    await this.whenSettled(() => this.refreshEval(false));
  }

  async measureBackends(config: ExperimentConfig): Promise<BackendTiming[]> {
    let timings: BackendTiming[] = [];
    await this.whenSettled(async () => {
      timings = await raceAndSwitch(this.host, this.run, config);
      if (timings.length > 0) this.loop.speed.resetRate();
    });
    return timings;
  }

  async noteBackendChoice(choice: NonNullable<TrainingStatus['backendChoice']>): Promise<void> {
    this.host.choice = choice;
    this.emit();
  }

  async setBackend(name: BackendName): Promise<BackendName> {
    const from = this.host.name;
    await this.whenSettled(async () => {
      const { got, message } = await switchBackend(this.host, this.run, name);
      this.message = message;
      if (got !== from) this.loop.speed.resetRate();
      await this.refreshEval(true);
    });
    return this.host.name;
  }

  async exportModel(): Promise<string> {
    return this.exclusive(() => this.run.writeFile(this.host.name));
  }

  async exportSession(page: Record<string, unknown>): Promise<string> {
    return this.exclusive(() => this.run.writeFile(this.host.name, page));
  }

  async simulateBackendFailure(reason: string): Promise<void> {
    // While training, the loop meets it at its next step, exactly where a real failure would.
    if (this.loop.running) return this.host.failAtNextStep(reason);
    await this.whenSettled(async () => {
      await this.fallBack(reason);
      await this.refreshEval(true);
    });
  }

  async subscribe(listener: Listener): Promise<void> {
    this.listener = listener;
    this.emit();
  }

  // ---- training and backend failures ------------------------------------------------------

  /** Up to `max` steps, one read-back; false when training must stop (divergence, or a backend failure handled here). */
  private async train(max: number): Promise<boolean> {
    const built = this.run.built;
    if (!built) return false;
    try {
      if (this.host.pendingFailure) throw new Error(this.host.pendingFailure);
      const reports = await this.run.trainSteps(built, max);
      for (const report of reports) {
        if (!report.ok) {
          this.diverged = true;
          this.message = `Training diverged: ${report.reason}. Lower the learning rate or reset.`;
          this.loop.stop();
          return false;
        }
        this.loop.speed.markStep();
      }
      return true;
    } catch (e) {
      await this.fallBack(errorText(e));
      return this.loop.running;
    }
  }

  /** The backend failed: continue on the next one (backendMoves.ts), or stop when none works. */
  private async fallBack(reason: string): Promise<void> {
    const { ok, message } = await fallBack(this.host, this.run, reason);
    this.message = message;
    if (ok) this.loop.speed.resetRate();
    else this.loop.stop();
  }

  /** Bring the evaluation view up to date; a failure is a backend failure. */
  private async refreshEval(intactToo: boolean): Promise<void> {
    try {
      await this.run.evaluate({ running: this.loop.running, ablation: this.ablation, intactToo });
    } catch (e) {
      // Evaluation shares the backend with training.
      await this.fallBack(errorText(e));
    }
  }

  // ---- small helpers ----------------------------------------------------------------------

  private resetSpeed(): void {
    this.loop.speed.resetClock();
    this.loop.speed.resetRate();
  }

  private clearMessage(): void {
    this.message = undefined;
    this.diverged = false;
  }

  /** A new or restored model (`fn` says whether there was one): no old message, a fresh view. */
  private changeModel(fn: () => Promise<boolean>): Promise<void> {
    return this.whenSettled(async () => {
      if (!(await fn())) return;
      this.clearMessage();
      await this.refreshEval(true);
    });
  }

  /** `fn` under the lock, then a snapshot of where it left things. */
  private async whenSettled(fn: () => Promise<void>): Promise<void> {
    await this.exclusive(fn);
    this.emit();
  }

  private emit(): void {
    if (!this.listener || !this.initialized) return;
    this.lastEmitAt = performance.now();
    const { loss, evals, evaluation } = this.run;
    const status = statusOf(
      this.run,
      this.loop,
      this.host,
      this.message,
      this.diverged,
      this.threads,
    );
    const snapshot = { status, loss: loss.values(), evals: evals.values() };
    // Over Comlink the listener returns a promise; a page that went away just rejects it.
    const sent = this.listener({ ...snapshot, eval: evaluation.view }) as unknown;
    Promise.resolve(sent).catch(() => undefined);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
