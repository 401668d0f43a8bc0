/**
 * Everything the worker does, behind the SessionApi contract: one model and its trainer on one
 * tfjs backend, a training loop that yields between short chunks so the page's messages get
 * through, evaluation of the fixed trials (intact and ablated) at a few per second, and throttled
 * snapshots to the page. All tfjs work runs under one lock, so a slider move never interleaves with
 * a half-finished training step.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { Ablation, ParamArrays, ScanImpl } from '../core/models/types';
import type { OptimizerState } from '../core/train/optimizer';
import { activeImpl, registerFusedKernels } from '../core/kernels/register';
import type { ModelHistory, SessionRecord } from '../core/io/modelFile';
import type {
  BackendName,
  BackendTiming,
  EvalPoint,
  SessionApi,
  Snapshot,
  TrainingStatus,
} from './protocol';
import { errorText } from './backends';
import { BackendHost } from './backendHost';
import { raceBackends } from './backendRace';
import { SpeedMeter } from './speedMeter';
import { EvalHistory } from './evalHistory';
import { LrWarmup } from './lrWarmup';
import { ScheduleTracker } from './scheduleTracker';
import { replayFileHistory, restoreSessionCurves } from './sessionHistory';
import { EvalCache, type IntactEval } from './evalCache';
import { LossHistory } from './lossHistory';
import { buildRun, disposeRun, readRun, type ModelRun } from './modelRun';
import { yieldToEventLoop } from './yieldToEventLoop';
import {
  modelMismatch,
  optimizerFromJson,
  optimizerToJson,
  readModelFile,
  writeModelFile,
} from '../core/io/experimentFile';
import { resolveOptimizerOptions } from '../core/train/optimizer';
import { trainingOptionsFor } from '../core/experiment';

/** Longest stretch of training between two chances for page messages to get in. */
const CHUNK_MS = 40;
const SNAPSHOT_INTERVAL_MS = 250;
const EVAL_INTERVAL_MS = 500;
/** Large evaluation sets (EFT: 500 trials) are re-run and redrawn less often while training. */
const EVAL_INTERVAL_LARGE_MS = 1500;
const LARGE_EVAL_POINTS = 5000;

type Built = ModelRun;

type Listener = (snapshot: Snapshot) => void;

export class PlaygroundSession implements SessionApi {
  private readonly host = new BackendHost();
  /** No snapshot goes out before a backend is chosen: the indicator would show a guess. */
  private initialized = false;
  private config: ExperimentConfig | undefined;
  private built: Built | undefined;
  /** Bumped whenever the parameters change other than by a training step (reset, load, switch). */
  private version = 0;
  /** Steps done before the current trainer was created (a backend switch keeps counting). */
  private stepOffset = 0;

  private running = false;
  private stopAtStep: number | undefined;
  private looping = false;
  private readonly speed = new SpeedMeter();
  private message: string | undefined;
  private diverged = false;

  private readonly loss = new LossHistory();
  private readonly evals = new EvalHistory();
  private ablation: Ablation | undefined;
  private readonly evaluation = new EvalCache();
  /** The learning-rate ramp of loaded weights (lrWarmup.ts). */
  private readonly warmup = new LrWarmup();
  /**
   * What the last discarding action replaced (model, optimiser, step, history), so the page can
   * offer Undo. One slot: a second discarding action replaces it.
   */
  private undoSlot:
    | {
        config: ExperimentConfig;
        params?: ParamArrays;
        optimizer?: OptimizerState;
        step: number;
        loss: LossHistory;
        evals: EvalPoint[];
      }
    | undefined;
  private readonly schedule = new ScheduleTracker();
  /** Host copy of the latest parameters, the fallback when a backend dies with them. */
  private hostParams: ParamArrays | undefined;

  private listener: Listener | undefined;
  private lastEmitAt = 0;
  private lock: Promise<unknown> = Promise.resolve();

  // ---- SessionApi -------------------------------------------------------------------------

  async init(preference?: BackendName): Promise<BackendName> {
    return this.exclusive(async () => {
      registerFusedKernels();
      const name = await this.host.start(preference);
      this.initialized = true;
      return name;
    });
  }

