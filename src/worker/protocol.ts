/**
 * The contract between the training worker (which owns tfjs, the model and the trainer) and the
 * page. The worker pushes small, throttled snapshots; panels render only from these types, so a
 * panel never touches tfjs and a later "model race" can show two snapshots side by side.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { Metrics as EngineMetrics } from '../core/experiment';
import type { Ablation, ParamGroup, ScanImpl } from '../core/models/types';
import type { TaskFamily, TrialMeta } from '../core/tasks/types';
import type { Behaviour } from '../core/analysis/behaviour';

/** The tfjs backends, in the order start-up tries them. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Most threads the page shares a training step among: more split a batch of 40–128 trials too finely to pay. */
export const MAX_PAGE_THREADS = 4;

/** One backend's measured training speed on the page's model (or why it could not be timed). */
export interface BackendTiming {
  name: BackendName;
  msPerStep?: number;
  reason?: string;
  /** Why a timed backend ranks where it does against its time (shown beside it). */
  note?: string;
}

/** Flat metric name → value maps (the engine's type). */
export type Metrics = EngineMetrics;

export interface TrainingStatus {
  running: boolean;
  step: number;
  /** Training steps per second over the last second or so. */
  stepsPerSec: number;
  /** Wall time spent training since the last reset, in ms. */
  elapsedMs: number;
  backend: BackendName;
  /** Which implementation of the recurrence runs on that backend. */
  impl: ScanImpl;
  /**
   * Threads sharing each training step on the host backends (cpu, wasm; 1 elsewhere), and why only
   * one when that is so.
   */
  threads?: number;
  threadsNote?: string;
  learningRate: number;
  /** Set when training stopped on its own (divergence, backend failure); shown to the user. */
  message?: string;
  diverged: boolean;
  /** Trainable parameter count of the current model. */
  paramCount: number;
  /** The backends that work in this browser (the menu offers only these). */
  available?: BackendName[];
  /** Why backends earlier in the order were skipped (for the indicator's tooltip). */
  backendNote?: string;
  /** How the backend was chosen, and the timings behind a measured choice. */
  backendChoice?: { how: 'measured' | 'remembered' | 'link' | 'menu'; timings?: BackendTiming[] };
  /** Which parameter group trains now. */
  stage?: ParamGroup;
  /** The config's training schedule, when it has one: the phase now running. */
  phase?: { index: number; count: number; group: ParamGroup; steps: number; done: boolean };
}

export interface LossPoint {
  step: number;
  loss: number;
}

export interface EvalPoint {
  step: number;
  metrics: Metrics;
}

/** Principal components fitted once on the intact model's x(t); ablated runs use the same basis. */
export interface PcaView {
  /** Explained-variance ratio of each of the first components. */
  explained: number[];
  /** Projections of x onto the first 3 PCs, [B, T, 3]. */
  intact: Float32Array;
  ablated?: Float32Array;
}

/** One evaluation of the current model on a fixed evaluation set (the first of the task's sets). */
export interface EvalView {
  /**
   * Changes whenever the worker recomputes the view (new parameters or a new ablation), so the
   * page can keep the same object, and skip redrawing, when a snapshot repeats an unchanged view.
   */
  id?: number;
  /** The task family the trials come from (so no panel has to guess it from the cues). */
  family: TaskFamily;
  setName: string;
  step: number;
  B: number;
  T: number;
  U: number;
  O: number;
  /** Number of modulation components (0 for models without s). */
  K: number;
  meta: TrialMeta[];
  /** [B, T, U] */
  inputs: Float32Array;
  /** [B, T, O] */
  targets: Float32Array;
  /** [B, T, O], intact model. */
  outputs: Float32Array;
  /** [B, T, K], intact model (absent for models without s). */
  s?: Float32Array;
  metrics: Metrics;
  /** The intact outputs scored by the task's own metrics (core/analysis/behaviour.ts). */
  behaviour: Behaviour;
  /** Present while an ablation is active. */
  ablated?: { outputs: Float32Array; s?: Float32Array; metrics: Metrics; behaviour: Behaviour };
  pca?: PcaView;
}

export interface Snapshot {
  status: TrainingStatus;
  /** Training loss, downsampled to at most a few thousand points. */
  loss: LossPoint[];
  /** Evaluation metrics over training (e.g. MWG loss on trained vs extrapolated intervals). */
  evals: EvalPoint[];
  /** Absent until the first evaluation finished. */
  eval?: EvalView;
}

export interface SessionApi {
  /**
   * Start tfjs on the first backend of `preference` that works; returns the one in use. `threads`
   * (a link's `th=`) sets how many threads share each step instead of the default.
   */
  init(preference?: BackendName, threads?: number): Promise<BackendName>;
  /** Build a fresh model for this config (or load weights from a model-file text). */
  configure(config: ExperimentConfig, modelFileText?: string): Promise<void>;
  /** Train until paused, or until `untilStep` when given (a share link replaying its training). */
  play(untilStep?: number): Promise<void>;
  pause(): Promise<void>;
  step(n?: number): Promise<void>;
  /** Re-initialise from the same init seed. */
  reset(): Promise<void>;
  setLearningRate(lr: number): Promise<void>;
  setStage(stage: ExperimentConfig['training']['stage']): Promise<void>;
  /** Follow this training schedule from the current step on (docs/SCIENCE.md §3); [] = none. */
  setSchedule(schedule: ExperimentConfig['training']['schedule']): Promise<void>;
  /** Keep the current model, optimiser, step and history for Undo; returns the step kept. */
  /** The model file with the session record (step, optimiser, curves) and `page` inside. */
  exportSession(page: Record<string, unknown>): Promise<string>;
  keepForUndo(): Promise<number>;
  /** Restore what keepForUndo kept; resolves to its config, or undefined if nothing was kept. */
  undo(): Promise<ExperimentConfig | undefined>;
  setAblation(ablation: Ablation | undefined): Promise<void>;
  setBackend(name: BackendName): Promise<BackendName>;
  /**
   * Time a few training steps of `config`'s model on every available backend, switch to the
   * fastest, and return the timings (fastest first). Call before `configure` at start-up.
   */
  measureBackends(config: ExperimentConfig): Promise<BackendTiming[]>;
  /** Record how the current backend was chosen (shown beside the speed). */
  noteBackendChoice(choice: NonNullable<TrainingStatus['backendChoice']>): Promise<void>;
  exportModel(): Promise<string>;
  /**
   * Behave as if the current backend had just failed (device lost, kernel error): fall back to the
   * next backend, keeping the parameters. For tests and for showing what a failure looks like.
   */
  simulateBackendFailure(reason: string): Promise<void>;
  /** Registers the page's listener; snapshots arrive a few times per second. */
  subscribe(listener: (snapshot: Snapshot) => void): Promise<void>;
}
