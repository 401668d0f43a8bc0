/**
 * The model the worker trains and everything that belongs to it: its configuration, the built run,
 * the step count that survives rebuilds (a backend switch, a restore), its loss and evaluation
 * curves, the schedule phase it is in, the learning-rate warm-up of loaded weights, the cached
 * evaluation, and one Undo slot. The session decides when; this owns how.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { ParamArrays } from '../core/models/types';
import type { OptimizerState } from '../core/train/optimizer';
import type { StepReport } from '../core/train/session';
import type { ModelHistory, SessionRecord } from '../core/io/modelFile';
import type { EvalPoint } from './protocol';
import { EvalCache, type RefreshArgs } from './evalCache';
import { EvalHistory } from './evalHistory';
import { LossHistory } from './lossHistory';
import { LrWarmup } from './lrWarmup';
import { ScheduleTracker } from './scheduleTracker';
import { replayFileHistory, restoreSessionCurves } from './sessionHistory';
import { createRun, disposeRun, type Run } from '../core/train/run';
import { errorText } from './backends';
import type { OpenedFile } from './runFile';
import { optimizerToJson, writeModelFile } from '../core/io/experimentFile';

/** Parameters, optimiser moments and step, read back before a rebuild. */
export interface SavedRun {
  params?: ParamArrays;
  optimizer?: OptimizerState;
  step: number;
}

interface UndoSlot extends SavedRun {
  config: ExperimentConfig;
  loss: LossHistory;
  evals: EvalPoint[];
}

export class RunSlot {
  config: ExperimentConfig | undefined;
  built: Run | undefined;
  /** Bumped whenever the parameters change other than by a training step (reset, load, switch). */
  version = 0;
  readonly loss = new LossHistory();
  readonly evals = new EvalHistory();
  readonly schedule = new ScheduleTracker();
  readonly warmup = new LrWarmup();
  readonly evaluation = new EvalCache();
  /** Steps done before the current trainer was created (a backend switch keeps counting). */
  private stepOffset = 0;
  /** Host copy of the latest parameters, the fallback when a backend dies with them. */
  private hostParams: ParamArrays | undefined;
  /** What the last discarding action replaced; a second one replaces it. */
  private undoSlot: UndoSlot | undefined;

  get step(): number {
    return this.stepOffset + (this.built?.trainer.stepCount ?? 0);
  }

  /** A new run of `config` (fresh, or from saved parameters and moments); curves are kept. */
  rebuild(config: ExperimentConfig, params?: ParamArrays, optimizer?: OptimizerState): void {
    this.teardown();
    this.config = config;
    this.version += 1;
    this.built = createRun(config, { params, optimizer });
  }

  /**
   * Start a new history with `config`: its initial parameters, or a file's weights with the page's
   * settings (learning rate, stage…, which may differ from the file's). A saved session continues
   * exactly (step, moments, curves); a shipped model continues its recorded history after a short
   * learning-rate warm-up, since its optimiser moments are not in the file.
   */
  open(config: ExperimentConfig, file?: OpenedFile): void {
    const loaded = file?.loaded;
    this.rebuild(config, loaded?.params, file?.optimizer);
    if (loaded && !loaded.session) this.warmup.begin(0);
    else this.warmup.cancel();
    this.clearHistory();
    if (loaded?.session) this.restoreSession(loaded.session);
    else if (loaded?.history && loaded.steps !== undefined)
      this.replayHistory(loaded.history, loaded.steps);
  }

  /** The config with these training settings changed; undefined when there is no model yet. */
  setTraining(change: Partial<ExperimentConfig['training']>): ExperimentConfig | undefined {
    if (!this.config) return undefined;
    this.config = { ...this.config, training: { ...this.config.training, ...change } };
    return this.config;
  }

  setLearningRate(lr: number): void {
    this.setTraining({ lr });
    this.built?.trainer.setLearningRate(lr);
  }

  /** Train another parameter group from now on; the reason when this model cannot. */
  setStage(stage: ExperimentConfig['training']['stage']): string | undefined {
    if (!this.built) return undefined;
    try {
      this.built.trainer.setStage(stage);
      this.setTraining({ stage });
      return undefined;
    } catch (e) {
      return errorText(e);
    }
  }

  /** A new schedule: re-enter whichever phase the current step falls in (none: the config's stage). */
  setSchedule(schedule: ExperimentConfig['training']['schedule']): void {
    const config = this.setTraining({ schedule });
    this.schedule.forget();
    if (config && schedule.length === 0 && this.built) {
      this.built.trainer.setStage(config.training.stage);
      this.built.trainer.setLearningRate(config.training.lr);
    }
  }

  /** Free the run; nothing cached about it survives. */
  teardown(): void {
    const built = this.built;
    this.built = undefined;
    this.evaluation.forgetRuns();
    if (built) disposeRun(built);
  }