  async configure(config: ExperimentConfig, modelFileText?: string): Promise<void> {
    await this.exclusive(async () => {
      // Read the file before anything is torn down, so a bad file loses nothing.
      const loaded = modelFileText !== undefined ? readModelFile(modelFileText) : undefined;
      const mismatch = loaded ? modelMismatch(config, loaded.config) : undefined;
      if (mismatch) throw new Error(`the model file does not fit these settings: ${mismatch}`);
      // The file's weights with the page's settings (learning rate, stage…), which may differ.
      const effective = config;
      this.stopRunning();
      this.teardown();
      this.config = effective;
      const session = loaded?.session;
      const optimizer = session?.optimizer
        ? optimizerFromJson(session.optimizer, {
            ...resolveOptimizerOptions(trainingOptionsFor(effective).optimizer),
          })
        : undefined;
      this.built = this.build(effective, loaded?.params, optimizer);
      // A saved session continues exactly (its moments are restored): no learning-rate warm-up.
      if (loaded && !session) this.warmup.begin(0);
      else this.warmup.cancel();
      this.clearHistory();
      if (session) this.restoreSession(session);
      else if (loaded?.history && loaded.steps !== undefined)
        this.replayHistory(loaded.history, loaded.steps);
      this.message = undefined;
      this.diverged = false;
      await this.refreshEval(true);
    });
    this.emit();
  }

  async play(untilStep?: number): Promise<void> {
    if (!this.built) return;
    this.stopAtStep =
      untilStep !== undefined && untilStep > this.currentStep() ? untilStep : undefined;
    if (untilStep !== undefined && this.stopAtStep === undefined) return;
    if (this.diverged) {
      this.built.trainer.resume();
      this.diverged = false;
      this.message = undefined;
    }
    if (!this.running) {
      this.running = true;
      this.speed.start();
    }
    this.emit();
    void this.loop();
  }

  async pause(): Promise<void> {
    this.stopRunning();
    // Wait for the chunk in flight so the snapshot shows where training really stopped.
    await this.exclusive(async () => {
      await this.refreshEval(true);
    });
    this.emit();
  }

  async step(n = 1): Promise<void> {
    this.stopRunning();
    await this.exclusive(async () => {
      for (let i = 0; i < Math.max(1, Math.floor(n)); i++) {
        const t0 = performance.now();
        const ok = await this.trainOne();
        this.speed.addElapsed(performance.now() - t0);
        if (!ok) break;
      }
      await this.refreshEval(true);
    });
    this.emit();
  }

  async reset(): Promise<void> {
    await this.exclusive(async () => {
      if (!this.config) return;
      this.teardown();
      this.built = this.build(this.config);
      this.warmup.cancel();
      this.clearHistory();
      this.message = undefined;
      this.diverged = false;
      await this.refreshEval(true);
    });
    this.emit();
  }

  /**
   * Keep the current model, optimiser state, step and history aside before an action that would
   * discard them. Returns the step kept (0 = nothing worth undoing: an untrained model).
   */
  async keepForUndo(): Promise<number> {
    return this.exclusive(async () => {
      if (!this.config || !this.built) return 0;
      // An untrained model is not worth an Undo, and must not push out one that is.
      if (this.currentStep() === 0) return 0;
      const saved = await this.saveState();
      this.undoSlot = {
        config: this.config,
        ...saved,
        loss: this.loss.clone(),
        evals: this.evals.values(),
      };
      return saved.step;
    });
  }

  /** Bring back what keepForUndo kept; returns its config (undefined when nothing was kept). */
  async undo(): Promise<ExperimentConfig | undefined> {
    const config = await this.exclusive(async () => {
      const slot = this.undoSlot;
      if (!slot) return undefined;
      this.undoSlot = undefined;
      this.stopRunning();
      this.teardown();
      this.config = slot.config;
      this.clearHistory();
      this.schedule.forget();
      this.restore(slot);
      this.loss.replaceWith(slot.loss);
      this.evals.replace(slot.evals);
      this.message = undefined;
      this.diverged = false;
      await this.refreshEval(true);
      return slot.config;
    });
    this.emit();
    return config;
  }

  async setLearningRate(lr: number): Promise<void> {
    if (!(lr > 0) || !Number.isFinite(lr)) return;
    if (this.config) this.config = { ...this.config, training: { ...this.config.training, lr } };
    this.built?.trainer.setLearningRate(lr);
    this.emit();
  }

  async setStage(stage: ExperimentConfig['training']['stage']): Promise<void> {
    await this.exclusive(async () => {
      if (!this.built || !this.config) return;
      try {
        this.built.trainer.setStage(stage);
        this.config = { ...this.config, training: { ...this.config.training, stage } };
      } catch (e) {
        this.message = errorText(e);
      }
    });
    this.emit();
  }

  async setSchedule(schedule: ExperimentConfig['training']['schedule']): Promise<void> {
    await this.exclusive(async () => {
      if (!this.config) return;
      this.config = { ...this.config, training: { ...this.config.training, schedule } };
      // Re-enter whichever phase the current step now falls in; no schedule = the config's stage.
      this.schedule.forget();
      if (schedule.length === 0 && this.built) {
        this.built.trainer.setStage(this.config.training.stage);
        this.built.trainer.setLearningRate(this.config.training.lr);
      }
    });
    this.emit();
  }

  async setAblation(ablation: Ablation | undefined): Promise<void> {
    this.ablation = ablation ? ablation.map((a) => ({ ...a })) : undefined;
    await this.exclusive(async () => {
      await this.refreshEval(false);
    });
    this.emit();
  }

  async measureBackends(config: ExperimentConfig): Promise<BackendTiming[]> {
    const result = await this.exclusive(async () => {
      const candidates = this.host.available ?? [this.host.name];
      if (candidates.length < 2) return [];
      const saved = await this.saveState();
      this.teardown();
      const timings = await raceBackends(candidates, config);
      const best = timings.find((t) => t.msPerStep !== undefined)?.name ?? this.host.name;
      await this.host.switchTo(best);
      this.restore(saved);
      this.host.choice = { how: 'measured', timings };
      this.speed.resetRate();
      return timings;
    });
    this.emit();
    return result;
  }

  async noteBackendChoice(choice: NonNullable<TrainingStatus['backendChoice']>): Promise<void> {
    this.host.choice = choice;
    this.emit();
  }

  async setBackend(name: BackendName): Promise<BackendName> {
    const result = await this.exclusive(async () => {
      const from = this.host.name;
      const saved = await this.saveState();
      this.teardown();
      const { name: got, attempts } = await this.host.switchTo(name);
      this.restore(saved);
      this.message =
        got === name
          ? undefined
          : `${name} is not available here (${attempts[0]?.reason}); using ${got}`;
      if (got !== from) this.speed.resetRate();
      await this.refreshEval(true);
      return got;
    });
    this.emit();
    return result;
  }

  async exportModel(): Promise<string> {
    return this.writeFile(false, {});
  }

  /**
   * The model file plus everything needed to continue exactly here: step, optimiser moments, the
   * loss and evaluation curves, and `page` (the page's own state, returned untouched on import).
   */
  async exportSession(page: Record<string, unknown>): Promise<string> {
    return this.writeFile(true, page);
  }

  private writeFile(withSession: boolean, page: Record<string, unknown>): Promise<string> {
    return this.exclusive(async () => {
      if (!this.built || !this.config) throw new Error('no model to save yet');
      const params = await this.built.model.toArrays();
      const session = withSession
        ? {
            step: this.currentStep(),
            optimizer: optimizerToJson(await this.built.trainer.getOptimizerState()),
            loss: this.loss.values(),
            evals: this.evals.values().map((e) => ({ step: e.step, metrics: { ...e.metrics } })),
            page,
          }
        : undefined;
      return writeModelFile({
        config: this.config,
        params,
        metrics: this.evaluation.intact?.metrics ?? {},
        step: this.currentStep(),
        backend: this.host.name,
        ...(session ? { session } : {}),
      });
    });
  }