  /**
   * The parameters, optimiser moments and step on the host. A backend that died with its buffers
   * cannot give them back: then the host copy from the last evaluation stands in, without moments.
   */
  async save(): Promise<SavedRun> {
    const step = this.step;
    if (!this.built) return { step };
    try {
      const params = await this.built.model.toArrays();
      return { params, optimizer: await this.built.trainer.getOptimizerState(), step };
    } catch {
      return { params: this.hostParams, step };
    }
  }

  /** Rebuild from what `save` read (on the current backend); without parameters, start over. */
  restore(saved: SavedRun): void {
    if (!this.config) return;
    this.rebuild(this.config, saved.params, saved.params ? saved.optimizer : undefined);
    this.stepOffset = saved.params ? saved.step : 0;
    // The rebuilt trainer starts in the config's stage; put it back in the running phase without
    // touching the restored moments.
    if (saved.params && this.built)
      this.schedule.resume(this.built.trainer, this.config, this.step);
    else this.schedule.forget();
    if (!saved.params) this.loss.clear();
  }

  /** A new history: step 0, no curves, no phase entered, no evaluation shown. */
  clearHistory(): void {
    this.schedule.forget();
    this.loss.clear();
    this.evals.clear();
    this.stepOffset = 0;
    this.evaluation.clearView();
    this.hostParams = undefined;
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

  /**
   * Up to `k` training steps with one read-back (train/readBack.ts), each in the schedule's phase
   * for its step, with the warm-up's rate; the losses are kept. Ends early at a divergence.
   */
  async trainSteps(built: Run, k: number): Promise<StepReport[]> {
    const config = this.config;
    // The session numbers its steps from 1: step s starts after s − 1 of its updates.
    const beforeStep = config
      ? (step: number): void => {
          const done = step - 1;
          this.schedule.follow(built.trainer, config, this.stepOffset + done);
          if (this.warmup.active) {
            const target = this.schedule.targetLr(config, this.stepOffset + done);
            const lr = this.warmup.rateAt(done, target);
            if (lr !== undefined) built.trainer.setLearningRate(lr);
          }
        }
      : undefined;
    const reports = await built.trainer.steps(k, beforeStep);
    for (const r of reports) if (r.ok) this.loss.add(this.stepOffset + r.step, r.loss);
    return reports;
  }

  /**
   * Bring the evaluation view up to date (evalCache.ts); a fresh intact evaluation goes into the
   * curves and its parameters become the host copy. Errors propagate (a backend failure).
   */
  async evaluate(how: Pick<RefreshArgs, 'running' | 'ablation' | 'intactToo'>): Promise<void> {
    const built = this.built;
    if (!built) return;
    const { experiment, model } = built;
    const fresh = await this.evaluation.refresh({
      experiment,
      model,
      version: this.version,
      step: this.step,
      ...how,
    });
    if (!fresh) return;
    const metrics = { ...experiment.metrics(fresh.set, fresh.record.outputs) };
    metrics.loss = fresh.record.loss;
    this.evals.add(fresh.step, metrics);
    this.hostParams = await model.toArrays();
  }

  /**
   * The run as a model file; with `page`, a session file that also continues exactly here: step,
   * optimiser moments, the loss and evaluation curves, and the page's own state (returned untouched
   * on import).
   */
  async writeFile(backend: string, page?: Record<string, unknown>): Promise<string> {
    const { built, config, step } = this;
    if (!built || !config) throw new Error('no model to save yet');
    const params = await built.model.toArrays();
    const session = page
      ? {
          step,
          optimizer: optimizerToJson(await built.trainer.getOptimizerState()),
          loss: this.loss.values(),
          evals: this.evals.values().map((e) => ({ step: e.step, metrics: { ...e.metrics } })),
          page,
        }
      : undefined;
    const metrics = this.evaluation.intact?.metrics ?? {};
    return writeModelFile({
      config,
      params,
      metrics,
      step,
      backend,
      ...(session ? { session } : {}),
    });
  }

  /** Keep the model, moments, step and curves for Undo; returns the step kept (0 = nothing). */
  async keepForUndo(): Promise<number> {
    // An untrained model is not worth an Undo, and must not push out one that is.
    if (!this.config || !this.built || this.step === 0) return 0;
    const saved = await this.save();
    const evals = this.evals.values();
    this.undoSlot = { config: this.config, ...saved, loss: this.loss.clone(), evals };
    return saved.step;
  }

  get canUndo(): boolean {
    return this.undoSlot !== undefined;
  }

  /** Bring back what keepForUndo kept; returns its config (undefined when nothing was kept). */
  takeUndo(): ExperimentConfig | undefined {
    const slot = this.undoSlot;
    if (!slot) return undefined;
    this.undoSlot = undefined;
    this.teardown();
    this.config = slot.config;
    this.clearHistory();
    this.restore(slot);
    this.loss.replaceWith(slot.loss);
    this.evals.replace(slot.evals);
    return slot.config;
  }
}