  async simulateBackendFailure(reason: string): Promise<void> {
    if (this.running) {
      // The training loop meets it at its next step, exactly where a real failure would surface.
      this.host.failAtNextStep(reason);
      return;
    }
    await this.exclusive(async () => {
      await this.fallBack(reason);
      await this.refreshEval(true);
    });
    this.emit();
  }

  async subscribe(listener: Listener): Promise<void> {
    this.listener = listener;
    this.emit();
  }

  // ---- training loop ----------------------------------------------------------------------

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.running) {
        await this.exclusive(() => this.trainChunk());
        if (this.running && performance.now() - this.evaluation.lastEvalAt >= this.evalInterval()) {
          await this.exclusive(() => this.refreshEval(true));
        }
        if (performance.now() - this.lastEmitAt >= SNAPSHOT_INTERVAL_MS) this.emit();
        await yieldToEventLoop();
      }
    } finally {
      this.looping = false;
    }
    await this.exclusive(() => this.refreshEval(true));
    this.emit();
  }

  private async trainChunk(): Promise<void> {
    const start = performance.now();
    while (this.running && performance.now() - start < CHUNK_MS) {
      if (!(await this.trainOne())) break;
      if (this.stopAtStep !== undefined && this.currentStep() >= this.stopAtStep) {
        this.stopAtStep = undefined;
        this.stopRunning();
      }
    }
  }

  /** One step; false when training must stop (divergence, or a backend failure handled here). */
  private async trainOne(): Promise<boolean> {
    const built = this.built;
    if (!built) return false;
    try {
      if (this.host.pendingFailure) throw new Error(this.host.pendingFailure);
      if (this.config) this.schedule.follow(built.trainer, this.config, this.currentStep());
      this.applyWarmup(built);
      const report = await built.trainer.step();
      if (!report.ok) {
        this.diverged = true;
        this.message = `Training diverged: ${report.reason}. Lower the learning rate or reset.`;
        this.stopRunning();
        return false;
      }
      this.loss.add(this.stepOffset + report.step, report.loss);
      this.speed.markStep();
      return true;
    } catch (e) {
      await this.fallBack(errorText(e));
      return this.running;
    }
  }

  private applyWarmup(built: Built): void {
    if (!this.warmup.active || !this.config) return;
    const lr = this.warmup.rateAt(
      built.trainer.stepCount,
      this.schedule.targetLr(this.config, this.currentStep()),
    );
    if (lr !== undefined) built.trainer.setLearningRate(lr);
  }

  /** The backend failed mid-run: move to the next one in the usual order, keeping parameters. */
  private async fallBack(reason: string): Promise<void> {
    const failed = this.host.name;
    const saved = await this.saveState();
    this.teardown();
    try {
      const { name } = await this.host.fallBack();
      this.restore(saved);
      this.speed.resetRate();
      this.message = saved.params
        ? `The ${failed} backend failed (${reason}); continuing on ${name} with the same parameters.`
        : `The ${failed} backend failed (${reason}); restarted on ${name} from the initial parameters.`;
    } catch (e) {
      this.stopRunning();
      this.message = `The ${failed} backend failed (${reason}) and no other backend works: ${errorText(e)}`;
    }
  }

  // ---- evaluation -------------------------------------------------------------------------

  /** Bring the evaluation view up to date (evalCache.ts); a failure is a backend failure. */
  private async refreshEval(intactToo: boolean): Promise<void> {
    const built = this.built;
    if (!built) return;
    try {
      const fresh = await this.evaluation.refresh({
        experiment: built.experiment,
        model: built.model,
        version: this.version,
        step: this.currentStep(),
        running: this.running,
        ablation: this.ablation,
        intactToo,
      });
      if (fresh) {
        this.recordEvalPoint(built, fresh);
        this.hostParams = await built.model.toArrays();
      }
    } catch (e) {
      // Evaluation shares the backend with training; a failure here is a backend failure too.
      await this.fallBack(errorText(e));
    }
  }

  private evalInterval(): number {
    const batch = this.built?.experiment.evalSets[0]?.batch;
    return batch && batch.B * batch.T > LARGE_EVAL_POINTS
      ? EVAL_INTERVAL_LARGE_MS
      : EVAL_INTERVAL_MS;
  }

  private recordEvalPoint(built: Built, intact: IntactEval): void {
    const metrics = { ...built.experiment.metrics(intact.set, intact.record.outputs) };
    metrics.loss = intact.record.loss;
    this.evals.add(intact.step, metrics);
  }

  // ---- building and tearing down ----------------------------------------------------------

  private build(config: ExperimentConfig, params?: ParamArrays, optimizer?: OptimizerState): Built {
    this.version += 1;
    return buildRun(config, params, optimizer);
  }

  private async saveState(): Promise<{
    params?: ParamArrays;
    optimizer?: OptimizerState;
    step: number;
  }> {
    const step = this.currentStep();
    if (!this.built) return { step };
    return { ...(await readRun(this.built, this.hostParams)), step };
  }

  private restore(saved: { params?: ParamArrays; optimizer?: OptimizerState; step: number }): void {
    if (!this.config) return;
    this.built = this.build(this.config, saved.params, saved.params ? saved.optimizer : undefined);
    this.stepOffset = saved.params ? saved.step : 0;
    // The rebuilt trainer starts in the config's stage; put it back in the running phase without
    // touching the restored moments.
    if (saved.params) this.schedule.resume(this.built.trainer, this.config, this.currentStep());
    else this.schedule.forget();
    if (!saved.params) this.loss.clear();
  }

  private teardown(): void {
    const built = this.built;
    this.built = undefined;
    this.evaluation.forgetRuns();
    if (built) disposeRun(built);
  }

  /** A saved session's step and curves, exactly as they were saved. */
  private restoreSession(session: SessionRecord): void {
    this.stepOffset = session.step;
    restoreSessionCurves(session, this.loss, this.evals);
  }

  /** How a loaded model got here, with the step count continuing from the file's. */
  private replayHistory(history: ModelHistory, steps: number): void {
    this.stepOffset = steps;
    const setName = this.built?.experiment.evalSets[0]?.name;
    replayFileHistory(history, steps, setName, this.loss, this.evals);
  }

  private clearHistory(): void {
    this.schedule.forget();
    this.loss.clear();
    this.evals.clear();
    this.stepOffset = 0;
    this.speed.resetClock();
    this.speed.resetRate();
    this.evaluation.clearView();
    this.hostParams = undefined;
  }

  // ---- status and snapshots ---------------------------------------------------------------

  private currentStep(): number {
    return this.stepOffset + (this.built?.trainer.stepCount ?? 0);
  }

  private stopRunning(): void {
    this.speed.stop();
    this.running = false;
    this.stopAtStep = undefined;
  }

  private status(): TrainingStatus {
    const model = this.built?.model;
    let impl: ScanImpl = 'reference';
    if (model) impl = activeImpl(model.config.kind, model.config);
    return {
      running: this.running,
      step: this.currentStep(),
      stepsPerSec: this.speed.stepsPerSec(),
      elapsedMs: this.speed.elapsedMs(),
      backend: this.host.name,
      impl,
      learningRate: this.schedule.targetLr(this.config, this.currentStep()),
      message: this.message,
      diverged: this.diverged,
      paramCount: model ? model.paramCount() : 0,
      backendNote: this.host.backendNote,
      backendChoice: this.host.choice,
      ...(this.host.available ? { available: this.host.available } : {}),
      stage: this.built?.trainer.stage,
      ...this.schedule.status(this.config, this.currentStep()),
    };
  }

  private emit(): void {
    if (!this.listener || !this.initialized) return;
    this.lastEmitAt = performance.now();
    const snapshot: Snapshot = {
      status: this.status(),
      loss: this.loss.values(),
      evals: this.evals.values(),
      eval: this.evaluation.view,
    };
    // Over Comlink the listener returns a promise; a page that went away just rejects it.
    Promise.resolve(this.listener(snapshot) as unknown).catch(() => undefined);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
